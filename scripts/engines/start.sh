#!/usr/bin/env bash
# Starts the real engines the scaled registry's tests use — a throwaway PostgreSQL 15 cluster and a
# SeaweedFS S3 server, both on free loopback ports — under DIR (default: a new temporary directory),
# and prints the `export` lines that point the tests at them. Run once per test run and share:
#   eval "$(scripts/engines/start.sh /tmp/engines)"; …; scripts/engines/stop.sh /tmp/engines
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:-$(mktemp -d /tmp/churn-engines.XXXXXX)}"
mkdir -p "$dir/postgres" "$dir/s3"
# PostgreSQL runs as the postgres user, which must be able to reach its directory.
chmod 711 "$dir"
"$here/start-postgres.sh" "$dir/postgres"
"$here/start-s3.sh" "$dir/s3"
echo "export CHURN_TEST_ENGINES_DIR=$dir"
