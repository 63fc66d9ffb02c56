#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 for the Postgres metadata-store tests, in DIR (created when
# missing): trust auth, user `churn`, database `churn`, C locale, loopback only, a free port.
# Prints the environment the tests read:
#
#   eval "$(scripts/engines/start-postgres.sh /tmp/churn-pg)"
#   swift test --filter Postgres
#   scripts/engines/stop-postgres.sh /tmp/churn-pg
#
# PostgreSQL refuses to run as root, so the server runs as the `postgres` system user.
set -euo pipefail

DIR=${1:?usage: start-postgres.sh DIR}
BIN=/usr/lib/postgresql/15/bin
if [[ ! -x "$BIN/initdb" ]]; then
    # Another PostgreSQL major version from the distribution works as well (the newest one installed).
    other=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$other" && -x "$other/initdb" ]]; then BIN=$other; fi
fi

if [[ ! -x "$BIN/initdb" ]]; then
    echo "installing postgresql-15…" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >&2
fi
if ! id postgres >/dev/null 2>&1; then
    echo "start-postgres: there is no 'postgres' system user to run the server as" >&2
    exit 1
fi

as_postgres() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
if [[ $(id -u) -eq 0 ]]; then chown postgres: "$DIR"; fi
chmod 700 "$DIR"

if [[ -f "$DIR/postgres.pid" ]] && kill -0 "$(cat "$DIR/postgres.pid")" 2>/dev/null; then
    echo "start-postgres: a server is already running from $DIR (pid $(cat "$DIR/postgres.pid"))" >&2
    exit 1
fi

if [[ ! -f "$DIR/data/PG_VERSION" ]]; then
    as_postgres "$BIN/initdb" -D "$DIR/data" -U churn --auth=trust -E UTF8 --locale=C >"$DIR/initdb.log" 2>&1 || {
        echo "start-postgres: initdb failed:" >&2
        tail -n 20 "$DIR/initdb.log" >&2
        exit 1
    }
fi

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

# The server is started in the background by the postgres user; its pid is written by the shell
# that execs it, so it is the postmaster's own pid. Every stream is redirected so that nothing
# waiting for this script's output (`$(…)`) waits for the server too.
as_postgres bash -c 'echo $$ > "$1/postgres.pid"; exec "$2/postgres" -D "$1/data" -p "$3" -k "$1" \
    -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200 >>"$1/postgres.log" 2>&1' \
    start-postgres "$DIR" "$BIN" "$PORT" </dev/null >/dev/null 2>&1 &

for _ in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p "$PORT" -U churn -d postgres; then
        ready=1
        break
    fi
    sleep 0.5
done
if [[ -z "${ready:-}" ]]; then
    echo "start-postgres: the server did not become ready on port $PORT within 30 s; log tail:" >&2
    tail -n 30 "$DIR/postgres.log" >&2 || true
    exit 1
fi

if ! psql -h 127.0.0.1 -p "$PORT" -U churn -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'churn'" | grep -q 1; then
    psql -q -h 127.0.0.1 -p "$PORT" -U churn -d postgres -c "CREATE DATABASE churn" >/dev/null
fi

echo "export CHURN_TEST_POSTGRES_URL=postgres://churn@127.0.0.1:$PORT/churn"
echo "export CHURN_TEST_POSTGRES_DIR=$DIR"
