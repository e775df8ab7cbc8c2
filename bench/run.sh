#!/bin/sh
# The podc benchmark, one command: bench/run.sh
#
# Builds podc and the floor (examples/floor.rs) in release mode, then on this Docker daemon
# compares, interleaved round by round, podc with the floor (the bare Docker API calls doing the
# same work) and docker-compose, and measures the supervisor at rest. Prints a table and writes
# bench/results.json and bench/results.md. Removes everything it created, also on Ctrl-C.
#
# BENCH_ROUNDS=7 (classic and 10-member rounds), BENCH_SCALE_ROUNDS=3 (1/10/50-pod rounds),
# BENCH_SCALE=1,10,50, BENCH_IDLE_SECONDS=60, BENCH_PROBED_SECONDS=30, BENCH_PORT=18091, BENCH_PS_RUNS=7,
# BENCH_VERSION_RUNS=100. Needs: cargo, docker, docker-compose (v1), python3, the images of
# images/build.sh. About 8 minutes on 2 cores with the defaults.
set -eu
cd "$(dirname "$0")/.."
for tool in cargo docker docker-compose python3; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }
done
for image in podc/busybox podc/blog podc/nginx; do
    docker image inspect "$image:latest" >/dev/null 2>&1 ||
        { echo "bench: image $image is missing: run images/build.sh" >&2; exit 1; }
done
# The revision being built, for the report (the tree may change while the benchmark runs).
BENCH_PODC_REV="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
git status --porcelain --untracked-files=no -- src pause build.rs Cargo.toml Cargo.lock 2>/dev/null |
    grep -q . && BENCH_PODC_REV="$BENCH_PODC_REV + uncommitted changes"
export BENCH_PODC_REV
cargo build --release --bin podc --example floor
exec python3 bench/bench.py "$@"
