#!/usr/bin/env bash
# Side-by-side training benchmark for docs/performance.md: `churn bench train` (reference recipe,
# 8,000 rows, 100 epochs, batch 32) and the same recipe in Keras on the same rows, in one run, then
# the other figures of issue 2 (64,32 with batch 256; one epoch over 1,000,000 rows; reading them).
# Needs `pip install tensorflow-cpu` for the Keras part (skipped with a note when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
churn="${CHURN_BIN:-.build/release/churn}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$churn" synth --rows 10000 --seed 0 --out "$tmp/customers.csv" >/dev/null
echo "== churn, reference recipe"
"$churn" bench train --data "$tmp/customers.csv" --runs 5 --json | tee "$tmp/churn.json"
if python3 -c "import tensorflow" 2>/dev/null; then
  echo "== keras, same recipe, same rows"
  python3 scripts/bench_keras.py "$tmp/customers.csv" --runs "${KERAS_RUNS:-3}" | tee "$tmp/keras.json"
  python3 - "$tmp" <<'PY'
import json, sys
churn = json.load(open(f"{sys.argv[1]}/churn.json"))["train_seconds_median"]
keras = json.load(open(f"{sys.argv[1]}/keras.json"))["train_seconds_median"]
print(f"ratio: keras {keras:.2f} s / churn {churn:.4f} s = {keras / churn:.0f}x")
PY
else
  echo "(tensorflow not installed: pip install tensorflow-cpu for the Keras side)"
fi
echo "== churn, layers 64,32, batch 256"
"$churn" bench train --data "$tmp/customers.csv" --layers 64,32 --batch-size 256 --runs 5 --json
echo "== churn, one epoch over 1,000,000 rows"
"$churn" synth --rows 1000000 --seed 1 --out "$tmp/million.csv" >/dev/null
"$churn" bench train --data "$tmp/million.csv" --rows 0 --epochs 1 --runs 3 --json
