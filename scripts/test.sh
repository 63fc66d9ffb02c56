#!/usr/bin/env bash
# Builds Churn and runs every test suite: the Swift tests (unit, CLI and integration) and the
# Python reference client's tests against a real server process.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift test --skip-build
if [ -d Protocols/clients/python/tests ]; then
  CHURN_BIN="$(swift build --show-bin-path)/churn" python3 -m unittest discover -s Protocols/clients/python/tests -t Protocols/clients/python -v
fi
