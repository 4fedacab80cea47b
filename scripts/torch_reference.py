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

--task adding trains on the adding problem instead (the program's `--task adding`): T steps of
(value uniform in [0, 1), marker), one marker in each half of the sequence (Arjovsky et al. 2016), the
target the sum of the two marked values, no scaling; --cell, --hidden (default 16 there) and
--time-steps (default 50) shape it, and it prints the validation MSE instead of a prediction. The bench
compares an LSTM step at T = 100 with `bench --task adding --cell lstm --time-steps 100`:

  /usr/bin/python3 scripts/torch_reference.py --threads 1 --task adding --cell lstm --time-steps 100 --bench-steps 1000

--sequences, --batch and --schedule cosine (the program's per-epoch cosine decay to 0) let it train as
the program's adding-task defaults do, to compare what the two libraries learn.
"""
import math
import argparse
import json
import statistics
import time

try:
    import torch
    from torch import nn
except ImportError:
    raise SystemExit("PyTorch is not installed for this interpreter: apt-get install python3-torch (then run with /usr/bin/python3)")

VALIDATION_SPLIT, WARMUP_STEPS = 0.2, 20


class SequenceRegressor(nn.Module):
    def __init__(self, hidden=5, features=1, cell="rnn"):
        super().__init__()
        if cell == "lstm":
            self.rnn = nn.LSTM(features, hidden, batch_first=True)
        elif cell == "gru":
            self.rnn = nn.GRU(features, hidden, batch_first=True)
        else:
            self.rnn = nn.RNN(features, hidden, nonlinearity="tanh", batch_first=True)
        self.fc = nn.Linear(hidden, 1)

    def forward(self, x):
        out = self.rnn(x)[1]  # h: (layers=1, batch, hidden), the state after the last time step
        h = out[0] if isinstance(out, tuple) else out  # an LSTM's (h, c)
        return self.fc(h[-1])


def lesson_data(generator, samples):
    s = torch.randint(0, 100, (samples, 1), generator=generator).float()
    x = torch.stack([s, s + 10, s + 20], dim=1) / 100  # (N, 3, 1)
    return x, (s + 30) / 100  # (N, 1)


def adding_data(generator, samples, time_steps):
    """(N, T, 2) inputs, (N, 1) targets: one marker in each half, the target the sum of the marked values."""
    half = time_steps // 2
    values = torch.rand(samples, time_steps, generator=generator)
    first = torch.randint(0, half, (samples, 1), generator=generator)
    second = torch.randint(half, time_steps, (samples, 1), generator=generator)
    positions = torch.cat([first, second], 1)
    markers = torch.zeros(samples, time_steps).scatter_(1, positions, 1.0)
    return torch.stack([values, markers], 2), values.gather(1, positions).sum(1, keepdim=True)


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
    ap.add_argument("--task", choices=["arithmetic", "adding"], default="arithmetic")
    ap.add_argument("--cell", choices=["rnn", "lstm", "gru"], default="rnn")
    ap.add_argument("--time-steps", type=int, default=None, help="the adding task's T (default 50)")
    ap.add_argument("--hidden", type=int, default=None, help="hidden units (default 5, the adding task 16)")
    ap.add_argument("--sequences", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=32, help="batch size of training and of the timed steps")
    ap.add_argument("--schedule", choices=["constant", "cosine"], default="constant")
    a = ap.parse_args()
    adding = a.task == "adding"
    if not adding and (a.time_steps not in (None, 3) or a.cell != "rnn"):
        raise SystemExit("--time-steps and --cell shape the adding task; the lesson is an RNN on 3 steps")
    time_steps = a.time_steps or (50 if adding else 3)
    hidden = a.hidden or (16 if adding else 5)
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)  # weights and the per-epoch shuffle
    generator = torch.Generator().manual_seed(a.seed)
    x, y = adding_data(generator, a.sequences, time_steps) if adding else lesson_data(generator, a.sequences)

    # Keras' validation_split: the last 20% as they come, before any shuffling.
    n_train = int(a.sequences * (1 - VALIDATION_SPLIT))
    x_train, y_train, x_val, y_val = x[:n_train], y[:n_train], x[n_train:], y[n_train:]

    make_model = lambda: SequenceRegressor(hidden, x.shape[2], a.cell)
    model = make_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=a.lr)
    batch = a.batch
    batches = (n_train + batch - 1) // batch
    epoch_times, loss, val_loss = [], float("nan"), float("nan")
    t_train = time.perf_counter()
    for epoch in range(1, a.epochs + 1):
        t_epoch = time.perf_counter()
        if a.schedule == "cosine":  # the program's: lr * (1 + cos(pi * (epoch - 1) / epochs)) / 2, set per epoch
            for group in optimizer.param_groups:
                group["lr"] = a.lr * 0.5 * (1 + math.cos(math.pi * (epoch - 1) / a.epochs))
        order = torch.randperm(n_train)
        total = 0.0
        for start in range(0, n_train, batch):
            idx = order[start:start + batch]
            # Keras reports the sample-weighted mean of the batch losses, so the short last batch counts less.
            total += train_step(model, optimizer, x_train[idx], y_train[idx]) * len(idx)
        with torch.no_grad():
            val_loss = nn.functional.mse_loss(model(x_val), y_val).item()
        loss = total / n_train
        epoch_times.append(time.perf_counter() - t_epoch)
        print(f"Epoch {epoch}/{a.epochs}  {batches}/{batches} - {epoch_times[-1] * 1000:.0f}ms"
              f" - loss: {loss:.4f} - val_loss: {val_loss:.4f}")
    train_s = time.perf_counter() - t_train

    prediction = None
    if adding:
        print(f"validation MSE {val_loss:.4g} (the constant guess 1 scores about 0.167)")
    else:
        with torch.no_grad():
            prediction = model(torch.tensor([50.0, 60.0, 70.0]).view(1, 3, 1) / 100).item() * 100
        print(f"prediction for [50, 60, 70]: {prediction:.2f} (expected 80)")
    print(f"train loop {train_s:.3f}s, epoch median {statistics.median(epoch_times) * 1000:.1f} ms")

    step_us = None
    if a.bench_steps > 0:
        # A fresh model so the timed steps do not depend on where the lesson ended; batches are sliced
        # beforehand so only the step itself is timed.
        bench_model = make_model()
        bench_opt = torch.optim.Adam(bench_model.parameters(), lr=a.lr)
        fixed = [(x_train[i:i + batch], y_train[i:i + batch]) for i in range(0, n_train - batch + 1, batch)]
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
        print(f"train step (batch {batch}) median {step_us['median']:.1f} us, p90 {step_us['p90']:.1f} us"
              f" over {a.bench_steps} steps")

    print("RESULT " + json.dumps({
        "torch": torch.__version__, "threads": torch.get_num_threads(), "seed": a.seed,
        "task": a.task, "cell": a.cell, "time_steps": time_steps, "hidden": hidden, "sequences": a.sequences,
        "batch": batch, "schedule": a.schedule,
        "epochs": a.epochs, "lr": a.lr, "params": sum(p.numel() for p in model.parameters()),
        "train_s": train_s, "epoch_s_median": statistics.median(epoch_times) if epoch_times else None,
        "loss": loss, "val_loss": val_loss, "prediction": prediction,
        "bench_steps": a.bench_steps, "step_us": step_us,
    }))


if __name__ == "__main__":
    main()
