#!/usr/bin/env python3
"""PyTorch counterpart of `SimpleRnnTorch bench --sizes ...`: samples per second for one epoch.

Same network (nn.RNN(1, 5, tanh, batch_first) + nn.Linear(5, 1)), Adam, MSE, the lesson's data
([s, s+10, s+20] -> s+30, s in [0, 100), /100) generated straight into tensors, every sequence used for
training (no validation), one epoch: a fresh permutation, then per batch zero_grad, forward, loss,
backward, step, loss.item() -- the step of scripts/torch_reference.py. One untimed epoch of
1000 sequences per batch size warms up first.

  /usr/bin/python3 scripts/torch_scale.py [--sizes 10000,100000,1000000] [--batches 32,1024] [--threads 1]

Needs Debian's python3-torch (apt-get install python3-torch); the program itself never does.
Prints a table and one final line `RESULT {json}`.
"""
import argparse
import json
import time

try:
    import torch
    from torch import nn
except ImportError:
    raise SystemExit("PyTorch is not installed for this interpreter: apt-get install python3-torch (then run with /usr/bin/python3)")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(1, 5, batch_first=True)
        self.fc = nn.Linear(5, 1)

    def forward(self, x):
        _, h = self.rnn(x)
        return self.fc(h[-1])


def make_data(n, seed):
    g = torch.Generator().manual_seed(seed)
    start = torch.randint(0, 100, (n, 1), generator=g, dtype=torch.float32)
    seq = (start + 10 * torch.arange(4, dtype=torch.float32)) / 100.0
    return seq[:, :3].reshape(n, 3, 1).contiguous(), seq[:, 3:].contiguous()


def one_epoch(X, y, bs, seed):
    torch.manual_seed(seed)
    model = Net()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    n = len(X)
    t0 = time.perf_counter()
    perm = torch.randperm(n)
    tot = 0.0
    for i in range(0, n, bs):
        idx = perm[i:i + bs]
        opt.zero_grad()
        loss = loss_fn(model(X[idx]), y[idx])
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
    return time.perf_counter() - t0


def ints(text):
    return [int(v) for v in text.split(",") if v]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=ints, default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--batches", type=ints, default=[32, 1024])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)

    # Untimed warm-up, as our bench's throughput runs come after its other parts.
    Xw, yw = make_data(1000, a.seed)
    for bs in a.batches:
        one_epoch(Xw, yw, bs, a.seed)

    rows = []
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s): one epoch, all sequences training")
    print(f"{'sequences':>10} {'batch':>6} {'data s':>8} {'epoch s':>9} {'samples/s':>11}")
    for n in a.sizes:
        t = time.perf_counter()
        X, y = make_data(n, a.seed)
        data_s = time.perf_counter() - t
        for bs in a.batches:
            epoch_s = one_epoch(X, y, bs, a.seed)
            rows.append({"sequences": n, "batch": bs, "data_s": data_s, "epoch_s": epoch_s, "samples_per_s": n / epoch_s})
            print(f"{n:>10,} {bs:>6} {data_s:>8.3f} {epoch_s:>9.3f} {n / epoch_s:>11,.0f}")
    print("RESULT " + json.dumps({
        "impl": "pytorch", "version": torch.__version__, "threads": torch.get_num_threads(), "scale": rows,
        "samples_per_s": {f"{r['sequences']}@{r['batch']}": r["samples_per_s"] for r in rows},
    }))


if __name__ == "__main__":
    main()
