#!/usr/bin/env bash
# Registry outage drill (issue 16, docs/scaling.md), on engines of its own (it kills them):
#  1. PostgreSQL's postmaster is killed with kill -9 while publishers write through two replicas; while
#     it is down a write and a read must fail with a clear error within seconds (not hang); it is then
#     started again on the same port, and the replicas — never restarted — must take writes again by
#     themselves; at the end every acknowledged publish is intact and each replica's subscriber saw
#     every event exactly once, in order (churn-chaos replicas).
#  2. The S3 server is stopped: a publish fails with a clear error, metadata reads keep working, Health
#     says the bucket is unreachable, and no version appears for the failed publishes; after S3 is
#     back, publishing works again.
set -euo pipefail
cd "$(dirname "$0")/.."
CHURN="${CHURN_BIN:-.build/debug/churn}"
CHAOS="${CHURN_CHAOS_BIN:-$(swift build --show-bin-path)/churn-chaos}"
[ -x "$CHAOS" ] || { echo "outage drill: $CHAOS is not built (swift build, or set CHURN_CHAOS_BIN)" >&2; exit 2; }
WORK="$(mktemp -d /tmp/churn-outage.XXXXXX)"
chmod 711 "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  scripts/engines/stop.sh "$WORK/engines" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "outage drill FAILED: $*"; exit 1; }
eval "$(scripts/engines/start.sh "$WORK/engines")"
export AWS_ACCESS_KEY_ID="$CHURN_TEST_S3_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$CHURN_TEST_S3_SECRET_KEY"
METADATA="$CHURN_TEST_POSTGRES_URL"
BLOBS="s3://$CHURN_TEST_S3_BUCKET/outage?endpoint=$CHURN_TEST_S3_ENDPOINT&region=us-east-1"
PG_DIR="$CHURN_TEST_POSTGRES_DIR"
PG_PORT="${CHURN_TEST_POSTGRES_URL##*:}"; PG_PORT="${PG_PORT%%/*}"
PG_BIN="$(dirname "$(readlink -f "$(command -v postgres 2>/dev/null || echo /usr/lib/postgresql/15/bin/postgres)")")"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
PORTS=("$(free_port)" "$(free_port)")
for index in 0 1; do
  "$CHURN" serve registry --listen "127.0.0.1:${PORTS[$index]}" --metadata "$METADATA" --blobs "$BLOBS" \
    --spool-dir "$WORK/spool-$index" --log-level error > "$WORK/replica-$index.out" 2> "$WORK/replica-$index.err" &
  PIDS+=("$!")
done
REGISTRY="127.0.0.1:${PORTS[0]},127.0.0.1:${PORTS[1]}"
"$CHURN" health --addr "$REGISTRY" --wait 20 >/dev/null || fail "replicas did not start: $(tail -3 "$WORK/replica-0.err")"
"$CHURN" synth --rows 400 --seed 3 --out "$WORK/data.csv" >/dev/null
"$CHURN" train "$WORK/data.csv" --epochs 1 --out "$WORK/model.safetensors" >/dev/null 2>&1 || fail "cannot train the drill's bundle"

echo "== 1. PostgreSQL killed with SIGKILL during publishing"
# The publishers outlast the outage: the failing publish and read below each take 20 s (the CLI's
# pool asks both replicas, each giving up after its 10 s PostgreSQL deadline), and the replicas
# need a few seconds after the restart.
"$CHAOS" replicas --registry "$REGISTRY" --publishers 4 --seconds 75 --interval-ms 50 > "$WORK/acks.txt" 2> "$WORK/client.err" &
CLIENT=$!
sleep 4
kill -9 "$(cat "$PG_DIR/postgres.pid")"
sleep 0.5
start="$(now)"
if "$CHURN" models publish "$WORK/model.safetensors" --name during-outage --registry "$REGISTRY" > "$WORK/publish-down.txt" 2>&1; then
  fail "a publish succeeded while PostgreSQL was down"
fi
echo "publish while PostgreSQL is down failed after $(elapsed "$start") s: $(head -1 "$WORK/publish-down.txt")"
start="$(now)"
if "$CHURN" models ls --registry "$REGISTRY" > "$WORK/read-down.txt" 2>&1; then fail "a metadata read succeeded while PostgreSQL was down"; fi
echo "read while PostgreSQL is down failed after $(elapsed "$start") s: $(head -1 "$WORK/read-down.txt")"
echo "health while PostgreSQL is down: $("$CHURN" health --addr "127.0.0.1:${PORTS[0]}" 2>&1 | head -1)"
sleep 2
# Start it again on the same port (the replicas are not touched).
rm -f "$PG_DIR/data/postmaster.pid"
runuser -u postgres -- bash -c 'echo $$ > "$1/postgres.pid"; exec "$2/postgres" -D "$1/data" -p "$3" -k "$1" \
  -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200 >>"$1/postgres.log" 2>&1' \
  restart "$PG_DIR" "$PG_BIN" "$PG_PORT" </dev/null >/dev/null 2>&1 &
start="$(now)"
until "$CHURN" models publish "$WORK/model.safetensors" --name after-restart --registry "127.0.0.1:${PORTS[0]}" >/dev/null 2>&1; do
  [ "$(awk -v a="$start" -v b="$(now)" 'BEGIN { print (b - a > 30) }')" = 1 ] && fail "no publish succeeded within 30 s of PostgreSQL's restart"
  sleep 0.2
done
echo "first publish after PostgreSQL's restart (replicas not restarted) succeeded $(elapsed "$start") s after it was started"
wait "$CLIENT" || fail "$(tail -1 "$WORK/acks.txt") $(tail -3 "$WORK/client.err")"
echo "publishers across the outage: $(tail -1 "$WORK/acks.txt")"

echo "== 2. S3 server stopped"
before="$("$CHURN" models ls --registry "$REGISTRY" --json | python3 -c 'import json, sys; print(sum(m["version_count"] for m in json.load(sys.stdin)))')"
kill -9 "$(cat "$WORK/engines/s3/weed.pid")"
sleep 0.5
start="$(now)"
if "$CHURN" models publish "$WORK/model.safetensors" --name s3-down --registry "$REGISTRY" > "$WORK/publish-s3.txt" 2>&1; then
  fail "a publish succeeded while S3 was down"
fi
echo "publish while S3 is down failed after $(elapsed "$start") s: $(head -1 "$WORK/publish-s3.txt")"
"$CHURN" models ls --registry "$REGISTRY" > "$WORK/read-s3.txt" 2>&1 || fail "metadata read failed while S3 was down: $(head -1 "$WORK/read-s3.txt")"
"$CHURN" models search 'name = "after-restart"' --registry "$REGISTRY" >/dev/null 2>&1 || fail "search failed while S3 was down"
echo "metadata reads while S3 is down: models ls and search answered"
sleep 2.5
echo "health while S3 is down: $("$CHURN" health --addr "127.0.0.1:${PORTS[0]}" 2>&1 | head -1)"
after="$("$CHURN" models ls --registry "$REGISTRY" --json | python3 -c 'import json, sys; print(sum(m["version_count"] for m in json.load(sys.stdin)))')"
[ "$before" = "$after" ] || fail "versions changed from $before to $after while every publish failed"
echo "versions before and after the failed publishes: $before and $after (nothing half-written became visible)"
echo "outage drill passed"
