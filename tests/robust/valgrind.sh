#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# valgrind memcheck of the stock tshark with the (normal, not sanitized) sip400
# plugin over a few captures: no memory error and no definitely/indirectly lost
# block with a frame in our code.
#
#   tests/robust/valgrind.sh PLUGIN_DIR WORKDIR CAPTURE...
#
# PLUGIN_DIR holds <major.minor>/epan/sip400.so (BUILD/stage/plugins).  Each
# capture runs through `tshark -nVxr` and `tshark -n -2 -r ... -T fields`.
# Errors and leaks in Wireshark's or GLib's own code are listed, not counted.
# Exit 77 (skip) when valgrind or tshark is missing.
set -u
stage=$1
work=$2
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)

skip() {
    echo "SKIP: $*"
    exit 77
}
command -v valgrind >/dev/null 2>&1 || skip "valgrind not found"
command -v tshark >/dev/null 2>&1 || skip "tshark not found"
ls "$stage"/*/epan/sip400.so >/dev/null 2>&1 || skip "no plugin in $stage"
if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null 2>&1 || skip "running as root without setpriv"
    asuser="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
    asuser=""
fi
rm -rf "$work"
mkdir -p "$work/logs" "$work/home" "$work/no-extcap"
chmod 0777 "$work/logs" "$work/home"

n=0
ncap=$#
for f in "$@"; do
    [ -f "$f" ] || continue
    for mode in V F; do
        n=$((n + 1))
        if [ "$mode" = V ]; then
            set -- -nVxr "$f"
        else
            set -- -n -2 -r "$f" -T fields -e frame.number -e sip400.cause
        fi
        # shellcheck disable=SC2086
        timeout -k 10 600 $asuser env HOME="$work/home" WIRESHARK_PLUGIN_DIR="$stage" \
            WIRESHARK_EXTCAP_DIR="$work/no-extcap" \
            valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect \
            --errors-for-leak-kinds=definite,indirect --keep-debuginfo=yes --num-callers=40 \
            --fullpath-after= --log-file="$work/logs/vg.$n.%p" \
            tshark "$@" >/dev/null 2>&1
        echo "$? $mode $f" >>"$work/rc.txt"
    done
done
[ "$n" -gt 0 ] || skip "no captures"

# split each log into records (blank "==PID== " lines separate them); a record
# is ours when a frame is in sip400.so or in our sources
ours=0
theirs=0
for log in "$work"/logs/vg.*; do
    [ -e "$log" ] || continue
    awk -v so="sip400.so" -v src="$top/plugin/" -v file="$log" '
        function flush() {
            if (rec != "" && (rec ~ /(Invalid|uninitialised|Uninitialised|Mismatched|overlap|lost in loss record|Syscall param)/)) {
                if (index(rec, so) || index(rec, src)) { print "OURS " file; print rec > "/dev/stderr" }
                else print "THEIRS " file
            }
            rec = ""
        }
        { line = $0; sub(/^==[0-9]+== ?/, "", line) }
        line == "" { flush(); next }
        { rec = rec line "\n" }
        END { flush() }
    ' "$log" >>"$work/classified.txt" 2>>"$work/ours.txt"
done
if [ -e "$work/classified.txt" ]; then
    ours=$(grep -c '^OURS' "$work/classified.txt")
    theirs=$(grep -c '^THEIRS' "$work/classified.txt")
fi
bad_rc=$(awk '$1 != 0' "$work/rc.txt" | wc -l)
echo "valgrind: $n tshark runs over $ncap captures; errors/leaks in our code: $ours;" \
     "in Wireshark/GLib (not counted): $theirs; non-zero exits: $bad_rc"
if [ "$ours" -gt 0 ]; then
    echo "FAIL: valgrind records in sip400 code:"
    head -n 150 "$work/ours.txt"
    exit 1
fi
if [ "$bad_rc" -gt 0 ]; then
    awk '$1 != 0' "$work/rc.txt"
    exit 1
fi
exit 0
