# Sourced by packaging/build-packages.sh and .ci/test-all: the compiler and linker flags Debian
# builds its packages with (dpkg-buildflags, hardening=+all), without -g (the packages are stripped
# anyway; leaving it out keeps the build small and fast). Sets the array `packaging_flags` to
# CFLAGS=..., CXXFLAGS=... and LDFLAGS=... assignments for `env`; empty where dpkg-buildflags is
# missing (then CMake's own Release flags apply).
packaging_flags=()
if command -v dpkg-buildflags >/dev/null; then
    _rw_cflags="$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CFLAGS) $(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CPPFLAGS)"
    _rw_cxxflags="$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CXXFLAGS) $(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CPPFLAGS)"
    _rw_ldflags="$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get LDFLAGS)"
    packaging_flags=("CFLAGS=${_rw_cflags//-g /}" "CXXFLAGS=${_rw_cxxflags//-g /}" "LDFLAGS=$_rw_ldflags")
    unset _rw_cflags _rw_cxxflags _rw_ldflags
fi
