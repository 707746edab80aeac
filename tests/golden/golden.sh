#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Golden tshark test: run tshark with the plugin over a capture and compare the
# sip400 fields of every diagnosed frame with tests/golden/NAME.txt.
#   golden.sh PLUGIN_DIR NAME CAPTURE [extra tshark options...]
# Regenerate (then review the diff with git diff tests/golden):
#   SIP400_UPDATE_GOLDEN=1 ctest -R golden   (from the build directory)
# The same comparison runs in one pass and with -2: both must match the file,
# so the first-pass cache and the second-pass rendering stay identical.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
plugin_dir=$1; name=$2; capture=$3
shift 3
expected="$here/$name.txt"
if [ ! -r "$capture" ]; then
    echo "skip $name: $capture not present"
    exit 77
fi
out=$(mktemp); out2=$(mktemp)
trap 'rm -f "$out" "$out2"' EXIT INT TERM

fields="-e frame.number -e sip400.cause -e sip400.severity -e sip400.header -e sip400.explanation"
# Goldens hold the findings as Wireshark 4.0 prints them.  From 4.4 on,
# tshark -T fields escapes a backslash in a string field as \\ (4.0 printed
# it as it is; sip400's texts carry no raw tab, CR or LF, the other bytes 4.4
# escapes): undo that, so one golden compares the findings on every release.
ws=$(tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
unescape=cat
if [ -n "$ws" ] && [ "${ws% *}" -ge 4 ] && { [ "${ws% *}" -gt 4 ] || [ "${ws#* }" -ge 4 ]; }; then
    unescape="sed -e s/\\\\\\\\/\\\\/g"
fi
run() {
    # shellcheck disable=SC2086
    "$here/../tshark.sh" "$plugin_dir" -r "$capture" "$@" -Y sip400 -T fields \
        -E header=y -E separator=/t -E occurrence=a -E aggregator='|' $fields | $unescape
}
run "$@" > "$out"
run -2 "$@" > "$out2"

if [ "${SIP400_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$out" "$expected"
    echo "updated $expected"
fi
if [ ! -f "$expected" ]; then
    echo "no golden file $expected (run with SIP400_UPDATE_GOLDEN=1 and review it)" >&2
    exit 1
fi
status=0
if ! diff -u "$expected" "$out"; then
    echo "FAIL $name: one-pass output differs from $expected" >&2
    status=1
fi
if ! diff -u "$expected" "$out2"; then
    echo "FAIL $name: two-pass (-2) output differs from $expected" >&2
    status=1
fi
[ $status = 0 ] && echo "ok $name: $(($(wc -l < "$out") - 1)) diagnosed frames"
exit $status
