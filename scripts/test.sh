#!/usr/bin/env bash
# Checks the formatting, builds Churn and runs every test suite: the Swift tests (unit, CLI and integration; the registry's
# against both its embedded store and PostgreSQL + S3, which scripts/engines/start.sh starts), the chaos run
# and bounded fuzzing (docs/reliability.md), then the Python tests (the bundle re-implemented in numpy,
# a real browser against the gateway, and the reference wire client against a real server process),
# then the Docker Compose end-to-end test where the engine can be started.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if ! python3 -c "import safetensors, numpy, selenium" 2>/dev/null; then
  python3 -m pip install --quiet safetensors numpy selenium 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages safetensors numpy selenium
fi
# The code follows .swift-format (docs/architecture.md "Formatting"): a finding fails the run.
swift format lint --strict --recursive --parallel Sources Tests
swift build --build-tests
unset CHURN_TEST_POSTGRES_URL CHURN_TEST_S3_ENDPOINT
swift test --skip-build
# The scaled registry's engines (docs/scaling.md): one throwaway PostgreSQL cluster and one SeaweedFS S3
# server for the rest of the run, shared by the suites and drills that use them; stopped when this
# script exits. The registry suite runs again, now against both stores, on its own: run inside the
# whole CPU-bound suite on two cores, its PostgreSQL calls starved past their 10 s deadline.
engines_dir="$(mktemp -d /tmp/churn-engines.XXXXXX)"
trap 'scripts/engines/stop.sh "$engines_dir"' EXIT
eval "$(scripts/engines/start.sh "$engines_dir")"
swift test --skip-build --filter RegistryTests
export CHURN_BIN="$(swift build --show-bin-path)/churn"
# The drills' client side (scripts/chaos.sh, the registry drills); `swift build --build-tests` built it.
export CHURN_CHAOS_BIN="$(swift build --show-bin-path)/churn-chaos"
# Reliability suite (docs/reliability.md): the chaos run's short profile against real processes, then
# bounded coverage-guided fuzzing of the frame decoder and the CSV reader.
scripts/chaos.sh --profile ci
# The scaled registry's drills (docs/scaling.md): two replicas over PostgreSQL + S3 with one killed -9
# and restarted 20 times under 8 publishers; then PostgreSQL killed and restarted, and S3 stopped
# (on engines of the drill's own, since it kills them).
scripts/registry-replicas-drill.sh 20 8
scripts/registry-outage-drill.sh
# Three predictor replicas behind the gateway under 64 HTTP connections, one killed -9 and restarted
# (docs/scaling.md): no request may fail; the gateway must drop it within 1 s and take it back within 2 s.
scripts/predictor-replicas-drill.sh 15
# Two registry replicas on the shared engines, everything else given both (docs/reliability.md): replica 1
# killed -9 and restarted under 64 HTTP connections of Predicts and a publish/alias-move loop: no request may
# fail, no write may be applied twice or lost once acknowledged, and writes must go on through replica 2.
scripts/registry-failover-drill.sh 20
# Two trainers sharing one PostgreSQL job queue (docs/scaling.md): 30 jobs, a random trainer killed -9 three
# times while they run: every job must succeed exactly once and publish exactly one version.
DRILL_EPOCHS=40 scripts/trainer-queue-drill.sh 30 3
scripts/fuzz.sh "${CHURN_FUZZ_SECONDS:-45}"
python3 -m unittest discover -s tests/python -v
python3 -m unittest discover -s tests/browser -v
if [ -d Protocols/clients/python/tests ]; then
  python3 -m unittest discover -s Protocols/clients/python/tests -t Protocols/clients/python -v
fi
# Docker Compose end to end (scripts/compose-e2e.sh; docs/deployment.md): runs where the Docker engine
# can be started as CI does it — as root, with ../shared/containers — or when CHURN_COMPOSE_E2E=1;
# CHURN_COMPOSE_E2E=0 skips it. --scaled: then the scaled stack (docker-compose.scale.yml: PostgreSQL,
# SeaweedFS, several replicas of each role, one of each killed) on the same engine and image;
# CHURN_COMPOSE_SCALED=0 leaves it out.
compose_e2e=${CHURN_COMPOSE_E2E:-auto}
if [ "$compose_e2e" = auto ]; then
  compose_e2e=0
  if [ "$(id -u)" -eq 0 ] && [ -x "${CHURN_CONTAINERS_DIR:-../shared/containers}/start-docker.sh" ]; then compose_e2e=1; fi
fi
if [ "$compose_e2e" = 1 ]; then
  if [ "${CHURN_COMPOSE_SCALED:-1}" = 0 ]; then scripts/compose-e2e.sh --auto; else scripts/compose-e2e.sh --auto --scaled; fi
else
  echo "compose-e2e: skipped (needs root and ../shared/containers/start-docker.sh; CHURN_COMPOSE_E2E=1 forces it)"
fi
