#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build the Debian package sip400_<version>+ws<major.minor>_<arch>.deb for the
# Wireshark release of this machine (no root needed):
#   sh packaging/build-deb.sh [BUILD_DIR]        (default: build-deb)
# Configures a release build with Debian's hardening flags (dpkg-buildflags),
# installs to /usr, and runs CPack's DEB generator.  Prints the path of the
# package on the last line of its output.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build-deb}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac

for tool in cmake cpack dpkg-deb dpkg-shlibdeps file; do
    command -v "$tool" >/dev/null 2>&1 || { echo "build-deb.sh: $tool not found (sh packaging/deps.sh build)" >&2; exit 1; }
done

if command -v dpkg-buildflags >/dev/null 2>&1; then
    # all hardening (adds bind-now to Debian 12's defaults), unless the caller chose
    DEB_BUILD_MAINT_OPTIONS=${DEB_BUILD_MAINT_OPTIONS:-hardening=+all}
    export DEB_BUILD_MAINT_OPTIONS
    # CMake reads CFLAGS/LDFLAGS but not CPPFLAGS (-D_FORTIFY_SOURCE)
    CFLAGS="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CFLAGS)"
    LDFLAGS=$(dpkg-buildflags --get LDFLAGS)
    export CFLAGS LDFLAGS
fi
# a fresh cache, so the flags and the prefix are the ones above
rm -f "$build/CMakeCache.txt"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=None -DCMAKE_INSTALL_PREFIX=/usr \
      -DSIP400_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)"
(cd "$build" && cpack -G DEB >/dev/null)
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
deb="$build/sip400_${version}_$(dpkg --print-architecture).deb"
[ -f "$deb" ] || { echo "build-deb.sh: $deb was not produced" >&2; exit 1; }
echo "$deb"
