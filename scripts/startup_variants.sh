#!/usr/bin/env bash
# Whole default run (prebuilt, --verbose 0, to the PNG) under start-up variants, alternating, medians.
#
#   scripts/startup_variants.sh [ROUNDS]     # default 7
#   BASELINE=/path/to/other/build/folder scripts/startup_variants.sh   # adds that build as a variant
#
# Variants: the Release build as it is; runtime knobs by environment (TieredPGO off, tiered compilation
# off, quick JIT for loops off); and a ReadyToRun publish (dotnet publish -r <rid> -p:PublishReadyToRun=true,
# into a temporary folder). Prints a markdown table: median wall time, range, median peak RSS.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-7}
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "error: ROUNDS must be a positive integer, got '$rounds'" >&2
  exit 2
fi
if ! [[ -x /usr/bin/time ]]; then
  echo "error: /usr/bin/time is missing; install it with: apt-get install time" >&2
  exit 3
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rid=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
dotnet build "$root/src/SimpleRnnTorch" -c Release -v q -nologo >/dev/null
dotnet publish "$root/src/SimpleRnnTorch" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
  -o "$work/r2r" -v q -nologo >/dev/null
app="$root/src/SimpleRnnTorch/bin/Release/net10.0/SimpleRnnTorch.dll"

names=(default TieredPGO=0 TieredCompilation=0 TC_QuickJitForLoops=0 ReadyToRun)
cmds=("dotnet $app" "env DOTNET_TieredPGO=0 dotnet $app" "env DOTNET_TieredCompilation=0 dotnet $app"
      "env DOTNET_TC_QuickJitForLoops=0 dotnet $app" "dotnet $work/r2r/SimpleRnnTorch.dll")
if [[ -n "${BASELINE:-}" ]]; then
  names+=(baseline)
  cmds+=("dotnet $BASELINE/SimpleRnnTorch.dll")
fi

for ((round = 1; round <= rounds; round++)); do
  echo "round $round/$rounds" >&2
  for i in "${!names[@]}"; do
    # shellcheck disable=SC2086 # the command strings are meant to split
    /usr/bin/time -f "%e %M" -a -o "$work/${names[$i]}.txt" ${cmds[$i]} --verbose 0 --output "$work/plots" >/dev/null
  done
done

echo "| variant | median s | range s | median peak RSS MiB |"
echo "|---|---:|---:|---:|"
for name in "${names[@]}"; do
  python3 - "$work/$name.txt" "$name" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
wall = [float(r[0]) for r in rows]
rss = [int(r[1]) / 1024 for r in rows]
print(f"| {sys.argv[2]} | {statistics.median(wall):.2f} | {min(wall):.2f}–{max(wall):.2f} | {statistics.median(rss):.1f} |")
PY
done
