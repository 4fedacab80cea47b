#!/usr/bin/env bash
# predict with the ONNX export against predict with the safetensors model (libtorch), alternating:
# one sequence per process (start-up dominated), and a file of many sequences (throughput and memory).
#
#   scripts/bench_predict.sh [ROUNDS] [LINES]     # default 7 rounds, 1000000 lines
#
# Trains the default model once (Release build, into a temporary folder), then per round runs
#   predict --model model.onnx 50,60,70            and  predict --model model.safetensors 50,60,70
#   predict --model model.onnx --file FILE         and  predict --model model.safetensors --file FILE
# under /usr/bin/time -v (FILE: LINES sequences, written once; output to /dev/null), and prints the
# medians: wall time, peak RSS, and sequences/s for the file. RSS at LINES/10 lines is shown too, so a
# flat memory profile (streamed, not held) can be read off.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-7}
lines=${2:-1000000}
for n in "$rounds" "$lines"; do
  if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then
    echo "error: ROUNDS and LINES must be positive integers, got '$n'" >&2
    exit 2
  fi
done
if ! [[ -x /usr/bin/time ]]; then
  echo "error: /usr/bin/time is missing; install it with: apt-get install time" >&2
  exit 3
fi

dotnet build "$root/src/SimpleRnnTorch" -c Release -v q -nologo >/dev/null
app="$root/src/SimpleRnnTorch/bin/Release/net10.0/SimpleRnnTorch.dll"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet "$app" --verbose 0 --eval-count 0 --output "$work/model" >/dev/null
awk -v n="$lines" 'BEGIN { srand(7); for (i = 0; i < n; i++) { s = int(rand() * 1000); printf "%d,%d,%d\n", s, s + 10, s + 20 } }' >"$work/big.txt"
head -n $((lines / 10)) "$work/big.txt" >"$work/small.txt"

# run KIND MODEL ARGS...: appends "kind wall_s rss_kib" to results
run() {
  local kind=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/time" dotnet "$app" predict "$@" >/dev/null
  echo "$kind $(cat "$work/time")" >>"$work/results"
}

for ((round = 1; round <= rounds; round++)); do
  echo "round $round/$rounds" >&2
  for side in onnx safetensors; do
    [[ $((round % 2)) == 0 ]] && side=$([[ $side == onnx ]] && echo safetensors || echo onnx)
    run "$side-one" --model "$work/model/model.$side" 50,60,70
    run "$side-file" --model "$work/model/model.$side" --file "$work/big.txt"
    run "$side-tenth" --model "$work/model/model.$side" --file "$work/small.txt"
  done
done

python3 - "$work/results" "$lines" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
lines = int(sys.argv[2])
def med(kind, i): return statistics.median(float(r[i]) for r in rows if r[0] == kind)
print(f"medians over {len([r for r in rows if r[0] == 'onnx-one'])} rounds\n")
print("| measure | onnx | safetensors (libtorch) | onnx/safetensors |")
print("|---|---:|---:|---:|")
for what, kind in [("one sequence: wall (s)", "one"), (f"{lines:,} sequences: wall (s)", "file")]:
    o, t = med("onnx-" + kind, 1), med("safetensors-" + kind, 1)
    print(f"| {what} | {o:.3f} | {t:.3f} | {o / t:.2f} |")
for what, kind in [("one sequence: peak RSS (MiB)", "one"), (f"{lines // 10:,} sequences: peak RSS (MiB)", "tenth"), (f"{lines:,} sequences: peak RSS (MiB)", "file")]:
    o, t = med("onnx-" + kind, 2) / 1024, med("safetensors-" + kind, 2) / 1024
    print(f"| {what} | {o:.1f} | {t:.1f} | {o / t:.2f} |")
o, t = lines / med("onnx-file", 1), lines / med("safetensors-file", 1)
print(f"| {lines:,} sequences: sequences/s (whole process) | {o:,.0f} | {t:,.0f} | {o / t:.2f} |")
PY
