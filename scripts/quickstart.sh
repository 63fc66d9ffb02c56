#!/usr/bin/env bash
# The main job on a fresh machine: install what is needed, build, and start the whole system in one
# process (`churn serve all`): registry, trainer, predictor and the web gateway on loopback. On the
# first start it pushes the sample dataset (the bytes of data/customers.csv, made by `churn synth
# --rows 10000 --seed 0`), trains and promotes a first model, and prints "ready: … open http://…".
# State lives in ./churn-data; extra arguments go to `churn serve all` (see its --help). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product churn
churn="$(swift build -c release --show-bin-path)/churn"
exec "$churn" serve all --data-dir churn-data "$@"
