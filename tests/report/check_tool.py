#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests of packaging/sip400-report with the real tshark and the built plugin.

    check_tool.py PLUGIN_DIR [CORPUS_DIR]

1. summary: over captures/ (and CORPUS_DIR, ../shared/corpora/pcaps, when it
   exists): the merged incidents (--json) equal, capture by capture, what
   `tshark -z sip400,report,json` says for each file on its own; the CSV
   (--csv, read with python's csv) has the same rows; the printed summary
   line and per-capture table agree with them;
2. --fail-on: captures made here with exactly one defect of a known level
   (error, warning, note) and one without defects give exit 0/1 as the level
   demands;
3. bad inputs among good ones: a text file, an empty file, a truncated
   capture, a directory named *.pcap, a missing path and (when not root) an
   unreadable file are each reported with a clear message, the good captures
   are still processed, and the exit status is 2;
4. bundles: --incident on a UDP, a TCP-reassembled and a TLS-decrypted request
   gives the request byte for byte (compared with tshark's own bytes), the
   dialog's frames in dialog.pcapng, the incident JSON and a SIPp scenario that
   is well-formed XML, uses no SIPp keyword in the request and decodes back to
   the request; --bundle writes one bundle per incident.
"""

import csv
import importlib.machinery
import importlib.util
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.abspath(os.path.join(here, "..", ".."))
tool = os.path.join(repo, "packaging", "sip400-report")
tshark_sh = os.path.join(repo, "tests", "tshark.sh")
plugin_dir = os.path.abspath(sys.argv[1])
corpus = sys.argv[2] if len(sys.argv) > 2 else os.path.join(repo, "..", "shared", "corpora", "pcaps")
captures = os.path.join(repo, "captures")
failures = []
sys.path.insert(0, captures)
import pcapgen  # noqa: E402  (the project's deterministic capture writer)

loader = importlib.machinery.SourceFileLoader("sip400_report", tool)
spec = importlib.util.spec_from_loader("sip400_report", loader)
rep = importlib.util.module_from_spec(spec)
loader.exec_module(rep)


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("  FAIL:", msg)


def run_tool(*args, cwd=None):
    p = subprocess.run([sys.executable, tool, "--plugin-dir", plugin_dir] + list(args), cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def tshark(*args):
    p = subprocess.run(["sh", tshark_sh, plugin_dir, "-n"] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return p.stdout


def plugin_incidents(path):
    out = tshark("-q", "-r", path, "-z", "sip400,report,json").decode("utf-8")
    return json.loads(out[out.index("{"):])["incidents"]


tmp = tempfile.mkdtemp(prefix="sip400-tool-test.")
os.chmod(tmp, 0o755)
try:
    # ---- 1. summary over captures/ and the corpus ----
    inputs = [captures] + ([corpus] if os.path.isdir(corpus) else [])
    print("1. summary over %s" % ", ".join(inputs))
    if len(inputs) == 1:
        print("   (corpus %s absent: captures/ only)" % corpus)
    jpath, cpath = os.path.join(tmp, "all.json"), os.path.join(tmp, "all.csv")
    rc, out, err = run_tool("--json", jpath, "--csv", cpath, *inputs)
    check(rc == 0, "sip400-report over captures exited %d: %s" % (rc, err[-500:]))
    merged = json.load(open(jpath, encoding="utf-8"))
    files, errs = rep.collect_inputs(inputs)
    check(not errs and not merged["errors"], "unexpected input errors: %s %s" % (errs, merged["errors"]))
    check(len(merged["captures"]) == len(files), "%d captures reported, %d found" % (len(merged["captures"]), len(files)))
    total = 0
    for path in files:
        want = plugin_incidents(path)
        got = [dict((k, v) for k, v in i.items() if k != "capture") for i in merged["incidents"] if i["capture"] == path]
        check(got == want, "%s: merged incidents differ from the plugin's own report" % path)
        total += len(want)
        check(re.search(r"(?m)^%s\s+%d\s" % (re.escape(path), len(want)), out) is not None,
              "%s: summary table does not show %d incidents" % (path, len(want)))
    check(len(merged["incidents"]) == total == merged["summary"]["incidents"], "incident totals differ")
    sev = {k: sum(1 for i in merged["incidents"] if i["severity"] == k) for k in ("error", "warning", "note")}
    check(merged["summary"]["by_severity"] == sev, "by_severity %s != %s" % (merged["summary"]["by_severity"], sev))
    check(("%d incidents: %d error, %d warning, %d note" % (total, sev["error"], sev["warning"], sev["note"])) in out,
          "summary line wrong: %s" % out.splitlines()[0])
    with open(cpath, newline="", encoding="utf-8") as f:
        raw = f.read()
    rows = list(csv.DictReader(raw.splitlines(True)))
    check(raw.endswith("\r\n") or not rows, "CSV records do not end with CRLF")
    check(len(rows) == total, "CSV has %d rows, %d incidents" % (len(rows), total))
    check(all(r["capture"] == i["capture"] and r["verdict"] == (i["verdict"] or "") and
              r["request_frame"] == ("" if i["request_frame"] is None else str(i["request_frame"]))
              for r, i in zip(rows, merged["incidents"])), "CSV rows differ from the JSON incidents")
    print("   %d captures, %d incidents (%s)" % (len(files), total, sev))

    # ---- 2. --fail-on ----
    print("2. --fail-on")

    def one_request_capture(name, msg):
        path = os.path.join(tmp, name)
        pcapgen.write_pcap(path, [(1710235800.0, pcapgen.udp(msg, "192.0.2.10", 5060, "203.0.113.5", 5060))])
        return path

    def req(start="OPTIONS sip:example.com SIP/2.0", max_forwards=True):
        lines = [start, "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-gate-1"]
        if max_forwards:
            lines.append("Max-Forwards: 70")
        lines += ["From: <sip:alice@example.com>;tag=g1", "To: <sip:example.com>", "Call-ID: gate-1@192.0.2.10",
                  "CSeq: 1 OPTIONS", "Content-Length: 0"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    gate = {
        "clean.pcap": req(),
        "error.pcap": req(start="OPTIONS sip:@example.com SIP/2.0"),       # ruri.missing_user (C)
        "warning.pcap": req(max_forwards=False),                           # hdr.missing.max_forwards (L)
        "note.pcap": req(start="OPTIONS sip:example.com SIP/3.0"),         # start.sip_version_unsupported (P)
    }
    paths = {k: one_request_capture(k, v) for k, v in gate.items()}
    levels = {}
    for k, p in paths.items():
        inc = plugin_incidents(p)
        levels[k] = inc[0]["severity"] if inc else None
    check(levels == {"clean.pcap": None, "error.pcap": "error", "warning.pcap": "warning", "note.pcap": "note"},
          "the gate captures do not have the levels they were made for: %s" % levels)
    expect = {  # (capture, --fail-on) -> exit status
        ("clean.pcap", "note"): 0,
        ("error.pcap", "error"): 1, ("error.pcap", "warning"): 1, ("error.pcap", "note"): 1,
        ("warning.pcap", "error"): 0, ("warning.pcap", "warning"): 1, ("warning.pcap", "note"): 1,
        ("note.pcap", "error"): 0, ("note.pcap", "warning"): 0, ("note.pcap", "note"): 1,
    }
    for (cap, level), want in sorted(expect.items()):
        rc, out, err = run_tool("-q", "--fail-on", level, paths[cap])
        check(rc == want, "--fail-on %s on %s: exit %d, expected %d" % (level, cap, rc, want))
    rc, out, err = run_tool("-q", paths["error.pcap"])
    check(rc == 0, "without --fail-on a capture with errors must exit 0, got %d" % rc)
    rc, out, err = run_tool("-q", "--fail-on", "warning", paths["clean.pcap"], paths["note.pcap"], paths["warning.pcap"])
    check(rc == 1 and "FAIL: 1 incident at or above warning" in err, "--fail-on over several captures: %d %s" % (rc, err))
    print("   %d exit statuses checked" % (len(expect) + 2))

    # ---- 3. bad inputs among good ones ----
    print("3. unreadable and non-capture inputs among good ones")
    bad = os.path.join(tmp, "bad")
    os.makedirs(bad)
    os.chmod(bad, 0o755)
    good = [os.path.join(captures, "demo.pcap"), os.path.join(captures, "tcp_split.pcap")]
    with open(os.path.join(bad, "notes.pcap"), "w") as f:
        f.write("these are meeting notes, not a capture\n" * 20)
    open(os.path.join(bad, "empty.pcapng"), "w").close()
    with open(good[0], "rb") as f:
        data = f.read()
    with open(os.path.join(bad, "cut.pcap"), "wb") as f:
        f.write(data[:len(data) // 2 + 7])   # ends inside a packet
    os.makedirs(os.path.join(bad, "folder.pcap"))
    unreadable = os.path.join(bad, "secret.pcap")
    shutil.copy(good[1], unreadable)
    os.chmod(unreadable, 0)
    missing = os.path.join(bad, "missing.pcap")
    args = good + [os.path.join(bad, n) for n in ("notes.pcap", "empty.pcapng", "cut.pcap", "folder.pcap")] + \
        [unreadable, missing]
    jpath = os.path.join(tmp, "bad.json")
    rc, out, err = run_tool("--json", jpath, *args)
    res = json.load(open(jpath, encoding="utf-8"))
    errors = {os.path.basename(e["capture"]): e["error"] for e in res["errors"]}
    print("   errors: %s" % errors)
    check(rc == 2, "exit status %d with bad inputs, expected 2" % rc)
    check("not a capture file" in errors.get("notes.pcap", ""), "text file: %r" % errors.get("notes.pcap"))
    check("empty" in errors.get("empty.pcapng", ""), "empty file: %r" % errors.get("empty.pcapng"))
    check("directory" in errors.get("folder.pcap", ""), "directory: %r" % errors.get("folder.pcap"))
    check("no such file" in errors.get("missing.pcap", ""), "missing: %r" % errors.get("missing.pcap"))
    if os.geteuid() != 0:
        check("permission denied" in errors.get("secret.pcap", ""), "unreadable: %r" % errors.get("secret.pcap"))
    else:
        # root reads any file; tshark itself runs as nobody but gets the capture on its standard input
        check("secret.pcap" not in errors, "root could not process a mode-000 file: %r" % errors.get("secret.pcap"))
    for g in good:
        check(res_inc := [i for i in res["incidents"] if i["capture"] == g], "good capture %s not processed" % g)
        check(len(res_inc) == len(plugin_incidents(g)), "good capture %s: incidents missing" % g)
    cut_ok = [c for c in res["captures"] if c["capture"].endswith("cut.pcap")]
    check(bool(cut_ok) or "cut.pcap" in errors, "the truncated capture is neither read nor reported")
    for name in errors:
        check(re.search(r"(?m)^  .*%s: " % re.escape(name), out), "%s not listed under 'not processed'" % name)
        check(name in err, "%s: no error on stderr" % name)

    # ---- 4. bundles ----
    print("4. evidence bundles")

    def raw_sip(path, frame, layer):
        """tshark's own bytes of the SIP message in a frame (independent of the tool's extraction):
        a field for UDP and reassembled TCP, the "Decrypted TLS" block of the hex dump for TLS."""
        if layer == "tls":
            out = subprocess.run(["tshark", "-n", "-r", path, "-Y", "frame.number == %d" % frame, "-x"],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode()
            block = out.split("Decrypted TLS", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
            return bytes.fromhex("".join(line[6:53] for line in block))
        fields = {"udp": "udp.payload", "tcp": "tcp.reassembled.data"}
        out = subprocess.run(["tshark", "-n", "-r", path, "-Y", "frame.number == %d" % frame, "-T", "fields",
                              "-e", fields[layer]], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
        return bytes.fromhex(out.decode().strip().split(",")[0].replace(":", ""))

    def decode_cdata(text):
        """What SIPp sends for a <send> text (the rules sip400-report writes for)."""
        t = text.strip(" \t\n")
        if "\n\n" not in t:
            t += "\n\n"
        out, i = bytearray(), 0
        while i < len(t):
            if t.startswith("\\x", i):
                i += 2
                if i < len(t) and t[i] in "0123456789abcdefABCDEF":
                    v = int(t[i], 16)
                    i += 1
                    if i < len(t) and t[i] in "0123456789abcdefABCDEF":
                        v = v * 16 + int(t[i], 16)
                    out.append(v)
                i += 1
            elif t[i] == "\n":
                out += b"\r\n"
                i += 1
            else:
                out.append(ord(t[i]))
                i += 1
        return bytes(out)

    cases = [  # capture, frame of the request, how tshark holds it, frames of the dialog
        ("demo.pcap", 8, "udp", [8, 9]),
        ("tcp_split.pcap", 6, "tcp", [4, 5, 6, 7]),
        ("tls_keylog.pcapng", 16, "tls", None),
    ]
    for cap, frame, layer, dialog in cases:
        path = os.path.join(captures, cap)
        out_dir = os.path.join(tmp, "bundle-%s" % cap)
        rc, out, err = run_tool("-q", "--incident", str(frame), "--bundle", out_dir, path)
        check(rc == 0, "--incident %d %s: exit %d %s" % (frame, cap, rc, err[-300:]))
        names = sorted(os.listdir(out_dir)) if os.path.isdir(out_dir) else []
        check(names == ["README.md", "dialog.pcapng", "incident.json", "replay.sh", "request.sip", "scenario.xml"],
              "%s bundle files: %s" % (cap, names))
        if len(names) < 6:
            continue
        msg = open(os.path.join(out_dir, "request.sip"), "rb").read()
        check(msg == raw_sip(path, frame, layer), "%s: request.sip differs from tshark's bytes of frame %d" % (cap, frame))
        inc = json.load(open(os.path.join(out_dir, "incident.json"), encoding="utf-8"))
        check(inc["request_frame"] == frame, "%s: incident.json is not frame %d" % (cap, frame))
        frames = [int(x) for x in subprocess.run(
            ["tshark", "-n", "-r", os.path.join(out_dir, "dialog.pcapng"), "-T", "fields", "-e", "frame.number"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.split()]
        if dialog:
            check(len(frames) == len(dialog), "%s: dialog.pcapng has %d frames, expected %d (%s)"
                  % (cap, len(frames), len(dialog), dialog))
        # the dialog capture still shows the request and its diagnosis (TLS: still decrypts)
        again = plugin_incidents(os.path.join(out_dir, "dialog.pcapng"))
        check(any(i["method"] == inc["method"] and [f["cause"] for f in i["findings"]] ==
                  [f["cause"] for f in inc["findings"]] for i in again),
              "%s: the dialog capture no longer shows the incident" % cap)
        doc = ET.parse(os.path.join(out_dir, "scenario.xml")).getroot()
        sends = doc.findall("send")
        check(sends and decode_cdata(sends[0].text) == msg,
              "%s: the scenario's first <send> does not decode to the request" % cap)
        check(not re.search(r"\[[^\]]*\]", sends[0].text), "%s: a [keyword] in the replayed request" % cap)
        check(os.access(os.path.join(out_dir, "replay.sh"), os.X_OK), "%s: replay.sh not executable" % cap)

    all_dir = os.path.join(tmp, "all-bundles")
    rc, out, err = run_tool("-q", "--bundle", all_dir, os.path.join(captures, "demo.pcap"),
                            os.path.join(captures, "tcp_multi.pcap"))
    n_inc = len(plugin_incidents(os.path.join(captures, "demo.pcap"))) + \
        len(plugin_incidents(os.path.join(captures, "tcp_multi.pcap")))
    made = [d for d, _, fs in os.walk(all_dir) if "incident.json" in fs]
    check(rc == 0 and len(made) == n_inc, "--bundle: %d bundles for %d incidents (exit %d) %s" % (len(made), n_inc, rc, err[-300:]))
    rc, out, err = run_tool("-q", "--incident", "3", os.path.join(captures, "demo.pcap"))
    check(rc == 2 and "no incident has frame 3" in err, "--incident on a frame without incident: %d %s" % (rc, err))
    rc, out, err = run_tool("-q", "--incident", "8", captures)
    check(rc == 2 and "exactly one capture" in err, "--incident with several captures: %d %s" % (rc, err))
finally:
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print("FAIL: %d problem(s)" % len(failures))
    sys.exit(1)
print("ok: summary, --fail-on, bad inputs and bundles as expected")
