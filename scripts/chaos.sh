#!/usr/bin/env bash
# Reliability and security suite (issue 10; docs/reliability.md). Starts real registry, trainer,
# predictor and gateway processes with a token, then:
#   load    64 connections of 1-row and 100-row Predicts while the trainer trains, the alias moves and
#           a writer makes acknowledged writes; kill -9 of the registry, the trainer and the predictor
#           in turn, each restarted on its port; errors outside the killed predictor's own window must
#           be 0; every acknowledged dataset, model, alias move and job must be there afterwards;
#   hostile seeded random and mutated frames at every role, slow clients, truncated uploads, wrong
#           checksums, malformed CSVs (churn-chaos hostile);
#   security every state-changing opcode and HTTP route without a token and with a wrong one, hostile
#           names (churn-chaos security, curl);
#   disk    a registry on a tiny tmpfs (root) filled up, then made read-only: writes fail with a clear
#           error, reads keep working, nothing acknowledged is lost;
# and checks that no process crashed and each one's resident memory stayed bounded. Prints a table of
# figures; exits non-zero on any failure. Builds nothing: CHURN_BIN (default .build/debug/churn) runs
# the services, CHURN_CHAOS_BIN (default churn-chaos of the debug build) the drills.
#
#   scripts/chaos.sh [--profile ci|long]     ci: about 3 minutes; long: about 15 minutes
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=ci
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) PROFILE="${2:-}"; shift 2 ;;
    --profile=*) PROFILE="${1#--profile=}"; shift ;;
    *) echo "usage: scripts/chaos.sh [--profile ci|long]" >&2; exit 2 ;;
  esac
done
case "$PROFILE" in
  ci)   LOAD_SECONDS=36; KILL_AT=(7 15 23); FRAMES=40000; SLOW=4; RSS_LIMIT_MB=${RSS_LIMIT_MB:-1024} ;;
  long) LOAD_SECONDS=240; KILL_AT=(40 100 160); FRAMES=400000; SLOW=16; RSS_LIMIT_MB=${RSS_LIMIT_MB:-1024} ;;
  *) echo "chaos: unknown profile '$PROFILE' (ci or long)" >&2; exit 2 ;;
esac
CHURN="${CHURN_BIN:-.build/debug/churn}"
CHAOS="${CHURN_CHAOS_BIN:-$(swift build --show-bin-path)/churn-chaos}"
DATASET="${CHURN_DATASET:-$(dirname "$0")/../../shared/datasets/Churn_Modelling.csv}"
SEED="${CHAOS_SEED:-$(date +%s)}"
[ -x "$CHURN" ] || { echo "chaos: $CHURN is not built (swift build, or set CHURN_BIN)" >&2; exit 2; }
[ -x "$CHAOS" ] || { echo "chaos: $CHAOS is not built (swift build, or set CHURN_CHAOS_BIN)" >&2; exit 2; }
[ -f "$DATASET" ] || { echo "chaos: dataset $DATASET not found (set CHURN_DATASET)" >&2; exit 2; }

WORK="$(mktemp -d /tmp/churn-chaos.XXXXXX)"
TOKEN_FILE="$WORK/token"
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$TOKEN_FILE"
TOKEN="$(cat "$TOKEN_FILE")"
declare -A PID PORT
FAILURES=()
FIGURES=()
MOUNTED=""
cleanup() {
  for role in "${!PID[@]}"; do kill -9 "${PID[$role]}" 2>/dev/null || true; done
  for role in "${!PID[@]}"; do wait "${PID[$role]}" 2>/dev/null || true; done
  [ -n "$MOUNTED" ] && { umount -R "$MOUNTED" 2>/dev/null || umount -l "$MOUNTED" 2>/dev/null || true; }
  if [ "${CHAOS_KEEP:-0}" = 1 ]; then echo "chaos: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'echo "chaos: a command failed at line $LINENO (exit $?)" >&2' ERR
fail() { FAILURES+=("$1"); echo "FAIL: $1"; }
figure() { FIGURES+=("$1|$2"); }
json_field() { python3 -c 'import json,sys; v=json.loads(sys.argv[1]); print(v.get(sys.argv[2], ""))' "$1" "$2"; }
log() { echo "[chaos $(date +%H:%M:%S)] $*"; }

# start ROLE PORT ARGS...: starts `churn serve ROLE` on 127.0.0.1:PORT (0: any) and waits for it;
# SERVE_ROLE overrides the role served when ROLE is only a name (disk-registry).
start() {
  local role="$1" port="$2"; shift 2
  local out="$WORK/$role.out"
  : > "$out"
  "$CHURN" serve "${SERVE_ROLE:-$role}" --listen "127.0.0.1:$port" --token-file "$TOKEN_FILE" --log-level error "$@" \
    > "$out" 2>> "$WORK/$role.err" &
  PID[$role]=$!
  local found=""
  for _ in $(seq 1 400); do
    found="$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$out" | head -1)"
    [ -n "$found" ] && break
    kill -0 "${PID[$role]}" 2>/dev/null || break
    sleep 0.05
  done
  if [ -z "$found" ]; then
    echo "chaos: $role did not start"; cat "$WORK/$role.err"; exit 1
  fi
  PORT[$role]="$found"
}
rss_mb() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_mb() { awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }
alive() { kill -0 "${PID[$1]}" 2>/dev/null; }

registry_args() { echo --data-dir "$WORK/registry"; }
trainer_args() { echo --registry "127.0.0.1:${PORT[registry]}" --data-dir "$WORK/trainer" --promote never; }
predictor_args() { echo --registry "127.0.0.1:${PORT[registry]}" --model churn --alias production; }
R() { echo "127.0.0.1:${PORT[registry]}"; }
T() { echo "127.0.0.1:${PORT[trainer]}"; }
P() { echo "127.0.0.1:${PORT[predictor]}"; }
export CHURN_TOKEN="$TOKEN"

start_time=$(date +%s)
log "profile $PROFILE, seed $SEED, binary $CHURN, work $WORK"
# shellcheck disable=SC2046
start registry 0 $(registry_args)
# shellcheck disable=SC2046
start trainer 0 $(trainer_args)
"$CHURN" datasets push "$DATASET" --name bank --registry "$(R)" > /dev/null
for seed in 1 2; do
  "$CHURN" jobs submit --dataset bank --model churn --epochs 3 --seed "$seed" --trainer "$(T)" --watch > /dev/null
done
"$CHURN" models alias set churn production 1 --registry "$(R)" > /dev/null
# shellcheck disable=SC2046
start predictor 0 $(predictor_args)
"$CHURN" health --addr "$(P)" --wait 30 > /dev/null || { fail "predictor never served churn@production"; exit 1; }
: > "$WORK/gateway.out"  # created before the server starts, so the wait loop can read it at once
"$CHURN" serve gateway --listen 127.0.0.1:0 --predictor "$(P)" --registry "$(R)" --trainer "$(T)" \
  --token-file "$TOKEN_FILE" --log-level error > "$WORK/gateway.out" 2> "$WORK/gateway.err" &
PID[gateway]=$!
for _ in $(seq 1 200); do
  PORT[gateway]="$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$WORK/gateway.out" | head -1)"
  [ -n "${PORT[gateway]}" ] && break
  sleep 0.05
done
[ -n "${PORT[gateway]}" ] || { echo "chaos: gateway did not start"; cat "$WORK/gateway.err"; exit 1; }
G="http://127.0.0.1:${PORT[gateway]}"
log "services up in $(( $(date +%s) - start_time )) s: registry $(R) trainer $(T) predictor $(P) gateway $G"

# ---------------------------------------------------------------------------------------------
# Load with kills. A long training job keeps the trainer busy; the writer moves churn@production
# between versions 1 and 2 (the predictor hot-swaps under load) and makes acknowledged writes.
"$CHURN" jobs submit --dataset bank --model churn-background --epochs 400 --trainer "$(T)" > /dev/null
OUTAGE="$WORK/outage"
"$CHAOS" load --predictor "$(P)" --connections 64 --seconds "$LOAD_SECONDS" --outage-file "$OUTAGE" \
  > "$WORK/load.json" 2> "$WORK/load.err" &
LOAD_PID=$!
"$CHAOS" writer --registry "$(R)" --trainer "$(T)" --seconds "$((LOAD_SECONDS - 2))" --csv "$DATASET" \
  --version 1 --version 2 > "$WORK/acks.txt" 2> "$WORK/writer.err" &
WRITER_PID=$!
phase_start=$(date +%s)
wait_until() { while [ $(( $(date +%s) - phase_start )) -lt "$1" ]; do sleep 0.2; done; }
restart_times=()
for index in 0 1 2; do
  role=(registry trainer predictor); role=${role[$index]}
  wait_until "${KILL_AT[$index]}"
  [ "$role" = predictor ] && touch "$OUTAGE"
  log "kill -9 $role (pid ${PID[$role]})"
  kill -9 "${PID[$role]}"; wait "${PID[$role]}" 2>/dev/null || true
  killed_at=$(date +%s.%N)
  # shellcheck disable=SC2046
  start "$role" "${PORT[$role]}" $("${role}_args")
  if [ "$role" = predictor ]; then
    "$CHURN" health --addr "$(P)" --wait 30 > /dev/null || fail "restarted predictor did not serve a model"
  fi
  back=$(python3 -c "import time,sys; print('%.2f' % (time.time() - float(sys.argv[1])))" "$killed_at")
  restart_times+=("$role ${back}s")
  log "$role back after ${back} s"
  if [ "$role" = predictor ]; then sleep 1; rm -f "$OUTAGE"; fi
done
# The gateway's predictor connections reconnect by themselves (no gateway restart).
gateway_predict=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$G/api/v1/predict" -H 'Content-Type: application/json' \
  -d '{"rows":[{"CreditScore":600,"Geography":"France","Gender":"Female","Age":40,"Tenure":3,"Balance":60000,"NumOfProducts":2,"HasCrCard":1,"IsActiveMember":1,"EstimatedSalary":50000}]}' || true)
for _ in 1 2 3 4 5 6 7 8 9 10; do
  [ "$gateway_predict" = 200 ] && break
  sleep 0.5
  gateway_predict=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$G/api/v1/predict" -H 'Content-Type: application/json' \
    -d '{"rows":[{"CreditScore":600,"Geography":"France","Gender":"Female","Age":40,"Tenure":3,"Balance":60000,"NumOfProducts":2,"HasCrCard":1,"IsActiveMember":1,"EstimatedSalary":50000}]}' || true)
done
[ "$gateway_predict" = 200 ] || fail "gateway POST /api/v1/predict after the predictor restart answered $gateway_predict"
wait "$LOAD_PID" || true
wait "$WRITER_PID" || fail "chaos writer: $(tail -1 "$WORK/writer.err")"
LOAD="$(tail -1 "$WORK/load.json")"
echo "load: $LOAD"
[ "$(json_field "$LOAD" errors)" = 0 ] || fail "load: $(json_field "$LOAD" errors) errors outside the predictor's outage"
[ "$(json_field "$LOAD" mismatches)" = 0 ] || fail "load: answers differed for the same model version"
versions_seen=$(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])["versions_seen"]))' "$LOAD" 2>/dev/null || echo 0)
[ "$versions_seen" -ge 2 ] || fail "load: the predictor served $versions_seen model version(s); the alias moves were not followed"
echo "writer: $(tail -1 "$WORK/writer.err")"
VERIFY="$("$CHAOS" verify --registry "$(R)" --trainer "$(T)" --acks "$WORK/acks.txt" --wait-jobs 60)" \
  || fail "acknowledged writes: $VERIFY"
echo "verify: $VERIFY"
# After the registry restart the predictor still follows the alias: move it and watch ModelInfo.
"$CHURN" models alias set churn production 2 --registry "$(R)" > /dev/null
followed=no
for _ in $(seq 1 50); do
  if "$CHURN" health --addr "$(P)" --json | grep -q 'churn 2 '; then followed=yes; break; fi
  sleep 0.2
done
[ "$followed" = yes ] || fail "predictor did not follow churn@production to version 2 after the restarts"
figure "load" "$(json_field "$LOAD" requests) requests in $(json_field "$LOAD" seconds) s ($(json_field "$LOAD" requests_per_second)/s) over 64 connections; $(json_field "$LOAD" single_row) single-row, $(json_field "$LOAD" batch) 100-row"
figure "load latency" "p50 $(json_field "$LOAD" p50_us) us, p99 $(json_field "$LOAD" p99_us) us, p99.9 $(json_field "$LOAD" p999_us) us, max $(json_field "$LOAD" max_us) us"
figure "load errors" "$(json_field "$LOAD" errors) (outside outage); $(json_field "$LOAD" outage_errors) on the killed predictor's connections; $(json_field "$LOAD" reconnects) reconnects; model versions served: $versions_seen"
figure "kills" "${restart_times[*]} (kill -9 to serving again)"
figure "acknowledged writes" "$(json_field "$VERIFY" datasets) datasets, $(json_field "$VERIFY" models) models, $(json_field "$VERIFY" alias_moves) alias moves, $(json_field "$VERIFY" jobs) jobs $(json_field "$VERIFY" job_states); missing: $(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])["problems"]))' "$VERIFY" 2>/dev/null || echo '?')"
figure "client reconnect" "gateway predict after predictor restart: HTTP $gateway_predict; predictor followed the alias after the registry restart: $followed"

# ---------------------------------------------------------------------------------------------
# Hostile input at every role, then security. Resident memory is sampled now (the killed roles run
# as restarted processes) and again at the end; the peak (VmHWM) covers everything in between.
declare -A RSS_BEFORE
for role in registry trainer predictor gateway; do RSS_BEFORE[$role]=$(rss_mb "${PID[$role]}"); done
hostile_total=0
for role in predictor registry trainer; do
  extra=()
  [ "$role" = registry ] && extra=(--token-file "$TOKEN_FILE" --trainer "$(T)")
  addr="127.0.0.1:${PORT[$role]}"
  env -u CHURN_TOKEN "$CHAOS" hostile --role "$role" --addr "$addr" --frames "$FRAMES" --seed "$SEED" \
    --slow-clients "$SLOW" "${extra[@]}" > "$WORK/hostile-$role.txt" 2>&1 || fail "hostile $role: $(tail -1 "$WORK/hostile-$role.txt")"
  H="$(tail -1 "$WORK/hostile-$role.txt")"
  grep -E '^(refused|csv|accepted)' "$WORK/hostile-$role.txt" | sed 's/^/  /' || true
  echo "hostile $role: $H"
  hostile_total=$(( hostile_total + $(json_field "$H" frames || echo 0) ))
  figure "hostile $role" "$(json_field "$H" frames) frames (seed $SEED), $(json_field "$H" answers) answers, $(json_field "$H" connections) connections ($(json_field "$H" server_closes) closed by the server), probe max $(json_field "$H" probe_max_ms) ms; slow clients $(json_field "$H" slow_clients) ($(json_field "$H" slow_bytes_sent) bytes)"
done
figure "hostile frames total" "$hostile_total"
env -u CHURN_TOKEN "$CHAOS" security --registry "$(R)" --trainer "$(T)" --predictor "$(P)" --token-file "$TOKEN_FILE" \
  > "$WORK/security.txt" 2>&1 || fail "security (wire): $(grep FAILED "$WORK/security.txt" | head -5)"
sed 's/^/  /' "$WORK/security.txt" | head -400
SEC="$(tail -1 "$WORK/security.txt")"
http_attempts=0; http_refused=0
http_try() { # METHOD PATH LABEL AUTH-HEADER-VALUE(or empty) BODY CONTENT-TYPE
  local method="$1" path="$2" label="$3" auth="$4" body="$5" type="${6:-application/json}" code
  local args=(-s --path-as-is -o "$WORK/http.body" -w '%{http_code}' -X "$method" -H "Content-Type: $type" --data-binary "$body")
  local shown="$path"; [ "${#shown}" -gt 100 ] && shown="${shown:0:60}…(${#path} chars)"
  [ -n "$auth" ] && args+=(-H "Authorization: Bearer $auth")
  code=$(curl "${args[@]}" "$G$path" || echo 000)
  http_attempts=$((http_attempts + 1))
  if [ "$code" -ge 400 ] 2>/dev/null && [ "$code" -lt 500 ]; then
    http_refused=$((http_refused + 1))
    echo "  refused  HTTP $method $shown $label: $code $(head -c 140 "$WORK/http.body" | tr '\n' ' ')"
  else
    echo "  FAILED   HTTP $method $shown $label: $code $(head -c 140 "$WORK/http.body" | tr '\n' ' ')"
    fail "HTTP $method $shown $label answered $code"
  fi
}
routes=(
  "PUT|/api/v1/models/churn/aliases/production|{\"version\":1}|application/json"
  "POST|/api/v1/jobs|{\"dataset\":\"bank\",\"model_name\":\"chaos-sec\"}|application/json"
  "POST|/api/v1/jobs/1/cancel||application/json"
  "POST|/models/churn/1/promote|alias=production|application/x-www-form-urlencoded"
  "POST|/training|dataset=bank&model_name=chaos-sec&epochs=1|application/x-www-form-urlencoded"
)
for route in "${routes[@]}"; do
  IFS='|' read -r method path body type <<< "$route"
  http_try "$method" "$path" "without token" "" "$body" "$type"
  http_try "$method" "$path" "with a wrong token" "wrong-$TOKEN" "$body" "$type"
  [ "$type" = application/x-www-form-urlencoded ] && http_try "$method" "$path" "with a wrong form token" "" "$body&token=wrong" "$type"
done
for name in '..%2F..%2Fetc%2Fpasswd' '%00' "$(printf 'a%.0s' $(seq 1 10240))" '..'; do
  http_try PUT "/api/v1/models/$name/aliases/production" "hostile name (${#name} chars)" "$TOKEN" '{"version":1}'
  http_try PUT "/api/v1/models/churn/aliases/$name" "hostile alias (${#name} chars)" "$TOKEN" '{"version":1}'
  http_try POST "/api/v1/jobs" "hostile model_name (${#name} chars)" "$TOKEN" "{\"dataset\":\"bank\",\"model_name\":\"$name\"}"
done
[ ! -e /tmp/chaos-escape ] || fail "a file /tmp/chaos-escape appeared (path traversal)"
# Uploads dropped mid-way (hostile registry run) must not leave files in the registry's tmp/.
sleep 1
registry_tmp=$(find "$WORK/registry/tmp" -type f 2>/dev/null | wc -l)
[ "$registry_tmp" -eq 0 ] || fail "$registry_tmp upload temp files left in the registry's tmp/ after the dropped uploads"
figure "dropped uploads" "$registry_tmp temp files left in the registry's tmp/ after 12 uploads dropped mid-way"
figure "security (wire)" "$(json_field "$SEC" attempts) attempts, $(json_field "$SEC" refused) refused, $(json_field "$SEC" accepted_or_wrong) accepted or refused for the wrong reason"
figure "security (HTTP)" "$http_attempts attempts, $http_refused refused with 4xx"

# ---------------------------------------------------------------------------------------------
# Processes: none crashed (only the killed ones were restarted), resident memory bounded.
for role in registry trainer predictor gateway; do
  if ! alive "$role"; then fail "$role (pid ${PID[$role]}) is not running: $(tail -3 "$WORK/$role.err")"; continue; fi
  rss=$(rss_mb "${PID[$role]}"); hwm=$(hwm_mb "${PID[$role]}")
  figure "memory $role" "RSS ${RSS_BEFORE[$role]} MiB before hostile -> $rss MiB after security (peak $hwm MiB; limit $RSS_LIMIT_MB)"
  [ "$hwm" -le "$RSS_LIMIT_MB" ] || fail "$role peak RSS $hwm MiB over $RSS_LIMIT_MB MiB"
done
if grep -l -E 'Fatal error|Segmentation|stack dump|Crash' "$WORK"/*.err > /dev/null 2>&1; then
  fail "a process logged a crash: $(grep -h -E 'Fatal error|Segmentation|stack dump|Crash' "$WORK"/*.err | head -3)"
fi

# ---------------------------------------------------------------------------------------------
# Disk full and read-only data directory for a second registry.
DISK="$WORK/disk"
mkdir -p "$DISK"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=6m tmpfs "$DISK" 2>/dev/null; then
  MOUNTED="$DISK"
  SERVE_ROLE=registry start disk-registry 0 --data-dir "$DISK/data"
  DR="127.0.0.1:${PORT[disk-registry]}"
  : > "$WORK/disk-acks.txt"
  full_error=""
  for i in $(seq 1 40); do
    python3 -c 'import os, sys
rows = ["id,text"] + ["%d,%s" % (n, os.urandom(24).hex()) for n in range(12000)]
open(sys.argv[1], "w").write("\n".join(rows) + "\n")' "$WORK/blob.csv"
    if out=$("$CHURN" datasets push "$WORK/blob.csv" --name "fill" --registry "$DR" --json 2>&1); then
      python3 -c 'import json,sys; print(json.loads(sys.argv[1])["sha256"])' "$out" >> "$WORK/disk-acks.txt"
    else
      full_error="$out"; break
    fi
  done
  echo "disk full: $(wc -l < "$WORK/disk-acks.txt") pushes acknowledged, then: $full_error"
  [ -n "$full_error" ] || fail "disk full: 40 pushes into 6 MB all succeeded?"
  "$CHURN" datasets ls --registry "$DR" > /dev/null || fail "disk full: reads stopped working"
  # Read-only while running: the blob store's directories become read-only (a read-only bind mount
  # over each; the tmpfs itself cannot be remounted read-only while the server holds files open).
  for dir in tmp blobs; do mount --bind "$DISK/data/$dir" "$DISK/data/$dir" && mount -o remount,bind,ro "$DISK/data/$dir"; done
  rm -f "$WORK/blob.csv"; printf 'id,text\n1,a\n2,b\n' > "$WORK/small.csv"
  ro_push=$("$CHURN" datasets push "$WORK/small.csv" --name other --registry "$DR" 2>&1 && echo ACCEPTED || true)
  echo "read-only blob store: push -> $ro_push"
  case "$ro_push" in *ACCEPTED*) fail "read-only data dir: a push was acknowledged" ;; esac
  "$CHURN" datasets ls --registry "$DR" > /dev/null || fail "read-only: reads stopped working"
  "$CHURN" datasets fetch "fill@$(head -1 "$WORK/disk-acks.txt")" --out "$WORK/fetched.csv" --registry "$DR" > /dev/null \
    || fail "read-only: an acknowledged dataset cannot be fetched"
  for dir in tmp blobs; do umount "$DISK/data/$dir"; done
  # Read-only at start: the whole file system read-only, the registry restarted on it.
  kill -9 "${PID[disk-registry]}"; wait "${PID[disk-registry]}" 2>/dev/null || true
  mount -o remount,ro "$DISK"
  ro_start=$(timeout 20 "$CHURN" serve registry --listen 127.0.0.1:0 --data-dir "$DISK/data" --token-file "$TOKEN_FILE" 2>&1 | grep -v -e '^Usage:' -e "See 'churn" | head -2 || true)
  echo "read-only at start: $ro_start"
  case "$ro_start" in *"Read-only"*) ;; *) fail "registry on a read-only file system: no clear refusal ($ro_start)" ;; esac
  # Restart on the writable disk: every acknowledged push still fetches, checksum-verified.
  mount -o remount,rw "$DISK"
  SERVE_ROLE=registry start disk-registry "${PORT[disk-registry]}" --data-dir "$DISK/data"
  intact=0
  while read -r sha; do
    if "$CHURN" datasets fetch "fill@$sha" --out "$WORK/fetched.csv" --registry "$DR" > /dev/null 2>&1; then intact=$((intact + 1));
    else fail "disk full: acknowledged dataset fill@$sha cannot be fetched after restart"; fi
  done < "$WORK/disk-acks.txt"
  leftovers=$(find "$DISK/data/tmp" -type f | wc -l)
  figure "disk full (6 MB tmpfs)" "$(wc -l < "$WORK/disk-acks.txt") pushes acknowledged, all $intact fetched intact after restart; refusal: $(echo "$full_error" | head -1 | cut -c1-150)"
  figure "read-only blob store" "push refused while running: $(echo "$ro_push" | head -1 | cut -c1-150); reads kept working"
  figure "read-only at start" "$(echo "$ro_start" | head -1 | cut -c1-150)"
  figure "temp files left" "$leftovers in the registry's tmp/ after restart"
  kill -9 "${PID[disk-registry]}" 2>/dev/null || true; wait "${PID[disk-registry]}" 2>/dev/null || true
  unset 'PID[disk-registry]'
  umount "$DISK" 2>/dev/null || umount -l "$DISK"; MOUNTED=""
else
  figure "disk full / read-only" "skipped: needs root to mount a tmpfs"
fi

# ---------------------------------------------------------------------------------------------
echo
echo "chaos figures ($PROFILE profile, $(date -u +%Y-%m-%dT%H:%MZ), $(( $(date +%s) - start_time )) s)"
for row in "${FIGURES[@]}"; do printf '  %-22s %s\n' "${row%%|*}" "${row#*|}"; done
if [ "${#FAILURES[@]}" -gt 0 ]; then
  echo "chaos: ${#FAILURES[@]} failure(s):"; printf '  - %s\n' "${FAILURES[@]}"
  echo "chaos: 0 passed, ${#FAILURES[@]} failed"
  exit 1
fi
echo "chaos: passed"
