#!/usr/bin/env bash
# Predict throughput with the prediction log on and off, side by side in one run (#19: logging on
# must keep at least 0.9x of logging off). Each round serves the same model twice — without a log,
# then with `--log-dir` (every request logged), alternating which goes first — and runs
# `churn bench predict` at concurrency 1 and 32 against each; medians over the rounds and the
# ratio on/off are printed, with the entries the log wrote and dropped.
#
#   scripts/bench-prediction-log.sh [BIN]        # BIN default .build/release/churn; ROUNDS=5
#
# Env: ROUNDS, PREDICT_REQUESTS (100000).
set -euo pipefail
cd "$(dirname "$0")/.."

CHURN=$(realpath "${1:-.build/release/churn}")
[[ -x "$CHURN" ]] || { echo "not an executable: $CHURN (swift build -c release --product churn)" >&2; exit 2; }
ROUNDS=${ROUNDS:-5}
PREDICT_REQUESTS=${PREDICT_REQUESTS:-100000}
DATASET=../shared/datasets/Churn_Modelling.csv

WORK=$(mktemp -d)
source scripts/lib/serve.sh
declare -A PID PORT
cleanup() { stop_all; rm -rf "$WORK"; }
trap cleanup EXIT

"$CHURN" train "$DATASET" --out "$WORK/model.churnmodel" >/dev/null

field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
stop_server() { kill "${PID[server]}"; wait "${PID[server]}" 2>/dev/null || true; }

# one_round WHICH — both concurrencies against a predictor with the log off or on.
one_round() {
    local which=$1 extra=()
    if [[ $which == on ]]; then
        rm -rf "$WORK/log"
        extra=(--log-dir "$WORK/log" --metrics 127.0.0.1:0)
    fi
    start server predictor 0 --model-file "$WORK/model.churnmodel" "${extra[@]}"
    local address="127.0.0.1:${PORT[server]}"
    "$CHURN" bench predict --addr "$address" --requests "$PREDICT_REQUESTS" --json | field requests_per_second >>"$WORK/c1.$which"
    "$CHURN" bench predict --addr "$address" --concurrency 32 --requests "$PREDICT_REQUESTS" --json \
        | field requests_per_second >>"$WORK/c32.$which"
    if [[ $which == on ]]; then
        local metrics
        metrics=$(sed -n 's|.*metrics on \(http://[0-9.:]*/metrics\).*|\1|p' "$WORK/server.out" | head -1)
        sleep 0.2  # one flush interval and more
        curl -s "$metrics" | awk '/^predictor_log_(written|dropped)_total /{print $1, $2}' >>"$WORK/log.counts"
    fi
    stop_server
}

for round in $(seq "$ROUNDS"); do
    echo "round $round of $ROUNDS…" >&2
    if (( round % 2 )); then one_round off; one_round on; else one_round on; one_round off; fi
done

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2==1) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1); $(date -u '+%Y-%m-%d %H:%M UTC'); rounds: $ROUNDS (medians), $PREDICT_REQUESTS requests each"
printf '%-22s %12s %12s %8s\n' "predict requests/s" "log off" "log on" "on/off"
for measure in c1 c32; do
    off=$(median <"$WORK/$measure.off"); on=$(median <"$WORK/$measure.on")
    printf '%-22s %12.0f %12.0f %8.3f\n' "concurrency ${measure#c}" "$off" "$on" "$(python3 -c "print($on / $off)")"
done
for measure in c1 c32; do
    echo "  per round, concurrency ${measure#c}: off $(tr '\n' ' ' <"$WORK/$measure.off")| on $(tr '\n' ' ' <"$WORK/$measure.on")"
done
echo "log entries per round (written, dropped):"
awk '{v[$1] = v[$1] " " $2} END {for (k in v) print "  " k ":" v[k]}' "$WORK/log.counts" | sort
