#!/usr/bin/env bash
# Training inside the trainer service vs offline `churn train` on the same data and options.
#
# Starts a registry and a trainer (release build) on loopback, pushes the dataset, runs RUNS jobs one
# after another (`churn jobs submit --watch --json`) and RUNS offline `churn train` runs, and prints
# the medians: the job's train_ms (parse + train + evaluate + bundle, what `churn train` does), the
# job's wall time minus fetch and publish, and `churn train`'s wall time (process start included).
#
# Usage: scripts/bench-trainer.sh [DATA.csv] [RUNS]   (defaults: ../shared/datasets/Churn_Modelling.csv, 5)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-../shared/datasets/Churn_Modelling.csv}
RUNS=${2:-5}
BIN=.build/release/churn
[ -x "$BIN" ] || swift build -c release --product churn >/dev/null
WORK=$(mktemp -d)
REG_PORT=${REG_PORT:-7460}
TRAINER_PORT=${TRAINER_PORT:-7461}
cleanup() { kill "${TRAINER_PID:-}" "${REG_PID:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

"$BIN" serve registry --listen 127.0.0.1:$REG_PORT --data-dir "$WORK/registry" --log-level error >/dev/null &
REG_PID=$!
"$BIN" health --addr 127.0.0.1:$REG_PORT --wait 20 >/dev/null
"$BIN" serve trainer --listen 127.0.0.1:$TRAINER_PORT --registry 127.0.0.1:$REG_PORT --data-dir "$WORK/trainer" \
    --promote never --log-level error >/dev/null &
TRAINER_PID=$!
"$BIN" health --addr 127.0.0.1:$TRAINER_PORT --wait 20 >/dev/null
"$BIN" datasets push "$DATA" --name bench --registry 127.0.0.1:$REG_PORT >/dev/null

for i in $(seq "$RUNS"); do
    "$BIN" jobs submit --dataset bench --watch --json --trainer 127.0.0.1:$TRAINER_PORT >"$WORK/job-$i.json"
    start=$(date +%s%N)
    "$BIN" train "$DATA" --out "$WORK/offline.churn" --json >"$WORK/offline-$i.json"
    end=$(date +%s%N)
    echo $(( (end - start) / 1000 )) >"$WORK/offline-$i.us"
done

python3 - "$WORK" "$RUNS" <<'PY'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
jobs = [json.load(open(f"{work}/job-{i}.json")) for i in range(1, runs + 1)]
offline = [json.load(open(f"{work}/offline-{i}.json")) for i in range(1, runs + 1)]
offline_wall = [int(open(f"{work}/offline-{i}.us").read()) / 1000 for i in range(1, runs + 1)]
assert all(j["state"] == "succeeded" for j in jobs), [j.get("error") for j in jobs]
train_ms = [j["result"]["train_ms"] for j in jobs]
wall_minus = [(j["finished_ms"] - j["started_ms"]) - j["result"]["fetch_ms"] - j["result"]["publish_ms"] for j in jobs]
job_loop = [j["result"]["train_seconds"] * 1000 for j in jobs]
off_loop = [o["train_seconds"] * 1000 for o in offline]
same = all(j["result"]["metrics"]["roc_auc"] == o["test"]["roc_auc"] for j, o in zip(jobs, offline))
m = statistics.median
print(f"runs: {runs}; metrics identical to churn train: {same}")
print(f"job train_ms (parse+train+evaluate+bundle) median: {m(train_ms):.1f} ms   all: {[round(x, 1) for x in train_ms]}")
print(f"job wall - fetch - publish            median: {m(wall_minus):.1f} ms   all: {[round(x, 1) for x in wall_minus]}")
print(f"churn train process wall               median: {m(offline_wall):.1f} ms   all: {[round(x, 1) for x in offline_wall]}")
print(f"training loop: job {m(job_loop):.1f} ms vs churn train {m(off_loop):.1f} ms")
print(f"fetch_ms median {m([j['result']['fetch_ms'] for j in jobs]):.1f}, publish_ms median {m([j['result']['publish_ms'] for j in jobs]):.1f}")
print(f"ratio (job wall - fetch - publish) / churn train wall: {m(wall_minus) / m(offline_wall):.3f}")
print(f"ratio job train_ms / churn train wall: {m(train_ms) / m(offline_wall):.3f}")
PY
