#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""derive_expected.py - turn the e2e captures into an expected.tsv.

record.sh sends every request from a local port of its own (UDP) or over a
connection of its own (TCP) and writes a manifest:
    transport  source  name  cause  local_port
This script reads <server>_<transport>.pcapng (server: kamailio, sofia,
belle) with tshark and, for every request the client sent from that port,
finds what the server answered on the same port/connection.  The answer comes from the capture only (tshark's
sip.Status-Line, or the raw udp/tcp payload when tshark could not decode the
message), never from SIPp's or send_raw's own logs.

Output, one row per request sent (tab separated, with a header row):
  transport   udp | tcp
  source      raw (tests/e2e/messages/<name>.sip) | sipp (scenarios/<name>.xml)
  name        message or scenario name
  cause       intended cause id ("-" for valid references and for ACKs)
  method      request method as sent ("?" when the start line has none)
  code        status code of the server's final answer, or "none" (dropped)
  reason      exact reason phrase of that answer, or "-"
  detail      P-Registrar-Error / Warning headers of the answer; for TCP
              "server closed connection" when the server closed it first;
              "answer sent to port N" when a UDP answer (same top-Via branch)
              went to another port than the request came from;
              "server crashed (signal N)" when the test UAS's stack crashed
              on this request (--crash-log); "-"
  req_frame   frame number of the request in <server>_<transport>.pcapng (the
              frame where tshark decodes it; its first segment if undecodable)
  resp_frame  frame number of the answer, or "-"

A retransmission of the final answer (a UAS resends its non-2xx answer to
an INVITE until the ACK that send_raw.py never sends) is not another answer.
A SIPp scenario's cause goes to its last request that is not an ACK (the
one written with the defect; a scenario with one request: that one).

Usage: derive_expected.py [--server NAME] [--crash-log FILE] MANIFEST CAPTURE_DIR [OUT_TSV]
  --server NAME      capture file prefix (default kamailio)
  --crash-log FILE   the UAS's stderr: lines "<uas>: CRASH signal=N time=T"
                     (tests/e2e/uas/supervise.h) mark the last request sent
                     before time T
"""

import re
import subprocess
import sys
from collections import defaultdict

SERVER_PORT = 5060
FIELDS = ["frame.number", "frame.time_epoch", "udp.srcport", "udp.dstport", "tcp.srcport",
          "tcp.dstport", "tcp.stream", "tcp.flags.fin", "tcp.flags.reset",
          "sip.Status-Line", "sip.Request-Line", "udp.payload", "tcp.payload"]

BRANCH_RE = re.compile(rb"(?im)^(?:via|v)[ \t]*:[^\r\n]*?;[ \t]*branch[ \t]*=[ \t]*([^;, \t\r\n]+)")
REQ_LINE_RE = re.compile(r"^([!-~]+) \S+ SIP/2\.0$", re.I)
STATUS_RE = re.compile(r"^SIP/2\.0 ([0-9]{3}) ?(.*)$")
DETAIL_HDRS = ("p-registrar-error", "warning")


def truthy(v):
    return v.strip().lower() in ("1", "true")


def read_frames(pcap):
    """All frames of the capture with the fields we need (tshark -T fields)."""
    cmd = ["tshark", "-n", "-r", pcap, "-T", "fields", "-E", "separator=/t",
           "-E", "occurrence=f"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, timeout=60).stdout
    frames = []
    for line in out.decode("utf-8", "replace").splitlines():
        parts = line.split("\t")
        parts += [""] * (len(FIELDS) - len(parts))
        row = dict(zip(FIELDS, parts))
        hexpl = row["udp.payload"] or row["tcp.payload"]
        row["payload"] = bytes.fromhex(hexpl.replace(":", "")) if hexpl else b""
        row["proto"] = "udp" if row["udp.srcport"] else "tcp"
        sp = row["udp.srcport"] or row["tcp.srcport"]
        dp = row["udp.dstport"] or row["tcp.dstport"]
        row["sport"] = int(sp) if sp else 0
        row["dport"] = int(dp) if dp else 0
        row["frame"] = int(row["frame.number"])
        frames.append(row)
    return frames


def first_line(payload):
    return payload.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace")


def responses_in(row):
    """(code, reason, detail) of every SIP response carried by a server frame."""
    text = row["payload"].decode("utf-8", "replace")
    found = []
    # split the payload into messages at each status line at a line start
    starts = [m.start() for m in re.finditer(r"(?m)^SIP/2\.0 [0-9]{3}", text)]
    for i, s in enumerate(starts):
        msg = text[s:starts[i + 1] if i + 1 < len(starts) else len(text)]
        head = re.split(r"\r?\n\r?\n", msg, maxsplit=1)[0]
        lines = head.splitlines()
        m = STATUS_RE.match(lines[0])
        if not m:
            continue
        details = []
        for h in lines[1:]:
            name, _, value = h.partition(":")
            if name.strip().lower() in DETAIL_HDRS:
                details.append(f"{name.strip()}: {value.strip()}")
        found.append((m.group(1), m.group(2), "; ".join(details)))
    # prefer tshark's decoded status line for the first response, when it has one
    sl = row["sip.Status-Line"]
    if found and sl:
        m = STATUS_RE.match(sl)
        if m:
            found[0] = (m.group(1), m.group(2), found[0][2])
    elif sl and not found:
        m = STATUS_RE.match(sl)
        if m:
            found.append((m.group(1), m.group(2), ""))
    return found


def analyse(frames, transport, source, lport):
    """Rows (method, code, reason, detail, req_frame, resp_frame) for one port."""
    misdirected = {}   # frame -> port: an answer to this request sent to another port
    if transport == "udp":
        mine = [f for f in frames if f["proto"] == "udp"
                and (f["sport"] == lport or f["dport"] == lport)]
        # a server may answer to a port of its own reckoning (belle-sip 5.1:
        # rport=70000 -> 4464): an answer from the server with the request's
        # top-Via branch, to another port, is still this request's answer
        branches = set()
        for f in mine:
            if f["sport"] == lport:
                m = BRANCH_RE.search(f["payload"])
                if m:
                    branches.add(m.group(1))
        for f in frames:
            if (f["proto"] == "udp" and f["sport"] == SERVER_PORT and f["dport"] != lport and branches
                    and (m := BRANCH_RE.search(f["payload"])) and m.group(1) in branches):
                misdirected[f["frame"]] = f["dport"]
                mine.append(f)
        mine.sort(key=lambda f: f["frame"])
    else:
        streams = {f["tcp.stream"] for f in frames if f["proto"] == "tcp"
                   and f["sport"] == lport and f["dport"] == SERVER_PORT}
        mine = [f for f in frames if f["proto"] == "tcp" and f["tcp.stream"] in streams]

    requests = []      # [method, req_frame, [responses...], decoded]
    server_closed = None
    client_closed = False
    for f in mine:
        from_client = f["sport"] == lport
        if f["proto"] == "tcp" and (truthy(f["tcp.flags.fin"]) or truthy(f["tcp.flags.reset"])):
            if from_client:
                client_closed = True
            elif not client_closed and server_closed is None:
                server_closed = f["frame"]
        if not f["payload"]:
            continue
        if from_client:
            line = first_line(f["payload"].lstrip(b"\r\n"))
            m = REQ_LINE_RE.match(line)
            # a raw message is one request however TCP cut it; a SIPp
            # scenario may send several (INVITE then ACK), one per segment
            new = not requests or (source == "sipp" and m)
            if new:
                method = line.split(" ", 1)[0] if m or " " in line else "?"
                # strip a leading BOM or other garbage from the method name
                method = re.sub(r"[^A-Za-z-]", "", method) or "?"
                requests.append([method, f["frame"], [], False])
            # report the frame where tshark decoded the request (over TCP the
            # last segment of a reassembled message), else its first segment
            if requests and f["sip.Request-Line"] and not requests[-1][3]:
                requests[-1][1] = f["frame"]
                requests[-1][3] = True
        else:
            for resp in responses_in(f):
                # a response belongs to the latest request that is not an ACK
                for req in reversed(requests):
                    if req[0].upper() != "ACK":
                        req[2].append((resp, f["frame"]))
                        break

    rows = []
    for method, req_frame, resps, _ in requests:
        final = [r for r in resps if not r[0][0].startswith("1")]
        pick = final[0] if final else (resps[0] if resps else None)
        detail = []
        if pick:
            (code, reason, det), resp_frame = pick
            if det:
                detail.append(det)
            if resp_frame in misdirected:
                detail.append(f"answer sent to port {misdirected[resp_frame]}")
            # other final answers, but not retransmissions of the picked one
            others = [r for r in final[1:] if (r[0][0], r[0][1]) != (code, reason)]
            if others:
                detail.append("also: " + ", ".join(f"{r[0][0]} {r[0][1]}" for r in others))
        else:
            code, reason, resp_frame = "none", "-", "-"
        if server_closed is not None and method == requests[-1][0] and req_frame == requests[-1][1]:
            detail.append("server closed connection")
        rows.append([method, code, reason or "-", "; ".join(detail) or "-",
                     str(req_frame), str(resp_frame)])
    if not requests:
        rows.append(["?", "none", "-", "request not found in capture", "-", "-"])
    return rows


def crash_times(path):
    """Unix times of the "CRASH signal=N time=T" lines of a UAS log."""
    found = []
    try:
        with open(path, errors="replace") as fh:
            for line in fh:
                m = re.search(r"CRASH signal=(\d+) time=([0-9.]+)", line)
                if m:
                    found.append((float(m.group(2)), int(m.group(1))))
    except OSError:
        pass
    return found


def main():
    args = sys.argv[1:]
    server = "kamailio"
    crash_logs = {}
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--server" and args:
            server = args.pop(0)
        elif opt == "--crash-log" and args:
            t, _, path = args.pop(0).partition("=")
            crash_logs[t] = path
        else:
            print(__doc__, file=sys.stderr)
            return 2
    if len(args) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    manifest, capdir = args[0], args[1]
    out = args[2] if len(args) == 3 else f"{capdir}/expected.tsv"

    entries = []
    with open(manifest) as fh:
        for line in fh:
            rec = line.rstrip("\n").split("\t")
            if rec and rec[0] and not rec[0].startswith("#"):
                entries.append(rec)

    frames = {}
    for t in sorted({e[0] for e in entries}):
        frames[t] = read_frames(f"{capdir}/{server}_{t}.pcapng")

    def clean(v):
        return re.sub(r"[\t\r\n]", " ", str(v))

    rows = []
    for transport, source, name, cause, lport in entries:
        got = analyse(frames[transport], transport, source, int(lport))
        # the cause goes to the last request that is not an ACK
        last = max((i for i, r in enumerate(got) if r[0].upper() != "ACK"), default=-1)
        for i, (method, code, reason, detail, rf, af) in enumerate(got):
            c = cause if i == last else "-"
            rows.append([transport, source, name, c, method, code, reason, detail, rf, af])

    # a crash of the UAS's stack: the last request sent before it caused it
    for t, path in crash_logs.items():
        when = {f["frame"]: float(f["frame.time_epoch"] or 0) for f in frames.get(t, [])}
        for ctime, sig in crash_times(path):
            best = None
            for row in rows:
                if row[0] == t and row[8] != "-" and when.get(int(row[8]), 0) <= ctime:
                    if best is None or when[int(row[8])] > when[int(best[8])]:
                        best = row
            if best is not None:
                note = f"server crashed (signal {sig})"
                best[7] = note if best[7] == "-" else best[7] + "; " + note

    with open(out, "w") as fh:
        def writerow(cols):
            fh.write("\t".join(clean(c) for c in cols) + "\n")
        writerow(["transport", "source", "name", "cause", "method", "code",
                  "reason", "detail", "req_frame", "resp_frame"])
        for row in rows:
            writerow(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
