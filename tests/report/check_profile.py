#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The "SIP 400" configuration profile (packaging/profile) works in Wireshark 4.0, 4.4 and 4.6.

    check_profile.py PLUGIN_DIR

With the real tshark and the plugin:
  - coloring rules give [background][foreground] (Wireshark's order; the
    sip400 rules use black or white text);
  - every coloring rule (colorfilters) and every filter button (dfilter_buttons,
    UAT escapes decoded) is a valid display filter, and each matches at least
    one packet of captures/demo.pcap or captures/e2e/kamailio_udp.pcapng;
  - tshark -C "SIP 400" (the profile installed in a temporary HOME) loads it
    without complaint and prints the profile's columns: Verdict, Cause and
    Outcome filled from sip400.verdict, sip400.cause and sip400.outcome, e.g.
    frame 9 of demo.pcap shows verdict hdr.cseq.method_mismatch and frame 10
    outcome unanswered;
  - tshark --color -C "SIP 400" picks the profile's coloring rules
    (frame.coloring_rule.name): 400s with a verdict, unanswered requests with
    defects, errors, and plain SIP.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.abspath(os.path.join(here, "..", ".."))
profile = os.path.join(repo, "packaging", "profile")
plugin_dir = os.path.abspath(sys.argv[1])
demo = os.path.join(repo, "captures", "demo.pcap")
e2e = os.path.join(repo, "captures", "e2e", "kamailio_udp.pcapng")
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)


home = tempfile.mkdtemp(prefix="sip400-profile-test.")
os.chmod(home, 0o777)
pdir = os.path.join(home, ".config", "wireshark", "profiles", "SIP 400")
shutil.copytree(profile, pdir)
for root, dirs, files in os.walk(home):
    for d in dirs:
        os.chmod(os.path.join(root, d), 0o777)
    for f in files:
        os.chmod(os.path.join(root, f), 0o666)


def tshark(*args):
    env = dict(os.environ, HOME=home, WIRESHARK_PLUGIN_DIR=plugin_dir)
    kw = {"user": 65534, "group": 65534, "extra_groups": []} if os.geteuid() == 0 else {}
    p = subprocess.run(["tshark", "-n"] + list(args), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def uat_fields(line):
    """Fields of a UAT line: "a","b",... with \\xHH escapes."""
    out = []
    for m in re.finditer(r'"((?:[^"\\]|\\.)*)"', line):
        out.append(re.sub(r"\\x([0-9a-fA-F]{2})", lambda x: chr(int(x.group(1), 16)), m.group(1)))
    return out


filters = []
with open(os.path.join(profile, "colorfilters"), encoding="utf-8") as f:
    for line in f:
        if line.startswith("@"):
            name, flt, colors = line.rstrip("\n").split("@")[1:4]
            filters.append(("coloring rule " + name, flt))
            # Wireshark's order is [background][foreground]: our text colors are black or white
            m = re.match(r"^\[(\d+),(\d+),(\d+)\]\[(\d+),(\d+),(\d+)\]$", colors)
            check(m is not None, "coloring rule %s: colors %r" % (name, colors))
            if m and name.startswith(("sip400", "SIP")):
                check(m.group(4, 5, 6) in (("0", "0", "0"), ("65535", "65535", "65535")),
                      "coloring rule %s: the second color (foreground) is not black or white: %s" % (name, colors))
with open(os.path.join(profile, "dfilter_buttons"), encoding="utf-8") as f:
    for line in f:
        if line.startswith('"'):
            enabled, label, flt = uat_fields(line)[:3]
            filters.append(("filter button " + label, flt))

try:
    for what, flt in filters:
        matched = 0
        for cap in (demo, e2e):
            rc, out, err = tshark("-2", "-r", cap, "-Y", flt)
            check(rc == 0, "%s: %r rejected: %s" % (what, flt, err.strip()[-300:]))
            matched += len(out.splitlines())
        sip400_rule = "sip400" in flt or what.startswith("filter button")
        # generic rules (RTP, bad TCP) need not match our captures
        if sip400_rule and not what.endswith("Dialog") and not what.endswith("Numbers") \
                and not what.endswith("Transport/NAT"):
            check(matched > 0, "%s: %r matches no packet of the sample captures" % (what, flt))
        print("%-40s %4d packets  %s" % (what, matched, flt))

    rc, out, err = tshark("-C", "SIP 400", "-2", "-r", demo)
    check(rc == 0 and "not found" not in err.lower(), "tshark -C 'SIP 400' failed: %s" % err)
    lines = {int(l.split()[0]): l for l in out.splitlines() if l.strip()}
    check("hdr.cseq.method_mismatch" in lines.get(9, "") and "unanswered" in lines.get(10, ""),
          "profile columns missing: frame 9 %r, frame 10 %r" % (lines.get(9), lines.get(10)))
    # the columns by title, from PSML (4.4 has no _ws.col.<title> field for
    # custom columns; PSML has the same shape on every release)
    rc, out, err = tshark("-C", "SIP 400", "-2", "-r", demo, "-T", "psml")
    check(rc == 0, "tshark -T psml failed: %s" % err.strip()[-300:])
    titles = re.findall(r"<section>(.*?)</section>", out.split("</structure>")[0])
    packets = [re.findall(r"<section>(.*?)</section>", p) for p in out.split("<packet>")[1:]]
    check(titles[-3:] == ["Verdict", "Cause", "Outcome"], "profile column titles: %r" % titles)
    cols = {int(p[0]): dict(zip(titles, p)) for p in packets if p}
    check(cols.get(9, {}).get("Verdict") == "hdr.cseq.method_mismatch"
          and cols.get(10, {}).get("Outcome") == "unanswered"
          and cols.get(10, {}).get("Cause") == "hdr.missing.call_id",
          "custom columns by title: frame 9 %r, frame 10 %r" % (cols.get(9), cols.get(10)))

    rc, out, err = tshark("--color", "-C", "SIP 400", "-2", "-r", demo, "-T", "fields", "-e", "frame.number",
                          "-e", "frame.coloring_rule.name")
    rule = dict(l.split("\t", 1) for l in out.splitlines() if "\t" in l)
    print("coloring of demo.pcap: %s" % rule)
    check(rule.get("9") == rule.get("12") == "sip400: 400 with verdict", "the 400s are not colored as such")
    check(rule.get("10") == "sip400: unanswered with defects", "frame 10 is not colored as unanswered")
    check(rule.get("8") == "sip400: error" and rule.get("1") == "SIP", "frames 8 and 1 colored %r %r"
          % (rule.get("8"), rule.get("1")))
finally:
    shutil.rmtree(home, ignore_errors=True)

if failures:
    sys.exit(1)
print("ok: %d profile filters valid, columns and coloring as expected" % len(filters))
