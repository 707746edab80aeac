#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run_e2e.sh - the verdicts against a real peer.
#
#   tests/e2e/run_e2e.sh [--server kamailio|sofia|belle] live     PLUGIN_DIR
#   tests/e2e/run_e2e.sh [--server kamailio|sofia|belle] recorded PLUGIN_DIR [CAPTURE_DIR]
#
# Peers: kamailio (default) = Kamailio 5.6 with tests/e2e/kamailio.cfg;
# sofia = tests/e2e/uas/uas_sofia (sofia-sip 1.12 nua); belle =
# tests/e2e/uas/uas_belle (belle-sip 5.1).  SIP400_UAS_DIR names a directory
# with uas_sofia/uas_belle already built (CMake does, when the -dev packages
# are found); otherwise record.sh builds them into a temp dir.
#
# live:     runs tests/e2e/record.sh --server S into a temp dir (the peer +
#           SIPp + the raw sender on the loopback of a network namespace of
#           its own, dumpcap on its lo), then checks those captures.  Exit 77
#           (skipped) when it cannot run: not root, no `unshare -n`, the peer
#           or sipp/dumpcap missing, or the peer cannot start.
# recorded: checks the committed captures (captures/e2e for kamailio,
#           captures/e2e/<server> for the others) with their expected.tsv
#           (works where no peer can start).
#
# The checks are tests/e2e/check_e2e.py's: every 400 linked to its request;
# its verdict = a cause the reason phrase names (kamailio, >= 95 %) or
# exactly the defect the request was written with (sofia, belle: 100 %);
# every dropped defective request "unanswered"; on sofia and belle no
# error-level finding on a valid request.
set -eu
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
usage="usage: run_e2e.sh [--server kamailio|sofia|belle] live|recorded PLUGIN_DIR [CAPTURE_DIR]"
skip() { echo "skip: $*"; exit 77; }

server=kamailio
if [ "${1:-}" = --server ]; then
    server=${2:?$usage}
    shift 2
fi
case "$server" in
kamailio) criterion=named; default_capdir=$repo/captures/e2e ;;
sofia|belle) criterion=exact; default_capdir=$repo/captures/e2e/$server ;;
*) echo "$usage" >&2; exit 2 ;;
esac
mode=${1:?$usage}
plugin_dir=${2:?$usage}

command -v tshark >/dev/null 2>&1 || skip "tshark not installed"
command -v python3 >/dev/null 2>&1 || skip "python3 not installed"

case "$mode" in
live)
    [ "$(id -u)" = 0 ] || skip "live run needs root (unshare -n, dumpcap on lo)"
    command -v unshare >/dev/null 2>&1 && command -v ip >/dev/null 2>&1 ||
        skip "unshare/ip (util-linux, iproute2) not installed: no network namespace of our own"
    unshare -n true 2>/dev/null || skip "no privilege for unshare -n (a network namespace of our own)"
    tools="sipp dumpcap"
    [ "$server" = kamailio ] && tools="kamailio $tools"
    for tool in $tools; do
        command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed"
    done
    if [ "$server" != kamailio ]; then
        if [ -n "${SIP400_UAS_DIR:-}" ] && [ ! -x "$SIP400_UAS_DIR/uas_$server" ]; then
            # CMake found no -dev package: record.sh would only skip too
            skip "uas_$server not built (pkg-config module missing when CMake ran)"
        fi
    fi
    capdir=$(mktemp -d /tmp/sip400-e2e-live.XXXXXX)
    trap 'rm -rf "$capdir"' EXIT INT TERM
    chmod 755 "$capdir"
    log="$capdir/record.log"
    rc=0
    bash "$here/record.sh" --server "$server" "$capdir" 2>"$log" || rc=$?
    if [ "$rc" != 0 ]; then
        cat "$log" >&2
        [ "$rc" = 77 ] && skip "$server could not run here (see above)"
        if grep -qE "exited at start-up|did not answer on|already answers on|not found|must run as root|another record.sh holds|apt-get install" "$log"; then
            skip "$server/SIPp could not start here"
        fi
        echo "FAIL: record.sh failed" >&2
        exit 1
    fi
    grep 'record.sh: .*requests' "$log" || true
    ;;
recorded)
    capdir=${3:-$default_capdir}
    [ -r "$capdir/expected.tsv" ] || skip "$capdir/expected.tsv not present"
    ;;
*)
    echo "$usage" >&2
    exit 2
    ;;
esac

# not exec: the EXIT trap removes the live run's temp dir
rc=0
python3 "$here/check_e2e.py" --server "$server" --criterion "$criterion" \
    "$repo/tests/tshark.sh" "$plugin_dir" "$capdir" "$mode" || rc=$?
exit $rc
