#!/usr/bin/env bash
# Stops the PostgreSQL that start-postgres.sh started in DIR (fast shutdown: open sessions are
# disconnected, committed data is kept).
set -euo pipefail

DIR=${1:?usage: stop-postgres.sh DIR}
BIN=/usr/lib/postgresql/15/bin

if [[ ! -f "$DIR/data/postmaster.pid" ]]; then
    echo "stop-postgres: no server running from $DIR" >&2
    exit 0
fi
if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$BIN/pg_ctl" stop -D "$DIR/data" -m fast -w >/dev/null
else
    "$BIN/pg_ctl" stop -D "$DIR/data" -m fast -w >/dev/null
fi
rm -f "$DIR/postgres.pid"
