#!/usr/bin/env bash
# Hostile input against the built program: every case is refused with exit 2 (1 for a diverged run or a
# write that fails) and one short line, in bounded memory, changing nothing that existed (a run into a
# folder of the user's files succeeds and keeps them). Prints a Markdown table: the case, the exit code,
# the first line of stderr (the work folder shown as W, cut at 110 characters), the peak resident memory (/usr/bin/time's %M) and what
# was created or changed under the work folder; then kill -9 trials on a run into a finished run's folder.
#
#   dotnet build && scripts/hostile.sh [kill-trials, default 10]
#
# Needs bash, /usr/bin/time, python3 (to make the inputs and read a model's manifest), mkfifo, seq.
set -uo pipefail
cd "$(dirname "$0")/.."
DLL=${SIMPLERNN_DLL:-${DLL:-src/SimpleRnnTorch/bin/Debug/net10.0/SimpleRnnTorch.dll}} # SIMPLERNN_DLL=... (or DLL=...) runs another build, to compare
[[ -f $DLL ]] || { echo "build first: dotnet build" >&2; exit 1; }
P=(dotnet "$DLL")
TRIALS=${1:-10}
W=$(mktemp -d -t simplernn-hostile-XXXXXX)   # the work folder: every case's paths are in it
C=$(mktemp -d -t simplernn-captures-XXXXXX)  # captures, outside it
trap 'umount "$W/full" 2>/dev/null; chmod -R u+w "$W" 2>/dev/null; rm -rf "$W" "$C"' EXIT

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
with open(f"{w}/apart.csv", "w") as f: f.write("value\n" + "".join("-2.5e38\n" if i % 2 == 0 else "2.5e38\n" for i in range(60)))
with open(f"{w}/fine.csv", "w") as f: f.write("value\n" + "".join(f"{1.4e-38 + (i % 3) * 1e-39!r}\n" for i in range(60)))
with open(f"{w}/decimalcomma.csv", "w") as f: f.write("Datum;Wert\n" + "".join(f"{i % 28 + 1:02d}.01.2015;{100 + i},{i % 10}0\n" for i in range(28)))
with open(f"{w}/quarters.csv", "w") as f: f.write("quarter,value\n1945Q1,\n" + "".join(f"{1945 + i // 4}Q{i % 4 + 1},{i % 17}\n" for i in range(1, 120)))
PY

# Crafted models: hand-edited manifests and ONNX metadata, a flipped weight, NaN weights, another program's graph.
python3 - "$W" <<'PY'
import json, struct, sys
w = sys.argv[1]
def varint(b, i):
    v = s = 0
    while True:
        x = b[i]; i += 1; v |= (x & 0x7F) << s; s += 7
        if x < 0x80: return v, i
def enc(v):
    out = bytearray()
    while True:
        x = v & 0x7F; v >>= 7
        out.append(x | 0x80 if v else x)
        if not v: return bytes(out)
def field(num, payload): return enc(num << 3 | 2) + enc(len(payload)) + payload
def fields(b):  # a protobuf message's fields: (number, its bytes whole, a length-delimited payload or None)
    i = 0
    while i < len(b):
        start = i; t, i = varint(b, i); kind = t & 7; p = None
        if kind == 0: _, i = varint(b, i)
        elif kind == 2: n, i = varint(b, i); p = b[i:i + n]; i += n
        else: i += 8 if kind == 1 else 4
        yield t >> 3, b[start:i], p
def key(entry): return next(p for n, _, p in fields(entry) if n == 1).decode()
def onnx(src, dst, meta={}, graph=lambda g: g):  # metadata keys set ('' removes them), the graph's bytes rewritten
    out = bytearray()
    for n, whole, p in fields(open(src, 'rb').read()):
        if n == 14 and key(p) in meta: continue
        out += field(7, graph(p)) if n == 7 else whole
    for k, v in meta.items():
        if v != '': out += field(14, field(1, k.encode()) + field(2, v.encode()))
    open(dst, 'wb').write(out)
def safetensors(src, dst, edit):  # the manifest edited, its JSON escaped as the program writes it, the data unchanged
    b = open(src, 'rb').read(); n = struct.unpack('<Q', b[:8])[0]; h = json.loads(b[8:8 + n])
    m = json.loads(h['__metadata__']['manifest']); edit(m); h['__metadata__']['manifest'] = json.dumps(m, separators=(',', ':'))
    t = json.dumps(h, separators=(',', ':')).replace('\\"', '\\u0022').encode(); t += b' ' * ((8 - len(t) % 8) % 8)
    open(dst, 'wb').write(struct.pack('<Q', len(t)) + t + b[8 + n:])
m, o = f'{w}/run/model.safetensors', f'{w}/run/model.onnx'
safetensors(m, f'{w}/history250k.safetensors', lambda x: x.update(history=[dict(x['history'][0], epoch=i + 1) for i in range(250_000)]))
safetensors(m, f'{w}/divisor1e-300.safetensors', lambda x: x.update(scale_divisor=1e-300))
offsets = ','.join(['-1.5'] * 20_000_000)
onnx(o, f'{w}/offsets20m.onnx', {'series': 'true', 'interval_level': '0.8', 'interval_lower': offsets, 'interval_upper': offsets.replace('-', '')})
onnx(o, f'{w}/divisor1e-300.onnx', {'scale_divisor': '1e-300'})
onnx(o, f'{w}/cell100k.onnx', {'cell': 'x' * 100_000})
b = open(o, 'rb').read(); j = b.rfind(b'rnn.R_l0') - 4     # a byte of the last float before R's name: a recurrent weight
open(f'{w}/flipped.onnx', 'wb').write(b[:j] + bytes([b[j] ^ 0x40]) + b[j + 1:])
j = b.rfind(b'head.bias') - 6                               # the head's bias as NaN, and the checksum removed
open(f'{w}/nan-raw.onnx', 'wb').write(b[:j] + struct.pack('<f', float('nan')) + b[j + 4:])
onnx(f'{w}/nan-raw.onnx', f'{w}/nan.onnx', {'graph_sha256': ''})
tensor = lambda name: enc(8) + enc(1) + enc(16) + enc(1) + field(4, struct.pack('<f', 1.0)) + field(8, name.encode())
onnx(o, f'{w}/foreign.onnx', {k: '' for k in ['format', 'format_version', 'graph_sha256']},
     lambda g: g + field(5, tensor('unused_a')) + field(5, tensor('unused_b')))  # two initializers no node uses
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
run_case "predict -m 180 MB ONNX, 20 M interval offsets" -- predict -m "$W/offsets20m.onnx" 1,2,3
run_case "predict -m ONNX, cell of 100,000 chars" -- predict -m "$W/cell100k.onnx" 1,2,3
run_case "predict -m ONNX, metadata scale_divisor 1e-300" -- predict -m "$W/divisor1e-300.onnx" 1,2,3
run_case "predict -m ONNX, one weight bit flipped" -- predict -m "$W/flipped.onnx" 50,60,70
run_case "predict -m ONNX, NaN head bias, no checksum" -- predict -m "$W/nan.onnx" 50,60,70
run_case "predict -m another program's ONNX" -- predict -m "$W/foreign.onnx" 1,2,3
run_case "predict -m model, 250,000-epoch history (46 MiB header)" -- predict -m "$W/history250k.safetensors" 50,60,70
run_case "export -m model, 250,000-epoch history" -- export -m "$W/history250k.safetensors" -o "$W/h.onnx"
run_case "predict -m model, manifest scale_divisor 1e-300" -- predict -m "$W/divisor1e-300.safetensors" 50,60,70
run_case "export -m model, manifest scale_divisor 1e-300" -- export -m "$W/divisor1e-300.safetensors" -o "$W/d.onnx"
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
run_case "--data: -2.5e38 beside 2.5e38" -- --epochs 1 -o "$W/new" --data "$W/apart.csv"
run_case "--data: changes of 1e-39" -- --epochs 1 -o "$W/new" --data "$W/fine.csv"
run_case "--data: decimal commas (Datum;Wert)" -- --epochs 1 -o "$W/new" --data "$W/decimalcomma.csv"
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

# Nothing that existed is lost: a planted link is never followed, a file no run recorded is never removed or
# replaced, and a link to a folder is the folder. Each case sets up its own folders first.
mkdir -p "$W/out" "$W/d1" "$W/d2" "$W/d3" "$W/user"
echo "the user's text" >"$W/out/victim.txt"
ln -s ../out/victim.txt "$W/d1/.simplernntorch.lock"
run_case "lock file a link to a file elsewhere: train" -- --epochs 1 -v 0 -o "$W/d1"
run_case "lock file a link: series train" -- --epochs 1 -v 0 --data "$W/series.csv" -o "$W/d1"
cp "$M" "$W/d2/m.safetensors"; ln -s ../out/victim.txt "$W/d2/.simplernntorch.lock"
run_case "lock file a link: export" -- export -m "$W/d2/m.safetensors" -o "$W/d2/m.onnx"
mkdir -p "$W/d4"; mkfifo "$W/d4/.simplernntorch.lock"
run_case "lock file a FIFO: gradients" -- gradients --time-steps 4 --sequences 64 --epochs 1 --cells rnn --samples 8 -o "$W/d4"
mkdir -p "$W/d5"; cp "$W/out/victim.txt" "$W/d5/.simplernntorch.lock"
run_case "lock file some other file (a copy): sweep" -- sweep --time-steps 4 --sequences 64 --epochs 1 --cells rnn --seeds 1 --eval-count 8 -o "$W/d5"
echo "the user's plot" >"$W/user/predictions.png"; echo "the user's model" >"$W/user/model.pt"
run_case "user's predictions.png, model.pt in -o (no run's)" -- --epochs 1 -v 0 --data "$W/series.csv" --save "$W/user/sales_model.safetensors" -o "$W/user"
mkdir -p "$W/user2"; echo "the user's history" >"$W/user2/history.csv"
run_case "user's history.csv in -o (no run's)" -- --epochs 1 -v 0 --no-save -o "$W/user2"
cp "$W/series.csv" "$W/d3/mydata.csv"; ln -s d3 "$W/d3alias"
run_case "--save alias/X, alias a link to --data's folder" -- --epochs 1 -v 0 --data "$W/d3/mydata.csv" --save "$W/d3alias/mydata.csv" -o "$W/d3out"
cp "$W/series.csv" "$W/d3/forecast.csv"
run_case "--data alias/forecast.csv, alias a link to -o" -- --epochs 1 -v 0 --data "$W/d3alias/forecast.csv" -o "$W/d3"
# A full disk (a 1 MiB tmpfs, filled): needs root to mount; the case is skipped otherwise.
mkdir -p "$W/full"
if mount -t tmpfs -o size=1m tmpfs "$W/full" 2>/dev/null; then
  "${P[@]}" --epochs 1 --hidden 4 --sequences 100 --eval-count 10 -v 0 -o "$W/full/run" >/dev/null 2>&1
  head -c 2M /dev/zero >"$W/full/filler" 2>/dev/null
  run_case "disk full, a run into a finished run's folder" -- --epochs 1 --hidden 5 -v 0 -o "$W/full/run"
  run_case "disk full, export" -- export -m "$M" -o "$W/full/x.onnx"
  run_case "disk full, a new folder" -- --epochs 1 -v 0 -o "$W/full/new"
  umount "$W/full"
fi

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
  cp -a "$W/first/." "$D/" # its lock file and its record too: the folder is a run's
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
