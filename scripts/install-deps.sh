#!/usr/bin/env bash
# Installs the system packages Churn needs on Debian/Ubuntu (the Swift 6 toolchain itself must
# already be on PATH: https://www.swift.org/install/linux/). chromium and chromium-driver are for
# the gateway's browser test (tests/browser); postgresql is the engine the scaled registry's tests start
# (scripts/engines/start-postgres.sh; SeaweedFS comes from PyPI in scripts/engines/start-s3.sh); wrk is the
# HTTP load of the registry failover drill and scripts/bench-gateway.sh.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
packages=(libopenblas-dev zlib1g-dev pkg-config python3 libsqlite3-dev chromium chromium-driver postgresql wrk)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! command -v swift >/dev/null 2>&1; then
  echo "error: the Swift 6 toolchain is not on PATH (see https://www.swift.org/install/linux/)" >&2
  exit 1
fi
