# Churn: one image, every role (`churn serve registry|trainer|predictor|gateway`). See docs/deployment.md.
#
#   docker compose build                                       # from source, in an official Swift image
#   docker compose build --build-arg CHURN_BINARY_SOURCE=prebuilt   # copy dist/churn built on the host:
#       swift build -c release --static-swift-stdlib --product churn
#       install -D "$(swift build -c release --show-bin-path)/churn" dist/churn
#
# The stage that is not selected is skipped by BuildKit (so `prebuilt` never pulls the Swift image).
# No `# syntax=` line on purpose: it would make BuildKit pull a frontend image.

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim
# build | prebuilt
ARG CHURN_BINARY_SOURCE=build

# ---- build: compile churn from source with a statically linked Swift runtime ----
FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libopenblas-dev zlib1g-dev pkg-config libsqlite3-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so a source change does not re-fetch them.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product churn \
 && install -D "$(swift build -c release --show-bin-path)/churn" /out/churn \
 && strip /out/churn

# ---- prebuilt: take a binary built on the host (same Debian release, same flags) ----
FROM scratch AS prebuilt
ARG CHURN_PREBUILT=dist/churn
COPY ${CHURN_PREBUILT} /out/churn

# ---- the selected binary ----
FROM ${CHURN_BINARY_SOURCE} AS binary

# ---- runtime ----
FROM ${RUNTIME_IMAGE} AS runtime
# libopenblas0: the matrix products; libsqlite3-0: the registry's and trainer's index (GRDB); zlib1g (gzip CSV) is in every Debian image. The Swift
# runtime and Foundation are linked into the binary; nothing imports FoundationNetworking (no libcurl).
# Directories a named volume is mounted on start out owned by `churn` (Docker copies the ownership):
# /var/lib/churn/* for data, /run/churn for the shared token.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libopenblas0 libsqlite3-0 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/churn --shell /usr/sbin/nologin churn \
 && install -d -o churn -g churn -m 0750 /var/lib/churn /var/lib/churn/registry /var/lib/churn/trainer /var/lib/churn/predictor /run/churn
COPY --from=binary /out/churn /usr/local/bin/churn
COPY docker/churn-http-health /usr/local/bin/churn-http-health
# The sample dataset the compose `bootstrap` service pushes on first start.
COPY data/customers.csv /usr/share/churn/customers.csv
# Fail the build now, not at `up`, if a shared library is missing.
RUN churn --version && ! ldd /usr/local/bin/churn | grep 'not found'
USER churn
WORKDIR /var/lib/churn
# registry 7400, trainer 7401, predictor 7402 (wire protocol); gateway 8080 (HTTP)
EXPOSE 7400 7401 7402 8080
# Every `churn serve` role drains and exits on SIGTERM (swift-service-lifecycle).
STOPSIGNAL SIGTERM
ENTRYPOINT ["churn"]
CMD ["--help"]
