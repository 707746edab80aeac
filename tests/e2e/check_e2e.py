#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""check_e2e.py - the plugin's verdicts on the captures of one real peer.

  check_e2e.py --server kamailio|sofia|belle --criterion named|exact \\
               TSHARK_SH PLUGIN_DIR CAPTURE_DIR MODE

Reads CAPTURE_DIR/<server>_udp.pcapng, <server>_tcp.pcapng and expected.tsv
(record.sh / derive_expected.py) and runs the real tshark with the plugin
(TSHARK_SH is tests/tshark.sh) in the second pass (-2) and in one pass.

Checks, for both criteria:
  1. every 400 the server sent is linked to its request (sip400.request_frame
     equals the request frame of expected.tsv)                 -> 100 %;
  3. every request the server dropped (no answer) that carries a defect has
     sip400.outcome "unanswered" with findings;
  4. a one-pass run shows the same link and verdict on every 400.
Check 2, the verdict of each 400:
  named  (Kamailio): the verdict is a cause the server's words (reason phrase
         or P-Registrar-Error) name, by the table NAMED below, written from
         CAUSES.md independently of the plugin's table     -> >= 95 %;
         drops -> >= 95 %;
  exact  (sofia, belle): the verdict is the defect the request was written
         with (expected.tsv's cause), for every 400        -> 100 %;
         every drop unanswered                             -> 100 %;
         and no valid request (cause "-", not an ACK; every request of a
         valid.* scenario) carries an error-level finding  -> 100 %.
TCP requests whose PDU never completes (the server waits for the bytes
Content-Length promised, or for the blank line) stay a "TCP segment of a
reassembled PDU" in Wireshark, never SIP: they are listed apart, not counted.

Prints the tables, the figures, the failing rows ("not ok: ...") and PASS or
FAIL; exit 0 on PASS, 1 on FAIL.
"""

import argparse
import os
import subprocess
import sys

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

FIELDS = ["frame.number", "sip400.request_frame", "sip400.response_frame", "sip400.outcome",
          "sip400.verdict", "sip400.verdict.confidence", "sip400.cause", "sip400.severity",
          "sip400.server.family", "sip400.link"]


def named_by(reason, detail):
    for text in (detail.lower(), reason.lower()):
        for key, causes in NAMED:
            if key in text:
                return key, causes
    return None, None


def matches(verdict, causes):
    return any(verdict == c or (c.endswith(".") and verdict.startswith(c)) for c in causes)


class Tshark:
    def __init__(self, tshark_sh, plugin_dir):
        self.base = ["sh", tshark_sh, plugin_dir, "-n"]

    def incomplete_pdus(self, pcap):
        """TCP frames whose payload Wireshark never reassembled into a SIP message."""
        cmd = self.base + ["-r", pcap, "-2", "-Y", "tcp.segment_data && !sip && !sip400",
                           "-T", "fields", "-e", "frame.number"]
        out = subprocess.run(cmd, check=True, capture_output=True, timeout=300).stdout.decode()
        return {int(x) for x in out.split()}

    def rows(self, pcap, two_pass):
        cmd = self.base + ["-r", pcap]
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
            rows[int(parts[0])] = {f: [v for v in parts[i].split("|") if v] for i, f in enumerate(FIELDS)}
        return rows


def read_expected(path):
    with open(path) as fh:
        header = fh.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in fh if line.strip()]


def is_valid_request(e):
    """A request written without a defect (not a SIPp ACK of a defective scenario)."""
    if e["name"].startswith("valid."):
        return True
    return e["cause"] == "-" and e["method"].upper() != "ACK"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--server", default="kamailio", choices=["kamailio", "sofia", "belle"])
    ap.add_argument("--criterion", default="named", choices=["named", "exact"])
    ap.add_argument("tshark_sh")
    ap.add_argument("plugin_dir")
    ap.add_argument("capdir")
    ap.add_argument("mode")
    a = ap.parse_args()
    server, mode, exact = a.server, a.mode, a.criterion == "exact"
    ts = Tshark(a.tshark_sh, a.plugin_dir)
    expected = read_expected(f"{a.capdir}/expected.tsv")
    pcap = {t: f"{a.capdir}/{server}_{t}.pcapng" for t in ("udp", "tcp")}
    two = {t: ts.rows(pcap[t], True) for t in pcap}
    one = {t: ts.rows(pcap[t], False) for t in pcap}
    pending_pdu = {"udp": set(), "tcp": ts.incomplete_pdus(pcap["tcp"])}
    failures = []
    fail_keys = []  # (transport, name) of each failing row

    # ---- 1 + 2: every 400 ----
    print(f"== {server} {mode}: every 400 the server sent (tshark -2) ==")
    print("transport\tname\tserver said\twanted verdict\trequest link\tverdict (confidence)\tresult")
    n400 = linked = right = onepass_same = intended = 0
    for e in expected:
        if e["code"] != "400":
            continue
        n400 += 1
        t = e["transport"]
        said = e["reason"] + ("" if e["detail"] in ("-", "") else " / " + e["detail"])
        if exact:
            causes = [e["cause"]] if e["cause"] != "-" else None
        else:
            _, causes = named_by(e["reason"], e["detail"] if e["detail"] != "-" else "")
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
        if ok:
            res = "ok"
        elif not link_ok:
            res = "NO LINK"
        elif causes is None:
            res = "400 TO A VALID REQUEST" if exact else "UNMAPPED REASON"
        else:
            res = "WRONG"
        if not ok:
            failures.append(f"{t} {e['name']} ({res.lower()}: verdict {verdict})")
            fail_keys.append((t, e["name"]))
        link = ("frame " + e["req_frame"] if link_ok
                else "got " + (",".join(reqs) or "none") + " want " + e["req_frame"])
        print(f"{t}\t{e['name']}\t{said}\t{','.join(causes or ['?'])}\t{link}\t"
              f"{verdict} ({conf[0] if conf else '-'})\t{res}")

    # ---- 3: requests the server dropped ----
    print(f"\n== {server} {mode}: requests the server dropped (no answer), with a defect ==")
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
            failures.append(f"{e['transport']} {e['name']} (dropped, outcome {','.join(outcome) or '-'})")
            fail_keys.append((e["transport"], e["name"]))
        print(f"{e['transport']}\t{e['name']}\t{e['cause']}\t{','.join(outcome) or '-'}\t"
              f"{','.join(found) or '-'}\t{'ok' if ok else 'NOT UNANSWERED'}")

    # ---- valid requests: no error-level finding ----
    nvalid = valid_clean = 0
    print(f"\n== {server} {mode}: valid requests (no error-level finding wanted) ==")
    print("transport\tname\tmethod\tanswer\terror-level findings\tresult")
    for e in expected:
        if not is_valid_request(e) or e["req_frame"] == "-":
            continue
        if int(e["req_frame"]) in pending_pdu[e["transport"]]:
            continue
        nvalid += 1
        row = two[e["transport"]].get(int(e["req_frame"]), {})
        errs = [c for c, s in zip(row.get("sip400.cause", []), row.get("sip400.severity", [])) if s == "error"]
        clean = not errs
        valid_clean += clean
        if not clean and exact:
            failures.append(f"{e['transport']} {e['name']} (valid, error-level {','.join(errs)})")
            fail_keys.append((e["transport"], e["name"]))
        print(f"{e['transport']}\t{e['name']}\t{e['method']}\t{e['code']} {e['reason']}\t"
              f"{','.join(errs) or '-'}\t{'ok' if clean else 'ERROR FINDING'}")

    rate = 100.0 * right / n400 if n400 else 0.0
    drate = 100.0 * dropped_ok / ndrop if ndrop else 100.0
    nreq = sum(1 for e in expected if e["req_frame"] != "-")
    wanted = "the request's defect" if exact else "a cause the server's words name"
    print(f"\n{server} {mode}: requests: {nreq}; 400s: {n400}; linked to their request: {linked}/{n400}; "
          f"verdict = {wanted}: {right}/{n400} = {rate:.1f} %")
    print(f"{server} {mode}: verdict = the defect the test message was written with: {intended}/{n400}")
    print(f"{server} {mode}: one pass shows the same link and verdict on {onepass_same}/{n400} 400s")
    print(f"{server} {mode}: dropped requests with a defect: {ndrop}; outcome unanswered with findings: "
          f"{dropped_ok}/{ndrop} = {drate:.1f} %; the intended cause among the findings: "
          f"{dropped_intended}/{ndrop}; not counted (TCP PDU never completed, never SIP in Wireshark): "
          f"{len(never_sip)}")
    print(f"{server} {mode}: valid requests without an error-level finding: {valid_clean}/{nvalid}")
    if failures:
        print("not ok: " + "; ".join(failures))
    if exact:
        # known_open.tsv: the rows still open for this server, each with its
        # reason; a new failure fails, and so does a listed row that now passes
        # (take it off the list: the figure only ratchets up)
        known = known_open(server)
        unexpected = sorted(set(fail_keys) - set(known))
        fixed = sorted(set(known) - set(fail_keys))
        for k in unexpected:
            print(f"NEW FAILURE: {k[0]} {k[1]}")
        for k in fixed:
            print(f"NOW PASSES (remove it from known_open.tsv): {k[0]} {k[1]}")
        if known:
            print(f"{server} {mode}: known open rows (known_open.tsv): {len(known)}")
        ok = n400 > 0 and onepass_same == n400 and not unexpected and not fixed
    else:
        ok = n400 > 0 and linked == n400 and rate >= 95.0 and drate >= 95.0 and onepass_same == n400
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def known_open(server):
    """(transport, name) rows tests/e2e/known_open.tsv lists as open for server."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "known_open.tsv")
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 4 and parts[0] == server:
                rows[(parts[1], parts[2])] = parts[3]
    return rows


if __name__ == "__main__":
    sys.exit(main())
