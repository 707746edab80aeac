#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run_e2e.sh - the verdicts against a real Kamailio.
#
#   tests/e2e/run_e2e.sh live     PLUGIN_DIR
#   tests/e2e/run_e2e.sh recorded PLUGIN_DIR [CAPTURE_DIR]   (default captures/e2e)
#
# live:     runs tests/e2e/record.sh into a temp dir (Kamailio + SIPp + the raw
#           sender on loopback, dumpcap on lo), then checks those captures.
#           Runs in a network namespace of its own when `unshare -n` works
#           (private loopback: another Kamailio on the host's 127.0.0.1:5060
#           does not matter).  Exit 77 (skipped) when it cannot run: not root,
#           kamailio / sipp / dumpcap missing, or Kamailio cannot start.
# recorded: checks the committed captures/e2e/*.pcapng with their expected.tsv
#           (works where no peer can start).
#
# Checks, with the real tshark and the plugin (PLUGIN_DIR holds
# <major.minor>/epan/sip400.so), in the second pass (tshark -2):
#  1. every 400 Kamailio sent is linked to its request (sip400.request_frame
#     equals the request frame of expected.tsv)            -> must be 100 %;
#  2. its verdict is a cause Kamailio's reason phrase (or P-Registrar-Error)
#     names, by the table below, written from CAUSES.md independently of the
#     plugin's own table                                      -> must be >= 95 %;
#  3. every request Kamailio dropped (no answer) that carries a defect is
#     sip400.outcome == "unanswered" with its findings         -> must be >= 95 %
#     (TCP requests whose PDU never completes -- Kamailio waits for the bytes
#     Content-Length promised, or for the blank line -- stay a "TCP segment of
#     a reassembled PDU" in Wireshark, never SIP: they are listed apart and
#     not counted);
#  4. a one-pass run shows the same verdicts on the 400s (a response knows its
#     request already; only the requests' outcome needs the second pass).
# Prints the tables and the rates.
set -eu
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
mode=${1:?usage: run_e2e.sh live|recorded PLUGIN_DIR [CAPTURE_DIR]}
plugin_dir=${2:?usage: run_e2e.sh live|recorded PLUGIN_DIR [CAPTURE_DIR]}
skip() { echo "skip: $*"; exit 77; }

command -v tshark >/dev/null 2>&1 || skip "tshark not installed"
command -v python3 >/dev/null 2>&1 || skip "python3 not installed"

case "$mode" in
live)
    [ "$(id -u)" = 0 ] || skip "live run needs root (dumpcap on lo, port 5060)"
    for tool in kamailio sipp dumpcap; do
        command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed"
    done
    capdir=$(mktemp -d /tmp/sip400-e2e-live.XXXXXX)
    trap 'rm -rf "$capdir"' EXIT INT TERM
    chmod 755 "$capdir"
    log="$capdir/record.log"
    # a network namespace of its own (a private loopback): never meets another
    # Kamailio on 127.0.0.1:5060, and leaves the host's port alone
    netns=""
    if command -v unshare >/dev/null 2>&1 && command -v ip >/dev/null 2>&1 &&
        unshare -n ip link set lo up 2>/dev/null; then
        netns="unshare -n"
    fi
    if ! $netns bash -c 'if [ -n "$2" ]; then ip link set lo up; fi; exec bash "$0" "$1"' \
        "$here/record.sh" "$capdir" "$netns" 2>"$log"; then
        cat "$log" >&2
        if grep -qE "Kamailio exited at start-up|did not answer on|already answers on|not found|must run as root|another record.sh holds|apt-get install" "$log"; then
            skip "Kamailio/SIPp could not start here"
        fi
        echo "FAIL: record.sh failed" >&2
        exit 1
    fi
    grep 'record.sh: .*requests' "$log" || true
    ;;
recorded)
    capdir=${3:-$repo/captures/e2e}
    [ -r "$capdir/expected.tsv" ] || skip "$capdir/expected.tsv not present"
    ;;
*)
    echo "usage: run_e2e.sh live|recorded PLUGIN_DIR [CAPTURE_DIR]" >&2
    exit 2
    ;;
esac

# not exec: the EXIT trap removes the live run's temp dir
rc=0
python3 - "$repo/tests/tshark.sh" "$plugin_dir" "$capdir" "$mode" <<'PYEOF' || rc=$?
import subprocess, sys

tshark_sh, plugin_dir, capdir, mode = sys.argv[1:5]

# What Kamailio's words name, written from CAUSES.md ("Reading the server's
# answer") and tests/e2e/README.md, independently of plugin/verdict.c.
# Keys are matched lower-case as substrings of the reason phrase, then of
# P-Registrar-Error; a value ending in "." is a family prefix.
NAMED = [
    ("bad request uri", ["ruri."]),
    ("cseq method does not match", ["hdr.cseq.method_mismatch"]),
    ("cseq number is illegal", ["hdr.cseq.invalid_number"]),
    ("missing number in cseq", ["hdr.cseq.invalid_number"]),
    ("missing method in cseq", ["hdr.cseq.missing_method"]),
    ("content-length mis-match", ["body.content_length.mismatch"]),
    ("content-length body failure", ["body.missing_blank_line"]),
    ("content-length failure", ["body.content_length.invalid", "body.content_length.multiple"]),
    ("expires value is illegal", ["hdr.expires_invalid"]),
    ("bad expires header", ["hdr.expires_invalid"]),
    ("bad proxy require header", ["hdr.proxy_require_malformed"]),
    ("invalid from header", ["uri.from_invalid", "hdr.duplicate_single_value", "hdr.unterminated_quote",
                             "uri.missing_scheme"]),
    ("ivalid to header", ["uri.to_invalid", "hdr.duplicate_single_value", "hdr.unterminated_quote",
                          "uri.missing_scheme"]),
    ("invalid to header", ["uri.to_invalid", "hdr.duplicate_single_value", "hdr.unterminated_quote",
                           "uri.missing_scheme"]),
    ("bad contact header", ["uri.contact_invalid", "uri.missing_scheme"]),
    ("bad contact uri", ["uri.contact_invalid", "uri.missing_scheme"]),
    ("many from tag params", ["dialog.tag.duplicate"]),
    ("many to tag params", ["dialog.tag.duplicate"]),
    ("bad auth header", ["auth.malformed_header"]),
    ("bad auth credentials", ["auth.missing_digest_param"]),
    ("auth empty", ["auth.empty_value"]),
    ("missing contact header", ["hdr.missing.contact"]),
    ("callid too long", ["size.call_id_too_long"]),
    ("invalid q param", ["uri.contact_q_invalid"]),
    ("* used in contact", ["uri.contact_star_misuse"]),
    ("contact/received too long", ["uri.contact_too_long"]),
    ("error while unescaping username", ["uri.register_aor_invalid"]),
    ("error while parsing aor", ["uri.register_aor_invalid"]),
    ("no username in to uri", ["uri.register_aor_invalid"]),
]


def named_by(reason, detail):
    for text in (detail.lower(), reason.lower()):
        for key, causes in NAMED:
            if key in text:
                return key, causes
    return None, None


def matches(verdict, causes):
    return any(verdict == c or (c.endswith(".") and verdict.startswith(c)) for c in causes)


FIELDS = ["frame.number", "sip400.request_frame", "sip400.response_frame", "sip400.outcome",
          "sip400.verdict", "sip400.verdict.confidence", "sip400.cause", "sip400.server.family"]


def incomplete_pdus(pcap):
    """TCP frames whose payload Wireshark never reassembled into a SIP message."""
    cmd = ["sh", tshark_sh, plugin_dir, "-n", "-r", pcap, "-2", "-Y", "tcp.segment_data && !sip && !sip400",
           "-T", "fields", "-e", "frame.number"]
    out = subprocess.run(cmd, check=True, capture_output=True, timeout=300).stdout.decode()
    return {int(x) for x in out.split()}


def run_tshark(pcap, two_pass):
    cmd = ["sh", tshark_sh, plugin_dir, "-n", "-r", pcap]
    if two_pass:
        cmd.append("-2")
    cmd += ["-Y", "sip400", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a",
            "-E", "aggregator=|"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, timeout=300).stdout.decode()
    rows = {}
    for line in out.splitlines():
        parts = line.split("\t") + [""] * len(FIELDS)
        row = {f: [v for v in parts[i].split("|") if v] for i, f in enumerate(FIELDS)}
        rows[int(parts[0])] = row
    return rows


with open(f"{capdir}/expected.tsv") as fh:
    header = fh.readline().rstrip("\n").split("\t")
    expected = [dict(zip(header, l.rstrip("\n").split("\t"))) for l in fh if l.strip()]

two = {t: run_tshark(f"{capdir}/kamailio_{t}.pcapng", True) for t in ("udp", "tcp")}
one = {t: run_tshark(f"{capdir}/kamailio_{t}.pcapng", False) for t in ("udp", "tcp")}
pending_pdu = {"udp": set(), "tcp": incomplete_pdus(f"{capdir}/kamailio_tcp.pcapng")}

# ---- 1 + 2: every 400 ----
print(f"== {mode}: every 400 Kamailio sent (tshark -2) ==")
print("transport\tname\tKamailio said\tnamed causes\trequest link\tverdict (confidence)\tresult")
n400 = linked = right = onepass_same = intended = 0
failures = []
for e in expected:
    if e["code"] != "400":
        continue
    n400 += 1
    t = e["transport"]
    said = e["reason"] + ("" if e["detail"] in ("-", "") else " / " + e["detail"])
    key, causes = named_by(e["reason"], e["detail"] if e["detail"] != "-" else "")
    row = two[t].get(int(e["resp_frame"]), {})
    reqs = row.get("sip400.request_frame", [])
    verdicts = row.get("sip400.verdict", [])
    conf = row.get("sip400.verdict.confidence", [])
    link_ok = e["req_frame"] in reqs
    linked += link_ok
    verdict = verdicts[0] if verdicts else "-"
    ok = link_ok and causes is not None and matches(verdict, causes)
    right += ok
    intended += verdict == e["cause"]
    orow = one[t].get(int(e["resp_frame"]), {})
    onepass_same += orow.get("sip400.verdict", []) == verdicts and orow.get("sip400.request_frame", []) == reqs
    res = "ok" if ok else ("NO LINK" if not link_ok else ("UNMAPPED REASON" if causes is None else "WRONG"))
    if not ok:
        failures.append(f"{t} {e['name']}")
    print(f"{t}\t{e['name']}\t{said}\t{','.join(causes or ['?'])}\t"
          f"{'frame ' + e['req_frame'] if link_ok else 'got ' + (','.join(reqs) or 'none') + ' want ' + e['req_frame']}\t"
          f"{verdict} ({conf[0] if conf else '-'})\t{res}")

# ---- 3: requests Kamailio dropped ----
print(f"\n== {mode}: requests Kamailio dropped (no answer), with a defect ==")
print("transport\tname\tintended cause\toutcome\tfindings\tresult")
ndrop = dropped_ok = dropped_intended = 0
never_sip = []
for e in expected:
    if e["code"] != "none" or e["cause"] == "-" or e["req_frame"] == "-":
        continue
    if int(e["req_frame"]) in pending_pdu[e["transport"]]:
        never_sip.append(e)
        print(f"{e['transport']}\t{e['name']}\t{e['cause']}\t-\t-\tnot counted: TCP PDU never completed")
        continue
    ndrop += 1
    row = two[e["transport"]].get(int(e["req_frame"]), {})
    outcome = row.get("sip400.outcome", [])
    found = row.get("sip400.cause", [])
    ok = "unanswered" in outcome and bool(found)
    dropped_ok += ok
    dropped_intended += e["cause"] in found
    if not ok:
        failures.append(f"{e['transport']} {e['name']} (dropped)")
    print(f"{e['transport']}\t{e['name']}\t{e['cause']}\t{','.join(outcome) or '-'}\t"
          f"{','.join(found) or '-'}\t{'ok' if ok else 'NOT UNANSWERED'}")

rate = 100.0 * right / n400 if n400 else 0.0
drate = 100.0 * dropped_ok / ndrop if ndrop else 100.0
print(f"\n{mode}: 400s: {n400}; linked to their request: {linked}/{n400}; "
      f"verdict = the cause Kamailio's words name: {right}/{n400} = {rate:.1f} %")
print(f"{mode}: verdict = the defect the test message was written with: {intended}/{n400}")
print(f"{mode}: one pass shows the same link and verdict on {onepass_same}/{n400} 400s")
print(f"{mode}: dropped requests with a defect: {ndrop}; outcome unanswered with findings: "
      f"{dropped_ok}/{ndrop} = {drate:.1f} %; the intended cause among the findings: {dropped_intended}/{ndrop}; "
      f"not counted (TCP PDU never completed, never SIP in Wireshark): {len(never_sip)}")
if failures:
    print("not ok: " + "; ".join(failures))
ok = n400 > 0 and linked == n400 and rate >= 95.0 and drate >= 95.0 and onepass_same == n400
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
PYEOF
exit $rc
