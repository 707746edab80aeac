#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate a large, realistic SIP capture for the sip400 benchmark.

  bench/gen_capture.py OUT.pcap [--messages 1000000] [--tcp-share 0.3]
                       [--fail-share 0.05] [--seed 1]

Traffic between many user agents and one proxy (192.0.2.10:5060), over UDP
and over persistent TCP connections (one per TCP user, with handshake, some
messages split over two segments):
  * REGISTER with digest challenge: REGISTER, 401, REGISTER + Authorization, 200;
  * OPTIONS keepalives: OPTIONS, 200;
  * INVITE dialogs: INVITE (SDP offer), 100, 180, 200 (SDP answer), ACK, BYE, 200;
  * about --fail-share of the transactions carry a defect from the sip400
    cause catalog and are answered 400 Bad Request (with a reason phrase and a
    Warning, as real servers do); a failed INVITE is ACKed.
Every call has its own caller, callee, and SDP media addresses and ports (the
same RTP endpoint in thousands of calls makes Wireshark's own RTP conversation
setup quadratic: see DESIGN.md).  Messages are 500-1,000 bytes, like real
ones.  Deterministic: the same options give the same file.

Writes classic pcap (Ethernet, IPv4, microsecond timestamps); IPv4, UDP and
TCP checksums are computed.  Prints the message and transaction counts.
"""
import argparse
import array
import random
import struct
import sys

PROXY_IP = "192.0.2.10"
PROXY_PORT = 5060


def ip_bytes(ip):
    return bytes(int(x) for x in ip.split("."))


def csum(data):
    if len(data) & 1:
        data += b"\0"
    s = sum(array.array("H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


class Pcap:
    def __init__(self, path):
        self.f = open(path, "wb", buffering=1 << 20)
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        self.t_us = 1_700_000_000 * 1_000_000
        self.ident = 0
        self.frames = 0

    def close(self):
        self.f.close()

    def _frame(self, src, dst, proto, l4):
        self.ident = (self.ident + 1) & 0xFFFF
        total = 20 + len(l4)
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, self.ident, 0x4000, 64, proto, 0, src, dst)
        hdr = hdr[:10] + struct.pack("H", csum(hdr)) + hdr[12:]
        eth = b"\x02\x00" + dst + b"\x02\x00" + src + b"\x08\x00"
        frame = eth + hdr + l4
        self.t_us += 150
        self.f.write(struct.pack("<IIII", self.t_us // 1_000_000, self.t_us % 1_000_000, len(frame), len(frame)))
        self.f.write(frame)
        self.frames += 1

    def udp(self, src, sport, dst, dport, payload):
        length = 8 + len(payload)
        u = struct.pack("!HHHH", sport, dport, length, 0) + payload
        pseudo = src + dst + struct.pack("!BBH", 0, 17, length)
        c = csum(pseudo + u) or 0xFFFF
        u = u[:6] + struct.pack("H", c) + u[8:]
        self._frame(src, dst, 17, u)

    def tcp(self, src, sport, dst, dport, seq, ack, flags, payload=b""):
        t = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags,
                        65535, 0, 0) + payload
        pseudo = src + dst + struct.pack("!BBH", 0, 6, len(t))
        t = t[:16] + struct.pack("H", csum(pseudo + t)) + t[18:]
        self._frame(src, dst, 6, t)


SYN, ACK, PSH = 0x02, 0x10, 0x08


class TcpConn:
    """A persistent client <-> proxy connection."""

    def __init__(self, pcap, cip, cport):
        self.p = pcap
        self.c = ip_bytes(cip)
        self.s = ip_bytes(PROXY_IP)
        self.cport = cport
        self.cseq = 1000 + cport * 7
        self.sseq = 5000 + cport * 11
        p = self.p
        p.tcp(self.c, cport, self.s, PROXY_PORT, self.cseq, 0, SYN)
        p.tcp(self.s, PROXY_PORT, self.c, cport, self.sseq, self.cseq + 1, SYN | ACK)
        self.cseq += 1
        self.sseq += 1
        p.tcp(self.c, cport, self.s, PROXY_PORT, self.cseq, self.sseq, ACK)

    def send(self, payload, from_client, split):
        parts = [payload[: len(payload) // 2], payload[len(payload) // 2:]] if split else [payload]
        for part in parts:
            if from_client:
                self.p.tcp(self.c, self.cport, self.s, PROXY_PORT, self.cseq, self.sseq, PSH | ACK, part)
                self.cseq += len(part)
            else:
                self.p.tcp(self.s, PROXY_PORT, self.c, self.cport, self.sseq, self.cseq, PSH | ACK, part)
                self.sseq += len(part)


# ---- message text ----

UA = "User-Agent: Acme-Phone/5.2.1 (build 20240611; fw 3.8)\r\n"
SERVER = "Server: Acme-SBC/7.4.2\r\n"
ALLOW = "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, NOTIFY, REFER, INFO, UPDATE, PRACK, MESSAGE\r\n"
SUPPORTED = "Supported: replaces, timer, 100rel, path, gruu\r\n"


def sdp(user, ip, port, sess):
    return ("v=0\r\n"
            f"o={user} {sess} {sess + 1} IN IP4 {ip}\r\n"
            "s=Acme call\r\n"
            f"c=IN IP4 {ip}\r\n"
            "t=0 0\r\n"
            f"m=audio {port} RTP/AVP 0 8 18 101\r\n"
            "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:18 G729/8000\r\n"
            "a=fmtp:18 annexb=no\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n"
            "a=ptime:20\r\na=sendrecv\r\n")


class Endpoint:
    def __init__(self, n, tcp):
        self.n = n
        self.user = f"+1555{n:07d}"
        self.ip = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{(n & 255) or 1}"
        self.port = 5060 if not tcp else 30000 + n % 30000
        self.tcp = tcp
        self.conn = None
        self.transport = "TCP" if tcp else "UDP"


class Gen:
    def __init__(self, out, args):
        self.p = Pcap(out)
        self.rnd = random.Random(args.seed)
        self.tcp_share = args.tcp_share
        self.fail_share = args.fail_share
        self.nusers = args.users
        self.eps = {}
        self.msgs = 0
        self.txns = 0
        self.failed = 0
        self.causes = {}
        self.seq = 0

    def ep(self, n):
        e = self.eps.get(n)
        if e is None:
            e = Endpoint(n, self.rnd.random() < self.tcp_share)
            self.eps[n] = e
        return e

    def send(self, e, text, from_client):
        data = text.encode()
        self.msgs += 1
        if e.tcp:
            if e.conn is None:
                e.conn = TcpConn(self.p, e.ip, e.port)
            e.conn.send(data, from_client, split=self.rnd.random() < 0.05)
        elif from_client:
            self.p.udp(ip_bytes(e.ip), e.port, ip_bytes(PROXY_IP), PROXY_PORT, data)
        else:
            self.p.udp(ip_bytes(PROXY_IP), PROXY_PORT, ip_bytes(e.ip), e.port, data)

    def uid(self):
        self.seq += 1
        return self.seq

    # a request and the common headers of its responses
    def request(self, e, method, ruri, to, from_tag, callid, cseq, extra="", body="", ctype=None,
                to_tag=None, defect=None):
        branch = f"z9hG4bK{self.uid():x}{self.rnd.getrandbits(32):08x}"
        via = f"Via: SIP/2.0/{e.transport} {e.ip}:{e.port};branch={branch};rport\r\n"
        frm = f"From: \"User {e.n}\" <sip:{e.user}@example.com>;tag={from_tag}\r\n"
        tohdr = f"To: <{to}>" + (f";tag={to_tag}" if to_tag else "") + "\r\n"
        cid = f"Call-ID: {callid}\r\n"
        cs = f"CSeq: {cseq} {method}\r\n"
        contact = f"Contact: <sip:{e.user}@{e.ip}:{e.port};transport={e.transport.lower()}>\r\n"
        mf = "Max-Forwards: 70\r\n"
        rl = f"{method} {ruri} SIP/2.0\r\n"
        ct = f"Content-Type: {ctype}\r\n" if ctype else ""
        cl = f"Content-Length: {len(body.encode())}\r\n"
        if defect == "hdr.cseq.method_mismatch":
            cs = f"CSeq: {cseq} {'BYE' if method != 'BYE' else 'INVITE'}\r\n"
        elif defect == "hdr.missing.max_forwards":
            mf = ""
        elif defect == "ruri.whitespace":
            rl = f"{method} {ruri[:8]} {ruri[8:]} SIP/2.0\r\n"
        elif defect == "body.content_length.mismatch":
            cl = f"Content-Length: {len(body.encode()) + 40}\r\n"
        elif defect == "hdr.missing.contact":
            contact = ""
        elif defect == "hdr.unterminated_quote":
            frm = f"From: \"User {e.n} <sip:{e.user}@example.com>;tag={from_tag}\r\n"
        elif defect == "hdr.max_forwards.invalid":
            mf = "Max-Forwards: seventy\r\n"
        elif defect == "uri.from_invalid":
            frm = f"From: <sip:{e.user}@>;tag={from_tag}\r\n"
        elif defect == "hdr.missing.call_id":
            cid = ""
        text = rl + via + mf + frm + tohdr + cid + cs + contact + UA + ALLOW + SUPPORTED + extra + ct + cl + "\r\n" + body
        resp_hdrs = via + frm + tohdr + cid + f"CSeq: {cseq} {method}\r\n"
        return text, resp_hdrs

    def response(self, code, reason, resp_hdrs, to_tag=None, extra="", body="", ctype=None):
        if to_tag:
            resp_hdrs = resp_hdrs.replace(">\r\nCall-ID", f">;tag={to_tag}\r\nCall-ID", 1)
        ct = f"Content-Type: {ctype}\r\n" if ctype else ""
        return (f"SIP/2.0 {code} {reason}\r\n" + resp_hdrs + SERVER + extra + ct +
                f"Content-Length: {len(body.encode())}\r\n\r\n" + body)

    def maybe_defect(self, method, has_body):
        if self.rnd.random() >= self.fail_share:
            return None
        choices = ["hdr.cseq.method_mismatch", "hdr.missing.max_forwards", "ruri.whitespace",
                   "hdr.unterminated_quote", "hdr.max_forwards.invalid", "uri.from_invalid", "hdr.missing.call_id"]
        if has_body:
            choices.append("body.content_length.mismatch")
        if method == "INVITE":
            choices.append("hdr.missing.contact")
        return self.rnd.choice(choices)

    def fail(self, e, defect, hdrs):
        self.failed += 1
        self.causes[defect] = self.causes.get(defect, 0) + 1
        warn = f"Warning: 399 sbc.example.com \"Malformed request ({defect})\"\r\n"
        totag = f"f{self.uid():x}"
        self.send(e, self.response(400, "Bad Request", hdrs, to_tag=totag, extra=warn), False)
        return totag

    # ---- scenarios ----
    def register(self, e):
        callid = f"reg{self.uid():x}-{e.n}@{e.ip}"
        tag = f"{self.rnd.getrandbits(40):x}"
        aor = f"sip:{e.user}@example.com"
        exp = "Expires: 3600\r\n"
        self.txns += 1
        defect = self.maybe_defect("REGISTER", False)
        text, hdrs = self.request(e, "REGISTER", "sip:example.com", aor, tag, callid, 1, extra=exp, defect=defect)
        self.send(e, text, True)
        if defect:
            self.fail(e, defect, hdrs)
            return
        nonce = f"{self.rnd.getrandbits(96):024x}"
        chal = f"WWW-Authenticate: Digest realm=\"example.com\", nonce=\"{nonce}\", algorithm=MD5, qop=\"auth\"\r\n"
        self.send(e, self.response(401, "Unauthorized", hdrs, to_tag=f"r{self.uid():x}", extra=chal), False)
        self.txns += 1
        auth = (f"Authorization: Digest username=\"{e.user}\", realm=\"example.com\", nonce=\"{nonce}\", "
                f"uri=\"sip:example.com\", response=\"{self.rnd.getrandbits(128):032x}\", algorithm=MD5, "
                f"cnonce=\"{self.rnd.getrandbits(32):08x}\", qop=auth, nc=00000001\r\n")
        defect = self.maybe_defect("REGISTER", False)
        text, hdrs = self.request(e, "REGISTER", "sip:example.com", aor, tag, callid, 2, extra=exp + auth,
                                  defect=defect)
        self.send(e, text, True)
        if defect:
            self.fail(e, defect, hdrs)
            return
        self.send(e, self.response(200, "OK", hdrs, to_tag=f"r{self.uid():x}",
                                   extra=f"Contact: <sip:{e.user}@{e.ip}:{e.port}>;expires=3600\r\n"), False)

    def options(self, e):
        self.txns += 1
        defect = self.maybe_defect("OPTIONS", False)
        text, hdrs = self.request(e, "OPTIONS", "sip:example.com", "sip:example.com", f"{self.rnd.getrandbits(40):x}",
                                  f"opt{self.uid():x}@{e.ip}", 1, extra="Accept: application/sdp\r\n", defect=defect)
        self.send(e, text, True)
        if defect:
            self.fail(e, defect, hdrs)
            return
        self.send(e, self.response(200, "OK", hdrs, to_tag=f"o{self.uid():x}", extra=ALLOW + SUPPORTED), False)

    def call(self, e, callee_n, callno):
        callee = f"+1555{callee_n:07d}"
        callid = f"call{self.uid():x}-{callno}@{e.ip}"
        tag = f"{self.rnd.getrandbits(40):x}"
        ruri = f"sip:{callee}@example.com"
        # media endpoints unique per call: the caller's own address, a relay address per call
        offer = sdp(e.user, e.ip, 10000 + 2 * (callno % 25000), 1000 + callno)
        relay = f"198.51.{100 + (callno >> 15) % 20}.{1 + (callno >> 7) % 250}"
        answer = sdp(callee, relay, 20000 + 2 * (callno % 20000), 5000 + callno)
        self.txns += 1
        defect = self.maybe_defect("INVITE", True)
        text, hdrs = self.request(e, "INVITE", ruri, ruri, tag, callid, 1, body=offer, ctype="application/sdp",
                                  extra="Session-Expires: 1800;refresher=uac\r\nMin-SE: 90\r\n", defect=defect)
        self.send(e, text, True)
        if defect:
            totag = self.fail(e, defect, hdrs)
            ack, _ = self.request(e, "ACK", ruri, ruri, tag, callid, 1, to_tag=totag)
            self.send(e, ack, True)
            return
        totag = f"c{self.uid():x}"
        self.send(e, self.response(100, "Trying", hdrs), False)
        self.send(e, self.response(180, "Ringing", hdrs, to_tag=totag,
                                   extra=f"Contact: <sip:{callee}@{relay}:5060>\r\n"), False)
        self.send(e, self.response(200, "OK", hdrs, to_tag=totag, body=answer, ctype="application/sdp",
                                   extra=f"Contact: <sip:{callee}@{relay}:5060>\r\n" + ALLOW), False)
        ack, _ = self.request(e, "ACK", f"sip:{callee}@{relay}:5060", ruri, tag, callid, 1, to_tag=totag)
        self.send(e, ack, True)
        self.txns += 1
        defect = self.maybe_defect("BYE", False)
        bye, hdrs = self.request(e, "BYE", f"sip:{callee}@{relay}:5060", ruri, tag, callid, 2, to_tag=totag,
                                 defect=defect)
        self.send(e, bye, True)
        if defect:
            self.fail(e, defect, hdrs)
            return
        self.send(e, self.response(200, "OK", hdrs, to_tag=totag), False)

    def run(self, target):
        callno = 0
        while self.msgs < target:
            e = self.ep(self.rnd.randrange(self.nusers))
            r = self.rnd.random()
            if r < 0.2:
                self.register(e)
            elif r < 0.45:
                self.options(e)
            else:
                callno += 1
                self.call(e, self.rnd.randrange(self.nusers), callno)
        self.p.close()
        return callno


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--users", type=int, default=40_000)
    ap.add_argument("--tcp-share", type=float, default=0.3)
    ap.add_argument("--fail-share", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    g = Gen(a.out, a)
    calls = g.run(a.messages)
    ntcp = sum(1 for e in g.eps.values() if e.tcp)
    print(f"{a.out}: {g.msgs} SIP messages in {g.p.frames} frames; {g.txns} transactions, {g.failed} answered 400 "
          f"({100.0 * g.failed / max(g.txns, 1):.1f}%); {calls} INVITE dialogs; {len(g.eps)} user agents "
          f"({ntcp} over TCP)")
    print("  400 causes: " + ", ".join(f"{k} {v}" for k, v in sorted(g.causes.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
