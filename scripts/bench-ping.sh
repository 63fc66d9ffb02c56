#!/usr/bin/env bash
# Ping throughput of `churn serve base` vs Debian's redis-server, same box, same loopback, same
# concurrency, in one run: our server + `churn bench ping`, then redis-server + `redis-benchmark
# -t ping_mbulk`, alternating, RUNS times per concurrency; prints medians and the ratio.
#
#   scripts/bench-ping.sh                       # REQUESTS=200000 RUNS=3 CONCURRENCIES="1 32"
#   REQUESTS=100000 RUNS=5 scripts/bench-ping.sh
#
# Env: CHURN_BIN (default .build/release/churn, built if missing), REQUESTS, RUNS, CONCURRENCIES,
# JSON_OUT (optional file receiving one JSON line per measurement).
set -euo pipefail
cd "$(dirname "$0")/.."

REQUESTS=${REQUESTS:-200000}
RUNS=${RUNS:-3}
CONCURRENCIES=${CONCURRENCIES:-"1 32"}
CHURN=${CHURN_BIN:-.build/release/churn}
JSON_OUT=${JSON_OUT:-}

if [[ ! -x "$CHURN" ]]; then
    echo "building $CHURN (release)…" >&2
    swift build -c release --product churn >&2
fi
if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
    echo "installing redis-server and redis-tools…" >&2
    apt-get update -qq >&2 && apt-get install -y -qq redis-server redis-tools >&2
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

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

# Our server: one event loop (the default), loopback, free port.
"$CHURN" serve base --listen 127.0.0.1:0 --log-level warning >"$WORK/churn.out" 2>"$WORK/churn.err" &
CHURN_PID=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/churn.out" 2>/dev/null && break; sleep 0.05; done
CHURN_PORT=$(sed -n 's/.*listening on .*:\([0-9]*\)$/\1/p' "$WORK/churn.out" | head -1)
[[ -n "$CHURN_PORT" ]] || { echo "churn server did not start" >&2; cat "$WORK/churn.err" >&2; exit 1; }

# Redis: no persistence, loopback, free port.
REDIS_PORT=$(free_port)
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize no \
    --logfile "$WORK/redis.log" --dir "$WORK" &
REDIS_PID=$!
for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2==1) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "requests per run: $REQUESTS, runs: $RUNS (median reported)"
printf '%-6s %14s %14s %8s %22s %22s\n' "conc" "churn req/s" "redis req/s" "ratio" "churn p50/p99 µs" "redis p50/p99 µs"
for C in $CONCURRENCIES; do
    : >"$WORK/ours.$C"; : >"$WORK/redis.$C"
    for RUN in $(seq "$RUNS"); do
        OURS=$("$CHURN" bench ping --addr "127.0.0.1:$CHURN_PORT" --concurrency "$C" --requests "$REQUESTS" --json)
        echo "$OURS" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["requests_per_second"], d["p50_us"], d["p99_us"])' >>"$WORK/ours.$C"
        # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
        REDIS=$(redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -t ping_mbulk -c "$C" -n "$REQUESTS" --csv | tail -1)
        echo "$REDIS" | tr -d '"' | awk -F, '{print $2, $5*1000, $7*1000}' >>"$WORK/redis.$C"
        if [[ -n "$JSON_OUT" ]]; then
            echo "{\"concurrency\": $C, \"run\": $RUN, \"churn\": $OURS, \"redis_csv\": \"$(echo "$REDIS" | tr -d '"')\"}" >>"$JSON_OUT"
        fi
    done
    O_RPS=$(awk '{print $1}' "$WORK/ours.$C" | median)
    R_RPS=$(awk '{print $1}' "$WORK/redis.$C" | median)
    O_P50=$(awk '{print $2}' "$WORK/ours.$C" | median); O_P99=$(awk '{print $3}' "$WORK/ours.$C" | median)
    R_P50=$(awk '{print $2}' "$WORK/redis.$C" | median); R_P99=$(awk '{print $3}' "$WORK/redis.$C" | median)
    RATIO=$(awk -v o="$O_RPS" -v r="$R_RPS" 'BEGIN {printf "%.2f", o/r}')
    printf '%-6s %14.0f %14.0f %8s %22s %22s\n' "$C" "$O_RPS" "$R_RPS" "${RATIO}x" "$O_P50/$O_P99" "$R_P50/$R_P99"
    echo "  runs churn: $(awk '{printf "%.0f ", $1}' "$WORK/ours.$C")  redis: $(awk '{printf "%.0f ", $1}' "$WORK/redis.$C")"
done
