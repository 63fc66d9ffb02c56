#!/usr/bin/env bash
# compose-e2e.sh [--partial | --auto] : proves docker-compose.yml end to end on a machine that cannot pull
# images (see docs/deployment.md and ../shared/containers/README.md). Needs root (it installs and
# starts Debian's Docker engine), the Swift toolchain and python3.
#
#   engine     start dockerd with its state under a temporary directory
#   base       make debian:bookworm-slim offline (debootstrap)
#   binary     swift build -c release --static-swift-stdlib on the host -> dist/churn
#   image      docker compose build with CHURN_BINARY_SOURCE=prebuilt
#   up         docker compose up -d --wait (bootstrap pushes the sample data; first model trained)
#   push       push the reference dataset (../shared/datasets/Churn_Modelling.csv) as `churn`
#   model      wait for the model trained on it and for `production` to be served
#   predict    POST /api/v1/predict through the gateway; Predict over RPC with the Python client
#   persist    restart the registry container: models, aliases and datasets survived
#   heal       `docker compose restart` each service in turn: all healthy again, predictions flow
#   stop       SIGTERM each container (`docker stop`): every one exits in under 2 s
#   down       docker compose down -v
#   teardown   (on any exit, by trap) logs on failure, down -v, stop the engine, remove its state
#
# --partial: for while `serve trainer`, `serve gateway` and the predictor's registry source do not
# exist yet: a temporary override runs only model-registry and a predictor serving --model-file (a
# bundle trained on the host); `push` also publishes that bundle with alias production; the gateway
# prediction is skipped. Everything else is the same.
# --auto: full when the binary has `serve trainer`, `serve gateway` and `serve predictor --registry`,
# else partial (what scripts/test.sh runs, so CI goes full by itself once those roles land).
#
# Environment: CHURN_CONTAINERS_DIR (default ../shared/containers), CHURN_E2E_DATASET (default
# ../shared/datasets/Churn_Modelling.csv), CHURN_DOCKER_DIR (engine state; default: a temporary
# directory, removed afterwards), CHURN_E2E_KEEP_ENGINE=1 (leave the engine running: faster reruns
# with a fixed CHURN_DOCKER_DIR).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"

MODE=full
for arg in "$@"; do
  case $arg in
    --partial) MODE=partial ;;
    --auto) MODE=auto ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "compose-e2e: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

CONTAINERS=${CHURN_CONTAINERS_DIR:-$REPO/../shared/containers}
DATASET=${CHURN_E2E_DATASET:-$REPO/../shared/datasets/Churn_Modelling.csv}
[ -x "$CONTAINERS/start-docker.sh" ] || { echo "compose-e2e: no $CONTAINERS/start-docker.sh" >&2; exit 1; }
[ -r "$DATASET" ] || { echo "compose-e2e: cannot read the dataset $DATASET" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "compose-e2e: must run as root (installs and starts dockerd)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/churn-compose-e2e.XXXXXX)
DOCKER_DIR=${CHURN_DOCKER_DIR:-$WORK/docker}
STARTED_ENGINE=0
COMPOSE_UP=0
export COMPOSE_PROJECT_NAME=churn-e2e-$$
export CHURN_IMAGE=churn:e2e
export CHURN_BINARY_SOURCE=prebuilt
export CHURN_PUBLISH_ADDRESS=127.0.0.1
CHURN_TOKEN=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
export CHURN_TOKEN
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
CHURN_HTTP_PORT=$(free_port)
CHURN_RPC_PORT=$(free_port)
export CHURN_HTTP_PORT CHURN_RPC_PORT
COMPOSE_FILES=(-f "$REPO/docker-compose.yml")
SERVICES=(model-registry trainer predictor gateway)

# ---- timing ----
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" -v f="${2:-%.1f}" 'BEGIN { printf f, b - a }'; } # seconds since $1
START=$(now)
PHASE=""
PHASE_START=$START
SUMMARY=""
phase() {
  if [ -n "$PHASE" ]; then
    SUMMARY+=$(printf '  %-8s %7s s' "$PHASE" "$(since "$PHASE_START")")$'\n'
  fi
  PHASE=$1
  PHASE_START=$(now)
  [ -n "$PHASE" ] && echo "== compose-e2e [$MODE]: $PHASE" >&2
  return 0
}
say() { echo "   $*" >&2; }
fail() { echo "compose-e2e: FAILED ($PHASE): $*" >&2; exit 1; }

compose() { docker compose "${COMPOSE_FILES[@]}" "$@"; }
# A churn client command inside the registry's container (the registry port is not published).
in_registry() { compose exec -T model-registry churn "$@"; }

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  [ "$rc" -eq 0 ] || echo "compose-e2e: FAILED in phase '$PHASE' (exit $rc)" >&2
  phase teardown
  if [ "$COMPOSE_UP" = 1 ]; then
    if [ "$rc" -ne 0 ]; then
      echo "---- docker compose ps / logs (failure) ----" >&2
      compose ps -a >&2
      compose logs --no-color --tail=40 >&2
    fi
    compose down -v --remove-orphans --timeout 10 >/dev/null 2>&1
  fi
  local engine_gone=1
  if [ "$STARTED_ENGINE" = 1 ] && [ "${CHURN_E2E_KEEP_ENGINE:-0}" != 1 ] && [ -f "$DOCKER_DIR/dockerd.pid" ]; then
    local pid
    pid=$(cat "$DOCKER_DIR/dockerd.pid")
    kill "$pid" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then engine_gone=0; echo "compose-e2e: dockerd $pid still running" >&2; fi
  elif [ "$STARTED_ENGINE" = 1 ]; then
    engine_gone=0
    echo "compose-e2e: engine left running: export DOCKER_HOST=unix://$DOCKER_DIR/docker.sock DOCKER_CONFIG=$DOCKER_DIR/dockercfg" >&2
  fi
  # The engine's state is removed only once dockerd has exited (its mounts are gone then).
  if [ "$engine_gone" = 1 ] || [ -n "${CHURN_DOCKER_DIR:-}" ]; then
    rm -rf "$WORK"
  else
    rm -rf "$WORK/partial" "$WORK/partial.yml"
  fi
  phase ""
  echo "compose-e2e [$MODE]: phases" >&2
  printf '%s' "$SUMMARY" >&2
  printf '  %-8s %7s s  (%s)\n' total "$(since "$START")" "$([ "$rc" -eq 0 ] && echo passed || echo FAILED)" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Python one-liners over JSON from stdin; argv[1] is the expression, `d` the document.
json() { python3 -c 'import json, sys; d = json.load(sys.stdin); v = eval(sys.argv[1]); print(v if not isinstance(v, (dict, list)) else json.dumps(v, sort_keys=True))' "$1"; }

# Waits until every service of ours is running and healthy (or until $1 seconds pass).
wait_healthy() {
  local deadline=$(($(date +%s) + $1)) service id state
  while :; do
    local all=1
    for service in "${SERVICES[@]}"; do
      id=$(compose ps -q "$service")
      state=$( [ -n "$id" ] && docker inspect -f '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id")
      [ "$state" = "running/healthy" ] || { all=0; break; }
    done
    [ "$all" = 1 ] && return 0
    [ "$(date +%s)" -lt "$deadline" ] || fail "$service is '$state' after $1 s"
    sleep 0.5
  done
}

ROW='{"RowNumber":1,"CustomerId":15634602,"Surname":"Hargrave","CreditScore":619,"Geography":"France","Gender":"Female","Age":42,"Tenure":2,"Balance":0,"NumOfProducts":1,"HasCrCard":1,"IsActiveMember":1,"EstimatedSalary":101348.88}'

# Predict through the gateway's JSON API; prints "VERSION PROBABILITY".
predict_http() {
  curl -fsS --max-time 10 -X POST -H 'Content-Type: application/json' \
    --data "{\"rows\":[$ROW]}" "http://127.0.0.1:$CHURN_HTTP_PORT/api/v1/predict" \
    | json '"%s %s" % (d["model"]["version"], d["predictions"][0]["probability"])'
}

# Predict over the predictor's published RPC port with the Python reference client.
predict_rpc() {
  (cd Protocols/clients/python && python3 -m churn_wire predict --addr "127.0.0.1:$CHURN_RPC_PORT" --row "$ROW" --json) \
    | json '"%s %s" % (d["version"], d["predictions"][0]["probability"])'
}

check_probability() { # $1 = "VERSION PROBABILITY", $2 = where
  local version=${1% *} probability=${1#* }
  python3 -c 'import sys; p = float(sys.argv[1]); sys.exit(0 if 0.0 <= p <= 1.0 else 1)' "$probability" \
    || fail "$2: probability '$probability' is not in [0, 1]"
  say "$2: probability $probability from model version $version"
}

# Predictions flow again, for up to $1 seconds, and answer with version $2 (if given).
wait_predictions() {
  local deadline=$(($(date +%s) + $1)) answer
  while :; do
    if answer=$(predict_rpc 2>/dev/null) && { [ -z "${2:-}" ] || [ "${answer% *}" = "$2" ]; }; then
      if [ "$MODE" = partial ] || answer=$(predict_http 2>/dev/null); then return 0; fi
    fi
    [ "$(date +%s)" -lt "$deadline" ] || fail "no prediction${2:+ from version $2} within $1 s (last: ${answer:-none})"
    sleep 0.5
  done
}

# ---------------------------------------------------------------------------------------------
phase engine
if DOCKER_HOST=unix://$DOCKER_DIR/docker.sock docker version >/dev/null 2>&1; then
  say "engine already running at $DOCKER_DIR"
else
  STARTED_ENGINE=1
fi
engine_env=$("$CONTAINERS/start-docker.sh" "$DOCKER_DIR") || fail "start-docker.sh failed (see $DOCKER_DIR/dockerd.log)"
eval "$engine_env"
docker compose version >&2

phase base
"$CONTAINERS/make-base-image.sh" >&2

phase binary
swift build -c release --static-swift-stdlib --product churn >&2
install -D -m 0755 "$(swift build -c release --static-swift-stdlib --show-bin-path)/churn" dist/churn
strip dist/churn
say "dist/churn: $(du -h dist/churn | cut -f1), needs: $(ldd dist/churn | awk '/=>/{print $1}' | tr '\n' ' ')"

if [ "$MODE" = auto ]; then
  if dist/churn serve trainer --help >/dev/null 2>&1 && dist/churn serve gateway --help >/dev/null 2>&1 \
    && dist/churn serve predictor --help 2>/dev/null | grep -q -- '--registry'; then
    MODE=full
  else
    MODE=partial
    say "auto: serve trainer / serve gateway / serve predictor --registry not all in this build: running --partial"
  fi
fi
if [ "$MODE" = partial ]; then
  # A bundle trained on the host for the predictor's --model-file.
  mkdir -p "$WORK/partial"
  chmod 0755 "$WORK" "$WORK/partial"
  dist/churn train "$DATASET" --out "$WORK/partial/churn.bundle" --seed 1 >/dev/null
  chmod 0644 "$WORK/partial/churn.bundle"
  cat > "$WORK/partial.yml" <<YML
# compose-e2e --partial: only the roles that exist today.
services:
  trainer: { profiles: [later] }
  bootstrap: { profiles: [later] }
  gateway: { profiles: [later] }
  predictor:
    command: !override
      - serve
      - predictor
      - --listen=0.0.0.0:7402
      - --model-file=/var/lib/churn/predictor/churn.bundle
      - --model-name=churn
      - --poll-interval=1
      - --token-file=/run/churn/token
    volumes:
      - $WORK/partial:/var/lib/churn/predictor:ro
    depends_on: !override
      model-registry:
        condition: service_healthy
YML
  COMPOSE_FILES+=(-f "$WORK/partial.yml")
  SERVICES=(model-registry predictor)
fi
compose config -q

phase image
compose build >&2
docker image ls "$CHURN_IMAGE" >&2

phase up
COMPOSE_UP=1
compose up -d --wait --wait-timeout 300 >&2
compose ps >&2

phase push
[ "$(compose exec -T model-registry cat /run/churn/token)" = "$CHURN_TOKEN" ] || fail "the token volume does not hold CHURN_TOKEN"
compose exec -T model-registry sh -c 'cat > /tmp/reference.csv' < "$DATASET"
if in_registry datasets push /tmp/reference.csv --name intruder >/dev/null 2>&1; then
  fail "the registry accepted a push without the token"
fi
say "a push without the token is refused"
DATASET_SHA=$(in_registry datasets push /tmp/reference.csv --name churn --description "reference (Kaggle bank churn)" \
  --token-file /run/churn/token --json | json 'd["sha256"]')
say "pushed the reference dataset as churn (sha256 ${DATASET_SHA:0:12})"
if [ "$MODE" = partial ]; then
  compose exec -T model-registry sh -c 'cat > /tmp/churn.bundle' < "$WORK/partial/churn.bundle"
  in_registry models publish /tmp/churn.bundle --name churn --alias production --token-file /run/churn/token >&2
fi

phase model
# The version trained on the reference dataset, and the version `production` points at.
# Settled: the same listing twice, 2 s apart (publishing and promotion may be separate steps).
deadline=$(($(date +%s) + 300))
previous=""
while :; do
  versions=$(in_registry models ls churn --json 2>/dev/null || echo '[]')
  TRAINED=$(echo "$versions" | json "max([v['version'] for v in d if v['dataset_sha256'] == '$DATASET_SHA'], default='')")
  PRODUCTION=$(echo "$versions" | json "max([v['version'] for v in d if 'production' in v['aliases']], default='')")
  if [ -n "$TRAINED" ] && [ -n "$PRODUCTION" ]; then
    [ "$versions" = "$previous" ] && break
    previous=$versions
    sleep 2
    continue
  fi
  [ "$(date +%s)" -lt "$deadline" ] || fail "no model trained on the reference dataset within 300 s"
  sleep 1
done
say "churn@$TRAINED trained on the reference data; production is churn@$PRODUCTION"
if [ "$MODE" = full ]; then
  wait_predictions 120 "$PRODUCTION"
else
  wait_predictions 60
fi

phase predict
if [ "$MODE" = full ]; then
  HTTP_ANSWER=$(predict_http) || fail "POST /api/v1/predict failed"
  check_probability "$HTTP_ANSWER" "gateway POST /api/v1/predict"
fi
RPC_ANSWER=$(predict_rpc) || fail "Python client Predict over RPC failed"
check_probability "$RPC_ANSWER" "predictor RPC (Python client)"
if [ "$MODE" = full ] && [ "${HTTP_ANSWER% *}" != "${RPC_ANSWER% *}" ]; then
  fail "the gateway answered with version ${HTTP_ANSWER% *}, the predictor with ${RPC_ANSWER% *}"
fi

phase persist
models_before=$(in_registry models ls churn --json | json '[(v["version"], v["bundle_sha256"], v["aliases"]) for v in d]')
datasets_before=$(in_registry datasets ls --json | json 'sorted((r["name"], r["sha256"]) for r in d)')
history_before=$(in_registry models history churn --json)
compose restart model-registry >&2
wait_healthy 60
models_after=$(in_registry models ls churn --json | json '[(v["version"], v["bundle_sha256"], v["aliases"]) for v in d]')
datasets_after=$(in_registry datasets ls --json | json 'sorted((r["name"], r["sha256"]) for r in d)')
history_after=$(in_registry models history churn --json)
[ "$models_before" = "$models_after" ] || fail "models changed across the restart: $models_before -> $models_after"
[ "$datasets_before" = "$datasets_after" ] || fail "datasets changed across the restart"
[ "$history_before" = "$history_after" ] || fail "the alias history changed across the restart"
say "after the registry restart: $(echo "$models_after" | json 'len(d)') model versions (aliases included), $(echo "$datasets_after" | json 'len(d)') datasets, the alias history: all unchanged"
wait_predictions 30

phase heal
for service in "${SERVICES[@]}"; do
  t0=$(now)
  compose restart "$service" >/dev/null 2>&1
  wait_healthy 120
  wait_predictions 60
  say "restart $service: healthy and predicting again after $(since "$t0") s"
done

phase stop
slowest=0
for service in "${SERVICES[@]}"; do
  id=$(compose ps -q "$service")
  t0=$(now)
  docker stop -t 10 "$id" >/dev/null
  took=$(since "$t0" %.2f)
  code=$(docker inspect -f '{{.State.ExitCode}}' "$id")
  say "docker stop $service: $took s (exit code $code)"
  awk -v t="$took" 'BEGIN { exit !(t < 2) }' || fail "$service took $took s to stop on SIGTERM (limit 2 s)"
done

phase down
compose down -v --remove-orphans --timeout 10 >&2
COMPOSE_UP=0
leftover=$(docker volume ls -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME")
[ -z "$leftover" ] || fail "volumes left after down -v: $leftover"
echo "compose-e2e [$MODE]: passed" >&2
