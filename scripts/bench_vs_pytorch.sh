#!/usr/bin/env bash
# Our bench and the PyTorch reference (scripts/torch_reference.py), alternately on this machine, and the ratios ours/PyTorch.
#
#   scripts/bench_vs_pytorch.sh [ROUNDS]          # default 5 rounds
#   scripts/bench_vs_pytorch.sh --scale [ROUNDS]  # also samples/s at 10k, 100k, 1M sequences, batch 32 and 1024
#   scripts/bench_vs_pytorch.sh --adding [ROUNDS] # instead: an LSTM step at T = 100 on the adding task (hidden 16)
#
# Each round runs, in alternating order (ours first in odd rounds, PyTorch first in even ones):
#   step and epoch  dotnet SimpleRnnTorch.dll bench --sizes none
#                   /usr/bin/python3 scripts/torch_reference.py --threads 1 --bench-steps 1000
#   whole process   /usr/bin/time -v dotnet SimpleRnnTorch.dll --verbose 0     (the default run, to the PNG)
#                   /usr/bin/time -v /usr/bin/python3 scripts/torch_reference.py --threads 1   (its lesson)
#   --scale         bench --sizes 10000,100000,1000000 against scripts/torch_scale.py
# With --adding, each round runs only the step and epoch pair on the adding task, LSTM, T = 100
# (ADDING_CELL and ADDING_T change them): bench --task adding --cell lstm --time-steps 100 --sizes none
# against torch_reference.py --task adding --cell lstm --time-steps 100 --bench-steps 1000.
# and prints the medians over the rounds and their ratios. Both sides use one CPU thread.
# The reference needs Debian's PyTorch for /usr/bin/python3: apt-get install python3-torch.
# REFERENCE=path runs another script with the same flags and RESULT line (default scripts/torch_reference.py).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scale=0
adding=0
if [[ "${1:-}" == "--scale" ]]; then
  scale=1
  shift
elif [[ "${1:-}" == "--adding" ]]; then
  adding=1
  shift
fi
adding_cell=${ADDING_CELL:-lstm}
adding_t=${ADDING_T:-100}
rounds=${1:-5}
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "error: ROUNDS must be a positive integer, got '$rounds'" >&2
  exit 2
fi

py=/usr/bin/python3
reference=${REFERENCE:-$root/scripts/torch_reference.py}
if ! [[ -x $py ]] || ! $py -c 'import torch' 2>/dev/null; then
  echo "error: PyTorch is missing for $py; install it with: apt-get install python3-torch" >&2
  exit 3
fi
if ! [[ -f $reference ]]; then
  echo "error: the PyTorch reference is not at $reference; set REFERENCE=/path/to/script.py" >&2
  exit 3
fi
if ! [[ -x /usr/bin/time ]]; then
  echo "error: /usr/bin/time is missing; install it with: apt-get install time" >&2
  exit 3
fi

dotnet build "$root/src/SimpleRnnTorch" -c Release -v q -nologo >/dev/null
app="$root/src/SimpleRnnTorch/bin/Release/net10.0/SimpleRnnTorch.dll"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results="$work/results.jsonl"

# Runs a command under /usr/bin/time -v; appends {"side", "kind", wall_s, rss_mib, line} to results.
record() {
  local side=$1 kind=$2 prefix=$3
  shift 3
  /usr/bin/time -v -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
    echo "error: $side $kind failed: $*" >&2
    tail -n 5 "$work/err" >&2
    exit 1
  }
  $py - "$side" "$kind" "$prefix" "$work/out" "$work/time" >>"$results" <<'PY'
import json, re, sys
side, kind, prefix, out, timing = sys.argv[1:]
text = open(timing).read()
h, m, s = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", text).groups()
row = {"side": side, "kind": kind,
       "wall_s": int(h or 0) * 3600 + int(m) * 60 + float(s),
       "rss_mib": int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024}
if prefix:
    line = next(l for l in open(out) if l.startswith(prefix + " "))
    row["result"] = json.loads(line[len(prefix) + 1:])
print(json.dumps(row))
PY
}

ours_bench() { record ours bench BENCH dotnet "$app" bench --sizes none; }
torch_bench() { record pytorch bench RESULT $py "$reference" --threads 1 --bench-steps 1000; }
ours_run() { record ours run "" dotnet "$app" --verbose 0 --output "$work/plots"; }
torch_run() { record pytorch run "" $py "$reference" --threads 1; }
ours_scale() { record ours scale BENCH dotnet "$app" bench --steps 100 --sizes 10000,100000,1000000 --scale-batches 32,1024; }
torch_scale() { record pytorch scale RESULT $py "$root/scripts/torch_scale.py" --threads 1 --sizes 10000,100000,1000000 --batches 32,1024; }
ours_adding() { record ours bench BENCH dotnet "$app" bench --task adding --cell "$adding_cell" --time-steps "$adding_t" --sizes none; }
torch_adding() { record pytorch bench RESULT $py "$reference" --threads 1 --task adding --cell "$adding_cell" --time-steps "$adding_t" --bench-steps 1000; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for ((round = 1; round <= rounds; round++)); do
  echo "round $round/$rounds" >&2
  if ((adding)); then
    if ((round % 2)); then ours_adding; torch_adding; else torch_adding; ours_adding; fi
  elif ((round % 2)); then
    ours_bench; torch_bench; ours_run; torch_run
    if ((scale)); then ours_scale; torch_scale; fi
  else
    torch_bench; ours_bench; torch_run; ours_run
    if ((scale)); then torch_scale; ours_scale; fi
  fi
done

$py - "$results" "$rounds" "$adding" "$adding_cell" "$adding_t" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
rounds = sys.argv[2]
adding = sys.argv[3] == "1"
def values(side, kind, get):
    return [get(r) for r in rows if r["side"] == side and r["kind"] == kind]
def med(side, kind, get):
    return statistics.median(values(side, kind, get))

measures = [
    ("train step, batch 32, median (µs)", "bench", lambda r: r["result"]["step_us_median"], lambda r: r["result"]["step_us"]["median"]),
    ("train step, batch 32, p90 (µs)", "bench", lambda r: r["result"]["step_us_p90"], lambda r: r["result"]["step_us"]["p90"]),
    ("lesson epoch, median (ms), first run", "bench", lambda r: r["result"]["epoch_ms_median"], lambda r: r["result"]["epoch_s_median"] * 1000),
    ("lesson epoch, median (ms), ours warm", "bench", lambda r: r["result"]["epoch_ms_median_warm"], lambda r: r["result"]["epoch_s_median"] * 1000),
    ("lesson train loop, 30 epochs (s)", "bench", lambda r: r["result"]["train_loop_s"], lambda r: r["result"]["train_s"]),
    ("whole default run, process (s)", "run", lambda r: r["wall_s"], lambda r: r["wall_s"]),
    ("whole default run, peak RSS (MiB)", "run", lambda r: r["rss_mib"], lambda r: r["rss_mib"]),
]
if adding:
    # The adding task: the same parts, named for what they train; no whole-process run.
    what = f"adding task, {sys.argv[4]} 16 hidden, T = {sys.argv[5]}"
    measures = [(name.replace("lesson ", "").replace("batch 32", f"batch 32, {what}"), kind, o, t)
                for name, kind, o, t in measures if kind == "bench"]
print(f"Medians of {rounds} alternating rounds, 1 CPU thread each (ratio < 1: ours is faster / smaller)\n")
print("| measure | ours | PyTorch | ours/PyTorch |")
print("|---|---:|---:|---:|")
for name, kind, ours_get, torch_get in measures:
    o, t = med("ours", kind, ours_get), med("pytorch", kind, torch_get)
    print(f"| {name} | {o:.4g} | {t:.4g} | {o / t:.2f} |")

if any(r["kind"] == "scale" for r in rows):
    print("\n| samples/s, one epoch | ours | PyTorch | ours/PyTorch (higher: ours faster) |")
    print("|---|---:|---:|---:|")
    for key in rows[[r["kind"] for r in rows].index("scale")]["result"]["samples_per_s"]:
        o = med("ours", "scale", lambda r: r["result"]["samples_per_s"][key])
        t = med("pytorch", "scale", lambda r: r["result"]["samples_per_s"][key])
        n, b = key.split("@")
        print(f"| {int(n):,} sequences, batch {b} | {o:,.0f} | {t:,.0f} | {o / t:.2f} |")

o_b, t_b = values("ours", "bench", lambda r: r["result"]), values("pytorch", "bench", lambda r: r["result"])
if adding:
    print("\nper round (ours | PyTorch): step median µs, first-run epoch ms")
    for i in range(len(o_b)):
        print(f"  {i + 1}: {o_b[i]['step_us_median']:.0f} {o_b[i]['epoch_ms_median']:.2f} | {t_b[i]['step_us']['median']:.0f} {t_b[i]['epoch_s_median'] * 1000:.2f}")
    sys.exit(0)
print("\nper round (ours | PyTorch): step median µs, epoch ms, process s, peak RSS MiB")
o_r, t_r = values("ours", "run", lambda r: r), values("pytorch", "run", lambda r: r)
for i in range(len(o_b)):
    print(f"  {i + 1}: {o_b[i]['step_us_median']:.0f} {o_b[i]['epoch_ms_median']:.2f} {o_r[i]['wall_s']:.2f} {o_r[i]['rss_mib']:.0f}"
          f" | {t_b[i]['step_us']['median']:.0f} {t_b[i]['epoch_s_median'] * 1000:.2f} {t_r[i]['wall_s']:.2f} {t_r[i]['rss_mib']:.0f}")
PY
