#!/usr/bin/env bash
# Builds the local images podc's examples and tests use, without pulling
# anything: each is FROM scratch plus binaries from Debian packages.
#
#   images/build.sh                 # busybox, blog, nginx and grpc, in that order
#   images/build.sh nginx blog      # only these (busybox too if it is missing)
#
# Debian packages are fetched with `apt-get download` (no install, no service
# started) and cached in ${XDG_CACHE_HOME:-$HOME/.cache}/podc-images; build
# contexts are assembled in a temporary directory. Re-running is cheap: cached
# packages are reused and docker's build cache does the rest. The pause image is
# not built here: podc builds it itself from its embedded pause program.
set -euo pipefail

IMAGES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly IMAGES_DIR
readonly CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/podc-images"
readonly DEB_DIR="$CACHE_DIR/debs"
# Dependency order: blog is FROM podc/busybox.
readonly ALL_IMAGES=(busybox blog nginx grpc)

die() {
    echo "images/build.sh: $*" >&2
    exit 1
}

usage() {
    echo "usage: $0 [IMAGE]...    (IMAGE: ${ALL_IMAGES[*]}; default: all)" >&2
    exit 2
}

WORK=""
cleanup() {
    if [[ -n "$WORK" ]]; then
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

# apt-get download PKG into the cache, running `apt-get update` only when the
# download fails (e.g. a fresh machine with no package lists yet).
apt_download() {
    local pkg="$1"
    local -a opts=(-q)
    # As root, apt wants to drop to the _apt user, who cannot write into the cache.
    if [[ "$(id -u)" == 0 ]]; then
        opts+=(-o APT::Sandbox::User=root)
    fi
    if ! (cd "$DEB_DIR" && apt-get "${opts[@]}" download "$pkg") >"$WORK/apt.log" 2>&1; then
        echo "apt-get download $pkg failed; running apt-get update" >&2
        apt-get -q update >"$WORK/apt-update.log" 2>&1 ||
            { cat "$WORK/apt-update.log" >&2; die "apt-get update failed"; }
        (cd "$DEB_DIR" && apt-get "${opts[@]}" download "$pkg") >"$WORK/apt.log" 2>&1 ||
            { cat "$WORK/apt.log" >&2; die "cannot download Debian package $pkg"; }
    fi
}

# Prints the path of the cached .deb for PKG, downloading it first if needed.
deb_path() {
    local pkg="$1" found
    found="$(cached_deb "$pkg")"
    if [[ -z "$found" ]]; then
        apt_download "$pkg"
        found="$(cached_deb "$pkg")"
        [[ -n "$found" ]] || die "apt-get download $pkg left no ${pkg}_*.deb in $DEB_DIR"
    fi
    echo "$found"
}

# The newest cached .deb of PKG for this machine's architecture (or "all"), if any.
cached_deb() {
    local pkg="$1" arch newest="" deb
    arch="$(dpkg --print-architecture)"
    for deb in "$DEB_DIR/${pkg}_"*"_${arch}.deb" "$DEB_DIR/${pkg}_"*"_all.deb"; do
        [[ -f "$deb" ]] || continue
        if [[ -z "$newest" || "$deb" -nt "$newest" ]]; then
            newest="$deb"
        fi
    done
    echo "$newest"
}

# Extracts PKG's files into DIR.
extract() {
    local pkg="$1" dir="$2" deb
    deb="$(deb_path "$pkg")"
    mkdir -p "$dir"
    dpkg-deb -x "$deb" "$dir"
}

# Builds image NAME (podc/NAME:latest) from the assembled context CTX.
docker_build() {
    local name="$1" ctx="$2" tag="podc/$1:latest" size
    cp "$IMAGES_DIR/$name"/* "$ctx/"
    if ! docker build -t "$tag" "$ctx" >"$WORK/build-$name.log" 2>&1; then
        cat "$WORK/build-$name.log" >&2
        die "docker build of $tag failed"
    fi
    size="$(docker image ls --format '{{.Size}}' "$tag" | head -n 1)"
    printf '%-22s %s\n' "$tag" "$size"
}

build_busybox() {
    local ctx="$WORK/busybox" pkgroot="$WORK/pkg-busybox"
    local root="$ctx/rootfs"
    extract busybox-static "$pkgroot"
    mkdir -p "$root/bin" "$root/etc" "$root/root"
    cp "$pkgroot/bin/busybox" "$root/bin/busybox"
    cp "$IMAGES_DIR/busybox/passwd" "$IMAGES_DIR/busybox/group" "$root/etc/"
    chmod 0644 "$root/etc/passwd" "$root/etc/group"
    chmod 0700 "$root/root"
    mkdir -p "$root/tmp"
    chmod 1777 "$root/tmp"
    docker_build busybox "$ctx"
}

build_blog() {
    local ctx="$WORK/blog"
    mkdir -p "$ctx"
    docker_build blog "$ctx"
}

# Maps a shared library that the host lacks to the Debian package shipping it.
package_for_library() {
    case "$1" in
        libssl.so.3 | libcrypto.so.3) echo libssl3 ;;
        libpcre2-8.so.0) echo libpcre2-8-0 ;;
        libcrypt.so.1) echo libcrypt1 ;;
        libz.so.1) echo zlib1g ;;
        *) die "nginx needs $1, which this machine lacks; install the package that ships it" ;;
    esac
}

# ldd BINARY, also searching the colon-separated directories LIBPATH (if any).
ldd_with() {
    local binary="$1" libpath="$2"
    if [[ -n "$libpath" ]]; then
        LD_LIBRARY_PATH="$libpath" ldd "$binary"
    else
        ldd "$binary"
    fi
}

# Lists "image-path<TAB>source-path" for every shared object BINARY loads.
# Libraries the host lacks are fetched from their packages into LIBROOT.
library_list() {
    local binary="$1" libroot="$2" libpath="" missing dir pkg lib
    while true; do
        missing="$(ldd_with "$binary" "$libpath" | awk '$2 == "=>" && $3 == "not" { print $1 }')"
        [[ -z "$missing" ]] && break
        [[ -z "$libpath" ]] || die "still missing after fetching packages: $missing"
        for lib in $missing; do
            pkg="$(package_for_library "$lib")"
            echo "$lib is not on this machine; taking it from Debian package $pkg" >&2
            extract "$pkg" "$libroot"
        done
        libpath=""
        while IFS= read -r dir; do
            libpath="${libpath:+$libpath:}$dir"
        done < <(find "$libroot" -name '*.so*' -printf '%h\n' | sort -u)
    done
    ldd_with "$binary" "$libpath" | awk '
        $2 == "=>" && $3 ~ /^\// { print $3 }
        $1 ~ /^\// { print $1 }' |
        while IFS= read -r src; do
            # A library from LIBROOT goes where its package would install it.
            printf '%s\t%s\n' "${src#"$libroot"}" "$src"
        done
}

build_nginx() {
    local ctx="$WORK/nginx" pkgroot="$WORK/pkg-nginx" libroot="$WORK/pkg-libs"
    local root="$ctx/rootfs" pkg="" candidate dest src

    # Debian 12's nginx-light is an empty transitional package; the binary is in
    # nginx (older releases ship it in nginx-light or nginx-core).
    for candidate in nginx nginx-light nginx-core; do
        rm -rf "$pkgroot"
        extract "$candidate" "$pkgroot"
        if [[ -x "$pkgroot/usr/sbin/nginx" ]]; then
            pkg="$candidate"
            break
        fi
    done
    [[ -n "$pkg" ]] || die "no Debian package with /usr/sbin/nginx found"
    extract nginx-common "$pkgroot"

    mkdir -p "$root/usr/sbin" "$root/etc/nginx/conf.d" "$root/usr/share/nginx/html" \
        "$root/var/log/nginx" "$root/var/lib/nginx" "$root/var/www" "$root/run"
    cp "$pkgroot/usr/sbin/nginx" "$root/usr/sbin/nginx"
    cp "$pkgroot/etc/nginx/mime.types" "$root/etc/nginx/mime.types"
    while IFS=$'\t' read -r dest src; do
        mkdir -p "$root$(dirname "$dest")"
        cp -L "$src" "$root$dest"
    done < <(library_list "$pkgroot/usr/sbin/nginx" "$libroot")
    # Logs go to the container's output, as `docker logs` expects.
    ln -s /dev/stdout "$root/var/log/nginx/access.log"
    ln -s /dev/stderr "$root/var/log/nginx/error.log"
    mkdir -p "$root/tmp"
    chmod 1777 "$root/tmp"
    # https.conf's self-signed certificate: made once and cached, so the image stays cached too.
    local tls="$CACHE_DIR/tls"
    if [[ ! -s "$tls/cert.pem" || ! -s "$tls/key.pem" ]]; then
        command -v openssl >/dev/null || die "openssl is needed to make nginx's test certificate (apt-get install openssl)"
        mkdir -p "$tls"
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 36500 \
            -subj /CN=podc-test -keyout "$tls/key.pem" -out "$tls/cert.pem" >"$WORK/openssl.log" 2>&1 ||
            { cat "$WORK/openssl.log" >&2; die "openssl could not make nginx's test certificate"; }
    fi
    mkdir -p "$root/etc/nginx/tls"
    cp "$tls/cert.pem" "$tls/key.pem" "$root/etc/nginx/tls/"
    docker_build nginx "$ctx"
}

# The gRPC health server of examples/grpc_health.rs, built with cargo (debug, as `cargo test`
# builds, so the two share their compiled dependencies).
build_grpc() {
    local ctx="$WORK/grpc" root="$WORK/grpc/rootfs" exe dest src
    command -v cargo >/dev/null || die "cargo is needed to build the grpc image's server"
    exe="$(cd "$IMAGES_DIR/.." && cargo build --quiet --example grpc_health --message-format=json 2>"$WORK/cargo.log" |
        sed -n 's/.*"executable":"\([^"]*grpc_health\)".*/\1/p' | tail -n 1)" || true
    [[ -n "$exe" && -x "$exe" ]] || { cat "$WORK/cargo.log" >&2; die "cargo could not build examples/grpc_health.rs"; }
    mkdir -p "$root"
    cp "$exe" "$root/grpc-health"
    # The debug build's symbols are most of its size; the image does not need them.
    if command -v strip >/dev/null; then strip "$root/grpc-health"; fi
    while IFS=$'\t' read -r dest src; do
        mkdir -p "$root$(dirname "$dest")"
        cp -L "$src" "$root$dest"
    done < <(library_list "$exe" "$WORK/pkg-libs")
    docker_build grpc "$ctx"
}

main() {
    local -A wanted=()
    local name known candidate tool
    for name in "$@"; do
        known=""
        for candidate in "${ALL_IMAGES[@]}"; do
            [[ "$name" == "$candidate" ]] && known=1
        done
        [[ -n "$known" ]] || usage
        wanted[$name]=1
    done
    if [[ $# -eq 0 ]]; then
        for name in "${ALL_IMAGES[@]}"; do wanted[$name]=1; done
    fi
    # blog builds on podc/busybox: build that too when it does not exist yet.
    if [[ -n "${wanted[blog]:-}" ]] && ! docker image inspect podc/busybox:latest >/dev/null 2>&1; then
        wanted[busybox]=1
    fi

    command -v docker >/dev/null || die "docker is not installed"
    docker info >/dev/null 2>&1 || die "cannot reach the Docker daemon (is it running? may you use it?)"
    for tool in apt-get dpkg-deb ldd; do
        command -v "$tool" >/dev/null || die "$tool is needed (this script expects Debian)"
    done

    mkdir -p "$DEB_DIR"
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/podc-images.XXXXXX")"
    for name in "${ALL_IMAGES[@]}"; do
        if [[ -n "${wanted[$name]:-}" ]]; then
            "build_$name"
        fi
    done
}

main "$@"
