#!/usr/bin/env bash
# Predictor speed vs Debian's redis-server, same box, same loopback, same concurrency, in one run:
#   1. process start → Health "serving" (model loaded), median of STARTS starts;
#   2. single-row Predict (`churn bench predict --rows 1`) vs `redis-benchmark -t get`, alternating,
#      RUNS times per concurrency; medians and ratios;
#   3. batches of BATCH_ROWS rows (rows/s) at concurrency 1 and 2;
#   4. RSS of the predictor after all that (VmRSS and peak VmHWM).
#
#   scripts/bench-predict.sh                     # REQUESTS=200000 RUNS=3 CONCURRENCIES="1 32"
#   MODEL=model.safetensors REQUESTS=100000 RUNS=5 scripts/bench-predict.sh
#
# Env: CHURN_BIN (default .build/release/churn, built if missing), MODEL (default: trained here on
# ../shared/datasets/Churn_Modelling.csv, else on synthetic rows), REQUESTS, RUNS, CONCURRENCIES,
# BATCH_ROWS (1000), BATCH_REQUESTS (2000), STARTS (5), JSON_OUT (optional file, one JSON line per
# measurement).
set -euo pipefail
cd "$(dirname "$0")/.."

REQUESTS=${REQUESTS:-200000}
RUNS=${RUNS:-3}
CONCURRENCIES=${CONCURRENCIES:-"1 32"}
BATCH_ROWS=${BATCH_ROWS:-1000}
BATCH_REQUESTS=${BATCH_REQUESTS:-2000}
STARTS=${STARTS:-5}
CHURN=${CHURN_BIN:-.build/release/churn}
JSON_OUT=${JSON_OUT:-}
export PYTHONPATH="$PWD/Protocols/clients/python${PYTHONPATH:+:$PYTHONPATH}"

if [[ ! -x "$CHURN" ]]; then
    echo "building $CHURN (release)…" >&2
    swift build -c release --product churn >&2
fi
if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
    echo "installing redis-server and redis-tools…" >&2
    apt-get update -qq >&2 && apt-get install -y -qq redis-server redis-tools >&2
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2==1) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
record() { [[ -n "$JSON_OUT" ]] && echo "$1" >>"$JSON_OUT" || true; }

WORK=$(mktemp -d)
CHURN_PID=""
REDIS_PID=""
cleanup() {
    [[ -n "$CHURN_PID" ]] && kill -TERM "$CHURN_PID" 2>/dev/null || true
    [[ -n "$REDIS_PID" ]] && kill -TERM "$REDIS_PID" 2>/dev/null || true
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

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1); $(date -u +%Y-%m-%dT%H:%MZ)"
echo "model: $MODEL"

# 1. Start to serving: spawn the predictor, poll Health over the wire until "serving".
STARTUP=$(python3 - "$CHURN" "$MODEL" "$STARTS" <<'PY'
import re, subprocess, sys, time
from churn_wire import Client
churn, model, starts = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = []
for _ in range(starts):
    t0 = time.monotonic()
    p = subprocess.Popen([churn, "serve", "predictor", "--listen", "127.0.0.1:0", "--model-file", model,
                          "--log-level", "warning"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(re.search(r":(\d+)$", p.stdout.readline().strip()).group(1))
    while True:
        try:
            with Client("127.0.0.1", port) as c:
                if c.health().status == 0:
                    break
        except OSError:
            pass
        time.sleep(0.001)
    times.append((time.monotonic() - t0) * 1000)
    p.terminate(); p.wait()
times.sort()
print(f"{times[len(times) // 2]:.1f} {times[0]:.1f} {times[-1]:.1f}")
PY
)
read -r START_MED START_MIN START_MAX <<<"$STARTUP"
echo "start → serving (ms): median $START_MED  (min $START_MIN, max $START_MAX over $STARTS starts)"
record "{\"measure\": \"startup_ms\", \"median\": $START_MED, \"min\": $START_MIN, \"max\": $START_MAX}"

# The predictor under test: one event loop (the default), loopback, free port.
"$CHURN" serve predictor --listen 127.0.0.1:0 --model-file "$MODEL" --log-level warning >"$WORK/churn.out" 2>"$WORK/churn.err" &
CHURN_PID=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/churn.out" 2>/dev/null && break; sleep 0.05; done
CHURN_PORT=$(sed -n 's/.*listening on .*:\([0-9]*\)$/\1/p' "$WORK/churn.out" | head -1)
[[ -n "$CHURN_PORT" ]] || { echo "predictor did not start" >&2; cat "$WORK/churn.err" >&2; exit 1; }

# Redis: no persistence, loopback, free port; the GET key exists (redis-benchmark's default key).
REDIS_PORT=$(free_port)
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize no \
    --logfile "$WORK/redis.log" --dir "$WORK" &
REDIS_PID=$!
for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -t set -n 1000 -q >/dev/null

# Warm-up (page in code, grow buffers).
"$CHURN" bench predict --addr "127.0.0.1:$CHURN_PORT" --concurrency 4 --requests 20000 --json >/dev/null

echo "single-row Predict vs redis GET; requests per run: $REQUESTS, runs: $RUNS (median reported)"
printf '%-6s %14s %14s %8s %22s %22s %10s\n' "conc" "churn req/s" "redis req/s" "ratio" "churn p50/p99 µs" "redis p50/p99 µs" "p99 ratio"
for C in $CONCURRENCIES; do
    : >"$WORK/ours.$C"; : >"$WORK/redis.$C"
    for RUN in $(seq "$RUNS"); do
        OURS=$("$CHURN" bench predict --addr "127.0.0.1:$CHURN_PORT" --concurrency "$C" --requests "$REQUESTS" --rows 1 --json)
        echo "$OURS" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["requests_per_second"], d["p50_us"], d["p99_us"])' >>"$WORK/ours.$C"
        # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
        REDIS=$(redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -t get -c "$C" -n "$REQUESTS" --csv | tail -1)
        echo "$REDIS" | tr -d '"' | awk -F, '{print $2, $5*1000, $7*1000}' >>"$WORK/redis.$C"
        record "{\"measure\": \"single_row\", \"concurrency\": $C, \"run\": $RUN, \"churn\": $OURS, \"redis_csv\": \"$(echo "$REDIS" | tr -d '"')\"}"
    done
    O_RPS=$(awk '{print $1}' "$WORK/ours.$C" | median)
    R_RPS=$(awk '{print $1}' "$WORK/redis.$C" | median)
    O_P50=$(awk '{print $2}' "$WORK/ours.$C" | median); O_P99=$(awk '{print $3}' "$WORK/ours.$C" | median)
    R_P50=$(awk '{print $2}' "$WORK/redis.$C" | median); R_P99=$(awk '{print $3}' "$WORK/redis.$C" | median)
    RATIO=$(awk -v o="$O_RPS" -v r="$R_RPS" 'BEGIN {printf "%.2f", o/r}')
    P99_RATIO=$(awk -v o="$O_P99" -v r="$R_P99" 'BEGIN {printf "%.2f", o/r}')
    printf '%-6s %14.0f %14.0f %8s %22s %22s %10s\n' "$C" "$O_RPS" "$R_RPS" "${RATIO}x" "$O_P50/$O_P99" "$R_P50/$R_P99" "${P99_RATIO}x"
    echo "  runs churn: $(awk '{printf "%.0f ", $1}' "$WORK/ours.$C")  redis: $(awk '{printf "%.0f ", $1}' "$WORK/redis.$C")"
done

echo "batches of $BATCH_ROWS rows, $BATCH_REQUESTS requests per run"
for C in 1 2; do
    : >"$WORK/batch.$C"
    for RUN in $(seq "$RUNS"); do
        OURS=$("$CHURN" bench predict --addr "127.0.0.1:$CHURN_PORT" --concurrency "$C" --requests "$BATCH_REQUESTS" --rows "$BATCH_ROWS" --json)
        echo "$OURS" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["rows_per_second"], d["requests_per_second"], d["p50_us"], d["p99_us"])' >>"$WORK/batch.$C"
        record "{\"measure\": \"batch\", \"concurrency\": $C, \"run\": $RUN, \"churn\": $OURS}"
    done
    printf '  conc %s: %12.0f rows/s  (%.0f req/s, p50 %s µs, p99 %s µs; runs: %s)\n' "$C" \
        "$(awk '{print $1}' "$WORK/batch.$C" | median)" "$(awk '{print $2}' "$WORK/batch.$C" | median)" \
        "$(awk '{print $3}' "$WORK/batch.$C" | median)" "$(awk '{print $4}' "$WORK/batch.$C" | median)" \
        "$(awk '{printf "%.0f ", $1}' "$WORK/batch.$C")"
done

RSS=$(awk '/^VmRSS/ {print $2}' "/proc/$CHURN_PID/status")
HWM=$(awk '/^VmHWM/ {print $2}' "/proc/$CHURN_PID/status")
echo "predictor RSS after the runs: $((RSS / 1024)) MiB (peak $((HWM / 1024)) MiB)"
record "{\"measure\": \"rss_kib\", \"rss\": $RSS, \"peak\": $HWM}"
