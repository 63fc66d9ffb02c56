#!/usr/bin/env bash
# Predictor replica drill (issue 17; docs/scaling.md, docs/reliability.md). A registry, a trainer,
# three `churn serve predictor` replicas following churn@production, and a gateway started with
# `--predictor P1,P2,P3`. 64 HTTP connections send 1-row Predicts through the gateway, closed loop,
# for SECONDS; predictor 2 is killed with kill -9 at 1/3 of the run and restarted on its port at
# 2/3. /healthz is polled every 50 ms to time when the gateway takes the replica out of rotation and
# when it puts it back. Passes when no request failed, the replica left the rotation within 1 s of
# the kill, and came back within 2 s of its restart, and `models show` lists all three replicas with
# the version each serves. Prints one JSON line of figures.
#
#   scripts/predictor-replicas-drill.sh [SECONDS]      (default 15; CHURN_BIN, CHURN_DATASET)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TOTAL="${1:-15}"
DATASET="${CHURN_DATASET:-$(dirname "$0")/../../shared/datasets/Churn_Modelling.csv}"
[ -f "$DATASET" ] || { echo "drill: dataset $DATASET not found (set CHURN_DATASET)" >&2; exit 2; }
DRILL_LOG_LEVEL=error
. scripts/lib/serve.sh
drill_begin predictors
log() { echo "[predictors $(date +%H:%M:%S)] $*" >&2; }

start registry registry 0 --data-dir "$WORK/registry"
R="127.0.0.1:${PORT[registry]}"
start trainer trainer 0 --registry "$R" --data-dir "$WORK/trainer" --promote never
"$CHURN" datasets push "$DATASET" --name bank --registry "$R" > /dev/null
"$CHURN" jobs submit --dataset bank --model churn --epochs 3 --seed 1 --trainer "127.0.0.1:${PORT[trainer]}" --watch > /dev/null
"$CHURN" models alias set churn production 1 --registry "$R" > /dev/null
PREDICTORS=()
for index in 1 2 3; do
  start "predictor$index" predictor 0 --registry "$R" --model churn --alias production --instance "predictor-$index"
  "$CHURN" health --addr "127.0.0.1:${PORT[predictor$index]}" --wait 30 > /dev/null
  PREDICTORS+=("127.0.0.1:${PORT[predictor$index]}")
done
LIST="$(IFS=,; echo "${PREDICTORS[*]}")"
start gateway gateway 0 --predictor "$LIST" --registry "$R"
G="http://127.0.0.1:${PORT[gateway]}"
log "registry $R, predictors $LIST, gateway $G"

python3 - "$G" "$SECONDS_TOTAL" "${PREDICTORS[1]}" "$WORK" <<'PY' &
import http.client, json, sys, threading, time
gateway, total, victim, work = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
host, port = gateway.replace("http://", "").split(":")
row = {"CreditScore": 619, "Geography": "France", "Gender": "Female", "Age": 42, "Tenure": 2, "Balance": 0,
       "NumOfProducts": 1, "HasCrCard": 1, "IsActiveMember": 1, "EstimatedSalary": 101348.88}
body = json.dumps({"rows": [row]})
start = time.time()
stop = start + total
lock = threading.Lock()
ok, failed, errors, versions = 0, 0, [], set()
def worker():
    global ok, failed
    connection = None
    while time.time() < stop:
        try:
            if connection is None:
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
            connection.request("POST", "/api/v1/predict", body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            data = response.read()
            with lock:
                if response.status == 200:
                    ok += 1
                    versions.add(json.loads(data).get("model", {}).get("version"))
                else:
                    failed += 1
                    errors.append(f"{time.time() - start:.2f}s HTTP {response.status}: {data[:200]!r}")
        except Exception as error:
            connection = None
            with lock:
                failed += 1
                errors.append(f"{time.time() - start:.2f}s {error!r}")
rotation = []  # (seconds since start, victim in rotation)
def poller():
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    while time.time() < stop:
        try:
            connection.request("GET", "/healthz")
            health = json.loads(connection.getresponse().read())
            for replica in health["roles"]["predictor"]["replicas"]:
                if replica["address"] == victim:
                    rotation.append((time.time() - start, replica["in_rotation"]))
        except Exception:
            connection = http.client.HTTPConnection(host, int(port), timeout=5)
        time.sleep(0.05)
threads = [threading.Thread(target=worker) for _ in range(64)] + [threading.Thread(target=poller)]
for thread in threads: thread.start()
for thread in threads: thread.join()
json.dump({"ok": ok, "failed": failed, "errors": errors[:20], "versions": sorted(v for v in versions if v is not None),
           "rotation": rotation, "seconds": total, "start": start}, open(f"{work}/load.json", "w"))
PY
LOAD=$!
sleep "$(python3 -c "print($SECONDS_TOTAL / 3)")"
killed_at=$(date +%s.%N)
log "kill -9 predictor 2 (${PREDICTORS[1]})"
kill -9 "${PID[predictor2]}"; wait "${PID[predictor2]}" 2>/dev/null || true
sleep "$(python3 -c "print($SECONDS_TOTAL / 3)")"
restarted_at=$(date +%s.%N)
log "restart predictor 2 on its port"
port2="${PORT[predictor2]}"
start predictor2 predictor "$port2" --registry "$R" --model churn --alias production --instance predictor-2
restarted_at_listening=$(date +%s.%N)
wait "$LOAD"
# Every replica reports what it serves: `models show` lists all three, each with version 1.
"$CHURN" models show churn@production --registry "$R" > "$WORK/show.txt"
for index in 1 2 3; do
  grep -Eq "^ *predictor-$index +1 " "$WORK/show.txt" \
    || { echo "predictor drill FAILED: models show does not list predictor-$index serving version 1:" >&2; cat "$WORK/show.txt" >&2; exit 1; }
done
log "models show lists predictor-1, predictor-2 and predictor-3, each serving version 1"
python3 - "$WORK/load.json" "$killed_at" "$restarted_at" "$restarted_at_listening" <<'PY'
import json, sys
load = json.load(open(sys.argv[1]))
killed, restarted, listening = (float(value) for value in sys.argv[2:5])
rotation = load.pop("rotation")
# The poller's times count from the load's start (wall clock, the same clock as `date`).
start = load["start"]
kill_offset, restart_offset, listening_offset = killed - start, restarted - start, listening - start
out = next((t for t, up in rotation if t >= kill_offset and not up), None)
back = next((t for t, up in rotation if t >= listening_offset and up), None)
figures = {
    "requests_ok": load["ok"], "requests_failed": load["failed"], "versions": load["versions"],
    "out_of_rotation_after_kill_s": None if out is None else round(out - kill_offset, 3),
    "back_in_rotation_after_restart_s": None if back is None else round(back - listening_offset, 3),
    "restart_to_listening_s": round(listening - restarted, 3), "errors": load["errors"],
}
print(json.dumps(figures))
problems = []
if load["failed"]: problems.append(f"{load['failed']} requests failed")
if out is None or out - kill_offset > 1.0: problems.append("the killed replica did not leave the rotation within 1 s")
if back is None or back - listening_offset > 2.0: problems.append("the restarted replica did not return within 2 s")
if problems:
    print("predictor drill FAILED: " + "; ".join(problems), file=sys.stderr); sys.exit(1)
print("predictor drill passed", file=sys.stderr)
PY
