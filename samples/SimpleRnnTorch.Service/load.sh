#!/usr/bin/env bash
# A bounded load run on loopback against the published service: samples/PredictLoad (POST /predict with one
# and with 256 sequences per request, alternating, RUNS rounds of SECONDS s at CONNECTIONS connections),
# then, if autocannon is on PATH (npm install autocannon) or in $AUTOCANNON, one autocannon run per size.
#   dotnet publish samples/SimpleRnnTorch.Service -c Release -o /tmp/svcpub
#   samples/SimpleRnnTorch.Service/load.sh /tmp/svcpub [RUNS=3] [SECONDS=10] [CONNECTIONS=16]
set -euo pipefail
pub=${1:?usage: load.sh PUBLISH_FOLDER [RUNS] [SECONDS] [CONNECTIONS]}
runs=${2:-3} seconds=${3:-10} connections=${4:-16}
here=$(cd "$(dirname "$0")" && pwd)
url=http://127.0.0.1:5080
work=$(mktemp -d)

# The service runs from its folder, its content root, where appsettings.json and model.onnx are.
(cd "$pub" && exec dotnet SimpleRnnTorch.Service.dll --urls "$url" --Logging:LogLevel:Default=Warning) &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -sf "$url/health" >/dev/null && break; sleep 0.2; done
curl -sf "$url/health" >/dev/null || { echo "the service did not start" >&2; exit 1; }

timeout $(( (runs * 2 + 1) * (seconds + 5) + 120 )) \
  dotnet run -c Release "$here/../PredictLoad/PredictLoad.cs" -- "$url/predict" "$connections" "$seconds" "$runs" 1,256

autocannon=${AUTOCANNON:-$(command -v autocannon || true)}
if [ -n "$autocannon" ]; then
  for size in 1 256; do
    python3 -c "import json, sys; n = int(sys.argv[1]); print(json.dumps({'sequences': [[i % 100, i % 100 + 10, i % 100 + 20] for i in range(n)]}))" "$size" >"$work/$size.json"
    echo "autocannon, $size sequence(s)/request:"
    timeout $(( seconds + 30 )) "$autocannon" -c "$connections" -d "$seconds" -m POST -H content-type=application/json -i "$work/$size.json" "$url/predict" 2>&1 |
      grep -E 'Stat|Latency|Req/Sec|requests in'
  done
fi
echo "service peak RSS: $(awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' "/proc/$server/status")"
