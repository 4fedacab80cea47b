#!/usr/bin/env bash
# Hostile input against the built program: every case is refused with exit 2 (1 for a diverged run) and
# one short line, in bounded memory, changing nothing. Prints a Markdown table: the case, the exit code,
# the first line of stderr (the work folder shown as W, cut at 110 characters), the peak resident memory (/usr/bin/time's %M) and what
# was created or changed under the work folder; then kill -9 trials on a run into a finished run's folder.
#
#   dotnet build && scripts/hostile.sh [kill-trials, default 10]
#
# Needs bash, /usr/bin/time, python3 (to make the inputs and read a model's manifest), mkfifo, seq.
set -uo pipefail
cd "$(dirname "$0")/.."
DLL=src/SimpleRnnTorch/bin/Debug/net10.0/SimpleRnnTorch.dll
[[ -f $DLL ]] || { echo "build first: dotnet build" >&2; exit 1; }
P=(dotnet "$DLL")
TRIALS=${1:-10}
W=$(mktemp -d -t simplernn-hostile-XXXXXX)   # the work folder: every case's paths are in it
C=$(mktemp -d -t simplernn-captures-XXXXXX)  # captures, outside it
trap 'chmod -R u+w "$W" 2>/dev/null; rm -rf "$W" "$C"' EXIT

# Inputs.
"${P[@]}" --epochs 2 --sequences 300 --eval-count 100 -v 0 -o "$W/run" >/dev/null || { echo "the setup run failed" >&2; exit 1; }
M=$W/run/model.safetensors
O=$W/run/model.onnx
mkfifo "$W/fifo"
python3 - "$W" <<'PY'
import sys, os
w = sys.argv[1]
with open(f"{w}/line20mb.txt", "w") as f: f.write(",".join(["12.5"] * 4_000_000) + "\n")
with open(f"{w}/line20mb.csv", "w") as f: f.write("value\n1\n2\n" + "9" * 20_000_000 + "\n")
with open(f"{w}/binary.bin", "wb") as f: f.write(bytes(range(256)) * 40)
with open(f"{w}/huge.safetensors", "wb") as f: f.truncate(600 << 20)   # sparse
with open(f"{w}/series.csv", "w") as f: f.write("value\n" + "\n".join(str(i % 17) for i in range(200)) + "\n")
rows = "".join(f"{1901 + i},{i % 17}\n" for i in range(119))
with open(f"{w}/tiny.csv", "w") as f: f.write("year,value\n1900,1e-300\n" + rows)
with open(f"{w}/huge.csv", "w") as f: f.write("year,value\n1900,1e300\n" + rows)
with open(f"{w}/dup.csv", "w") as f: f.write("value,value\n" + "".join(f"{i},{i % 17}\n" for i in range(120)))
with open(f"{w}/allna.csv", "w") as f: f.write("value\n" + "NA\n" * 120)
with open(f"{w}/quarters.csv", "w") as f: f.write("quarter,value\n1945Q1,\n" + "".join(f"{1945 + i // 4}Q{i % 4 + 1},{i % 17}\n" for i in range(1, 120)))
PY

# Files with size and time; folders by name only (a temporary file created and removed is no change).
snapshot() { find "$W" \( -type d -printf '%p/\n' \) -o -printf '%p %s %T@\n' | sort; }
row() { printf '| %s | %s | %s | %s | %s |\n' "$@"; }

# case NAME [stdin-command] -- ARGS...: runs the program once, prints its row.
run_case() {
  local name=$1; shift
  local feed=""
  if [[ $1 != -- ]]; then feed=$1; shift; fi
  shift # --
  snapshot >"$C/before"
  if [[ -n $feed ]]; then
    bash -c "$feed" 2>/dev/null | timeout 120 /usr/bin/time -f %M -o "$C/time" "${P[@]}" "$@" >"$C/out" 2>"$C/err"
    code=${PIPESTATUS[1]}
  else
    timeout 120 /usr/bin/time -f %M -o "$C/time" "${P[@]}" "$@" </dev/null >"$C/out" 2>"$C/err"
    code=$?
  fi
  local kib; kib=$(grep -E '^[0-9]+$' "$C/time" | tail -1)
  local lines; lines=$(wc -l <"$C/err")
  local msg; msg=$(head -c 2000 "$C/err" | head -1 | sed "s|$W|W|g" | cut -c1-110 | sed 's/|/\\|/g')
  (( lines > 1 )) && msg="$msg (+$((lines - 1)) more lines)"
  snapshot >"$C/after"
  local changed
  changed=$(diff "$C/before" "$C/after" | grep '^[<>]' | awk '{print $2}' | sort -u | sed "s|$W/||" | paste -sd, - | cut -c1-60)
  row "$name" "$code" "\`$msg\`" "$(( ${kib:-0} / 1024 ))" "${changed:-no}"
}

echo "| case | exit | message | peak MiB | created/changed |"
echo "|---|---:|---|---:|---|"
run_case "predict -m /dev/zero" -- predict -m /dev/zero 1,2,3
run_case "export -m /dev/zero" -- export -m /dev/zero -o "$W/x.onnx"
run_case "predict -m FIFO" -- predict -m "$W/fifo" 1,2,3
run_case "predict -m a folder" -- predict -m "$W/run" 1,2,3
run_case "predict -m 600 MB sparse file" -- predict -m "$W/huge.safetensors" 1,2,3
run_case "predict --file /dev/zero" -- predict -m "$M" --file /dev/zero
run_case "predict --file a FIFO" -- predict -m "$M" --file "$W/fifo"
run_case "predict --file one 20 MB line" -- predict -m "$O" --file "$W/line20mb.txt"
run_case "predict: 100M values on stdin" "seq -s, 1 100000000" -- predict -m "$O" --file -
run_case "predict: 20 MB line of /dev/zero on stdin" "head -c 20000000 /dev/zero" -- predict -m "$O" --file -
run_case "predict 1e39,1,1" -- predict -m "$M" 1e39,1,1
run_case "predict 1,2,-1e400 on stdin" "echo 1,2,-1e400" -- predict -m "$O" --file -
run_case "predict --file binary" -- predict -m "$M" --file "$W/binary.bin"
run_case "predict argument with a newline" -- predict -m "$M" $'1,2\n3'
run_case "predict 5000 values (wrong length)" -- predict -m "$M" "$(seq -s, 1 5000)"
run_case "--save D/history.csv (new D)" -- --epochs 1 -o "$W/new" --save "$W/new/history.csv"
run_case "--save D/loss.png (finished D)" -- --epochs 1 -o "$W/run" --save "$W/run/loss.png"
run_case "--save D/predictions.png" -- --epochs 1 -o "$W/run" --save "$W/run/predictions.png"
run_case "--save D/forecast.png" -- --epochs 1 -o "$W/run" --save "$W/run/forecast.png"
run_case "--data D/model.onnx" -- --epochs 1 -o "$W/run" --data "$W/run/model.onnx"
run_case "--save onto the --data file" -- --epochs 1 -o "$W/new" --data "$W/series.csv" --save "$W/series.csv"
run_case "--data /dev/zero" -- --epochs 1 -o "$W/new" --data /dev/zero
run_case "--data a FIFO" -- --epochs 1 -o "$W/new" --data "$W/fifo"
run_case "--data with a 20 MB line" -- --epochs 1 -o "$W/new" --data "$W/line20mb.csv"
run_case "--data binary" -- --epochs 1 -o "$W/new" --data "$W/binary.bin"
run_case "--data: a value of 1e-300" -- --epochs 1 -o "$W/new" --data "$W/tiny.csv"
run_case "--data: a value of 1e300 (first row)" -- --epochs 1 -o "$W/new" --data "$W/huge.csv"
run_case "--data: header value,value" -- --epochs 1 -o "$W/new" --data "$W/dup.csv"
run_case "--data: header value,value, --column value" -- --epochs 1 -o "$W/new" --data "$W/dup.csv" --column value
run_case "--data: every value NA, --fill linear" -- --epochs 1 -o "$W/new" --data "$W/allna.csv" --fill linear
run_case "--data: first value missing (1945Q1,)" -- --epochs 1 -o "$W/new" --data "$W/quarters.csv" --time-column quarter
run_case "--data: 200 values, --horizon 100000" -- --epochs 1 -o "$W/new" --data "$W/series.csv" --horizon 100000
run_case "--hidden 100000" -- --hidden 100000 -o "$W/new"
run_case "--hidden 3000 --layers 100 --cell lstm" -- --hidden 3000 --layers 100 --cell lstm -o "$W/new"
run_case "--sequences 50M --time-steps 10000" -- --sequences 50000000 --time-steps 10000 -o "$W/new"
run_case "--batch-size 50M --sequences 50M --time-steps 500" -- --batch-size 50000000 --sequences 50000000 --time-steps 500 --hidden 64 -o "$W/new"
run_case "gradients --hidden 100000" -- gradients --hidden 100000 -o "$W/new"
run_case "sweep --time-steps 10000 --sequences 50M" -- sweep --time-steps 10000 --sequences 50000000 -o "$W/new"
run_case "bench --hidden 100000" -- bench --hidden 100000
run_case "bench --data binary" -- bench --data "$W/binary.bin" --steps 10 --sizes none --soak-steps 0
run_case "sweep -o D/model.pt/x" -- sweep -o "$W/run/model.pt/x"
run_case "gradients -o D/model.pt/x" -- gradients -o "$W/run/model.pt/x"
run_case "export -o /proc/x.onnx (read-only)" -- export -m "$M" -o /proc/x.onnx
run_case "export -o <5000-char name>.onnx" -- export -m "$M" -o "$W/$(printf 'a%.0s' {1..5000}).onnx"
run_case "-o <10000-char name>" -- --epochs 1 -o "$W/$(printf 'a%.0s' {1..10000})"
run_case "NaN at epoch 1, new folder" -- --lr 1e30 -v 0 -o "$W/nan"
run_case "NaN at epoch 1, finished folder" -- --lr 1e30 -v 0 -o "$W/run"

# kill -9 trials: a second run (hidden 5, seed 100+i) into a copy of a finished run (hidden 7), killed when
# its stdout shows "Epoch k/6" (k = 1..6, printed as epoch k ends, before its checkpoint) or the line after
# training. Then every file must be the first run's, unchanged, or the second run's, agreeing with each other.
echo
echo "kill -9 trials ($TRIALS): a second run into a finished run's folder"
echo
echo "| trial | killed at | files of run 1 | files of run 2 | model manifest | history rows | consistent |"
echo "|---:|---|---:|---:|---|---:|---|"
"${P[@]}" --epochs 2 --hidden 7 --seed 1 --sequences 300 --eval-count 100 -v 0 -o "$W/first" >/dev/null
NAMES=(history.csv loss.png model.safetensors model.pt model.onnx predictions.png)
consistent=0
for ((i = 0; i < TRIALS; i++)); do
  D=$W/trial$i; mkdir "$D"
  for n in "${NAMES[@]}"; do cp "$W/first/$n" "$D/$n"; done
  k=$(( 1 + i % 7 )); if (( k <= 6 )); then want="Epoch $k/"; else want="Final loss"; fi
  exec {fd}< <(exec "${P[@]}" --epochs 6 --hidden 5 --seed $((100 + i)) --sequences 2000 --eval-count 200 -v 2 -o "$D" 2>/dev/null)
  pid=$!
  while IFS= read -r line <&"$fd"; do [[ $line == "$want"* ]] && break; done
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; exec {fd}<&-
  first=0; second=0
  for n in "${NAMES[@]}"; do
    [[ -f $D/$n ]] || continue
    if cmp -s "$D/$n" "$W/first/$n"; then first=$((first + 1)); else second=$((second + 1)); fi
  done
  manifest=$(python3 - "$D/model.safetensors" <<'PY'
import json, struct, sys
try:
    b = open(sys.argv[1], "rb").read()
    n = struct.unpack("<Q", b[:8])[0]
    m = json.loads(json.loads(b[8:8 + n])["__metadata__"]["manifest"])
    print(f'hidden {m["model"]["hidden_size"]}, seed {m["training"]["seed"]}, {m["stopped_by"]}, {len(m["history"])} epochs')
except FileNotFoundError:
    print("none")
PY
)
  rows=$( [[ -f $D/history.csv ]] && echo $(( $(wc -l <"$D/history.csv") - 1 )) || echo "-")
  ok=no
  if (( second == 0 )); then ok=yes; fi # the first run's files, all or some (killed while they were removed)
  if (( first == 0 )) && [[ $manifest == "hidden 5, seed $((100 + i)),"* ]] && { [[ $rows == - ]] || [[ $manifest == *", $rows epochs" ]]; }; then ok=yes; fi
  [[ $ok == yes ]] && consistent=$((consistent + 1))
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$i" "$want" "$first" "$second" "$manifest" "$rows" "$ok"
done
echo
echo "$consistent of $TRIALS trials consistent"
