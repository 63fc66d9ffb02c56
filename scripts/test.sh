#!/usr/bin/env bash
# Builds Churn and runs every test suite: the Swift tests (unit, CLI and integration), then the
# Python tests (the bundle re-implemented in numpy, a real browser against the gateway, and the
# reference wire client against a real server process).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if ! python3 -c "import safetensors, numpy, selenium" 2>/dev/null; then
  python3 -m pip install --quiet safetensors numpy selenium 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages safetensors numpy selenium
fi
swift build --build-tests
swift test --skip-build
export CHURN_BIN="$(swift build --show-bin-path)/churn"
python3 -m unittest discover -s tests/python -v
python3 -m unittest discover -s tests/browser -v
if [ -d Protocols/clients/python/tests ]; then
  python3 -m unittest discover -s Protocols/clients/python/tests -t Protocols/clients/python -v
fi
