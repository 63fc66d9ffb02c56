# Sourced by the drills (scripts/*-drill.sh): starts `churn serve` processes and remembers them.
# The caller sets CHURN (the binary), WORK (a scratch directory), DRILL_LOG_LEVEL (default warning)
# and declares `declare -A PID PORT`.
#
# start NAME ROLE PORT ARGS...: `churn serve ROLE` on 127.0.0.1:PORT (0: any) with ARGS, output in
# WORK/NAME.out and WORK/NAME.err, its process id in PID[NAME] and WORK/NAME.pid; waits for its
# "listening on" line (up to 30 s) and puts the port in PORT[NAME]. Exits 1, showing the process's
# errors, when it does not start.
start() {
  local name="$1" role="$2" port="$3"; shift 3
  : > "$WORK/$name.out"
  "$CHURN" serve "$role" --listen "127.0.0.1:$port" --log-level "${DRILL_LOG_LEVEL:-warning}" "$@" \
    > "$WORK/$name.out" 2>> "$WORK/$name.err" &
  PID[$name]=$!
  echo "$!" > "$WORK/$name.pid"
  local found=""
  for _ in $(seq 1 600); do
    found="$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$WORK/$name.out" | head -1)"
    [ -n "$found" ] && break
    kill -0 "${PID[$name]}" 2>/dev/null || break
    sleep 0.05
  done
  [ -n "$found" ] || { echo "drill: $name did not start" >&2; cat "$WORK/$name.err" >&2; exit 1; }
  PORT[$name]="$found"
}

# stop_all: kill -9 every process `start` began (including ones restarted by subshells), and reap them.
stop_all() {
  local file
  for file in "$WORK"/*.pid; do [ -f "$file" ] && kill -9 "$(cat "$file")" 2>/dev/null || true; done
  for name in "${!PID[@]}"; do wait "${PID[$name]}" 2>/dev/null || true; done
}

# drill_begin NAME: the drills' common start. Checks CHURN (from CHURN_BIN, default the debug build)
# and makes it absolute, makes WORK (/tmp/churn-NAME.XXXXXX), declares PID and PORT, and on exit
# stops every process, the drill's own engines if it started any, and removes WORK (DRILL_KEEP=1
# keeps it).
drill_begin() {
  CHURN="${CHURN_BIN:-.build/debug/churn}"
  [ -x "$CHURN" ] || { echo "drill: $CHURN is not built (swift build, or set CHURN_BIN)" >&2; exit 2; }
  CHURN="$(cd "$(dirname "$CHURN")" && pwd)/$(basename "$CHURN")"
  WORK="$(mktemp -d "/tmp/churn-$1.XXXXXX")"
  declare -gA PID PORT
  OWN_ENGINES=""
  trap drill_cleanup EXIT
}

drill_cleanup() {
  stop_all
  if [ -n "$OWN_ENGINES" ]; then scripts/engines/stop.sh "$OWN_ENGINES"; fi
  if [ "${DRILL_KEEP:-0}" = 1 ]; then echo "drill: kept $WORK" >&2; else rm -rf "$WORK"; fi
}

# drill_database PREFIX: a fresh PostgreSQL database on the engines of scripts/engines/start.sh (the
# ones CHURN_TEST_POSTGRES_URL and CHURN_TEST_S3_ENDPOINT name, else its own under WORK/engines);
# sets DATABASE_URL to it.
drill_database() {
  if [ -z "${CHURN_TEST_POSTGRES_URL:-}" ] || [ -z "${CHURN_TEST_S3_ENDPOINT:-}" ]; then
    OWN_ENGINES="$WORK/engines"
    eval "$(scripts/engines/start.sh "$OWN_ENGINES")"
  fi
  local name="$1_$RANDOM$RANDOM"
  psql "$CHURN_TEST_POSTGRES_URL" -qc "CREATE DATABASE $name" > /dev/null
  DATABASE_URL="${CHURN_TEST_POSTGRES_URL%/*}/$name"
}
