#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Golden tests of the plugin's statistics and report on one capture.

    check_report.py PLUGIN_DIR CAPTURE NAME

Runs the real tshark with the plugin (tests/tshark.sh) and compares with
tests/report/golden/NAME.*:
  NAME.tree.txt     tshark -q -2 -z sip400,tree
  NAME.tree-1.txt   tshark -q    -z sip400,tree   (one pass: see below)
  NAME.report.md    tshark -q -z sip400,report            (Markdown, the default)
  NAME.report.csv   tshark -q -z sip400,report,csv
  NAME.report.json  tshark -q -z sip400,report,json
and checks that:
  - the JSON parses (python's json) and has the fields the report promises;
  - the CSV parses (python's csv) as RFC 4180: CRLF records, one header, the
    same number of fields on every line, one row per JSON incident with the
    same frames, verdicts and findings;
  - the report is the same in one pass, with -2, and with a display filter
    (-Y only chooses what tshark prints; the report covers the capture), and
    the filter argument (-z sip400,report,json,FILTER) keeps the incidents of
    the packets it matches;
  - the tree's "Findings by cause" counts equal the findings of the report.
The one-pass tree differs from the -2 tree only by the "(no final response)"
entries: in one pass a request's answer is known once the answer is seen.
Regenerate: SIP400_UPDATE_GOLDEN=1 ctest -R report.golden (then review git diff).
"""

import csv
import io
import json
import os
import re
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
tshark_sh = os.path.join(here, "..", "tshark.sh")
plugin_dir, capture, name = sys.argv[1:4]
update = os.environ.get("SIP400_UPDATE_GOLDEN") == "1"
failures = []


def tshark(*args):
    p = subprocess.run(["sh", tshark_sh, plugin_dir, "-n", "-r", capture] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit("tshark %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr.decode(errors="replace")))
    return p.stdout.decode("utf-8")


def golden(suffix, text):
    path = os.path.join(here, "golden", "%s.%s" % (name, suffix))
    if update:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        print("updated", path)
    try:
        with open(path, encoding="utf-8", newline="") as f:
            want = f.read()
    except FileNotFoundError:
        failures.append("no golden file %s (run with SIP400_UPDATE_GOLDEN=1 and review it)" % path)
        return
    if want != text:
        import difflib
        diff = "".join(difflib.unified_diff(want.splitlines(True), text.splitlines(True), path, "tshark output"))
        failures.append("%s differs:\n%s" % (path, diff))


def check(cond, msg):
    if not cond:
        failures.append(msg)


# ---- stats tree ----
tree2 = tshark("-q", "-2", "-z", "sip400,tree")
tree1 = tshark("-q", "-z", "sip400,tree")
golden("tree.txt", tree2)
golden("tree-1.txt", tree1)


def name_count(lines):
    """Topic and count of each line (the burst columns say when a node was ticked)."""
    return [re.sub(r"^(.*?\S)\s{2,}(\d+)\s.*$", r"\1 \2", l) for l in lines]


check(name_count(l for l in tree2.splitlines() if "(no final response)" not in l) == name_count(tree1.splitlines()),
      "the one-pass tree differs from the -2 tree by more than its '(no final response)' lines")


def tree_counts(text):
    """{(depth, name): count} of the 'Findings by cause' branch, in order."""
    rows, inside = [], False
    for line in text.splitlines():
        m = re.match(r"^( *)(\S.*?)\s{2,}(\d+)\s", line + "  ")
        if not m:
            continue
        depth, node, count = len(m.group(1)), m.group(2), int(m.group(3))
        if depth == 0:
            inside = node.startswith("Findings by cause")
            if inside:
                rows.append((0, node, count))
            continue
        if inside:
            rows.append((depth, node, count))
    return rows


# ---- report ----
md = tshark("-q", "-z", "sip400,report")
md_explicit = tshark("-q", "-z", "sip400,report,md")
csv_text = tshark("-q", "-z", "sip400,report,csv")
js_text = tshark("-q", "-z", "sip400,report,json")
golden("report.md", md)
golden("report.csv", csv_text)
golden("report.json", js_text)
check(md == md_explicit, "-z sip400,report and -z sip400,report,md differ")

report = json.loads(js_text)
incidents = report["incidents"]
check(report.get("sip400_report") == 1 and report.get("count") == len(incidents), "JSON header fields wrong")
required = ["incident", "request_frame", "response_frame", "time", "src", "dst", "transport", "method",
            "request_uri", "call_id", "cseq", "status", "reason", "outcome", "verdict", "confidence", "evidence",
            "server_family", "severity", "findings", "request_message"]
for inc in incidents:
    missing = [k for k in required if k not in inc]
    check(not missing, "incident %s lacks %s" % (inc.get("incident"), missing))
    check(inc["outcome"] in ("answered_400", "answered_other", "unanswered", "request_not_captured", "ack",
                             "uncorrelated"), "incident %s: outcome %r" % (inc["incident"], inc["outcome"]))
    check(inc["severity"] in ("error", "warning", "note"), "incident %s: severity" % inc["incident"])
    check(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", inc["time"]) is not None,
          "incident %s: time %r is not ISO 8601 UTC" % (inc["incident"], inc["time"]))
    check(inc["findings"] or inc["status"] == 400, "incident %s: neither findings nor a 400" % inc["incident"])
    if inc["status"] == 400:
        check(inc["verdict"] and inc["confidence"] in ("high", "medium", "low"),
              "incident %s: a 400 without verdict" % inc["incident"])
    for f in inc["findings"]:
        check(set(f) >= {"frame", "cause", "severity", "header", "explanation", "fix"},
              "incident %s: finding fields %s" % (inc["incident"], sorted(f)))

# CSV: RFC 4180 (CRLF line breaks, quoted fields), parsed by python's csv module
check(csv_text.endswith("\r\n") and "\n" not in csv_text.replace("\r\n", ""),
      "CSV records must end with CRLF (RFC 4180) and fields must not hold bare line breaks")
rows = list(csv.reader(io.StringIO(csv_text, newline=""), strict=True))
header, body = rows[0], rows[1:]
check(all(len(r) == len(header) for r in body), "CSV rows have different field counts")
check(len(body) == len(incidents), "CSV has %d rows, JSON %d incidents" % (len(body), len(incidents)))
for r, inc in zip((dict(zip(header, r)) for r in body), incidents):
    for k in ("request_frame", "response_frame", "status"):
        check(r[k] == ("" if inc[k] is None else str(inc[k])),
              "CSV %s %r != JSON %r (incident %s)" % (k, r[k], inc[k], inc["incident"]))
    for k in ("method", "request_uri", "call_id", "cseq", "outcome", "severity", "src", "dst", "time"):
        check(r[k] == (inc[k] or ""), "CSV %s %r != JSON %r (incident %s)" % (k, r[k], inc[k], inc["incident"]))
    check(r["verdict"] == (inc["verdict"] or "") and r["causes"] == " ".join(f["cause"] for f in inc["findings"]),
          "CSV verdict/causes differ from JSON (incident %s)" % inc["incident"])
    check(int(r["findings_count"]) == len(inc["findings"]), "CSV findings_count (incident %s)" % inc["incident"])

# Markdown: a table row per incident and a section per incident
check(len(re.findall(r"(?m)^\| \d+ \|", md)) == len(incidents), "Markdown table rows != incidents")
check(len(re.findall(r"(?m)^## \d+\. ", md)) == len(incidents), "Markdown sections != incidents")

# the same report with -2 and with a display filter
check(tshark("-q", "-2", "-z", "sip400,report,json") == js_text, "the report differs with -2")
check(tshark("-q", "-Y", "sip400.severity == \"error\"", "-z", "sip400,report,json") == js_text,
      "the report differs with -Y (display filter)")
check(tshark("-q", "-2", "-Y", "frame.number == 1", "-z", "sip400,report,csv") == csv_text,
      "the report differs with -2 -Y")

# the filter argument: only the packets it matches feed the report
if len(incidents) > 1:
    last = incidents[-1]["request_frame"] or incidents[-1]["response_frame"]
    flt = "frame.number >= %d" % last
    sub = json.loads(tshark("-q", "-z", "sip400,report,json," + flt))
    check(sub["filter"] == flt, "filter not echoed in the JSON")
    check(all((i["request_frame"] or 0) >= last or (i["response_frame"] or 0) >= last for i in sub["incidents"]),
          "the filter argument let earlier packets in")
    expected = [i for i in incidents if (i["request_frame"] or 0) >= last or (i["response_frame"] or 0) >= last]
    check([(i["request_frame"], i["response_frame"]) for i in sub["incidents"]] ==
          [(i["request_frame"], i["response_frame"]) for i in expected],
          "the filter argument kept %d incidents, expected %d" % (len(sub["incidents"]), len(expected)))

# tree vs report: the findings by cause are the findings of the report (minus
# retransmitted copies, which the report does not list either)
by_cause = {}
for inc in incidents:
    for f in inc["findings"]:
        by_cause[f["cause"]] = by_cause.get(f["cause"], 0) + 1
tree_causes = {n: c for d, n, c in tree_counts(tree2) if d == 1}
check(tree_causes == by_cause, "tree causes %s != report causes %s" % (tree_causes, by_cause))

if failures:
    print("FAIL %s:\n%s" % (name, "\n".join(failures)))
    sys.exit(1)
print("ok %s: %d incidents; tree, md, csv, json as expected; same with -2, -Y and the filter argument"
      % (name, len(incidents)))
