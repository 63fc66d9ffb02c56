#!/usr/bin/env bash
# Shared job queue drill (issue 17; docs/scaling.md, docs/reliability.md). A registry and two
# `churn serve trainer --jobs postgres://…` trainers sharing one PostgreSQL job queue. JOBS training
# jobs are submitted by four concurrent `churn jobs submit --trainer T1,T2`, while a random trainer
# is killed with kill -9 KILLS times (every 3 s), each restarted on its port a second later. Passes when every job
# ended exactly once and succeeded (no job lost, none failed), each job published exactly one model
# version (tag trainer.job_uid; no version published twice for one job), and the versions are
# exactly JOBS. Both trainers also auto-train one dataset: three pushes must make exactly three jobs. Prints one JSON line of figures: jobs, kills, re-runs (jobs run
# more than once because their trainer died), re-runs that found their earlier publish, seconds.
#
#   scripts/trainer-queue-drill.sh [JOBS] [KILLS]     (default 200 and 5; CHURN_BIN, DRILL_EPOCHS=100, DRILL_KEEP=1)
# Uses the PostgreSQL of scripts/engines/start.sh when CHURN_TEST_POSTGRES_URL is set, else starts its own.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${1:-200}"
KILLS="${2:-5}"
. scripts/lib/serve.sh
drill_begin trainer-queue
log() { echo "[trainer-queue $(date +%H:%M:%S)] $*" >&2; }
fail() { echo "trainer-queue drill FAILED: $*" >&2; exit 1; }
drill_database jobs
QUEUE="$DATABASE_URL"
trainer() { # INDEX PORT
  start "trainer$1" trainer "$2" --registry "$R" --jobs "$QUEUE" --job-lease 2 --promote never \
    --auto-train drill_auto:auto --epochs 5
}

start registry registry 0 --data-dir "$WORK/registry"
R="127.0.0.1:${PORT[registry]}"
"$CHURN" synth --rows 4000 --seed 3 --out "$WORK/customers.csv" > /dev/null
"$CHURN" datasets push "$WORK/customers.csv" --name drill --registry "$R" > /dev/null
trainer 1 0
trainer 2 0
T=("127.0.0.1:${PORT[trainer1]}" "127.0.0.1:${PORT[trainer2]}")
log "registry $R, trainers ${T[*]}, queue $QUEUE"

began=$(date +%s.%N)
# Kill a random trainer KILLS times, every 3 s from the first submission on, while jobs are submitted
# and run; restart it on its port a second later.
(
  for kill_index in $(seq 1 "$KILLS"); do
    sleep 2
    victim=$((RANDOM % 2 + 1))
    kill -9 "$(cat "$WORK/trainer$victim.pid")"
    log "kill $kill_index: trainer $victim"
    sleep 1
    trainer "$victim" "${PORT[trainer$victim]}"
  done
) &
KILLER=$!
# Four submitters at once, each through both trainers (the CLI's pool: a submit whose trainer was
# just killed goes to the other, with the same idempotency key).
export CHURN TRAINERS="${T[0]},${T[1]}" EPOCHS="${DRILL_EPOCHS:-100}"
seq 1 "$JOBS" | xargs -P 4 -I{} bash -c '
  "$CHURN" jobs submit --dataset drill --model drill --epochs "$EPOCHS" --seed {} --tag "drill_n={}" --trainer "$TRAINERS" --json > /dev/null' \
  || fail "a submit failed"
log "$JOBS jobs submitted"
wait "$KILLER" || fail "the killer loop failed"

# Wait until no job is queued or running (a dead trainer's job is re-run once its lease expires).
for _ in $(seq 1 1200); do
  open=$("$CHURN" jobs ls --state queued --state running --limit 1000 --trainer "${T[0]}" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
  [ "$open" = 0 ] && break
  sleep 0.5
done
[ "$open" = 0 ] || fail "$open jobs still open after 10 minutes"
ended=$(date +%s.%N)

# Auto-train on both trainers: three pushes must make exactly three jobs (one per push, not one per trainer).
for seed in 4 5 6; do
  "$CHURN" synth --rows 500 --seed "$seed" --out "$WORK/auto-$seed.csv" > /dev/null
  "$CHURN" datasets push "$WORK/auto-$seed.csv" --name drill_auto --registry "$R" > /dev/null
done
for _ in $(seq 1 200); do
  auto=$("$CHURN" models search 'name = "auto"' --registry "$R" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
  [ "$auto" -ge 3 ] && break
  sleep 0.25
done
sleep 2  # a duplicate job, if any, would have published by now
"$CHURN" models search 'name = "auto"' --registry "$R" --json > "$WORK/auto.json"
"$CHURN" jobs ls --limit 1000 --trainer "${T[1]}" --json > "$WORK/all.json"
python3 - "$WORK/all.json" "$WORK/auto.json" "$WORK/jobs.json" <<'PY'
import json, sys
jobs, auto = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
auto_jobs = [job for job in jobs if job["model_name"] == "auto"]
if len(auto_jobs) != 3 or len(auto) != 3:
    print(f"trainer-queue drill FAILED: 3 pushes made {len(auto_jobs)} auto-train jobs and {len(auto)} versions", file=sys.stderr)
    sys.exit(1)
json.dump([job for job in jobs if job["model_name"] != "auto"], open(sys.argv[3], "w"))
PY

"$CHURN" models search 'name = "drill" limit 1000' --registry "$R" --json > "$WORK/versions.json"
log "auto-train: 3 pushes, 3 jobs, 3 versions"
python3 - "$WORK/jobs.json" "$WORK/versions.json" "$JOBS" "$KILLS" "$began" "$ended" "$WORK" <<'PY'
import collections, json, sys
jobs = json.load(open(sys.argv[1]))
versions = json.load(open(sys.argv[2]))
expected, kills, began, ended, work = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), sys.argv[7]
problems = []
if len(jobs) != expected:
    problems.append(f"{len(jobs)} jobs in the queue, {expected} submitted")
by_n = collections.Counter(job["tags"].get("drill_n") for job in jobs)
missing = [n for n in range(1, expected + 1) if by_n[str(n)] != 1]
if missing:
    problems.append(f"submissions not stored exactly once: {missing[:10]}")
not_ok = [(job["id"], job["state"], job.get("error")) for job in jobs if job["state"] != "succeeded"]
if not_ok:
    problems.append(f"jobs that did not succeed: {not_ok[:5]}")
per_uid = collections.Counter(version["tags"].get("trainer.job_uid") for version in versions)
twice = [uid for uid, count in per_uid.items() if count > 1]
if twice:
    problems.append(f"jobs that published more than one version: {twice[:5]}")
if len(versions) != expected:
    problems.append(f"{len(versions)} model versions for {expected} jobs")
job_versions = sorted(job["result"]["model_version"] for job in jobs if job.get("result"))
if job_versions != sorted(version["version"] for version in versions):
    problems.append("the jobs' recorded versions are not the registry's versions")
rerun = [job for job in jobs if job["attempts"] > 1]
found_earlier = [job for job in rerun if any("not published again" in note for note in job.get("notes", []))]
figures = {
    "jobs": len(jobs), "succeeded": sum(job["state"] == "succeeded" for job in jobs), "kills": kills,
    "versions": len(versions), "reruns": len(rerun), "reruns_found_earlier_publish": len(found_earlier),
    "max_attempts": max((job["attempts"] for job in jobs), default=0), "seconds": round(ended - began, 1),
}
print(json.dumps(figures))
if problems:
    print("trainer-queue drill FAILED: " + "; ".join(problems), file=sys.stderr)
    sys.exit(1)
PY
log "passed"
