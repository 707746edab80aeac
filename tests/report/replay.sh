#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# replay.sh - evidence bundles reproduce their 400 against a real Kamailio.
#
#   tests/report/replay.sh PLUGIN_DIR
#
# 1. sip400-report --bundle over captures/demo.pcap (two 400s made to look
#    like Kamailio's) and captures/e2e/kamailio_{udp,tcp}.pcapng (real
#    Kamailio 5.6 answers; recorded again here first when this machine's
#    Kamailio is another release);
# 2. starts Kamailio with tests/e2e/kamailio.cfg the way tests/e2e/record.sh
#    does (foreground, private runtime dir), in a network namespace of its own
#    when `unshare -n` works (else on the host's loopback, serialised with
#    record.sh by /tmp/sip400-e2e.lock);
# 3. runs every bundle whose request was answered with 400 through its own
#    replay.sh (the real sipp) and checks: sipp succeeds (it got the 400 it
#    expects), the bytes sipp sent are request.sip, and the reason phrase of
#    the 400 Kamailio sends now is the one in the capture.
# Exit 77 (skipped) when kamailio, sipp or tshark is missing or Kamailio
# cannot start; 1 when a bundle does not reproduce its 400.
set -eu
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
plugin_dir=$(cd "${1:?usage: replay.sh PLUGIN_DIR}" && pwd)
skip() { echo "skip: $*"; exit 77; }

for tool in kamailio sipp tshark python3 setsid; do
    command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed"
done

# ---- a private loopback when possible ----
if [ -z "${SIP400_REPLAY_NETNS:-}" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 &&
    command -v ip >/dev/null 2>&1 && unshare -n ip link set lo up 2>/dev/null; then
    export SIP400_REPLAY_NETNS=1
    exec unshare -n bash -c 'ip link set lo up && exec bash "$0" "$1"' "$0" "$plugin_dir"
fi

moddir=""
for d in $(dpkg -L kamailio 2>/dev/null | grep '/modules/sanity\.so$' | xargs -r -n1 dirname) \
    /usr/lib/*/kamailio/modules /usr/lib/kamailio/modules; do
    [ -f "$d/sanity.so" ] && moddir=$d && break
done
[ -n "$moddir" ] || skip "Kamailio modules (sanity.so) not found"

tmp=$(mktemp -d /tmp/sip400-replay.XXXXXX)
chmod 755 "$tmp"
kam_pid=""
cleanup() {
    if [ -n "$kam_pid" ] && kill -0 "$kam_pid" 2>/dev/null; then
        kill -TERM -- "-$kam_pid" 2>/dev/null || kill -TERM "$kam_pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$kam_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$kam_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "${SIP400_REPLAY_NETNS:-}" ]; then
    # the host's port 5060: never at the same time as record.sh
    exec 9>"/tmp/sip400-e2e.lock"
    flock -w 120 9 || skip "another run holds /tmp/sip400-e2e.lock"
fi

probe() {   # probe TRANSPORT: does something answer a valid OPTIONS on 127.0.0.1:5060?
    timeout 5 python3 "$repo/tests/e2e/send_raw.py" -t "$1" --wait 0.3 \
        "$repo/tests/e2e/messages/valid.options.sip" 2>/dev/null | grep -q 'SIP/2.0 200'
}
probe udp && skip "something already answers on 127.0.0.1:5060"

# ---- which Kamailio answered the recorded captures, which one runs here ----
# A bundle reproduces its 400 against the Kamailio that answered it: another
# release parses some requests differently (Kamailio 6.0 drops a REGISTER
# whose To URI 5.6 answers with 400).  When this machine's Kamailio is not
# the recording's, the same requests are recorded here first
# (tests/e2e/record.sh, about 30 s) and those captures are bundled.
recdir="$repo/captures/e2e"
kam_here=$(kamailio -v 2>/dev/null | sed -n '1s/^version: kamailio \([0-9.]*\).*/\1/p')
kam_rec=$(sh "$repo/tests/tshark.sh" "$plugin_dir" -r "$recdir/kamailio_udp.pcapng" -Y 'sip.Server' \
    -T fields -e sip.Server 2>/dev/null | sed -n '1s/^kamailio (\([0-9.]*\).*/\1/p')
if [ -n "$kam_here" ] && [ "$kam_here" != "$kam_rec" ]; then
    echo "Kamailio $kam_here here, the recordings are Kamailio ${kam_rec:-?}: recording the requests again"
    bash "$repo/tests/e2e/record.sh" "$tmp/rec" >"$tmp/record.log" 2>&1 ||
        { tail -n 20 "$tmp/record.log"; echo "FAIL: tests/e2e/record.sh failed"; exit 1; }
    recdir="$tmp/rec"
fi

# ---- bundles (before Kamailio: tshark runs meanwhile are not timed) ----
caps=("$repo/captures/demo.pcap" "$recdir/kamailio_udp.pcapng" "$recdir/kamailio_tcp.pcapng")
python3 "$repo/packaging/sip400-report" -q --plugin-dir "$plugin_dir" --bundle "$tmp/bundles" "${caps[@]}" \
    >"$tmp/summary.txt" || { cat "$tmp/summary.txt"; echo "FAIL: sip400-report --bundle failed"; exit 1; }

# ---- Kamailio ----
mkdir -p "$tmp/run"
setsid kamailio -f "$repo/tests/e2e/kamailio.cfg" -L "$moddir" -Y "$tmp/run" -P "$tmp/kamailio.pid" \
    -DD -E -m 64 -M 8 >"$tmp/kamailio.log" 2>&1 </dev/null &
kam_pid=$!
ready=0
for _ in $(seq 50); do
    kill -0 "$kam_pid" 2>/dev/null || { tail -n 20 "$tmp/kamailio.log"; skip "Kamailio exited at start-up"; }
    if probe udp && probe tcp; then ready=1; break; fi
    sleep 0.1
done
[ "$ready" = 1 ] || skip "Kamailio did not answer on 127.0.0.1:5060"
echo "Kamailio $(kamailio -v 2>/dev/null | head -n1 | cut -d' ' -f3) on 127.0.0.1:5060${SIP400_REPLAY_NETNS:+ (private network namespace)}"

# ---- replay every 400 ----
python3 - "$tmp/bundles" "$tmp" <<'PYEOF'
import json, os, re, socket, subprocess, sys

bundles, tmp = sys.argv[1:3]
ok, bad, n = 0, [], 0


def free_port(kind):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


for root, dirs, files in sorted(os.walk(bundles)):
    dirs.sort()
    if "incident.json" not in files:
        continue
    inc = json.load(open(os.path.join(root, "incident.json"), encoding="utf-8"))
    if inc.get("status") != 400 or "replay.sh" not in files:
        continue
    n += 1
    name = os.path.relpath(root, bundles)
    want = open(os.path.join(root, "request.sip"), "rb").read()
    log = os.path.join(tmp, "msg-%d.log" % n)
    transport = {"UDP": "u1", "TCP": "t1"}[inc["transport"]]
    env = dict(os.environ, SIPP_TRANSPORT=transport,
               LOCAL_PORT=str(free_port(socket.SOCK_DGRAM if transport == "u1" else socket.SOCK_STREAM)))
    p = subprocess.run(["timeout", "30", "sh", os.path.join(root, "replay.sh"), "127.0.0.1:5060", "-i", "127.0.0.1",
                        "-trace_msg", "-message_file", log], env=env, cwd=tmp,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    data = open(log, "rb").read() if os.path.exists(log) else b""
    # SIPp 3.6/3.7: "UDP message sent (N bytes):", 3.8: "UDP message sent [N] bytes:"
    m = re.search(rb"(?:UDP|TCP) message sent (?:\((\d+) bytes\)|\[(\d+)\] bytes):\n\n", data)
    sent = data[m.end():m.end() + int(m.group(1) or m.group(2))] if m else None
    r = re.search(rb"message received \[\d+\] bytes ?:\n\n(SIP/2\.0 (\d{3}) ([^\r\n]*))", data)
    got = (int(r.group(2)), r.group(3).decode("latin-1")) if r else None
    problems = []
    if p.returncode != 0:
        problems.append("sipp exit %d" % p.returncode)
    if sent != want:
        problems.append("sent %s bytes, request.sip has %d" % (None if sent is None else len(sent), len(want)))
    if got != (400, inc["reason"]):
        problems.append("Kamailio now answers %s, the capture has 400 %r" % (got, inc["reason"]))
    if problems:
        bad.append(name)
        print("FAIL %s (%s %s): %s" % (name, inc["method"], inc["verdict"], "; ".join(problems)))
    else:
        ok += 1
        print("ok   %s: %s %s -> 400 %s" % (name, inc["transport"], inc["method"], inc["reason"]))
print("%d bundles of 400s replayed with sipp: %d reproduced the same 400 byte for byte, %d did not"
      % (n, ok, len(bad)))
sys.exit(1 if bad or n == 0 else 0)
PYEOF
