#!/usr/bin/env bash
# Builds Redwire's Linux packages (.deb, .rpm, .tar.gz) with CPack:
#
#   packaging/build-packages.sh [BUILD_DIR]        (default: <repo>/build/package)
#
# Configures a Release build without tests, with Debian's hardening flags (dpkg-buildflags, when
# present: fortify, stack protector, relro + bindnow), builds it and runs the `package` target.
# The packages land in BUILD_DIR; their paths are printed last, one per line, after "packages:".
# Environment: REDWIRE_PKG_JOBS (default 2), REDWIRE_PKG_CMAKE_ARGS (extra configure arguments),
# REDWIRE_PKG_REUSE_BUILD=1 (BUILD_DIR is already configured and built with these flags, tests and
# all, as .ci/test-all's 0.14 configuration is: only run the `package` target).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
build="${1:-$repo/build/package}"
jobs="${REDWIRE_PKG_JOBS:-2}"
read -r -a extra_args <<<"${REDWIRE_PKG_CMAKE_ARGS:-}"

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)

# Hardening as Debian builds its own packages. Only on a first configure: CMake keeps the flags.
if [ "${REDWIRE_PKG_REUSE_BUILD:-0}" = 1 ] && [ -f "$build/CMakeCache.txt" ]; then
    # CI: BUILD_DIR is an already built Release tree with the same flags (.ci/test-all's 0.14
    # configuration, which also built the tests); `package` only installs and packs it.
    echo "build-packages: reusing the build in $build"
else
    # Debian's flags, only on the first configure (CMake keeps them in its cache).
    flags=()
    if [ ! -f "$build/CMakeCache.txt" ]; then
        # shellcheck source=packaging/build-flags.sh
        . "$repo/packaging/build-flags.sh"
        flags=("${packaging_flags[@]}")
    fi
    env "${flags[@]}" cmake -S "$repo" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
        -DREDWIRE_BUILD_TESTS=OFF -DREDWIRE_BUILD_BENCH=OFF -DREDWIRE_SANITIZE=OFF "${extra_args[@]}"
    cmake --build "$build" -j "$jobs"
fi
rm -f "$build"/redwire[-_]*.deb "$build"/redwire-*.rpm "$build"/redwire-*.tar.gz "$build"/*.sha256
cmake --build "$build" --target package

echo "packages:"
ls -1 "$build"/redwire[-_]*.deb "$build"/redwire-*.rpm "$build"/redwire-*.tar.gz
