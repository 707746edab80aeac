#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The SIPp scenarios of sip400-report send requests byte for byte.

    sipp_exact.py MESSAGE_DIR [MORE .sip FILES...]

Every message (tests/e2e/messages/*.sip: broken and valid requests with odd
bytes -- NUL, bare CR/LF, folding, brackets, backslashes, quotes, tabs,
non-ASCII, leading garbage) goes through sip400-report's scenario writer
(sipp_cdata) and is sent by the real sipp over UDP to a socket here; the
datagram must equal the message.  The writer reports the one case SIPp cannot
send exactly (no CRLF at all: SIPp then adds an empty line) and that case
must arrive with just CRLF CRLF appended; and the messages without an empty
line, which only SIPp 3.6 and 3.7 send exactly: with SIPp 3.8 or later they
are listed, not counted.  Exit 77 when sipp is missing.
"""

import glob
import importlib.machinery
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
tool = os.path.join(here, "..", "..", "packaging", "sip400-report")
if not shutil.which("sipp"):
    print("skip: sipp not installed (apt-get install sip-tester)")
    sys.exit(77)
loader = importlib.machinery.SourceFileLoader("sip400_report", tool)
spec = importlib.util.spec_from_loader("sip400_report", loader)
rep = importlib.util.module_from_spec(spec)
loader.exec_module(rep)

ver = subprocess.run(["sipp", "-v"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT).stdout.decode("latin-1")
m = re.search(r"SIPp v(\d+)\.(\d+)", ver)
sipp_version = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
legacy_ok = sipp_version < (3, 8)

files = []
for a in sys.argv[1:]:
    files += sorted(glob.glob(os.path.join(a, "*.sip"))) if os.path.isdir(a) else [a]
if not files:
    sys.exit("no messages given")


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


tmp = tempfile.mkdtemp(prefix="sip400-sipp-exact.")
bad, inexact, legacy_only = [], [], []
try:
    for fn in files:
        msg = open(fn, "rb").read()
        text, exact, legacy = rep.sipp_cdata(msg)
        scen = os.path.join(tmp, "s.xml")
        with open(scen, "w", encoding="latin-1") as f:
            f.write('<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="exact">\n'
                    "<send><![CDATA[" + text + "]]></send>\n</scenario>\n")
        sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sink.bind(("127.0.0.1", 0))
        sink.settimeout(5)
        p = subprocess.run(["timeout", "20", "sipp", "-sf", scen, "-m", "1", "-t", "u1", "-i", "127.0.0.1",
                            "-p", str(free_port()), "-nd", "-nr", "-nostdin", "-timeout", "5s",
                            "127.0.0.1:%d" % sink.getsockname()[1]],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp)
        try:
            got = sink.recv(262144)
        except socket.timeout:
            got = None
        sink.close()
        want = msg if exact else msg + b"\r\n\r\n"
        if not exact:
            inexact.append(os.path.basename(fn))
        if legacy and not legacy_ok:
            legacy_only.append(os.path.basename(fn))
            continue
        if got != want:
            bad.append(os.path.basename(fn))
            print("DIFF %s (exact=%s, sipp exit %d): sent %d bytes, got %s" % (
                os.path.basename(fn), exact, p.returncode, len(msg), None if got is None else len(got)))
            if got is None:
                print("  " + (p.stdout + p.stderr).decode("utf-8", "replace").strip().splitlines()[-1][:200])
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print("%d messages through SIPp %d.%d: %d byte for byte, %d with SIPp's empty line as announced (%s), "
      "%d without an empty line that only SIPp 3.6/3.7 send exactly (%s), %d wrong"
      % (len(files), sipp_version[0], sipp_version[1], len(files) - len(inexact) - len(legacy_only) - len(bad),
         len(inexact), ", ".join(inexact) or "none", len(legacy_only), ", ".join(legacy_only) or "none", len(bad)))
sys.exit(1 if bad else 0)
