#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# record.sh - real peers end to end: a real SIP server answers, SIPp and
# send_raw.py send, dumpcap records.
#
#   tests/e2e/record.sh [--server kamailio|sofia|belle] [OUTDIR]
#
# Servers (all on 127.0.0.1:5060, UDP and TCP):
#   kamailio  Kamailio 5.6 with tests/e2e/kamailio.cfg (default)
#   sofia     tests/e2e/uas/uas_sofia.c, a UAS on sofia-sip 1.12's nua
#   belle     tests/e2e/uas/uas_belle.c, a UAS on belle-sip 5.1
# OUTDIR defaults to captures/e2e (kamailio) or captures/e2e/<server>.
#
# Writes into OUTDIR:
#   <server>_udp.pcapng   every request and answer over UDP (loopback, 5060)
#   <server>_tcp.pcapng   the same over TCP
#   expected.tsv          one row per request sent: transport, source, name,
#                         intended cause id, method, the server's final answer
#                         (code and exact reason phrase, or "none" when it
#                         dropped the request), detail (P-Registrar-Error/
#                         Warning, TCP close, crash of the UAS's stack),
#                         request and answer frame numbers.  Derived from the
#                         captures by tshark (derive_expected.py).
#
# What it does:
#   0. re-runs itself inside a network namespace of its own (`unshare -n`,
#      loopback up): port 5060 there is always free, whatever runs on the
#      host (a production Kamailio is never stopped or touched); without
#      unshare it exits 77 (skipped), unless SIP400_E2E_HOST_NETWORK=1 asks
#      for the host's loopback, where it refuses to run when something
#      already answers on 127.0.0.1:5060;
#   1. checks its tools: sipp, dumpcap, tshark, python3 (and kamailio for
#      --server kamailio); a missing one exits 77 (skipped): it installs
#      nothing (packaging/deps.sh test does); sofia and belle need
#      libsofia-sip-ua-dev / libbellesip-dev and a C compiler, or uas_sofia /
#      uas_belle already built (SIP400_UAS_DIR): without them it exits 77;
#   2. builds the UAS (sofia, belle) with tests/e2e/uas/Makefile into a temp
#      dir, never into the source tree;
#   3. per transport (udp, tcp): starts a fresh server (Kamailio in the
#      foreground with a private runtime dir and pid file; a UAS in a session
#      of its own) and waits until it answers a probe, starts dumpcap on lo,
#      sends every message of tests/e2e/messages/*.sip with send_raw.py,
#      restarts the server (state a raw message left behind must not change
#      the scenarios' answers) and runs every SIPp scenario of
#      tests/e2e/scenarios/*.xml, each from a local port of its own, stops
#      dumpcap, then stops the server (by pid).
#      A fresh server per transport: the messages reuse Call-ID, tags and
#      branch on UDP and TCP, and a stack with transaction state (sofia,
#      belle) would take the TCP copy for a retransmission or a merged
#      request (482);
#   4. derives expected.tsv from the captures.
#
# Must run as root (unshare -n, dumpcap on lo).  Ends by itself: every
# step has a timeout and the whole run is capped by a watchdog (normal run
# 40-90 s).  Only loopback (127.0.0.1) is used.
#
# Environment:
#   SIP400_E2E_KEEP_TMP=1   keep the temp dir (server logs, SIPp output)
#   SIP400_E2E_WAIT=0.4     seconds send_raw.py waits for an answer
#   SIP400_UAS_DIR=DIR      use uas_sofia/uas_belle already built in DIR
#   SIP400_E2E_HOST_NETWORK=1  without unshare -n, use the host's loopback

set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

log() { printf 'record.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
skip() { log "skip: $*"; exit 77; }

SERVER=kamailio
OUTDIR=""
while [ $# -gt 0 ]; do
	case "$1" in
	--server) [ $# -ge 2 ] || die "--server needs a value"; SERVER=$2; shift 2 ;;
	--server=*) SERVER=${1#--server=}; shift ;;
	-h|--help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) die "unknown option $1" ;;
	*) [ -z "$OUTDIR" ] || die "one OUTDIR only"; OUTDIR=$1; shift ;;
	esac
done
case "$SERVER" in
kamailio) OUTDIR=${OUTDIR:-$REPO/captures/e2e} ;;
sofia|belle) OUTDIR=${OUTDIR:-$REPO/captures/e2e/$SERVER} ;;
*) die "unknown server $SERVER (kamailio, sofia or belle)" ;;
esac

[ "$(id -u)" = 0 ] || die "must run as root (unshare -n, dumpcap on lo)"

# ---- watchdog: the whole run may never take longer than this ----
WATCHDOG_SECS=240
if [ -z "${SIP400_E2E_UNDER_WATCHDOG:-}" ]; then
	export SIP400_E2E_UNDER_WATCHDOG=1
	exec timeout -k 10 "$WATCHDOG_SECS" bash "$0" --server "$SERVER" "$OUTDIR"
fi

# ---- 0. a network namespace of our own ----------------------------------------
# SIP400_E2E_NETNS: 1 = we run in a private namespace (set here or by a caller
# that made one, like run_e2e.sh and measure.sh), 0 = host network
if [ -z "${SIP400_E2E_NETNS:-}" ]; then
	if command -v unshare >/dev/null 2>&1 && command -v ip >/dev/null 2>&1 &&
		unshare -n true 2>/dev/null; then
		export SIP400_E2E_NETNS=1
		exec unshare -n bash -c 'ip link set lo up && exec bash "$0" "$@"' "$0" --server "$SERVER" "$OUTDIR"
	fi
	# the host's loopback only when asked for: a server of the machine's own
	# (a production Kamailio) may listen on 5060 there
	[ "${SIP400_E2E_HOST_NETWORK:-0}" = 1 ] ||
		skip "unshare -n not available (no network namespace of our own); SIP400_E2E_HOST_NETWORK=1 uses the host's loopback"
	export SIP400_E2E_NETNS=0
	log "unshare -n not available: using the host's loopback (SIP400_E2E_HOST_NETWORK=1)"
fi
START_NS=$(date +%s%N)
WAIT=${SIP400_E2E_WAIT:-0.4}

# ---- 1. tools ---------------------------------------------------------------
# nothing is installed here: packaging/deps.sh test installs them (and keeps a
# freshly installed Kamailio package from starting a system service)
tools=(sipp dumpcap tshark python3 timeout flock setsid)
if [ "$SERVER" = kamailio ]; then tools+=(kamailio); fi
for tool in "${tools[@]}"; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed (sudo packaging/deps.sh test)"
done

MODDIR=""
case "$SERVER" in
kamailio)
	# Kamailio's module directory (Debian multiarch path)
	MODDIR=$(dirname "$(dpkg -L kamailio 2>/dev/null | grep '/modules/sanity\.so$' | head -n1)")
	if [ ! -f "$MODDIR/sanity.so" ]; then
		for d in /usr/lib/*/kamailio/modules /usr/lib/kamailio/modules; do
			[ -f "$d/sanity.so" ] && MODDIR=$d && break
		done
	fi
	[ -f "$MODDIR/sanity.so" ] || die "Kamailio modules (sanity.so) not found"
	;;
sofia|belle)
	if [ -z "${SIP400_UAS_DIR:-}" ]; then
		command -v make >/dev/null 2>&1 || skip "make not installed"
		command -v "${CC:-cc}" >/dev/null 2>&1 || skip "no C compiler (${CC:-cc})"
		command -v pkg-config >/dev/null 2>&1 || skip "pkg-config not installed"
		if [ "$SERVER" = sofia ]; then
			pkg-config --exists sofia-sip-ua || skip "libsofia-sip-ua-dev not installed"
		else
			pkg-config --exists belle-sip bctoolbox || skip "libbellesip-dev not installed"
		fi
	fi
	;;
esac

# ---- serialise runs that share the host's port 5060 -------------------------
if [ "$SIP400_E2E_NETNS" = 0 ]; then
	exec 9>"/tmp/sip400-e2e.lock"
	flock -w 120 9 || die "another record.sh holds /tmp/sip400-e2e.lock"
fi

# ---- temp dir and cleanup -----------------------------------------------------
TMP=$(mktemp -d /tmp/sip400-e2e.XXXXXX)
# OUTDIR may be relative to the caller's directory; we work inside TMP so that
# no tool ever drops a file into the caller's directory
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
cd "$TMP"
SRV_PID=""
DC_PID=""
CHILD_PID=""
SRV_LOG=""

# Run a step in the background and wait for it: bash runs a trap only after
# the foreground command ends, but it interrupts "wait" at once, so INT/TERM
# (or the watchdog) stop a long step immediately.
run_step() {
	"$@" &
	CHILD_PID=$!
	local rc=0
	wait "$CHILD_PID" || rc=$?
	CHILD_PID=""
	return "$rc"
}

stop_dumpcap() {
	if [ -n "$DC_PID" ] && kill -0 "$DC_PID" 2>/dev/null; then
		kill -INT "$DC_PID" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$DC_PID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$DC_PID" 2>/dev/null || true
		wait "$DC_PID" 2>/dev/null || true
	fi
	DC_PID=""
}

stop_server() {
	if [ -n "$SRV_PID" ] && kill -0 "$SRV_PID" 2>/dev/null; then
		# the server runs in a session/process group of its own (setsid):
		# signal that group, i.e. the main process and its workers
		kill -TERM -- "-$SRV_PID" 2>/dev/null || kill -TERM "$SRV_PID" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$SRV_PID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL -- "-$SRV_PID" 2>/dev/null || true
		wait "$SRV_PID" 2>/dev/null || true
	fi
	SRV_PID=""
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [ -n "$CHILD_PID" ] && kill -0 "$CHILD_PID" 2>/dev/null; then
		kill -TERM "$CHILD_PID" 2>/dev/null || true   # a "timeout" wrapper: passes it on
		wait "$CHILD_PID" 2>/dev/null || true
	fi
	stop_dumpcap
	stop_server
	if [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ -n "$SRV_LOG" ] && [ -f "$SRV_LOG" ]; then
		log "$SERVER log (tail):"
		tail -n 20 "$SRV_LOG" >&2 || true
	fi
	if [ -n "${SIP400_E2E_KEEP_TMP:-}" ]; then
		log "kept $TMP"
	else
		rm -rf "$TMP"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- 2. the UAS ---------------------------------------------------------------
UAS_BIN=""
if [ "$SERVER" != kamailio ]; then
	if [ -n "${SIP400_UAS_DIR:-}" ]; then
		UAS_BIN=$SIP400_UAS_DIR/uas_$SERVER
		[ -x "$UAS_BIN" ] || die "$UAS_BIN not found"
	else
		UAS_BIN=$TMP/uas/uas_$SERVER
		run_step timeout 120 make -s -C "$HERE/uas" O="$TMP/uas" "$UAS_BIN" >"$TMP/uas_build.log" 2>&1 ||
			{ cat "$TMP/uas_build.log" >&2; die "building uas_$SERVER failed"; }
	fi
fi

server_version() {
	case "$SERVER" in
	kamailio) kamailio -v 2>/dev/null | head -n1 | cut -d' ' -f2-3 ;;
	sofia) pkg-config --modversion sofia-sip-ua 2>/dev/null || echo "sofia-sip" ;;
	belle) pkg-config --modversion belle-sip 2>/dev/null || echo "belle-sip" ;;
	esac
}

# ---- 3. servers, probes -------------------------------------------------------------
# A probe is a valid OPTIONS with a Call-ID and branch of its own (a probe
# must never look like an earlier copy of a test message to the server).
PROBES=0
probe() {   # probe TRANSPORT: does something answer a valid OPTIONS on 5060?
	PROBES=$((PROBES + 1))
	sed -e "s/valid\.options@e2e\.sip400/probe-$PROBES-$$@e2e.sip400/" \
		-e "s/z9hG4bK-valid-options/z9hG4bK-probe-$PROBES-$$/" \
		"$HERE/messages/valid.options.sip" >"$TMP/probe.sip"
	# --fix-via: the Via says the real transport and local port, so a stack
	# that answers to the Via's sent-by (belle-sip over TCP) answers the probe;
	# probes use local ports 19000-19499, below the test messages' range
	timeout 5 python3 "$HERE/send_raw.py" -t "$1" --wait 0.3 --fix-via --lport $((19000 + PROBES % 500)) \
		"$TMP/probe.sip" 2>/dev/null | grep -q 'SIP/2.0 200'
}

start_server() {   # start_server TRANSPORT
	SRV_LOG=$TMP/${SERVER}_$1.log
	case "$SERVER" in
	kamailio)
		rm -rf "$TMP/run"; mkdir -p "$TMP/run"
		setsid kamailio -f "$HERE/kamailio.cfg" -L "$MODDIR" -Y "$TMP/run" -P "$TMP/kamailio.pid" \
			-DD -E -m 64 -M 8 >"$SRV_LOG" 2>&1 </dev/null &
		;;
	*)
		setsid "$UAS_BIN" 5060 >"$SRV_LOG" 2>&1 </dev/null &
		;;
	esac
	SRV_PID=$!
	local ready=0
	for _ in $(seq 50); do
		kill -0 "$SRV_PID" 2>/dev/null || die "$SERVER exited at start-up"
		if probe "$1"; then ready=1; break; fi
		sleep 0.1
	done
	[ "$ready" = 1 ] || die "$SERVER did not answer on 127.0.0.1:5060"
}

if probe udp || probe tcp; then
	die "something already answers on 127.0.0.1:5060; stop it first"
fi
log "server: $SERVER ($(server_version)); network namespace: $([ "$SIP400_E2E_NETNS" = 1 ] && echo private || echo host)"

# ---- 4. send and record, per transport ------------------------------------------------
# Each request gets its own local port, from a random base out of the kernel's
# ephemeral range, so a quick re-run never meets its own TIME_WAIT sockets.
# Per transport a block of 250 ports: raw messages at +0..179, SIPp at +180..249.
BASE=$(( 20000 + (RANDOM % 20) * 500 ))
MESSAGES=("$HERE"/messages/*.sip)
SCENARIOS=("$HERE"/scenarios/*.xml)
n_msgs=${#MESSAGES[@]}
n_scen=${#SCENARIOS[@]}
if [ "$n_msgs" -gt 180 ] || [ "$n_scen" -gt 70 ]; then
	die "too many messages/scenarios for the port plan"
fi
MANIFEST="$TMP/manifest.tsv"
: >"$MANIFEST"

# causes that are defects on one transport only (on the other the message is legal)
tcp_only_cause() { case "$1" in hdr.missing.content_length) return 0 ;; esac; return 1; }
udp_only_cause() { case "$1" in transport.udp_oversize) return 0 ;; esac; return 1; }

cause_of() {   # message/scenario name -> intended cause id
	local name=$1 transport=$2 cause
	case "$name" in valid.*) echo "-"; return ;; esac
	cause=${name%%--*}          # "<cause>--<variant>" -> "<cause>"
	if [ "$transport" = udp ] && tcp_only_cause "$cause"; then cause="-"; fi
	if [ "$transport" = tcp ] && udp_only_cause "$cause"; then cause="-"; fi
	echo "$cause"
}

record_transport() {
	local t=$1 pcap="$TMP/${SERVER}_$1.pcapng" k port name f sipp_t lport rc
	local raw_base=$BASE sipp_base
	[ "$t" = tcp ] && raw_base=$((BASE + 250))

	start_server "$t"

	# dumpcap as root on lo, only this transport's SIP port
	dumpcap -q -i lo -f "$t port 5060" -w "$pcap" >"$TMP/dumpcap_$t.log" 2>&1 </dev/null &
	DC_PID=$!
	for _ in $(seq 50); do
		grep -q '^File:' "$TMP/dumpcap_$t.log" 2>/dev/null && [ -s "$pcap" ] && break
		kill -0 "$DC_PID" 2>/dev/null || die "dumpcap failed: $(cat "$TMP/dumpcap_$t.log")"
		sleep 0.1
	done
	sleep 0.3

	# raw messages, one datagram / one connection each, sorted by name
	log "$t: sending $n_msgs raw messages"
	run_step timeout 150 python3 "$HERE/send_raw.py" -t "$t" --fix-via --lport "$raw_base" \
		--wait "$WAIT" "${MESSAGES[@]}" >"$TMP/raw_$t.out"
	while IFS=$'\t' read -r f _ lport _; do
		name=$(basename "$f" .sip)
		printf '%s\traw\t%s\t%s\t%s\n' "$t" "$name" "$(cause_of "$name" "$t")" "$lport" >>"$MANIFEST"
	done <"$TMP/raw_$t.out"

	# a fresh server for the SIPp scenarios too: a raw message may leave state
	# behind that changes every later answer (belle-sip 5.1 keeps answering
	# 127.0.0.1 on port 4464 after a Via with rport=70000, 70000 mod 65536).
	# Its readiness probe (a valid OPTIONS, Call-ID probe-N-PID) is captured;
	# it is in no manifest row.
	stop_server
	start_server "$t"

	# SIPp scenarios, one process (and local port) each; no default
	# behaviours: an unexpected answer ends the call without a CANCEL/BYE of
	# SIPp's own, so every server gets the same requests
	sipp_base=$((raw_base + 180))
	[ "$t" = udp ] && sipp_t=u1 || sipp_t=t1
	log "$t: running $n_scen SIPp scenarios"
	k=0
	for f in "${SCENARIOS[@]}"; do
		name=$(basename "$f" .xml)
		port=$((sipp_base + k)); k=$((k + 1))
		rc=0
		run_step timeout -k 2 10 sipp -sf "$f" -m 1 -t "$sipp_t" -i 127.0.0.1 -p "$port" \
			-nd -nr -nostdin -default_behaviors none -timeout 6s -cid_str "sipp-$name-%u@%s" 127.0.0.1:5060 \
			>>"$TMP/sipp_$t.log" 2>&1 </dev/null || rc=$?
		printf '%s\t%s\trc=%s\n' "$t" "$name" "$rc" >>"$TMP/sipp_rc.log"
		printf '%s\tsipp\t%s\t%s\t%s\n' "$t" "$name" "$(cause_of "$name" "$t")" "$port" >>"$MANIFEST"
	done

	sleep 0.3   # late answers
	stop_dumpcap
	stop_server
}

record_transport udp
record_transport tcp

# ---- 5. results -------------------------------------------------------------------------
mkdir -p "$OUTDIR"
for t in udp tcp; do
	cp "$TMP/${SERVER}_$t.pcapng" "$OUTDIR/${SERVER}_$t.pcapng"
	chmod 644 "$OUTDIR/${SERVER}_$t.pcapng"
done
run_step timeout 100 python3 "$HERE/derive_expected.py" --server "$SERVER" \
	--crash-log "udp=$TMP/${SERVER}_udp.log" --crash-log "tcp=$TMP/${SERVER}_tcp.log" \
	"$MANIFEST" "$OUTDIR" "$OUTDIR/expected.tsv"
chmod 644 "$OUTDIR/expected.tsv"
if [ -n "${SIP400_E2E_SERVER_LOGS:-}" ]; then   # measure.sh: the servers' own logs
	mkdir -p "$SIP400_E2E_SERVER_LOGS"
	cp "$TMP/${SERVER}"_*.log "$SIP400_E2E_SERVER_LOGS/" 2>/dev/null || true
fi

rows=$(($(wc -l <"$OUTDIR/expected.tsv") - 1))
answered=$(awk -F'\t' 'NR > 1 && $6 != "none"' "$OUTDIR/expected.tsv" | wc -l)
four00=$(awk -F'\t' 'NR > 1 && $6 == "400"' "$OUTDIR/expected.tsv" | wc -l)
crashes=$(cat "$TMP/${SERVER}"_*.log 2>/dev/null | grep -c 'CRASH signal=' || true)
secs=$(( ($(date +%s%N) - START_NS) / 1000000 ))
log "wrote $OUTDIR/{${SERVER}_udp.pcapng,${SERVER}_tcp.pcapng,expected.tsv}"
log "$SERVER: $rows requests: $answered answered ($four00 with 400), $((rows - answered)) dropped; $crashes crash(es) of the stack; ${secs} ms"
