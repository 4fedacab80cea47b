#!/usr/bin/env python3
"""Load a SimpleRnnTorch model into real PyTorch and predict, to check that the export is what it claims.

    python3 scripts/predict_pytorch.py plots/model.safetensors 50,60,70 10,20,30
    python3 scripts/predict_pytorch.py plots/model.pt --hidden 5 50,60,70      # the pickle has no manifest

The .safetensors file carries the architecture and scaler in its metadata (the lesson's and a standardised series'
(x - offset) / divisor; a series' window relative to its last value: difference, ratio or seasonal, the target's
drift and floor included; not a panel's spread scaling); it is read with the
`safetensors` package when installed, else with the few lines below (the format is 8 bytes of header
length, a JSON header, raw little-endian data). Needs only torch (Debian: apt-get install python3-torch).
"""
import argparse
import json
import struct
import sys

import torch
from torch import nn


class SequenceRegressor(nn.Module):
    """The same network as src/SimpleRnnTorch/Model/SequenceRegressor.cs, in PyTorch."""

    def __init__(self, cell="rnn", hidden=5, layers=1, members=1, values_per_step=1):
        super().__init__()
        make = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]
        self.values_per_step = values_per_step
        # An ensemble's members sit side by side: one layer of hidden * members units (block-diagonal weights).
        self.rnn = make(values_per_step, hidden * members, num_layers=layers, batch_first=True)
        self.head = nn.Linear(hidden * members, members)

    def forward(self, x):
        if self.values_per_step > 1:  # (N, T, 1) -> (N, T/k, k): k consecutive values a step, the oldest first
            x = x.reshape(x.shape[0], x.shape[1] // self.values_per_step, self.values_per_step)
        _, h = self.rnn(x)
        if isinstance(h, tuple):  # LSTM: (h_n, c_n)
            h = h[0]
        return self.head(h[-1]).mean(dim=1, keepdim=True)  # the members' mean


def read_safetensors(path):
    try:
        from safetensors import safe_open  # optional
        with safe_open(path, framework="pt") as f:
            return {k: f.get_tensor(k) for k in f.keys()}, f.metadata() or {}
    except ImportError:
        pass
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, e in header.items():
        assert e["dtype"] == "F32", f"{name}: {e['dtype']}"
        start, end = e["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[start:end]), dtype=torch.float32).reshape(e["shape"])
    return tensors, metadata


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", help="model.safetensors (or model.pt with --hidden/--layers/--cell)")
    p.add_argument("sequences", nargs="+", help="comma-separated numbers, e.g. 50,60,70")
    p.add_argument("--cell", default="rnn")
    p.add_argument("--hidden", type=int, default=5)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--members", type=int, default=1)
    p.add_argument("--values-per-step", type=int, default=1, help="for a .pt file: window values a recurrent step reads (the manifest's values_per_step)")
    p.add_argument("--divisor", type=float, default=100.0)
    p.add_argument("--offset", type=float, default=0.0, help="for a .pt file: the scaler's offset (a series model's mean; 0 for the lesson)")
    p.add_argument("--json", action="store_true", help="one JSON object per line, as `SimpleRnnTorch predict --json`")
    a = p.parse_args()

    if a.model.endswith(".pt"):
        state = torch.load(a.model, weights_only=True)
        cell, hidden, layers, members, divisor, offset = a.cell, a.hidden, a.layers, a.members, a.divisor, a.offset
        scaling, lag, floor = "global", 0, None
        values_per_step = a.values_per_step
    else:
        state, metadata = read_safetensors(a.model)
        manifest = json.loads(metadata["manifest"])
        m = manifest["model"]
        cell, hidden, layers, divisor = m["cell"], m["hidden_size"], m["layers"], manifest["scale_divisor"]
        members = m.get("members", 1)
        values_per_step = m.get("values_per_step", 1)  # written only where it is not 1
        offset = manifest.get("scale_offset", 0.0)  # (x - offset) / divisor; files from before the offset have none
        scaling, lag, floor = manifest.get("scaling", "global"), manifest.get("scale_lag", 0), manifest.get("scale_floor")

    model = SequenceRegressor(cell, hidden, layers, members, values_per_step)
    model.load_state_dict(state, strict=True)  # PyTorch's own names: rnn.weight_ih_l0, ..., head.bias
    model.eval()

    if scaling == "spread":
        sys.exit("predict_pytorch.py: a panel model's spread scaling is not reproduced here; use `SimpleRnnTorch predict`")
    rows = [[float(v) for v in s.replace(",", " ").split()] for s in a.sequences]
    with torch.no_grad():
        x = torch.tensor(rows, dtype=torch.float32).unsqueeze(-1)
        last = x[:, -1:, :]
        if scaling == "global":
            scaled = x / divisor if offset == 0 else (x - offset) / divisor
        elif scaling == "ratio":  # (x / last - 1) / divisor
            scaled = (x / last - 1) / divisor
        else:  # difference, seasonal: (x - last) / divisor
            scaled = (x - last) / divisor
        change = model(scaled).double() * divisor + offset  # float64, as the C# side does
        xd = x.double()
        if scaling == "global":
            out = change
        elif scaling == "ratio":  # last * (d*y + 1 + drift)
            out = xd[:, -1, :] * (change + 1)
        else:  # the base: the last value, or for a seasonal scaling the value a season back
            out = xd[:, -(lag if scaling == "seasonal" else 1), :] + change
        if floor is not None:
            out = out.clamp(min=floor)
        y = out.squeeze(-1).tolist()
    for row, pred in zip(rows, y):
        if a.json:
            print(json.dumps({"input": row, "prediction": pred}))
        else:
            print(f"Input sequence: [{' '.join(f'{v:g}' for v in row)}]  Predicted next value: {pred:.2f}")


if __name__ == "__main__":
    sys.exit(main())
