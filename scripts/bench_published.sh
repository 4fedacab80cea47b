#!/usr/bin/env bash
# The default training run three ways, beside the PyTorch reference, alternating round by round:
#   published   the ReadyToRun publish (dotnet publish -c Release -r <rid> -p:PublishReadyToRun=true)
#   built       dotnet src/SimpleRnnTorch/bin/Release/net10.0/SimpleRnnTorch.dll
#   dotnet run  dotnet run --project src/SimpleRnnTorch -c Release (the SDK's own start-up included)
#   PyTorch     /usr/bin/python3 scripts/torch_reference.py --threads 1
# each with --verbose 0 into a fresh folder, under /usr/bin/time -v; prints medians and ratios.
#
#   scripts/bench_published.sh [ROUNDS]     # default 5
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-5}
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "error: ROUNDS must be a positive integer, got '$rounds'" >&2
  exit 2
fi
py=/usr/bin/python3
if ! [[ -x $py ]] || ! $py -c 'import torch' 2>/dev/null; then
  echo "error: PyTorch is missing for $py; install it with: apt-get install python3-torch" >&2
  exit 3
fi
if ! [[ -x /usr/bin/time ]]; then
  echo "error: /usr/bin/time is missing; install it with: apt-get install time" >&2
  exit 3
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rid=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
dotnet build "$root/src/SimpleRnnTorch" -c Release -v q -nologo >/dev/null
dotnet publish "$root/src/SimpleRnnTorch" -c Release -r "$rid" -p:PublishReadyToRun=true -o "$work/publish" -v q -nologo >/dev/null

run() {
  local kind=$1
  shift
  local out="$work/out-$RANDOM$RANDOM"
  (cd "$work" && /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err") || {
    echo "error: $kind failed: $*" >&2
    tail -n 3 "$work/err" >&2
    exit 1
  }
  echo "$kind $(cat "$work/time")" >>"$work/results"
}

for ((round = 1; round <= rounds; round++)); do
  echo "round $round/$rounds" >&2
  order=(published built dotnet-run pytorch)
  ((round % 2)) || order=(pytorch dotnet-run built published)
  for kind in "${order[@]}"; do
    case $kind in
      published) run "$kind" "$work/publish/SimpleRnnTorch" --verbose 0 --output "$work/p$round" ;;
      built) run "$kind" dotnet "$root/src/SimpleRnnTorch/bin/Release/net10.0/SimpleRnnTorch.dll" --verbose 0 --output "$work/b$round" ;;
      dotnet-run) run "$kind" dotnet run --project "$root/src/SimpleRnnTorch" -c Release -- --verbose 0 --output "$work/r$round" ;;
      pytorch) run "$kind" $py "$root/scripts/torch_reference.py" --threads 1 ;;
    esac
  done
done

python3 - "$work/results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def med(kind, i): return statistics.median(float(r[i]) for r in rows if r[0] == kind)
torch = med("pytorch", 1)
print(f"medians over {len([r for r in rows if r[0] == 'pytorch'])} alternating rounds\n")
print("| default run | wall (s) | peak RSS (MiB) | wall / PyTorch's |")
print("|---|---:|---:|---:|")
for kind, name in [("published", "ReadyToRun publish"), ("built", "built dll (`dotnet SimpleRnnTorch.dll`)"), ("dotnet-run", "`dotnet run -c Release`"), ("pytorch", "PyTorch, `torch_reference.py`")]:
    print(f"| {name} | {med(kind, 1):.2f} | {med(kind, 2) / 1024:.0f} | {med(kind, 1) / torch:.2f} |")
PY
