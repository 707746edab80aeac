#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Build the fuzzer's seed corpus: one file per SIP message, named by its hash.

  make_seeds.py OUTDIR --cases BIN [--top DIR] [--corpora DIR]

Sources (each skipped when absent):
  * every message of the unit-test cases (tests/unit/cases_*.c, written by the
    fuzz_seed_cases program BIN: the message with the defect and the good one);
  * tests/e2e/messages/*.sip and tests/fuzz/regress/*;
  * the SIP payloads (UDP, TCP, SCTP, WebSocket, undissected data) of captures/*
    and of ../shared/corpora/pcaps/*, extracted with tshark, hex-decoded;
  * ../shared/corpora/messages: sofia-sip and Kamailio message files as they
    are, pjsip's sendto scripts as the messages they send (CRLF line ends, as
    pjsip's inc_sip does).
"""
import argparse
import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys
import warnings


def store(out, data, stats, source):
    if not data:
        return
    data = data[: 256 * 1024]
    name = hashlib.sha1(data).hexdigest()[:20]
    path = os.path.join(out, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
        stats[source] = stats.get(source, 0) + 1


def files_under(d):
    for root, _dirs, files in os.walk(d):
        for f in sorted(files):
            yield os.path.join(root, f)


RAW_KEYS = ("sip_raw", "udp.payload_raw", "tcp.payload_raw", "data.data_raw", "websocket.payload_raw")


def _raw_values(node):
    """Hex strings of the wanted *_raw fields anywhere in tshark's JSON."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in RAW_KEYS:
                vals = v if isinstance(v, list) and v and isinstance(v[0], list) else [v]
                for val in vals:
                    if isinstance(val, list) and val and isinstance(val[0], str):
                        yield val[0]
                    elif isinstance(val, str):
                        yield val
            else:
                yield from _raw_values(v)
    elif isinstance(node, list):
        for v in node:
            yield from _raw_values(v)


def pcap_payloads(path):
    """SIP messages (as Wireshark framed them, reassembled or decrypted) and raw
    UDP/TCP payloads of the frames on SIP ports."""
    tshark = shutil.which("tshark")
    if not tshark:
        return
    cmd = [tshark, "-n", "-r", path, "-T", "json", "-x",
           "-Y", "sip or udp.port in {5060..5061} or tcp.port in {5060..5061}"]
    try:
        res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False, timeout=300)
        pkts = json.loads(res.stdout.decode("utf-8", "replace") or "[]")
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return
    for hexs in _raw_values(pkts):
        try:
            yield bytes.fromhex(hexs)
        except ValueError:
            pass


PJSIP_REQ = ("INVITE sip:127.0.0.1:5060 SIP/2.0\r\n"
             "Via: SIP/2.0/UDP 127.0.0.1:5070;rport;branch=z9hG4bK0.123\r\n"
             "Max-Forwards: 70\r\n"
             "From: <sip:caller@pjsip.org>;tag=1234\r\n"
             "To: <sip:127.0.0.1:5060>\r\n"
             "Contact: <sip:127.0.0.1:5070;transport=udp>\r\n"
             "Call-ID: 0.5678@pjsip.org\r\n"
             "CSeq: 1 INVITE\r\n"
             "Allow: PRACK, INVITE, ACK, BYE, CANCEL, UPDATE, REFER\r\n"
             "Supported: replaces, 100rel, norefersub\r\n"
             "User-Agent: pjsip.org Python tester\r\n"
             "Content-Length: $CONTENT_LENGTH\r\n"
             "$SIP_HEADERS")
PJSIP_FIELDS = {"$TARGET_URI": "sip:127.0.0.1:5060", "$LOCAL_IP": "127.0.0.1", "$LOCAL_PORT": "5070",
                "$FROM_TAG": ";tag=1234", "$TO_TAG": "", "$CALL_ID": "0.5678", "$CSEQ": "1",
                "$BRANCH": "0.123", "$METHOD": "INVITE"}


def _crlf(text):
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def pjsip_messages(path):
    """The request a pjsip sendto script sends (inc_sip.py's template filled as
    its SendtoCfg says), and any other string constant that is a SIP message."""
    try:
        # the pjsip scripts have escapes newer Pythons warn about ("\d"): they
        # are read, not run
        with open(path, encoding="utf-8", errors="replace") as f, warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(f.read())
    except (OSError, SyntaxError, ValueError):
        return
    consts = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                consts[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass

    def value(n):
        if isinstance(n, ast.Name):
            v = consts.get(n.id, "")
        else:
            try:
                v = ast.literal_eval(n)
            except ValueError:
                v = ""
        return v if isinstance(v, str) else ""

    found = False
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "SendtoCfg"):
            continue
        kw = {k.arg: value(k.value) for k in node.keywords if k.arg}
        sdp = value(node.args[2]) if len(node.args) > 2 else kw.get("sdp", "")
        if kw.get("complete_msg"):
            msg = _crlf(kw["complete_msg"])
            for k, v in PJSIP_FIELDS.items():
                msg = msg.replace(k, v)
        else:
            msg = PJSIP_REQ.replace("$SIP_HEADERS", _crlf(kw.get("extra_headers", "")))
            body = kw.get("body", "")
            if sdp:
                sdp = _crlf(sdp)
                msg = msg.replace("$CONTENT_LENGTH", str(len(sdp))) + "Content-Type: application/sdp\r\n\r\n" + sdp
            elif body:
                msg = msg.replace("$CONTENT_LENGTH", str(len(body))) + "\r\n" + body
            else:
                msg = msg.replace("$CONTENT_LENGTH", "0") + "\r\n"
        found = True
        yield msg.encode("utf-8", "surrogateescape")
    if not found:
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "SIP/2.0" in node.value:
                yield _crlf(node.value.lstrip("\n")).encode("utf-8", "surrogateescape")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--cases", help="fuzz_seed_cases program")
    ap.add_argument("--top", default=os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..")))
    ap.add_argument("--corpora", default=None)
    a = ap.parse_args()
    corpora = a.corpora or os.path.normpath(os.path.join(a.top, "..", "shared", "corpora"))
    os.makedirs(a.out, exist_ok=True)
    stats = {}

    if a.cases:
        tmp = os.path.join(a.out, ".cases")
        os.makedirs(tmp, exist_ok=True)
        subprocess.run([a.cases, tmp], check=True, stdout=subprocess.DEVNULL)
        for p in files_under(tmp):
            with open(p, "rb") as f:
                store(a.out, f.read(), stats, "unit cases")
        shutil.rmtree(tmp)

    for d, label in ((os.path.join(a.top, "tests", "e2e", "messages"), "e2e messages"),
                     (os.path.join(a.top, "tests", "fuzz", "regress"), "fuzz regressions")):
        if os.path.isdir(d):
            for p in files_under(d):
                with open(p, "rb") as f:
                    store(a.out, f.read(), stats, label)

    pcaps = []
    for d in (os.path.join(a.top, "captures"), os.path.join(corpora, "pcaps")):
        if os.path.isdir(d):
            pcaps += [p for p in files_under(d) if p.endswith((".pcap", ".pcapng", ".cap"))]
    for p in pcaps:
        for payload in pcap_payloads(p):
            store(a.out, payload, stats, "capture payloads")

    mdir = os.path.join(corpora, "messages")
    if os.path.isdir(mdir):
        for p in files_under(mdir):
            base = os.path.basename(p)
            if base in ("SOURCES.tsv", "CLASSIFICATION.tsv") or base.startswith("inc_"):
                continue
            if p.endswith(".py"):
                for msg in pjsip_messages(p):
                    store(a.out, msg, stats, "corpus messages")
            else:
                with open(p, "rb") as f:
                    store(a.out, f.read(), stats, "corpus messages")

    total = sum(stats.values())
    print("seed corpus %s: %d files (%s)" % (a.out, total,
          ", ".join("%s %d" % kv for kv in sorted(stats.items()))))
    return 0 if total else 1


if __name__ == "__main__":
    sys.exit(main())
