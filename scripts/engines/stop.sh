#!/usr/bin/env bash
# Stops what scripts/engines/start.sh started under DIR and removes DIR.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:?usage: stop.sh DIR}"
"$here/stop-s3.sh" "$dir/s3" || true
"$here/stop-postgres.sh" "$dir/postgres" || true
rm -rf "$dir"
