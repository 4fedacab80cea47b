#!/usr/bin/env bash
# A bounded load run on loopback against the published service: POST /predict with one sequence and with
# 256 sequences per request, RUNS runs of SECONDS seconds each at CONNECTIONS connections, after a warm-up.
# Prints requests/s and p50/p99 latency per run; needs autocannon (npm install autocannon).
#   dotnet publish samples/SimpleRnnTorch.Service -c Release -o /tmp/svcpub
#   samples/SimpleRnnTorch.Service/load.sh /tmp/svcpub [RUNS=3] [SECONDS=10] [CONNECTIONS=16]
set -euo pipefail
pub=${1:?usage: load.sh PUBLISH_FOLDER [RUNS] [SECONDS] [CONNECTIONS]}
runs=${2:-3} seconds=${3:-10} connections=${4:-16}
autocannon=${AUTOCANNON:-autocannon}
command -v "$autocannon" >/dev/null || { echo "autocannon not found: npm install autocannon, then set AUTOCANNON=PATH" >&2; exit 2; }
url=http://127.0.0.1:5080
work=$(mktemp -d)

# The service runs from its folder (its content root: appsettings.json and model.onnx are there).
(cd "$pub" && exec dotnet SimpleRnnTorch.Service.dll --urls "$url" --Logging:LogLevel:Default=Warning) &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -sf "$url/health" >/dev/null && break; sleep 0.2; done
curl -sf "$url/health" >/dev/null || { echo "the service did not start" >&2; exit 1; }

echo '{"sequences": [[50, 60, 70]]}' >"$work/1.json"
python3 -c 'import json; print(json.dumps({"sequences": [[s, s + 10, s + 20] for s in (i % 100 for i in range(256))]}))' >"$work/256.json"

cat >"$work/summary.py" <<'PY'
import json, sys
r = json.load(sys.stdin)
size, run = sys.argv[1:]
failed = r["non2xx"] + r["errors"] + r["timeouts"]
print(f"{size:>3} sequence(s)/request, run {run}: {r['requests']['average']:7.0f} req/s  "
      f"p50 {r['latency']['p50']:5.1f} ms  p99 {r['latency']['p99']:5.1f} ms  ({r['requests']['total']} requests, {failed} failed)")
PY

load() { # body-file seconds -> autocannon's JSON summary
  timeout $(( $2 + 30 )) "$autocannon" --json -c "$connections" -d "$2" -m POST -H content-type=application/json -i "$1" "$url/predict" 2>/dev/null
}
for size in 1 256; do
  load "$work/$size.json" 3 >/dev/null   # warm-up: JIT, ONNX Runtime's first runs, connection set-up
  for run in $(seq "$runs"); do
    load "$work/$size.json" "$seconds" | python3 "$work/summary.py" "$size" "$run"
  done
done
echo "service peak RSS: $(awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' "/proc/$server/status")"
