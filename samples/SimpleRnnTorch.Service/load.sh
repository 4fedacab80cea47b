#!/usr/bin/env bash
# The service's load measurement, on loopback and bounded in time and requests:
#   dotnet publish samples/SimpleRnnTorch.Service -c Release -o /tmp/svcpub
#   samples/SimpleRnnTorch.Service/load.sh /tmp/svcpub [RUNS=3] [SECONDS=10] [CONNECTIONS=16]
# 1. Publishes and starts the floor (samples/PredictLoad/ConstantFloor.cs: the same ASP.NET Core host answering a
#    constant) and two instances of the service from the publish folder: one on model.onnx (the lesson's model,
#    for /predict) on PORT, one on series.onnx (the GRU trained on data/nile.csv, for /forecast) on SERIES_PORT.
# 2. samples/PredictLoad alternates, in each of RUNS rounds of SECONDS s at CONNECTIONS connections: the floor,
#    /predict with 1 and with 256 sequences, /forecast with a horizon of 10 (from the last 12 Nile values); then
#    each one's median.
# 3. Prints /metrics lines of both instances after the load.
# 4. Restarts the /predict instance with Limits:ConcurrentRequests=2 and loads /predict again: the refused
#    requests are counted as failed, and one 429 is shown as curl sees it.
set -euo pipefail
pub=${1:?usage: load.sh PUBLISH_FOLDER [RUNS] [SECONDS] [CONNECTIONS]}
pub=$(cd "$pub" && pwd)
runs=${2:-3} seconds=${3:-10} connections=${4:-16}
here=$(cd "$(dirname "$0")" && pwd)
loadgen=$here/../PredictLoad
port=${PORT:-5180} floor_port=${FLOOR_PORT:-5181} series_port=${SERIES_PORT:-5182}
url=http://127.0.0.1:$port
series_url=http://127.0.0.1:$series_port
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

wait_ready() { for _ in $(seq 100); do curl -sf "$@" >/dev/null && return 0; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }
# start_service URL MODEL [ARGS...]: the published service on MODEL (relative to the publish folder, its content
# root), ready when /health/ready answers; its process id in $service.
start_service() {
  local at=$1 model=$2; shift 2
  (cd "$pub" && exec dotnet SimpleRnnTorch.Service.dll --urls "$at" --Model:Path="$model" --Logging:LogLevel:Default=Warning "$@") &
  service=$!; pids+=("$service")
  wait_ready "$at/health/ready"
}

dotnet publish "$loadgen/ConstantFloor.cs" -c Release -o "$work/floor" -v quiet -nologo >/dev/null
(cd "$work/floor" && exec dotnet ConstantFloor.dll --urls "http://127.0.0.1:$floor_port" --Logging:LogLevel:Default=Warning) &
pids+=($!)
wait_ready "http://127.0.0.1:$floor_port/predict" -X POST
start_service "$url" model.onnx; predict_service=$service
start_service "$series_url" series.onnx; series_service=$service

echo "== side by side, alternating (| target | req/s | p50 ms | p99 ms | failed |)"
timeout $(( (runs * 4 + 1) * (seconds + 5) + 180 )) \
  dotnet run -c Release "$loadgen/PredictLoad.cs" -- "$url/predict" "$connections" "$seconds" "$runs" "floor=http://127.0.0.1:$floor_port/predict,1,256,forecast:10=$series_url/forecast"
peak_rss() { awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' "/proc/$1/status"; }
echo "peak RSS: the service on model.onnx $(peak_rss "$predict_service"), on series.onnx $(peak_rss "$series_service")"

echo "== /metrics after the load (the instance on model.onnx, then the one on series.onnx)"
curl -s "$url/metrics" "$series_url/metrics" | grep -E '^(http_requests_received_total\{code="200",method="POST"|http_request_duration_seconds_(sum|count)\{code="200",method="POST"|simplernntorch_inference_duration_seconds_(sum|count)|simplernntorch_sequences_per_request_(sum|count)|simplernntorch_forecast_horizon_steps_(sum|count)|simplernntorch_model_info)'

echo "== with Limits:ConcurrentRequests=2, $connections connections on /predict (256 sequences): refused requests count as failed"
kill "$predict_service"; wait "$predict_service" 2>/dev/null || true
start_service "$url" model.onnx --Limits:ConcurrentRequests=2
timeout $(( 3 * (seconds + 5) + 120 )) \
  dotnet run -c Release "$loadgen/PredictLoad.cs" -- "$url/predict" "$connections" "$seconds" 1 256 &
load=$!; pids+=("$load")
body='{"sequences": [[50, 60, 70]]}'
for _ in $(seq 2000); do
  answer=$(curl -si "$url/predict" -H 'content-type: application/json' -d "$body")
  if grep -q '^HTTP/1.1 429' <<<"$answer"; then echo "one of them, as curl saw it:"; tr -d '\r' <<<"$answer"; echo; break; fi
done
wait "$load"
curl -s "$url/metrics" | grep -E '^http_requests_received_total\{code="429"'
