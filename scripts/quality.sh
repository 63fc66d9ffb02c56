#!/usr/bin/env bash
# Trains the reference recipe on the real dataset with 5 seeds (80/20 stratified split each) and
# prints each seed's test accuracy and ROC-AUC and their means — the figures in docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/datasets/Churn_Modelling.csv}"
churn="${CHURN_BIN:-.build/release/churn}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for seed in 0 1 2 3 4; do
  "$churn" train "$data" --out "$tmp/model-$seed.churn" --seed "$seed" --json > "$tmp/result-$seed.json"
done
python3 - "$tmp" <<'PY'
import json, statistics, sys, pathlib
rows = [json.loads(p.read_text()) for p in sorted(pathlib.Path(sys.argv[1]).glob("result-*.json"))]
for seed, row in enumerate(rows):
    t = row["test"]
    print(f"seed {seed}: accuracy {t['accuracy']:.4f}  roc_auc {t['roc_auc']:.4f}  train_seconds {row['train_seconds']:.3f}")
acc = statistics.mean(r["test"]["accuracy"] for r in rows)
auc = statistics.mean(r["test"]["roc_auc"] for r in rows)
print(f"mean over {len(rows)} seeds: accuracy {acc:.4f}  roc_auc {auc:.4f}")
PY
