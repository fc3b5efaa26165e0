#!/usr/bin/env bash
# Builds Redwire's Linux packages (.deb, .rpm, .tar.gz) with CPack:
#
#   packaging/build-packages.sh [BUILD_DIR]        (default: <repo>/build/package)
#
# Configures a Release build without tests, with Debian's hardening flags (dpkg-buildflags, when
# present: fortify, stack protector, relro + bindnow), builds it and runs the `package` target.
# The packages land in BUILD_DIR; their paths are printed last, one per line, after "packages:".
# Environment: REDWIRE_PKG_JOBS (default 2), REDWIRE_PKG_CMAKE_ARGS (extra configure arguments).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
build="${1:-$repo/build/package}"
jobs="${REDWIRE_PKG_JOBS:-2}"
read -r -a extra_args <<<"${REDWIRE_PKG_CMAKE_ARGS:-}"

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)

# Hardening as Debian builds its own packages. Only on a first configure: CMake keeps the flags.
if [ ! -f "$build/CMakeCache.txt" ] && command -v dpkg-buildflags >/dev/null; then
    export DEB_BUILD_MAINT_OPTIONS="hardening=+all"
    CFLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
    CXXFLAGS="$(dpkg-buildflags --get CXXFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
    LDFLAGS="$(dpkg-buildflags --get LDFLAGS)"
    # -g is stripped from the packages anyway; leave it out to keep the build small and fast.
    CFLAGS="${CFLAGS//-g /}"; CXXFLAGS="${CXXFLAGS//-g /}"
    export CFLAGS CXXFLAGS LDFLAGS
fi

cmake -S "$repo" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DREDWIRE_BUILD_TESTS=OFF -DREDWIRE_BUILD_BENCH=OFF -DREDWIRE_SANITIZE=OFF "${extra_args[@]}"
cmake --build "$build" -j "$jobs"
rm -f "$build"/redwire[-_]*.deb "$build"/redwire-*.rpm "$build"/redwire-*.tar.gz "$build"/*.sha256
cmake --build "$build" --target package

echo "packages:"
ls -1 "$build"/redwire[-_]*.deb "$build"/redwire-*.rpm "$build"/redwire-*.tar.gz
