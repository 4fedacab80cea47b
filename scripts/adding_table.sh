#!/usr/bin/env bash
# The long-sequences chapter's comparison (docs/long-sequences.md): rnn, lstm and gru trained on the adding
# problem at T = 5, 10, 20, 50 and 100, five seeds each, every run with the same budget (1,500 Adam steps);
# prints the markdown table (median test MSE, and how many of the seeds got below 0.01) and writes
# plots/adding_mse.png. One libtorch thread, one process: about 12 minutes on the 2-core machine of the docs.
#   scripts/adding_table.sh                      # the defaults
#   scripts/adding_table.sh --init keras         # anything else goes to `sweep` (see `sweep --help`)
#   OUTPUT=/tmp/out scripts/adding_table.sh      # the picture elsewhere (default: plots/)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dotnet build "$root/src/SimpleRnnTorch" -c Release -v q -nologo >/dev/null
app="$root/src/SimpleRnnTorch/bin/Release/net10.0/SimpleRnnTorch.dll"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

started=$(date +%s)
# Progress (one line per trained model) goes to stderr; the JSON lines to the file.
dotnet "$app" sweep --threads 1 --json --output "${OUTPUT:-$root/plots}" "$@" >"$work/lines"
elapsed=$(($(date +%s) - started))

python3 - "$work/lines" "$elapsed" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
runs = [r["run"] for r in rows if "run" in r]
points = [r["point"] for r in rows if "point" in r]
steps = sorted({p["time_steps"] for p in points})
cells = list(dict.fromkeys(p["cell"] for p in points))
seeds = max(p["seeds"] for p in points)
def mse(v):
    return "diverged" if v == float("inf") else (f"{v:.3f}" if v >= 0.01 else f"{v:.1e}".replace("e-0", "e-"))
print(f"Median test MSE over {seeds} seeds, and how many of them got below 0.01 (the constant guess scores about 0.167):\n")
print("| T | " + " | ".join(cells) + " |")
print("|---:|" + "---:|" * len(cells))
for t in steps:
    cell = {p["cell"]: p for p in points if p["time_steps"] == t}
    print(f"| {t} | " + " | ".join(f"{mse(cell[c]['median_test_mse'])} ({cell[c]['learned']}/{cell[c]['seeds']})" for c in cells) + " |")
train = {c: sum(r["train_s"] for r in runs if r["cell"] == c) for c in cells}
print(f"\n{len(runs)} runs in {int(sys.argv[2]) / 60:.1f} min (process wall time); training time by cell: "
      + ", ".join(f"{c} {s / 60:.1f} min" for c, s in train.items()))
PY
