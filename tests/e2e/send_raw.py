#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""send_raw.py - send the exact bytes of SIP message files to a SIP server.

For the messages SIPp cannot produce (no Call-ID, no Via, broken start line,
bare LF, NUL bytes, ...).  Each file is one complete message; it is sent as
it is, over UDP (one datagram) or TCP (one connection per message), from its
own local port, and the script then waits briefly for answers and prints the
status line of each one.

Only two rewrites are applied, both in the header section (never in the
body, so Content-Length stays exactly as written in the file), and only with
--fix-via (record.sh uses it):
  * "SIP/2.0/UDP" in Via lines becomes "SIP/2.0/TCP" when sending over TCP,
    so that a message carries no transport mismatch it was not written for;
  * the Via sent-by "127.0.0.1:5070" becomes "127.0.0.1:<local port>", so
    the Via agrees with the packet's real source.

Usage:
  send_raw.py [-t udp|tcp] [--host 127.0.0.1] [--port 5060]
              [--lport N] [--wait 0.4] [--fix-via] FILE...

It waits up to --wait seconds for an answer; once a final response (2xx-6xx)
has arrived it lingers only 50 ms more, so answered messages go fast and
only silently dropped ones cost the full wait.

With --lport N, the k-th file (k = 0, 1, ...) is sent from local port N+k.
Output: one line per file, tab separated:
  file  transport  local_port  answers ("-" when nothing came back)
Exit status is 0 even when nothing answered (silence is a valid outcome).
"""

import argparse
import re
import socket
import sys
import time

LOOPBACK = "127.0.0.1"


def split_message(data: bytes):
    """Return (header_section, rest); rest starts at the blank line."""
    for sep in (b"\r\n\r\n", b"\n\n"):
        idx = data.find(sep)
        if idx >= 0:
            return data[:idx], data[idx:]
    return data, b""


def fix_via(data: bytes, transport: str, lport: int) -> bytes:
    """Apply the two documented Via rewrites to the header section only."""
    head, rest = split_message(data)
    out = []
    for line in head.split(b"\n"):
        name = line.split(b":", 1)[0].strip().lower()
        if name in (b"via", b"v"):
            if transport == "tcp":
                line = line.replace(b"SIP/2.0/UDP", b"SIP/2.0/TCP")
            line = line.replace(b"127.0.0.1:5070", b"127.0.0.1:%d" % lport)
        out.append(line)
    return b"\n".join(out) + rest


STATUS_RE = re.compile(rb"^SIP/2\.0 [0-9]{3}[^\r\n]*", re.M)
FINAL_RE = re.compile(rb"^SIP/2\.0 [2-6][0-9]{2}", re.M)

# after a final response arrived, linger this long for anything else
GRACE = 0.05


def status_lines(buf: bytes):
    """Status lines of the responses found in buf (str, lossless-ish)."""
    return [m.group(0).decode("utf-8", "replace") for m in STATUS_RE.finditer(buf)]


def send_udp(data, host, port, lport, wait):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK, lport))
    local = sock.getsockname()[1]
    got = b""
    try:
        sock.sendto(data, (host, port))
        deadline = time.monotonic() + wait
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            sock.settimeout(left)
            try:
                pkt, _ = sock.recvfrom(65535)
            except socket.timeout:
                break
            got += pkt + b"\r\n"
            if FINAL_RE.search(pkt):
                deadline = min(deadline, time.monotonic() + GRACE)
    finally:
        sock.close()
    return local, got


def send_tcp(data, host, port, lport, wait):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK, lport))
    local = sock.getsockname()[1]
    got = b""
    try:
        # a refused connection is retried for up to 1 s: a test UAS restarting
        # after a crash of its stack (tests/e2e/uas/supervise.h) listens again
        # within a few tens of milliseconds
        deadline = time.monotonic() + 1.0
        while True:
            try:
                sock.settimeout(wait)
                sock.connect((host, port))
                break
            except ConnectionRefusedError:
                if time.monotonic() >= deadline:
                    raise
                sock.close()
                time.sleep(0.05)
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind((LOOPBACK, lport))
        sock.sendall(data)
        deadline = time.monotonic() + wait
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            sock.settimeout(left)
            try:
                chunk = sock.recv(65535)
            except socket.timeout:
                break
            if not chunk:          # server closed the connection
                break
            got += chunk
            if FINAL_RE.search(got):
                deadline = min(deadline, time.monotonic() + GRACE)
    except OSError as exc:
        print(f"send_raw: tcp error: {exc}", file=sys.stderr)
    finally:
        # orderly close: send our FIN, then wait (briefly) for the server's
        # FIN, so that the capture shows each connection closed before the
        # next one opens and frame numbers are the same from run to run
        try:
            sock.shutdown(socket.SHUT_WR)
            sock.settimeout(0.3)
            while sock.recv(65535):
                pass
        except OSError:
            pass
        sock.close()
    return local, got


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-t", "--transport", choices=("udp", "tcp"), default="udp")
    ap.add_argument("--host", default=LOOPBACK)
    ap.add_argument("--port", type=int, default=5060)
    ap.add_argument("--lport", type=int, default=0,
                    help="first local port (0: let the kernel choose)")
    ap.add_argument("--wait", type=float, default=0.4,
                    help="seconds to wait for answers after sending")
    ap.add_argument("--fix-via", action="store_true",
                    help="rewrite Via transport and sent-by (header section only)")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    if args.host not in ("127.0.0.1", "localhost"):
        ap.error("only loopback targets are allowed")

    for k, path in enumerate(args.files):
        with open(path, "rb") as fh:
            data = fh.read()
        lport = args.lport + k if args.lport else 0
        if args.fix_via:
            if lport == 0:
                ap.error("--fix-via needs --lport")
            data = fix_via(data, args.transport, lport)
        send = send_tcp if args.transport == "tcp" else send_udp
        local, got = send(data, args.host, args.port, lport, args.wait)
        answers = status_lines(got)
        print("\t".join([path, args.transport, str(local),
                         " | ".join(answers) if answers else "-"]))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
