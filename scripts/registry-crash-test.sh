#!/usr/bin/env bash
# Registry crash test (issue 4 "Done means"): a real `churn serve registry` process is killed with
# SIGKILL at random moments while a client (`churn-chaos crash-drill publish`) publishes in a loop over the wire; after each kill the
# data directory is checked: every publish the client saw acknowledged is present, readable and
# checksum-valid, versions are gap-free, one event per version, no damaged blob. ROUNDS rounds (20).
# CHURN_BIN (default .build/debug/churn) serves; CHURN_CHAOS_BIN (default churn-chaos of the debug
# build) publishes and verifies.
set -euo pipefail
cd "$(dirname "$0")/.."
CHURN="${CHURN_BIN:-.build/debug/churn}"
CHAOS="${CHURN_CHAOS_BIN:-$(swift build --show-bin-path)/churn-chaos}"
[ -x "$CHAOS" ] || { echo "crash test: $CHAOS is not built (swift build, or set CHURN_CHAOS_BIN)" >&2; exit 2; }
ROUNDS="${ROUNDS:-20}"
WORK="$(mktemp -d)"
DATA="$WORK/data"
ACKS="$WORK/acks.txt"
: > "$ACKS"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill -9 "$SERVER" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

for round in $(seq 1 "$ROUNDS"); do
  "$CHURN" serve registry --listen 127.0.0.1:0 --data-dir "$DATA" --log-level error > "$WORK/server.out" 2> "$WORK/server.err" &
  SERVER=$!
  PORT=""
  for _ in $(seq 1 200); do
    PORT="$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$WORK/server.out")"
    [ -n "$PORT" ] && break
    sleep 0.05
  done
  [ -n "$PORT" ] || { echo "round $round: server did not start"; cat "$WORK/server.err"; exit 1; }
  "$CHAOS" crash-drill publish --registry "127.0.0.1:$PORT" --rounds 100000 --seed "$round" >> "$ACKS" 2> /dev/null &
  PUBLISHER=$!
  # Kill at a random moment 0.3-1.8 s into the publishing.
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.3 + (r % 150) / 100 }')"
  kill -9 "$SERVER"
  wait "$SERVER" 2>/dev/null || true
  SERVER=""
  wait "$PUBLISHER" 2>/dev/null || true
  RESULT="$("$CHAOS" crash-drill verify --data-dir "$DATA" --acks "$ACKS")" || { echo "round $round: FAILED"; echo "$RESULT"; exit 1; }
  echo "round $round: $RESULT"
done
echo "crash test passed: $ROUNDS rounds"
