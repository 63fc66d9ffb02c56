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
