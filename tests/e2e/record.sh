#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# record.sh - real peers end to end: Kamailio answers, SIPp and send_raw.py
# send, dumpcap records.
#
#   tests/e2e/record.sh [OUTDIR]          (default: captures/e2e)
#
# Writes into OUTDIR:
#   kamailio_udp.pcapng   every request and answer over UDP (loopback, 5060)
#   kamailio_tcp.pcapng   the same over TCP
#   expected.tsv          one row per request sent: transport, source, name,
#                         intended cause id, method, Kamailio's answer (code and
#                         exact reason phrase, or "none" when it dropped the
#                         request), detail (P-Registrar-Error/Warning, TCP
#                         close), request and answer frame numbers.  Derived
#                         from the captures by tshark (derive_expected.py).
#
# What it does:
#   1. installs kamailio, sip-tester (SIPp), tshark (dumpcap) and python3 with
#      apt-get when any of them is missing (quick no-op otherwise);
#   2. stops a system Kamailio service if the package started one (it would
#      hold port 5060); /etc/kamailio is never touched;
#   3. starts Kamailio with tests/e2e/kamailio.cfg in the foreground, with a
#      private runtime dir and pid file under a temp dir;
#   4. per transport (udp, tcp): starts dumpcap on lo, sends every message of
#      tests/e2e/messages/*.sip with send_raw.py and runs every SIPp scenario
#      of tests/e2e/scenarios/*.xml, each from a local port of its own, then
#      stops dumpcap;
#   5. stops Kamailio and derives expected.tsv from the captures.
#
# Must run as root (apt-get, dumpcap on lo).  Ends by itself: every step has
# a timeout and the whole run is capped by a watchdog (normal run ~30-40 s).
# Only loopback (127.0.0.1) is used.  Runs are serialised by a lock file so
# two callers never fight over port 5060.
#
# Environment:
#   SIP400_E2E_KEEP_TMP=1   keep the temp dir (Kamailio log, SIPp output)
#   SIP400_E2E_WAIT=0.4     seconds send_raw.py waits for an answer

set -euo pipefail
export LC_ALL=C

# ---- watchdog: the whole run may never take longer than this ----
WATCHDOG_SECS=150
if [ -z "${SIP400_E2E_UNDER_WATCHDOG:-}" ]; then
	export SIP400_E2E_UNDER_WATCHDOG=1
	exec timeout -k 10 "$WATCHDOG_SECS" bash "$0" "$@"
fi

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUTDIR=${1:-$REPO/captures/e2e}
WAIT=${SIP400_E2E_WAIT:-0.4}
START_NS=$(date +%s%N)

log() { printf 'record.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (apt-get, dumpcap on lo, Kamailio)"

# ---- 1. tools ---------------------------------------------------------------
need_install=0
for tool in kamailio sipp dumpcap tshark python3 timeout flock setsid; do
	command -v "$tool" >/dev/null 2>&1 || need_install=1
done
if [ "$need_install" = 1 ]; then
	log "installing kamailio sip-tester tshark python3 ..."
	export DEBIAN_FRONTEND=noninteractive
	pkgs=(kamailio sip-tester tshark python3)
	timeout 300 apt-get install -y --no-install-recommends "${pkgs[@]}" >/dev/null ||
		{ timeout 300 apt-get update >/dev/null &&
		  timeout 300 apt-get install -y --no-install-recommends "${pkgs[@]}" >/dev/null; } ||
		die "apt-get install ${pkgs[*]} failed"
fi

# Kamailio's module directory (Debian multiarch path)
MODDIR=$(dirname "$(dpkg -L kamailio 2>/dev/null | grep '/modules/sanity\.so$' | head -n1)")
if [ ! -f "$MODDIR/sanity.so" ]; then
	for d in /usr/lib/*/kamailio/modules /usr/lib/kamailio/modules; do
		[ -f "$d/sanity.so" ] && MODDIR=$d && break
	done
fi
[ -f "$MODDIR/sanity.so" ] || die "Kamailio modules (sanity.so) not found"

# ---- serialise runs on this machine (port 5060 is shared) -------------------
exec 9>"/tmp/sip400-e2e.lock"
flock -w 120 9 || die "another record.sh holds /tmp/sip400-e2e.lock"

# ---- 2. a system Kamailio would hold port 5060: stop it ----------------------
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet kamailio 2>/dev/null; then
	log "stopping the kamailio system service"
	timeout 30 systemctl stop kamailio || true
fi
if [ -s /run/kamailio/kamailio.pid ] && kill -0 "$(cat /run/kamailio/kamailio.pid)" 2>/dev/null; then
	log "stopping the kamailio init service"
	timeout 30 service kamailio stop >/dev/null 2>&1 ||
		timeout 30 /etc/init.d/kamailio stop >/dev/null 2>&1 || true
fi

# ---- temp dir and cleanup -----------------------------------------------------
TMP=$(mktemp -d /tmp/sip400-e2e.XXXXXX)
# OUTDIR may be relative to the caller's directory; we work inside TMP so that
# no tool ever drops a file into the caller's directory
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
cd "$TMP"
KAM_PID=""
DC_PID=""
CHILD_PID=""

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

stop_kamailio() {
	if [ -n "$KAM_PID" ] && kill -0 "$KAM_PID" 2>/dev/null; then
		# Kamailio runs in a session/process group of its own (setsid):
		# signal that group, i.e. the main process and its workers
		kill -TERM -- "-$KAM_PID" 2>/dev/null || kill -TERM "$KAM_PID" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$KAM_PID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL -- "-$KAM_PID" 2>/dev/null || true
		wait "$KAM_PID" 2>/dev/null || true
	fi
	KAM_PID=""
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [ -n "$CHILD_PID" ] && kill -0 "$CHILD_PID" 2>/dev/null; then
		kill -TERM "$CHILD_PID" 2>/dev/null || true   # a "timeout" wrapper: passes it on
		wait "$CHILD_PID" 2>/dev/null || true
	fi
	stop_dumpcap
	stop_kamailio
	if [ "$rc" != 0 ] && [ -f "$TMP/kamailio.log" ]; then
		log "Kamailio log (tail):"
		tail -n 20 "$TMP/kamailio.log" >&2 || true
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

# ---- 3. Kamailio ------------------------------------------------------------------
probe() {   # probe TRANSPORT: does something answer a valid OPTIONS on 5060?
	timeout 5 python3 "$HERE/send_raw.py" -t "$1" --wait 0.3 \
		"$HERE/messages/valid.options.sip" 2>/dev/null | grep -q 'SIP/2.0 200'
}

if probe udp; then
	die "something already answers on 127.0.0.1:5060; stop it first"
fi

mkdir -p "$TMP/run"
log "starting Kamailio ($(kamailio -v 2>/dev/null | head -n1 | cut -d' ' -f2-3))"
setsid kamailio -f "$HERE/kamailio.cfg" -L "$MODDIR" -Y "$TMP/run" -P "$TMP/kamailio.pid" \
	-DD -E -m 64 -M 8 >"$TMP/kamailio.log" 2>&1 </dev/null &
KAM_PID=$!
ready=0
for _ in $(seq 50); do
	kill -0 "$KAM_PID" 2>/dev/null || die "Kamailio exited at start-up"
	if probe udp && probe tcp; then ready=1; break; fi
	sleep 0.1
done
[ "$ready" = 1 ] || die "Kamailio did not answer on 127.0.0.1:5060"

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

# causes that are defects on TCP only (on UDP the message is legal)
tcp_only_cause() { case "$1" in hdr.missing.content_length) return 0 ;; esac; return 1; }

cause_of() {   # message/scenario name -> intended cause id
	local name=$1 transport=$2 cause
	case "$name" in valid.*) echo "-"; return ;; esac
	cause=${name%%--*}          # "<cause>--<variant>" -> "<cause>"
	if [ "$transport" = udp ] && tcp_only_cause "$cause"; then cause="-"; fi
	echo "$cause"
}

record_transport() {
	local t=$1 pcap="$TMP/kamailio_$1.pcapng" k port name f sipp_t lport rc
	local raw_base=$BASE sipp_base
	[ "$t" = tcp ] && raw_base=$((BASE + 250))

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
	run_step timeout 100 python3 "$HERE/send_raw.py" -t "$t" --fix-via --lport "$raw_base" \
		--wait "$WAIT" "${MESSAGES[@]}" >"$TMP/raw_$t.out"
	while IFS=$'\t' read -r f _ lport _; do
		name=$(basename "$f" .sip)
		printf '%s\traw\t%s\t%s\t%s\n' "$t" "$name" "$(cause_of "$name" "$t")" "$lport" >>"$MANIFEST"
	done <"$TMP/raw_$t.out"

	# SIPp scenarios, one process (and local port) each
	sipp_base=$((raw_base + 180))
	[ "$t" = udp ] && sipp_t=u1 || sipp_t=t1
	log "$t: running $n_scen SIPp scenarios"
	k=0
	for f in "${SCENARIOS[@]}"; do
		name=$(basename "$f" .xml)
		port=$((sipp_base + k)); k=$((k + 1))
		rc=0
		run_step timeout -k 2 10 sipp -sf "$f" -m 1 -t "$sipp_t" -i 127.0.0.1 -p "$port" \
			-nd -nr -nostdin -timeout 6s -cid_str "sipp-$name-%u@%s" 127.0.0.1:5060 \
			>>"$TMP/sipp_$t.log" 2>&1 </dev/null || rc=$?
		printf '%s\t%s\trc=%s\n' "$t" "$name" "$rc" >>"$TMP/sipp_rc.log"
		printf '%s\tsipp\t%s\t%s\t%s\n' "$t" "$name" "$(cause_of "$name" "$t")" "$port" >>"$MANIFEST"
	done

	sleep 0.3   # late answers
	stop_dumpcap
}

record_transport udp
record_transport tcp
stop_kamailio

# ---- 5. results -------------------------------------------------------------------------
mkdir -p "$OUTDIR"
for t in udp tcp; do
	cp "$TMP/kamailio_$t.pcapng" "$OUTDIR/kamailio_$t.pcapng"
	chmod 644 "$OUTDIR/kamailio_$t.pcapng"
done
run_step timeout 100 python3 "$HERE/derive_expected.py" "$MANIFEST" "$OUTDIR" "$OUTDIR/expected.tsv"
chmod 644 "$OUTDIR/expected.tsv"

rows=$(($(wc -l <"$OUTDIR/expected.tsv") - 1))
answered=$(awk -F'\t' 'NR > 1 && $6 != "none"' "$OUTDIR/expected.tsv" | wc -l)
four00=$(awk -F'\t' 'NR > 1 && $6 == "400"' "$OUTDIR/expected.tsv" | wc -l)
secs=$(( ($(date +%s%N) - START_NS) / 1000000 ))
log "wrote $OUTDIR/{kamailio_udp.pcapng,kamailio_tcp.pcapng,expected.tsv}"
log "$rows requests: $answered answered ($four00 with 400), $((rows - answered)) dropped; ${secs} ms"
