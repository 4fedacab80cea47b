#!/usr/bin/env bash
# Trains once per seed and prints a markdown table: the prediction for [50,60,70], the final losses,
# and how many seeds land within 80 +/- 0.5. Any extra arguments go to the program, e.g.
#   scripts/seeds.sh                          # our defaults, seeds 1-20
#   scripts/seeds.sh --lr 0.001 --epochs 30 --schedule constant   # the lesson's exact settings
#   SEEDS="1 2 3" scripts/seeds.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seeds=${SEEDS:-$(seq 1 20)}
dotnet build "$root/src/SimpleRnnTorch" -c Release -v q -nologo >/dev/null
app="$root/src/SimpleRnnTorch/bin/Release/net10.0/SimpleRnnTorch.dll"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "settings: ${*:-(defaults)}"
echo
echo "| seed | pred [50,60,70] | loss | val_loss | within 80±0.5 |"
echo "|---:|---:|---:|---:|:---:|"
for seed in $seeds; do
  out="$work/$seed"
  dotnet "$app" --seed "$seed" --verbose 0 --output "$out" "$@" >"$out.log"
  pred=$(awk '/^Predicted next value:/ {print $4; exit}' "$out.log")
  IFS=, read -r _ loss val _ < <(tail -n 1 "$out/history.csv")
  ok=$(awk -v p="$pred" 'BEGIN { d = p - 80; if (d < 0) d = -d; print (d <= 0.5 ? "yes" : "no") }')
  printf '| %s | %s | %.3e | %.3e | %s |\n' "$seed" "$pred" "$loss" "$val" "$ok"
  echo "$pred $val $ok" >>"$work/all"
done
echo
sort -g -k2 "$work/all" | awk '{ n++; if ($3 == "yes") ok++; v[n] = $2 } END {
  m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  printf "within 80±0.5: %d/%d seeds, median val_loss %.3e\n", ok, n, m }'
