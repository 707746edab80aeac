#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Quick start, step 2: the whole test suite (unit, golden tshark, end-to-end
# with real peers, reports, packaging, fuzz smoke, robustness) on every
# Wireshark release sip400 supports: first on the host's Wireshark, then in a
# Debian tree per other release (tests/releases.sh: Debian 12 = 4.0,
# Debian 13 = 4.4, Debian unstable = 4.6).  As root it installs missing test
# packages first.  Builds into build/ and runs ctest.
#
#   SIP400_RELEASES="trixie"   only these release trees (default: all but the host's)
#   SIP400_RELEASES=none       the host only
#   SIP400_TEST_JOBS=2         ctest -j (default 2)
#   extra arguments go to the host's ctest (e.g. -L golden); with them no
#   release tree runs unless SIP400_RELEASES names some
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build=${SIP400_BUILD_DIR:-build}
sh packaging/deps.sh test
start=$(date +%s)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)"
status=0
(cd "$build" && ctest --output-on-failure -j"${SIP400_TEST_JOBS:-2}" "$@") || status=1
ws=$(tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([0-9][0-9.]*[0-9]\).*/\1/p')
echo "sip400: Wireshark ${ws:-?}: suite $( [ $status = 0 ] && echo passed || echo FAILED ) in $(( ($(date +%s) - start + 30) / 60 )) min"
[ -n "${SIP400_IN_RELEASE_TREE:-}" ] && exit $status

releases=${SIP400_RELEASES-}
if [ -z "$releases" ] && [ $# -gt 0 ]; then releases=none; fi
if [ "$releases" != none ]; then
    # shellcheck disable=SC2086
    sh tests/releases.sh $releases || status=1
fi
exit $status
