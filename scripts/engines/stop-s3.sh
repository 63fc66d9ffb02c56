#!/usr/bin/env bash
# Stops the SeaweedFS server that start-s3.sh started from DIR (its pid is in DIR/weed.pid) and
# waits until it and its children are gone. Harmless when nothing runs. Leaves DIR's data.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
PIDFILE="$1/weed.pid"
[[ -f "$PIDFILE" ]] || exit 0
PID="$(cat "$PIDFILE")"

if kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$PID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$PID" 2>/dev/null; then
        echo "stop-s3: weed (pid $PID) ignored SIGTERM for 10 s; sending SIGKILL" >&2
        kill -KILL "$PID" 2>/dev/null || true
        sleep 0.2
    fi
fi
rm -f "$PIDFILE"
