#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Quick start, step 2: the whole test suite (unit, golden tshark, end-to-end
# with Kamailio and SIPp, fuzz smoke).  As root it installs missing test
# packages first.  Builds into build/ and runs ctest.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh packaging/deps.sh test
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
cd build
ctest --output-on-failure -j"${SIP400_TEST_JOBS:-2}" "$@"
