#!/usr/bin/env bash
# Stops the SeaweedFS server that start-s3.sh started from DIR (its pid is in DIR/weed.pid) and
# waits until it is gone (a graceful stop takes weed about 15 s; SIGKILL after 30 s). Harmless when
# nothing runs. Leaves DIR's data.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
PIDFILE="$1/weed.pid"
[[ -f "$PIDFILE" ]] || exit 0
PID="$(cat "$PIDFILE")"

# Running, and not merely a zombie waiting for its parent to reap it.
alive() {
    kill -0 "$PID" 2>/dev/null || return 1
    [[ "$(ps -o stat= -p "$PID" 2>/dev/null)" != Z* ]]
}

if alive; then
    kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 1 300); do
        alive || break
        sleep 0.1
    done
    if alive; then
        echo "stop-s3: weed (pid $PID) ignored SIGTERM for 30 s; sending SIGKILL" >&2
        kill -KILL "$PID" 2>/dev/null || true
        sleep 0.2
    fi
fi
rm -f "$PIDFILE"
