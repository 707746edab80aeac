#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# measure.sh - what Kamailio, sofia-sip and belle-sip do with each catalog
# cause, measured on the real stacks and kept as data.
#
#   sudo tests/e2e/measure.sh             record the three peers again, then --generate
#   tests/e2e/measure.sh --generate [REPO]  regenerate from the recordings (offline)
#   tests/e2e/measure.sh --check [REPO]     regenerate into a temp dir, diff with
#                                           the committed files (ctest e2e.behaviour_table)
#
# Recording runs tests/e2e/record.sh --server kamailio|sofia|belle, each in a
# network namespace of its own (loopback only, 127.0.0.1:5060 UDP and TCP,
# every peer stopped by its PID), over every message of tests/e2e/messages/
# and scenario of tests/e2e/scenarios/ (one per sendable cause, named after
# it), into captures/e2e (Kamailio), captures/e2e/sofia and captures/e2e/belle:
# <server>_udp.pcapng, <server>_tcp.pcapng and expected.tsv.  A peer that
# cannot run here makes it exit 77 before anything is replaced.
#
# Generating reads only those recordings (tshark, no peer, no network) with
# tests/e2e/behaviour.py and writes
#   plugin/behaviour.def   SIP400_BEHAVIOUR(CAUSE, SERVER, "version", ACTION, code, "reason", "detail")
#   tests/e2e/BEHAVIOUR.md the same as a table
# Both are generated: review a change like a golden file.
set -eu
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
log() { printf 'measure.sh: %s\n' "$*" >&2; }
skip() { log "skip: $*"; exit 77; }

mode=record
case "${1:-}" in
--generate|--check) mode=${1#--}; shift ;;
-h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
"") ;;
*) log "unknown argument $1 (--generate, --check)"; exit 2 ;;
esac
repo=$(cd "${1:-$here/../..}" && pwd)

command -v tshark >/dev/null 2>&1 || skip "tshark not installed"
command -v python3 >/dev/null 2>&1 || skip "python3 not installed"
for d in captures/e2e captures/e2e/sofia captures/e2e/belle; do
    [ "$mode" = record ] || [ -r "$repo/$d/expected.tsv" ] || skip "$repo/$d/expected.tsv not present"
done

generate() {   # generate OUT_DEF OUT_MD
    python3 "$here/behaviour.py" "$repo" "$1" "$2"
}

case "$mode" in
record)
    [ "$(id -u)" = 0 ] || { log "must run as root (record.sh: unshare -n, dumpcap on lo)"; exit 1; }
    tmp=$(mktemp -d /tmp/sip400-measure.XXXXXX)
    trap 'rm -rf "$tmp"' EXIT INT TERM
    # every peer first into a temp dir: the committed recordings are replaced
    # only when all three ran
    for s in kamailio sofia belle; do
        log "recording $s"
        rc=0
        bash "$here/record.sh" --server "$s" "$tmp/$s" || rc=$?
        [ "$rc" = 77 ] && skip "$s could not run here; nothing replaced"
        [ "$rc" = 0 ] || { log "ERROR: record.sh --server $s failed (exit $rc); nothing replaced"; exit 1; }
    done
    for s in kamailio sofia belle; do
        if [ "$s" = kamailio ]; then dst=$repo/captures/e2e; else dst=$repo/captures/e2e/$s; fi
        mkdir -p "$dst"
        cp "$tmp/$s/${s}_udp.pcapng" "$tmp/$s/${s}_tcp.pcapng" "$tmp/$s/expected.tsv" "$dst/"
    done
    generate "$repo/plugin/behaviour.def" "$here/BEHAVIOUR.md"
    log "wrote plugin/behaviour.def and tests/e2e/BEHAVIOUR.md; review the diff like a golden"
    ;;
generate)
    generate "$repo/plugin/behaviour.def" "$repo/tests/e2e/BEHAVIOUR.md"
    log "wrote $repo/plugin/behaviour.def and $repo/tests/e2e/BEHAVIOUR.md"
    ;;
check)
    tmp=$(mktemp -d /tmp/sip400-measure.XXXXXX)
    trap 'rm -rf "$tmp"' EXIT INT TERM
    generate "$tmp/behaviour.def" "$tmp/BEHAVIOUR.md"
    rc=0
    diff -u "$repo/plugin/behaviour.def" "$tmp/behaviour.def" || rc=1
    diff -u "$repo/tests/e2e/BEHAVIOUR.md" "$tmp/BEHAVIOUR.md" || rc=1
    if [ "$rc" != 0 ]; then
        log "FAIL: plugin/behaviour.def or tests/e2e/BEHAVIOUR.md differ from the recordings;"
        log "      regenerate with tests/e2e/measure.sh --generate and review the diff"
        exit 1
    fi
    echo "behaviour table: plugin/behaviour.def and tests/e2e/BEHAVIOUR.md match the recordings"
    ;;
esac
