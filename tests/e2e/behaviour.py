#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""behaviour.py - what each real peer did with each catalog cause, as data.

  behaviour.py REPO OUT_DEF OUT_MD

Reads, offline, the recordings of tests/e2e/record.sh:
  REPO/captures/e2e/kamailio_{udp,tcp}.pcapng + expected.tsv   (Kamailio)
  REPO/captures/e2e/sofia/sofia_{udp,tcp}.pcapng + expected.tsv (sofia-sip)
  REPO/captures/e2e/belle/belle_{udp,tcp}.pcapng + expected.tsv (belle-sip)
and the catalog REPO/plugin/causes.def, and writes
  OUT_DEF  the X-macro file plugin/behaviour.def, one line per (cause, server):
           SIP400_BEHAVIOUR(SYMBOL, SERVER, "version", ACTION, code, "reason", "detail")
  OUT_MD   the same for people, tests/e2e/BEHAVIOUR.md, with the variants and
           the other transport where they differ.

expected.tsv says which frame is which test request and its answer; the
status code, reason phrase and Warning/P-Registrar-Error come from the
answer frame in the capture itself (tshark), the server's version from its
Server:/User-Agent: headers in the capture.  The detail of a drop (TCP
close, crash of the test UAS's stack) is expected.tsv's.

One line per cause and server: the message named exactly after the cause
(no "--variant"), over UDP unless the cause is a defect over TCP only, a raw
message before a SIPp scenario.

ACTION: REJECT = answered 400; DROP = no final answer (silence, a TCP close,
a crash); ACCEPT = a final answer other than 400 (200, the test peers' 404,
or another code that is not a 400: 483, 505, 416, 420, ...).
"""

import os
import re
import subprocess
import sys

SERVERS = [  # (key, SERVER symbol, title, capture dir relative to REPO)
    ("kamailio", "KAMAILIO", "Kamailio", "captures/e2e"),
    ("sofia", "SOFIA", "sofia-sip", "captures/e2e/sofia"),
    ("belle", "BELLE", "belle-sip", "captures/e2e/belle"),
]
VERSION_RE = {
    "kamailio": re.compile(r"kamailio \(([0-9][0-9A-Za-z.+~-]*)"),
    "sofia": re.compile(r"sofia-sip/([0-9][0-9A-Za-z.+~-]*)"),
    "belle": re.compile(r"belle-sip[ /]([0-9][0-9A-Za-z.+~-]*)"),
}
FIELDS = ["frame.number", "sip.Status-Line", "sip.msg_hdr"]
DETAIL_HDRS = {"p-registrar-error": "P-Registrar-Error", "warning": "Warning"}
STATUS_RE = re.compile(r"^SIP/2\.0 ([0-9]{3}) ?(.*)$")


def read_causes(path):
    causes = []
    with open(path) as fh:
        for line in fh:
            m = re.match(r'SIP400_CAUSE\(([A-Z0-9_]+), "([^"]+)", ([A-Z]), ([A-Z]),', line)
            if m:
                causes.append({"symbol": m.group(1), "id": m.group(2), "group": m.group(3), "level": m.group(4)})
    return causes


def read_expected(path):
    with open(path) as fh:
        header = fh.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in fh if line.strip()]


def answers(pcap):
    """frame -> (code, reason, P-Registrar-Error/Warning) of every SIP response; Server/User-Agent values."""
    cmd = ["tshark", "-n", "-r", pcap, "-Y", "sip.Status-Line", "-T", "fields", "-E", "separator=/t",
           "-E", "occurrence=a", "-E", "aggregator=|"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, timeout=120).stdout.decode("utf-8", "replace")
    frames = {}
    agents = []
    for line in out.splitlines():
        p = line.split("\t") + [""] * len(FIELDS)
        m = STATUS_RE.match(p[1].split("|")[0])
        if not m:
            continue
        # sip.msg_hdr: the header section, lines joined by a literal \r\n
        details = {"P-Registrar-Error": [], "Warning": []}
        for h in p[2].split("\\r\\n"):
            name, _, value = h.partition(":")
            key = name.strip().lower()
            if key in DETAIL_HDRS:
                details[DETAIL_HDRS[key]].append(value.strip())
            elif key in ("server", "user-agent"):
                agents.append(value.strip())
        detail = "; ".join(f"{k}: {v}" for k in ("P-Registrar-Error", "Warning") for v in details[k])
        frames[int(p[0])] = (m.group(1), m.group(2), detail)
    return frames, agents


def version_of(key, agents):
    for a in agents:
        m = VERSION_RE[key].search(a)
        if m:
            return m.group(1)
    return "unknown"


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def md_cell(s):
    return s.replace("|", "\\|")


def measure(repo):
    """{server: (version, {cause id: [observation, ...] in preference order})}"""
    result = {}
    for key, _, _, rel in SERVERS:
        d = os.path.join(repo, rel)
        rows = read_expected(os.path.join(d, "expected.tsv"))
        ans = {t: answers(os.path.join(d, f"{key}_{t}.pcapng")) for t in ("udp", "tcp")}
        version = version_of(key, ans["udp"][1] + ans["tcp"][1])
        obs = {}
        for r in rows:
            if r["cause"] == "-":
                continue
            t = r["transport"]
            detail = r["detail"] if r["detail"] != "-" else ""
            if r["code"] == "none":
                action, code, reason = "DROP", "0", ""
            else:
                code, reason, warn = ans[t][0].get(int(r["resp_frame"]), (r["code"], r["reason"], ""))
                if (code, reason) != (r["code"], r["reason"] if r["reason"] != "-" else ""):
                    sys.exit(f"behaviour.py: {rel} {t} {r['name']}: expected.tsv says {r['code']} "
                             f"{r['reason']}, frame {r['resp_frame']} of the capture {code} {reason}")
                action = "REJECT" if code == "400" else "ACCEPT"
                # the answer's own headers; the rest of expected.tsv's detail (a TCP close, ...)
                extra = [x for x in detail.split("; ") if x and not x.startswith(("Warning:", "P-Registrar-Error:"))]
                detail = "; ".join(([warn] if warn else []) + extra)
            obs.setdefault(r["cause"], []).append({
                "name": r["name"], "transport": t, "source": r["source"], "action": action,
                "code": code, "reason": reason, "detail": detail})
        for lst in obs.values():
            lst.sort(key=lambda o: ("--" in o["name"], o["transport"] != "udp", o["source"] != "raw", o["name"]))
        result[key] = (version, obs)
    return result


def describe(o):
    if o["action"] == "DROP":
        s = "drop"
    else:
        s = f"{o['code']} {o['reason']}".rstrip()
    if o["detail"]:
        s += f" ({o['detail']})"
    return s


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    repo, out_def, out_md = sys.argv[1:4]
    causes = read_causes(os.path.join(repo, "plugin", "causes.def"))
    data = measure(repo)
    versions = {k: data[k][0] for k, *_ in SERVERS}
    gen = "tests/e2e/measure.sh --generate"

    # ---- plugin/behaviour.def ----
    d = []
    d.append("/* SPDX-License-Identifier: GPL-2.0-or-later\n *")
    d.append(f" * GENERATED by `{gen}` (tests/e2e/behaviour.py) from the recordings")
    d.append(" * captures/e2e/kamailio_*.pcapng, captures/e2e/sofia/*, captures/e2e/belle/* and their")
    d.append(" * expected.tsv; do not edit by hand.  A change is a change of measured behaviour:")
    d.append(" * review it like a golden file (ctest -R e2e.behaviour_table fails when it drifts).")
    d.append(" *")
    d.append(" * What each real peer did with the test message of each catalog cause")
    d.append(" * (tests/e2e/messages/<cause id>.sip, or scenarios/<cause id>.xml), over UDP")
    d.append(" * (over TCP for a defect of stream transports only):")
    d.append(" *")
    d.append(' *   SIP400_BEHAVIOUR(CAUSE_SYMBOL, SERVER, "version", ACTION, code, "reason", "detail")')
    d.append(" *")
    d.append(" * CAUSE_SYMBOL  as plugin/causes.def defines it")
    d.append(" * SERVER        KAMAILIO (Kamailio with tests/e2e/kamailio.cfg), SOFIA (sofia-sip nua,")
    d.append(" *               tests/e2e/uas/uas_sofia.c), BELLE (belle-sip, tests/e2e/uas/uas_belle.c)")
    d.append(" * ACTION        REJECT: answered 400; DROP: no final answer; ACCEPT: a final answer")
    d.append(" *               other than 400 (200, the test peers' 404, 483, 505, 416, ...)")
    d.append(" * code, reason  status code and exact reason phrase (0, \"\" for DROP)")
    d.append(" * detail        Warning / P-Registrar-Error of the answer; for a drop a TCP close")
    d.append(" *               (\"server closed connection\") or a crash of the test UAS's stack")
    d.append(" *")
    d.append(" * Measured: " + ", ".join(f"{title} {versions[k]}" for k, _, title, _ in SERVERS) + " (Debian 12).")
    d.append(" * Causes without a sendable test message have no line (see tests/e2e/BEHAVIOUR.md).")
    d.append(" */")
    d.append("")
    for c in causes:
        for key, sym, _, _ in SERVERS:
            obs = data[key][1].get(c["id"])
            if not obs:
                continue
            o = obs[0]
            d.append(f"SIP400_BEHAVIOUR({c['symbol']}, {sym}, {c_str(versions[key])}, {o['action']}, "
                     f"{o['code']}, {c_str(o['reason'])}, {c_str(o['detail'])})")
    with open(out_def, "w") as fh:
        fh.write("\n".join(d) + "\n")

    # ---- tests/e2e/BEHAVIOUR.md ----
    m = []
    m.append("<!-- SPDX-License-Identifier: GPL-2.0-or-later -->")
    m.append(f"<!-- GENERATED by `{gen}` (tests/e2e/behaviour.py) from the recordings; do not edit. -->")
    m.append("# Measured server behaviour per cause")
    m.append("")
    m.append("What three real SIP stacks did with the test message of each catalog cause, measured by")
    m.append("`tests/e2e/measure.sh` on the loopback of a network namespace of its own and read back from")
    m.append("the recordings (`captures/e2e/`, `captures/e2e/sofia/`, `captures/e2e/belle/`). The same data")
    m.append("is `plugin/behaviour.def`.")
    m.append("")
    m.append("Peers: " + "; ".join(f"{title} {versions[k]}" for k, _, title, _ in SERVERS) + " (Debian 12 packages).")
    m.append("Kamailio runs `tests/e2e/kamailio.cfg` (sanity with all checks, maxfwd, registrar);")
    m.append("sofia-sip and belle-sip run the minimal UASes of `tests/e2e/uas/`, which answer")
    m.append("404 `Not Here` (200 to OPTIONS/REGISTER) to whatever their stack hands them: every other")
    m.append("answer and every drop is the stack's own.")
    m.append("")
    m.append("`drop` = no final answer; `(…)` = Warning / P-Registrar-Error, a TCP close, a crash.")
    m.append("One message per cause (named after it, over UDP unless the defect exists over TCP only).")
    m.append("")
    m.append("Regenerate: `tests/e2e/measure.sh --generate` (offline, from the recordings); record again")
    m.append("and regenerate: `sudo tests/e2e/measure.sh`.")
    m.append("")
    totals = {k: {"REJECT": 0, "DROP": 0, "ACCEPT": 0} for k, *_ in SERVERS}
    m.append("| cause | level | " + " | ".join(f"{title} {versions[k]}" for k, _, title, _ in SERVERS) + " |")
    m.append("|---|---|" + "---|" * len(SERVERS))
    missing = []
    for c in causes:
        cells = []
        seen = False
        for key, *_ in SERVERS:
            obs = data[key][1].get(c["id"])
            if obs:
                seen = True
                totals[key][obs[0]["action"]] += 1
                cells.append(md_cell(describe(obs[0])))
            else:
                cells.append("–")
        if seen:
            m.append(f"| `{c['id']}` | {c['level']} | " + " | ".join(cells) + " |")
        elif c["group"] != "O":
            missing.append(c["id"])
    m.append("")
    m.append("| | " + " | ".join(title for _, _, title, _ in SERVERS) + " |")
    m.append("|---|" + "---|" * len(SERVERS))
    for action, words in (("REJECT", "400"), ("DROP", "dropped"), ("ACCEPT", "other final answer")):
        m.append(f"| {words} | " + " | ".join(str(totals[k][action]) for k, *_ in SERVERS) + " |")
    m.append("")
    m.append("## Variants and the other transport, where the answer differs")
    m.append("")
    m.append("| message | transport | server | answer | (main row) |")
    m.append("|---|---|---|---|---|")
    for c in causes:
        for key, _, title, _ in SERVERS:
            obs = data[key][1].get(c["id"], [])
            for o in obs[1:]:
                if (o["action"], o["code"], o["reason"]) != (obs[0]["action"], obs[0]["code"], obs[0]["reason"]):
                    m.append(f"| `{o['name']}` ({o['source']}) | {o['transport']} | {title} | "
                             f"{md_cell(describe(o))} | {md_cell(describe(obs[0]))} |")
    m.append("")
    m.append("## Not measured")
    m.append("")
    m.append("Causes without a test message that these peers can be sent (every peer listens on")
    m.append("127.0.0.1:5060, UDP and TCP, no TLS): " + (", ".join(f"`{x}`" for x in missing) or "none") + ".")
    m.append("The `outcome.*` ids describe the plugin's own outcome, not a defect.")
    with open(out_md, "w") as fh:
        fh.write("\n".join(m) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
