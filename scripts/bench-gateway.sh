#!/usr/bin/env bash
# Gateway HTTP speed: wrk against POST /api/v1/predict (one customer per request, JSON in and out),
# through a real `churn serve gateway` in front of a real `churn serve predictor`, on loopback.
# Prints wrk's requests/s and latency percentiles (p50, p90, p99) per concurrency, RUNS times each.
#
#   scripts/bench-gateway.sh                          # DURATION=10 RUNS=3 CONNECTIONS="1 32" EXPLAIN=0
#   EXPLAIN=3 CONNECTIONS="32" scripts/bench-gateway.sh
#   PREDICTORS=3 CONNECTIONS=64 scripts/bench-gateway.sh   # three predictor replicas behind the gateway
#
# Each run also reports the CPU time the gateway and the predictors used (from /proc, user + system)
# per request: with replicas sharing the same cores, that is the figure that shows the cost of scaling out.
#
# Env: CHURN_BIN (default .build/release/churn, built if missing), MODEL (default: trained here on
# ../shared/datasets/Churn_Modelling.csv, else on synthetic rows), DURATION (s), RUNS, CONNECTIONS,
# THREADS (wrk threads, 1: the other core is the server's), EXPLAIN (factors per row).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
RUNS=${RUNS:-3}
CONNECTIONS=${CONNECTIONS:-"1 32"}
THREADS=${THREADS:-1}
EXPLAIN=${EXPLAIN:-0}
PREDICTORS=${PREDICTORS:-1}
CHURN=${CHURN_BIN:-.build/release/churn}

if [[ ! -x "$CHURN" ]]; then
    echo "building $CHURN (release)…" >&2
    swift build -c release --product churn >&2
fi
if ! command -v wrk >/dev/null; then
    echo "installing wrk…" >&2
    apt-get update -qq >&2 && apt-get install -y -qq wrk >&2
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

if [[ -z "${MODEL:-}" ]]; then
    DATA=../shared/datasets/Churn_Modelling.csv
    if [[ ! -f "$DATA" ]]; then
        DATA="$WORK/synthetic.csv"
        "$CHURN" synth --rows 10000 --seed 1 --out "$DATA" >/dev/null
    fi
    MODEL="$WORK/churn.safetensors"
    "$CHURN" train "$DATA" --out "$MODEL" >/dev/null
fi

REPLICAS=()
for _ in $(seq "$PREDICTORS"); do
    address=127.0.0.1:$(free_port)
    "$CHURN" serve predictor --listen "$address" --model-file "$MODEL" --model-name churn --log-level error >/dev/null &
    PIDS+=($!)
    "$CHURN" health --addr "$address" --wait 20 >/dev/null
    REPLICAS+=("$address")
done
PREDICTOR=$(IFS=,; echo "${REPLICAS[*]}")
GATEWAY=127.0.0.1:$(free_port)
# The registry is not called by POST /api/v1/predict; any address will do.
"$CHURN" serve gateway --listen "$GATEWAY" --predictor "$PREDICTOR" --registry 127.0.0.1:9 --log-level error >/dev/null &
PIDS+=($!)
# CPU seconds (user + system) used so far by the gateway and every predictor.
cpu_seconds() {
    local ticks=0
    for pid in "${PIDS[@]}"; do
        ticks=$(( ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat") ))
    done
    python3 -c "print($ticks / $(getconf CLK_TCK))"
}
for _ in $(seq 50); do curl -sf "http://$GATEWAY/healthz" >/dev/null && break; sleep 0.1; done

cat >"$WORK/predict.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"rows":[{"CreditScore":619,"Geography":"France","Gender":"Female","Age":42,"Tenure":2,"Balance":0,"NumOfProducts":1,"HasCrCard":1,"IsActiveMember":1,"EstimatedSalary":101348.88}],"explain":$EXPLAIN}'
LUA
curl -sf -X POST "http://$GATEWAY/api/v1/predict" -H 'Content-Type: application/json' \
    --data "$(sed -n 's/^wrk.body = .\(.*\).$/\1/p' "$WORK/predict.lua")" >/dev/null \
    || { echo "the gateway does not answer POST /api/v1/predict" >&2; exit 1; }
# Warm-up.
wrk -t1 -c8 -d2s -s "$WORK/predict.lua" "http://$GATEWAY/api/v1/predict" >/dev/null

echo "machine: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "POST /api/v1/predict, 1 row, explain=$EXPLAIN, wrk -t$THREADS, ${DURATION}s per run, $PREDICTORS predictor replica(s)"
for connections in $CONNECTIONS; do
    for run in $(seq "$RUNS"); do
        cpu_before=$(cpu_seconds)
        out=$(wrk -t"$THREADS" -c"$connections" -d"${DURATION}s" --latency -s "$WORK/predict.lua" "http://$GATEWAY/api/v1/predict")
        cpu_after=$(cpu_seconds)
        rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
        total=$(echo "$out" | awk '/requests in/ {print $1}')
        cpu_us=$(python3 -c "print(f'{($cpu_after - $cpu_before) / max(1, $total) * 1e6:.1f}')")
        p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
        p90=$(echo "$out" | awk '$1 == "90%" {print $2}')
        p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
        errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
        echo "c=$connections run $run: $rps req/s  p50 $p50  p90 $p90  p99 $p99  cpu/request ${cpu_us} µs ${errors}"
    done
done
