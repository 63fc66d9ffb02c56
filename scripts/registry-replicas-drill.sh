#!/usr/bin/env bash
# Registry replica drill (issue 16, docs/scaling.md): two `churn serve registry` replicas share one
# PostgreSQL database and one S3 prefix. `churn-chaos replicas` runs PUBLISHERS concurrent publishers
# through both and one subscriber on each replica, while ROUNDS times one replica (alternately) is
# killed with kill -9 and restarted on the same port. Afterwards: 0 acknowledged publishes lost, every
# bundle intact, no version number used twice, and each subscriber saw every event exactly once, in
# order. Uses the engines of scripts/engines/start.sh when CHURN_TEST_POSTGRES_URL and
# CHURN_TEST_S3_ENDPOINT are set, else starts its own.
#   scripts/registry-replicas-drill.sh [ROUNDS] [PUBLISHERS]     (CHURN_BIN, CHURN_CHAOS_BIN)
set -euo pipefail
cd "$(dirname "$0")/.."
CHURN="${CHURN_BIN:-.build/debug/churn}"
CHAOS="${CHURN_CHAOS_BIN:-$(swift build --show-bin-path)/churn-chaos}"
[ -x "$CHAOS" ] || { echo "replicas drill: $CHAOS is not built (swift build, or set CHURN_CHAOS_BIN)" >&2; exit 2; }
ROUNDS="${1:-20}"
PUBLISHERS="${2:-8}"
WORK="$(mktemp -d /tmp/churn-replicas.XXXXXX)"
PIDS=()
OWN_ENGINES=""
cleanup() {
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  [ -n "$OWN_ENGINES" ] && scripts/engines/stop.sh "$OWN_ENGINES"
  rm -rf "$WORK"
}
trap cleanup EXIT
if [ -z "${CHURN_TEST_POSTGRES_URL:-}" ] || [ -z "${CHURN_TEST_S3_ENDPOINT:-}" ]; then
  OWN_ENGINES="$WORK/engines"
  eval "$(scripts/engines/start.sh "$OWN_ENGINES")"
fi
DB="drill_$RANDOM$RANDOM"
psql "$CHURN_TEST_POSTGRES_URL" -qc "CREATE DATABASE $DB" >/dev/null
METADATA="${CHURN_TEST_POSTGRES_URL%/*}/$DB"
BLOBS="s3://$CHURN_TEST_S3_BUCKET/$DB?endpoint=$CHURN_TEST_S3_ENDPOINT&region=us-east-1"
export AWS_ACCESS_KEY_ID="$CHURN_TEST_S3_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$CHURN_TEST_S3_SECRET_KEY"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORTS=("$(free_port)" "$(free_port)")
SERVERS=("" "")

start_replica() { # INDEX
  local index="$1" port="${PORTS[$1]}"
  "$CHURN" serve registry --listen "127.0.0.1:$port" --metadata "$METADATA" --blobs "$BLOBS" \
    --spool-dir "$WORK/spool-$index" --log-level error >> "$WORK/replica-$index.out" 2>> "$WORK/replica-$index.err" &
  SERVERS[$index]=$!
  PIDS+=("$!")
  for _ in $(seq 1 200); do
    "$CHURN" health --addr "127.0.0.1:$port" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "replica $index did not start:"; tail -5 "$WORK/replica-$index.err"; exit 1
}

start_replica 0
start_replica 1
PUBLISH_SECONDS=$(( ROUNDS * 2 + 2 ))
"$CHAOS" replicas --registry "127.0.0.1:${PORTS[0]},127.0.0.1:${PORTS[1]}" --publishers "$PUBLISHERS" \
  --seconds "$PUBLISH_SECONDS" > "$WORK/acks.txt" 2> "$WORK/client.err" &
CLIENT=$!
sleep 1
for round in $(seq 1 "$ROUNDS"); do
  victim=$(( round % 2 ))
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.5 + (r % 100) / 100 }')"
  kill -9 "${SERVERS[$victim]}"
  wait "${SERVERS[$victim]}" 2>/dev/null || true
  start_replica "$victim"
  echo "round $round: replica $victim killed with SIGKILL and restarted"
done
if ! wait "$CLIENT"; then
  echo "replica drill FAILED:"; tail -1 "$WORK/acks.txt"; tail -5 "$WORK/client.err"; exit 1
fi
echo "replica drill passed: $ROUNDS kills; $(tail -1 "$WORK/acks.txt")"
