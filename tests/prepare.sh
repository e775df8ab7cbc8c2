#!/usr/bin/env bash
# Prepares this machine for `cargo test`: the integration tests need Debian's
# `docker-registry` (the registry-pull test starts one on a loopback port) and
# the local images that images/build.sh builds. Idempotent; about a second when
# everything is already there.
#
#   tests/prepare.sh && cargo test
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT

die() {
    echo "tests/prepare.sh: $*" >&2
    exit 1
}

as_root() {
    if [[ "$(id -u)" == 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

install_registry() {
    command -v apt-get >/dev/null || die "apt-get is needed to install docker-registry (this script expects Debian)"
    echo "installing Debian's docker-registry" >&2
    local log
    log="$(mktemp "${TMPDIR:-/tmp}/podc-prepare.XXXXXX")"
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get -q update >"$log" 2>&1 ||
        ! as_root env DEBIAN_FRONTEND=noninteractive apt-get -q install -y --no-install-recommends \
            docker-registry >>"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        die "cannot install docker-registry"
    fi
    rm -f "$log"
    # The package may start its own service on port 5000; the tests start their own registry
    # on a free port, so the packaged one only gets in the way.
    if command -v systemctl >/dev/null && systemctl is-active --quiet docker-registry 2>/dev/null; then
        as_root systemctl disable --now docker-registry >/dev/null 2>&1 || true
    fi
    if command -v service >/dev/null; then
        as_root service docker-registry stop >/dev/null 2>&1 || true
    fi
    command -v docker-registry >/dev/null || die "docker-registry was installed but is not on PATH"
}

# The previous podc build (the commit before the stored plan), for tests/upgrade.rs: built
# once from `git archive` into target/podc-previous/COMMIT (its binary: target/debug/podc).
build_previous_podc() {
    local commit=ca8c6db
    local dir="$ROOT/target/podc-previous/$commit"
    [[ -x "$dir/target/debug/podc" ]] && return 0
    # A shallow clone (some CI checkouts) may lack it: deepen it if the remote can.
    if ! git -C "$ROOT" cat-file -e "$commit^{commit}" 2>/dev/null &&
        [[ "$(git -C "$ROOT" rev-parse --is-shallow-repository 2>/dev/null)" == true ]]; then
        git -C "$ROOT" fetch --quiet --unshallow 2>/dev/null || true
    fi
    git -C "$ROOT" cat-file -e "$commit^{commit}" 2>/dev/null ||
        die "commit $commit (the previous podc, for tests/upgrade.rs) is not in this clone: fetch the full history"
    echo "building podc $commit (the previous build, for tests/upgrade.rs)" >&2
    rm -rf "$dir/src"
    mkdir -p "$dir/src"
    git -C "$ROOT" archive "$commit" | tar -x -C "$dir/src"
    cargo build --quiet --locked --manifest-path "$dir/src/Cargo.toml" --target-dir "$dir/target" ||
        die "cannot build podc $commit (the previous build, for tests/upgrade.rs)"
}

command -v docker >/dev/null || die "docker is not installed"
docker info >/dev/null 2>&1 || die "cannot reach the Docker daemon (is dockerd running?)"
command -v docker-registry >/dev/null || install_registry
command -v flock >/dev/null || die "flock (util-linux) is needed"

# The same lock the tests take, so a test binary building images at the same time waits.
flock /tmp/podc-test-images.lock "$ROOT/images/build.sh"

# `htpasswd` (apache2-utils): the registry-auth tests give their registry an htpasswd file.
if ! command -v htpasswd >/dev/null; then
    command -v apt-get >/dev/null || die "apt-get is needed to install apache2-utils (htpasswd)"
    echo "installing apache2-utils (htpasswd)" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -q install -y --no-install-recommends \
        apache2-utils >/dev/null 2>&1 ||
        { as_root env DEBIAN_FRONTEND=noninteractive apt-get -q update >/dev/null 2>&1 &&
            as_root env DEBIAN_FRONTEND=noninteractive apt-get -q install -y --no-install-recommends \
                apache2-utils >/dev/null; } ||
        die "cannot install apache2-utils (htpasswd)"
fi

build_previous_podc
