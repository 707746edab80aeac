#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Quick start, step 1 (as root or with sudo on Debian 12, 13 or unstable): install what is
# needed, build, install the plugin where Wireshark and tshark load it, and
# print the diagnosis of the bundled demo capture.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh packaging/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
cmake --install build
plugdir=$(pkg-config --variable=plugindir wireshark)
echo
echo "sip400 installed in $plugdir/epan"
tshark -G plugins | grep sip400 || { echo "tshark does not list sip400" >&2; exit 1; }
echo
echo "Findings in captures/demo.pcap (tshark -2 -r captures/demo.pcap -Y 'sip400.cause' ...):"
echo
tshark -r captures/demo.pcap -2 -Y 'sip400.cause' -T fields -E header=y -E occurrence=a -E aggregator=' | ' \
    -e frame.number -e sip400.severity -e sip400.cause -e sip400.outcome -e sip400.explanation
echo
echo "Its 400s, linked to their requests, with the verdict (tshark -2 -r captures/demo.pcap -Y 'sip400.verdict && sip.Status-Code == 400' ...):"
echo
tshark -r captures/demo.pcap -2 -Y 'sip400.verdict && sip.Status-Code == 400' -T fields -E header=y \
    -e frame.number -e sip400.request_frame -e sip400.verdict -e sip400.verdict.confidence -e sip400.verdict.evidence
