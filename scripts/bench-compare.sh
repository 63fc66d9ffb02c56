#!/usr/bin/env bash
# Two builds of churn side by side, in one run, on the ping, predict, train and score benchmarks:
# for a refactor that must not slow anything down. Each round runs every benchmark on both
# binaries, alternating which goes first, so load from the rest of the machine falls on both;
# the medians over the rounds and the ratio NEW/BASE are printed (above 1 = NEW faster, except
# for seconds, where below 1 = NEW faster).
#
#   scripts/bench-compare.sh BASE_BIN NEW_BIN            # ROUNDS=5
#   ROUNDS=3 JSON_OUT=/tmp/compare.jsonl scripts/bench-compare.sh old/churn .build/release/churn
#
# Env: ROUNDS, PING_REQUESTS (200000), PREDICT_REQUESTS (100000), BATCH_REQUESTS (4000, of 100
# rows), SCORE_ROWS (100000), JSON_OUT (optional: one JSON line per measurement).
set -euo pipefail
cd "$(dirname "$0")/.."

[[ $# -eq 2 ]] || { echo "usage: $0 BASE_BIN NEW_BIN" >&2; exit 2; }
BASE=$(realpath "$1"); NEW=$(realpath "$2")
for bin in "$BASE" "$NEW"; do [[ -x "$bin" ]] || { echo "not an executable: $bin" >&2; exit 2; }; done
ROUNDS=${ROUNDS:-5}
PING_REQUESTS=${PING_REQUESTS:-200000}
PREDICT_REQUESTS=${PREDICT_REQUESTS:-100000}
BATCH_REQUESTS=${BATCH_REQUESTS:-4000}
SCORE_ROWS=${SCORE_ROWS:-100000}
JSON_OUT=${JSON_OUT:-}
DATASET=../shared/datasets/Churn_Modelling.csv

WORK=$(mktemp -d)
source scripts/lib/serve.sh
declare -A PID PORT
cleanup() { stop_all; rm -rf "$WORK"; }
trap cleanup EXIT

# One model and one customer file, made by the base build, scored and served by both.
"$BASE" train "$DATASET" --out "$WORK/model.churnmodel" >/dev/null
"$BASE" synth --rows "$SCORE_ROWS" --seed 7 --out "$WORK/customers.csv" >/dev/null

# serve BIN ROLE PORT ARGS… — `BIN serve ROLE` through the drills' `start` (scripts/lib/serve.sh), named "server".
serve() { CHURN=$1; shift; start server "$@"; }
stop_server() { kill "${PID[server]}"; wait "${PID[server]}" 2>/dev/null || true; }

# record NAME WHICH VALUE — one measurement into $WORK/NAME.WHICH (and JSON_OUT).
record() {
    echo "$3" >>"$WORK/$1.$2"
    [[ -n "$JSON_OUT" ]] && echo "{\"measure\": \"$1\", \"build\": \"$2\", \"value\": $3}" >>"$JSON_OUT"
    return 0
}
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

# one_round WHICH BIN — every benchmark once on one binary.
one_round() {
    local which=$1 bin=$2
    serve "$bin" base 0
    record ping_c1_rps "$which" "$("$bin" bench ping --addr "127.0.0.1:${PORT[server]}" --requests "$PING_REQUESTS" --json | field requests_per_second)"
    record ping_c32_rps "$which" "$("$bin" bench ping --addr "127.0.0.1:${PORT[server]}" --concurrency 32 --requests "$PING_REQUESTS" --json | field requests_per_second)"
    stop_server
    serve "$bin" predictor 0 --model-file "$WORK/model.churnmodel"
    record predict_c1_rps "$which" "$("$bin" bench predict --addr "127.0.0.1:${PORT[server]}" --requests "$PREDICT_REQUESTS" --json | field requests_per_second)"
    record predict_c32_rps "$which" "$("$bin" bench predict --addr "127.0.0.1:${PORT[server]}" --concurrency 32 --requests "$PREDICT_REQUESTS" --json | field requests_per_second)"
    record predict_rows100_c4_rows_per_s "$which" "$("$bin" bench predict --addr "127.0.0.1:${PORT[server]}" --concurrency 4 --rows 100 --requests "$BATCH_REQUESTS" --json | field rows_per_second)"
    stop_server
    record train_seconds "$which" "$("$bin" bench train --runs 1 --json | field train_seconds_median)"
    record score_seconds "$which" "$("$bin" bench score "$WORK/model.churnmodel" "$WORK/customers.csv" --runs 1 --json | field total_seconds_median)"
}

for round in $(seq "$ROUNDS"); do
    echo "round $round of $ROUNDS…" >&2
    if (( round % 2 )); then one_round base "$BASE"; one_round new "$NEW"
    else one_round new "$NEW"; one_round base "$BASE"; fi
done

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2==1) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1); $(date -u '+%Y-%m-%d %H:%M UTC'); rounds: $ROUNDS (medians)"
echo "base: $BASE"
echo "new:  $NEW"
printf '%-30s %14s %14s %8s\n' measure base new new/base
for measure in ping_c1_rps ping_c32_rps predict_c1_rps predict_c32_rps predict_rows100_c4_rows_per_s train_seconds score_seconds; do
    b=$(median <"$WORK/$measure.base"); n=$(median <"$WORK/$measure.new")
    printf '%-30s %14.4g %14.4g %8.3f\n' "$measure" "$b" "$n" "$(python3 -c "print($n / $b)")"
done
