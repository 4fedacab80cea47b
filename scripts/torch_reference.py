#!/usr/bin/env python3
"""The lesson in plain PyTorch: the reference that scripts/bench_vs_pytorch.sh measures us against.

1000 sequences [s, s+10, s+20] -> s+30 (s an integer in [0, 100), everything / 100); nn.RNN(1 -> 5, tanh)
whose last hidden state feeds nn.Linear(5 -> 1); Adam at a constant lr on MSE; 30 epochs of batch 32;
the last 20% of the samples held out for validation, as Keras' validation_split does (split first,
unshuffled; only the training part is shuffled, every epoch). Prints Keras-like epoch lines, the
prediction for [50, 60, 70], and one final line `RESULT {json}`.

  /usr/bin/python3 scripts/torch_reference.py [--threads 1] [--seed 0] [--epochs 30] [--lr 0.001] [--bench-steps 1000]

--bench-steps N then times N more train steps (batch 32, after 20 untimed warm-up steps) on a fresh
model and reports their median/p10/p90/mean in microseconds. Runs on Debian's python3-torch
(apt-get install python3-torch, PyTorch 1.13+) with /usr/bin/python3; needs nothing else.
"""
import argparse
import json
import statistics
import time

try:
    import torch
    from torch import nn
except ImportError:
    raise SystemExit("PyTorch is not installed for this interpreter: apt-get install python3-torch (then run with /usr/bin/python3)")

SAMPLES, BATCH, VALIDATION_SPLIT, WARMUP_STEPS = 1000, 32, 0.2, 20


class SequenceRegressor(nn.Module):
    def __init__(self, hidden=5):
        super().__init__()
        self.rnn = nn.RNN(1, hidden, nonlinearity="tanh", batch_first=True)
        self.fc = nn.Linear(hidden, 1)

    def forward(self, x):
        _, h = self.rnn(x)  # h: (layers=1, batch, hidden), the state after the last time step
        return self.fc(h[-1])


def lesson_data(generator):
    s = torch.randint(0, 100, (SAMPLES, 1), generator=generator).float()
    x = torch.stack([s, s + 10, s + 20], dim=1) / 100  # (N, 3, 1)
    return x, (s + 30) / 100  # (N, 1)


def train_step(model, optimizer, x, y):
    # The unit both sides time: the C# program's step does the same work, including reading the loss back.
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def percentile(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads(N); 0 leaves torch's default")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--bench-steps", type=int, default=0, help="also time N train steps of batch 32")
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)  # weights and the per-epoch shuffle
    x, y = lesson_data(torch.Generator().manual_seed(a.seed))

    # Keras' validation_split: the last 20% as they come, before any shuffling.
    n_train = int(SAMPLES * (1 - VALIDATION_SPLIT))
    x_train, y_train, x_val, y_val = x[:n_train], y[:n_train], x[n_train:], y[n_train:]

    model = SequenceRegressor()
    optimizer = torch.optim.Adam(model.parameters(), lr=a.lr)
    batches = (n_train + BATCH - 1) // BATCH
    epoch_times, loss, val_loss = [], float("nan"), float("nan")
    t_train = time.perf_counter()
    for epoch in range(1, a.epochs + 1):
        t_epoch = time.perf_counter()
        order = torch.randperm(n_train)
        total = 0.0
        for start in range(0, n_train, BATCH):
            idx = order[start:start + BATCH]
            # Keras reports the sample-weighted mean of the batch losses, so the short last batch counts less.
            total += train_step(model, optimizer, x_train[idx], y_train[idx]) * len(idx)
        with torch.no_grad():
            val_loss = nn.functional.mse_loss(model(x_val), y_val).item()
        loss = total / n_train
        epoch_times.append(time.perf_counter() - t_epoch)
        print(f"Epoch {epoch}/{a.epochs}  {batches}/{batches} - {epoch_times[-1] * 1000:.0f}ms"
              f" - loss: {loss:.4f} - val_loss: {val_loss:.4f}")
    train_s = time.perf_counter() - t_train

    with torch.no_grad():
        prediction = model(torch.tensor([50.0, 60.0, 70.0]).view(1, 3, 1) / 100).item() * 100
    print(f"prediction for [50, 60, 70]: {prediction:.2f} (expected 80)")
    print(f"train loop {train_s:.3f}s, epoch median {statistics.median(epoch_times) * 1000:.1f} ms")

    step_us = None
    if a.bench_steps > 0:
        # A fresh model so the timed steps do not depend on where the lesson ended; batches are sliced
        # beforehand so only the step itself is timed.
        bench_model = SequenceRegressor()
        bench_opt = torch.optim.Adam(bench_model.parameters(), lr=a.lr)
        fixed = [(x_train[i:i + BATCH], y_train[i:i + BATCH]) for i in range(0, n_train - BATCH + 1, BATCH)]
        times = []
        for k in range(WARMUP_STEPS + a.bench_steps):
            bx, by = fixed[k % len(fixed)]
            t0 = time.perf_counter_ns()
            train_step(bench_model, bench_opt, bx, by)
            if k >= WARMUP_STEPS:
                times.append((time.perf_counter_ns() - t0) / 1000)
        times.sort()
        step_us = {"median": statistics.median(times), "p10": percentile(times, 0.1),
                   "p90": percentile(times, 0.9), "mean": statistics.fmean(times)}
        print(f"train step (batch {BATCH}) median {step_us['median']:.1f} us, p90 {step_us['p90']:.1f} us"
              f" over {a.bench_steps} steps")

    print("RESULT " + json.dumps({
        "torch": torch.__version__, "threads": torch.get_num_threads(), "seed": a.seed,
        "epochs": a.epochs, "lr": a.lr, "params": sum(p.numel() for p in model.parameters()),
        "train_s": train_s, "epoch_s_median": statistics.median(epoch_times) if epoch_times else None,
        "loss": loss, "val_loss": val_loss, "prediction": prediction,
        "bench_steps": a.bench_steps, "step_us": step_us,
    }))


if __name__ == "__main__":
    main()
