# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the labelled sample captures of sip400 into this directory.

Usage: ``python3 captures/make_captures.py`` (from anywhere).  The output is
deterministic: fixed addresses, ports, tags and timestamps, so re-running it
rewrites byte-identical files.  ``tls_keylog.pcapng`` is not made here but by
``make_tls_capture.sh`` (real TLS through openssl and dumpcap).

Every broken request carries exactly one defect.  :data:`DEFECTS` documents,
per capture and per frame number, the cause id (from CAUSES.md) of each SIP
request that frame carries, in message order, ``None`` for a clean request.
Frames that are not listed carry no defective request (handshakes, responses,
clean requests).  For a request reassembled from several TCP segments or IP
fragments the frame is the last one, where Wireshark shows the SIP message.

Hosts (documentation addresses):

* alice  192.0.2.10 / 2001:db8::10 -- a well-behaved UA;
* carol  192.0.2.30                -- a UA that sends broken requests;
* bob    198.51.100.20             -- a UA called directly by alice;
* proxy  203.0.113.5 / 2001:db8::5 -- Kamailio 5.6 (registrar and proxy for example.com).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pcapgen import TcpConversation, Trace, udp, udp_fragments  # noqa: E402

OUT_DIR = os.path.dirname(os.path.abspath(__file__))

START = 1710235800  # 2024-03-12 09:30:00 UTC
SIP_PORT = 5060

ALICE = "192.0.2.10"
CAROL = "192.0.2.30"
BOB = "198.51.100.20"
PROXY = "203.0.113.5"
ALICE6 = "2001:db8::10"
PROXY6 = "2001:db8::5"

KAMAILIO = "Server: kamailio (5.6.3 (x86_64/linux))"
ALICE_UA = "User-Agent: Linphone/5.2.0 (belle-sip/5.2.0)"
CAROL_UA = "User-Agent: DemoPhone/1.4.2"

DEFECTS: dict[str, dict[int, tuple[str | None, ...]]] = {
    "demo.pcap": {
        8: ("hdr.cseq.method_mismatch",),         # INVITE with CSeq: 1 BYE -> 400 (frame 9)
        10: ("hdr.missing.call_id",),             # MESSAGE without Call-ID, unanswered
        11: ("ruri.missing_user",),               # INVITE sip:@example.com -> 400 (frame 12)
        13: ("body.content_length.mismatch",),    # INVITE, Content-Length > body
        14: ("start.sip_version_unsupported",),   # INVITE ... SIP/3.0 (Wireshark: data)
        15: ("ruri.whitespace",),                 # INVITE sip:bob example.com SIP/2.0 (data)
        16: ("hdr.cseq.missing_method",),         # OPTIONS with CSeq: 7
    },
    "tcp_split.pcap": {
        6: ("hdr.cseq.method_mismatch",),         # INVITE in frames 4-6 -> 400 (frame 7)
    },
    "tcp_multi.pcap": {
        4: (None, "hdr.missing.call_id", "hdr.cseq.method_mismatch"),  # -> 200 + 400 (frame 5)
    },
    "udp_data.pcap": {
        1: ("start.sip_version_unsupported",),
        2: ("ruri.whitespace",),
        3: ("start.extra_whitespace",),
    },
    "ipv6.pcap": {
        3: ("ruri.ipv6_unbracketed",),            # -> 400 Bad Request URI (frame 4)
    },
    "ipfrag.pcap": {
        2: ("transport.udp_oversize",),           # 2000-byte INVITE in fragments 1-2
    },
}


def message(start_line: str, headers: list[str], body: str = "", *,
            content_length: int | None = None) -> bytes:
    """Return a SIP message: CRLF line ends, Content-Length appended last.

    Content-Length is the body length unless ``content_length`` overrides it.
    """
    length = len(body.encode()) if content_length is None else content_length
    lines = [start_line, *headers, f"Content-Length: {length}", "", ""]
    return ("\r\n".join(lines) + body).encode()


def sdp(user: str, session: int, address: str, rtp_port: int) -> str:
    """Return a small audio SDP offer/answer (PCMU, PCMA, telephone-event)."""
    family = "IP6" if ":" in address else "IP4"
    return "\r\n".join([
        "v=0",
        f"o={user} {session} {session} IN {family} {address}",
        "s=Talk",
        f"c=IN {family} {address}",
        "t=0 0",
        f"m=audio {rtp_port} RTP/AVP 0 8 101",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-15",
        "a=sendrecv",
        "",
    ])


def sdp_headers() -> list[str]:
    """Return the headers that announce an SDP body."""
    return ["Content-Type: application/sdp", "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE"]


def build_demo() -> tuple[Trace, dict[int, tuple[str | None, ...]]]:
    """The README demo over UDP: valid traffic, then one broken request per defect."""
    trace, labels = Trace(START), {}

    def send(src: str, dst: str, msg: bytes, after: float = 0.05) -> int:
        return trace.add(udp(msg, src, SIP_PORT, dst, SIP_PORT), after=after)

    # 1-2: REGISTER and its 200 OK
    reg_via = f"Via: SIP/2.0/UDP {ALICE}:5060;branch=z9hG4bK.Qx3vB9dTm;rport"
    reg_common = [
        'From: "Alice" <sip:alice@example.com>;tag=a73kszlfl',
        "Call-ID: 1j9FpLxk3uxtm8tn@192.0.2.10",
        "CSeq: 1 REGISTER",
    ]
    send(ALICE, PROXY, message("REGISTER sip:example.com SIP/2.0", [
        reg_via, "Max-Forwards: 70", reg_common[0], 'To: "Alice" <sip:alice@example.com>',
        *reg_common[1:], f"Contact: <sip:alice@{ALICE}:5060>", "Expires: 3600", ALICE_UA]),
        after=0.0)
    send(PROXY, ALICE, message("SIP/2.0 200 OK", [
        reg_via.replace(";rport", ";rport=5060"), reg_common[0],
        'To: "Alice" <sip:alice@example.com>;tag=b27e1a1d33761e85846fc98f5f3a7e58.2f8c',
        *reg_common[1:], f"Contact: <sip:alice@{ALICE}:5060>;expires=3600", KAMAILIO]))

    # 3-5: INVITE alice -> bob (direct), 200 OK with SDP, ACK
    inv_from = 'From: "Alice" <sip:alice@example.com>;tag=9fxced76sl'
    inv_callid = "Call-ID: 3848276298220188511@192.0.2.10"
    inv_via = f"Via: SIP/2.0/UDP {ALICE}:5060;branch=z9hG4bK.74bf9a1c;rport"
    send(ALICE, BOB, message(f"INVITE sip:bob@{BOB}:5060 SIP/2.0", [
        inv_via, "Max-Forwards: 70", inv_from, "To: <sip:bob@example.com>", inv_callid,
        "CSeq: 1 INVITE", f"Contact: <sip:alice@{ALICE}:5060>", *sdp_headers(),
        "Subject: Demo call", ALICE_UA], sdp("alice", 2890844526, ALICE, 49170)))
    bob_to = "To: <sip:bob@example.com>;tag=314159"
    send(BOB, ALICE, message("SIP/2.0 200 OK", [
        inv_via.replace(";rport", ";rport=5060"), inv_from, bob_to, inv_callid,
        "CSeq: 1 INVITE", f"Contact: <sip:bob@{BOB}:5060>", *sdp_headers(),
        "Server: Zoiper rv2.10.20.2"], sdp("bob", 2890844527, BOB, 3456)), after=1.2)
    send(ALICE, BOB, message(f"ACK sip:bob@{BOB}:5060 SIP/2.0", [
        f"Via: SIP/2.0/UDP {ALICE}:5060;branch=z9hG4bK.5a2cd7e0;rport", "Max-Forwards: 70",
        inv_from, bob_to, inv_callid, "CSeq: 1 ACK", f"Contact: <sip:alice@{ALICE}:5060>",
        ALICE_UA]))

    # 6-7: OPTIONS keep-alive and its 200 OK
    opt_via = f"Via: SIP/2.0/UDP {ALICE}:5060;branch=z9hG4bK.0c8e1f37;rport"
    opt_common = ['From: "Alice" <sip:alice@example.com>;tag=hq1jx84rw',
                  "To: <sip:example.com>", "Call-ID: 6b8d0f2a41c5e7@192.0.2.10",
                  "CSeq: 20 OPTIONS"]
    send(ALICE, PROXY, message("OPTIONS sip:example.com SIP/2.0", [
        opt_via, "Max-Forwards: 70", *opt_common, "Accept: application/sdp", ALICE_UA]),
        after=2.0)
    send(PROXY, ALICE, message("SIP/2.0 200 OK", [
        opt_via.replace(";rport", ";rport=5060"), opt_common[0],
        "To: <sip:example.com>;tag=b27e1a1d33761e85846fc98f5f3a7e58.6a01",
        *opt_common[2:], KAMAILIO]))

    # 8-9: INVITE with CSeq: 1 BYE, answered by Kamailio's sanity module
    mm_via = f"Via: SIP/2.0/UDP {CAROL}:5060;branch=z9hG4bK-524287-1-cseqbye"
    mm_common = ['From: "Carol" <sip:carol@example.com>;tag=c1a0b2',
                 "Call-ID: 5c8f8a3e-0001@192.0.2.30", "CSeq: 1 BYE"]
    frame = send(CAROL, PROXY, message("INVITE sip:bob@example.com SIP/2.0", [
        mm_via, "Max-Forwards: 70", mm_common[0], "To: <sip:bob@example.com>", *mm_common[1:],
        f"Contact: <sip:carol@{CAROL}:5060>", *sdp_headers(), CAROL_UA],
        sdp("carol", 8000001, CAROL, 40000)), after=1.5)
    labels[frame] = ("hdr.cseq.method_mismatch",)
    send(PROXY, CAROL, message("SIP/2.0 400 CSeq method does not match request method", [
        mm_via, mm_common[0],
        "To: <sip:bob@example.com>;tag=b27e1a1d33761e85846fc98f5f3a7e58.9e42",
        *mm_common[1:], KAMAILIO]), after=0.002)

    # 10: MESSAGE without Call-ID (Kamailio drops it: no response)
    frame = send(CAROL, PROXY, message("MESSAGE sip:bob@example.com SIP/2.0", [
        f"Via: SIP/2.0/UDP {CAROL}:5060;branch=z9hG4bK-524287-1-nocallid", "Max-Forwards: 70",
        'From: "Carol" <sip:carol@example.com>;tag=c1a0b3', "To: <sip:bob@example.com>",
        "CSeq: 1 MESSAGE", "Content-Type: text/plain", CAROL_UA], "Are you there?"),
        after=1.0)
    labels[frame] = ("hdr.missing.call_id",)

    # 11-12: INVITE to sip:@example.com, answered 400 Bad Request URI
    ru_via = f"Via: SIP/2.0/UDP {CAROL}:5060;branch=z9hG4bK-524287-1-nouser"
    ru_common = ['From: "Carol" <sip:carol@example.com>;tag=c1a0b4',
                 "Call-ID: 5c8f8a3e-0003@192.0.2.30", "CSeq: 1 INVITE"]
    frame = send(CAROL, PROXY, message("INVITE sip:@example.com SIP/2.0", [
        ru_via, "Max-Forwards: 70", ru_common[0], "To: <sip:bob@example.com>", *ru_common[1:],
        f"Contact: <sip:carol@{CAROL}:5060>", *sdp_headers(), CAROL_UA],
        sdp("carol", 8000003, CAROL, 40002)), after=1.0)
    labels[frame] = ("ruri.missing_user",)
    send(PROXY, CAROL, message("SIP/2.0 400 Bad Request URI", [
        ru_via, ru_common[0],
        "To: <sip:bob@example.com>;tag=b27e1a1d33761e85846fc98f5f3a7e58.1c07",
        *ru_common[1:], KAMAILIO]), after=0.002)

    # 13: INVITE whose Content-Length is 40 bytes larger than its SDP body
    body = sdp("carol", 8000004, CAROL, 40004)
    frame = send(CAROL, PROXY, message("INVITE sip:bob@example.com SIP/2.0", [
        f"Via: SIP/2.0/UDP {CAROL}:5060;branch=z9hG4bK-524287-1-badlen", "Max-Forwards: 70",
        'From: "Carol" <sip:carol@example.com>;tag=c1a0b5', "To: <sip:bob@example.com>",
        "Call-ID: 5c8f8a3e-0004@192.0.2.30", "CSeq: 1 INVITE",
        f"Contact: <sip:carol@{CAROL}:5060>", *sdp_headers(), CAROL_UA],
        body, content_length=len(body) + 40), after=1.0)
    labels[frame] = ("body.content_length.mismatch",)

    # 14-15: request lines Wireshark's SIP dissector refuses (shown as data)
    for number, (request_line, cause) in enumerate([
            ("INVITE sip:bob@example.com SIP/3.0", "start.sip_version_unsupported"),
            ("INVITE sip:bob example.com SIP/2.0", "ruri.whitespace")], start=5):
        frame = send(CAROL, PROXY, message(request_line, [
            f"Via: SIP/2.0/UDP {CAROL}:5060;branch=z9hG4bK-524287-1-line{number}",
            "Max-Forwards: 70", f'From: "Carol" <sip:carol@example.com>;tag=c1a0b{number + 1}',
            "To: <sip:bob@example.com>", f"Call-ID: 5c8f8a3e-000{number}@192.0.2.30",
            "CSeq: 1 INVITE", f"Contact: <sip:carol@{CAROL}:5060>", CAROL_UA]), after=1.0)
        labels[frame] = (cause,)

    # 16: OPTIONS whose CSeq has no method
    frame = send(CAROL, PROXY, message("OPTIONS sip:example.com SIP/2.0", [
        f"Via: SIP/2.0/UDP {CAROL}:5060;branch=z9hG4bK-524287-1-cseqnum", "Max-Forwards: 70",
        'From: "Carol" <sip:carol@example.com>;tag=c1a0b8', "To: <sip:example.com>",
        "Call-ID: 5c8f8a3e-0007@192.0.2.30", "CSeq: 7", CAROL_UA]), after=1.0)
    labels[frame] = ("hdr.cseq.missing_method",)
    return trace, labels


def build_tcp_split() -> tuple[Trace, dict[int, tuple[str | None, ...]]]:
    """SIP over TCP: an INVITE (CSeq method mismatch) in 3 segments, and its 400."""
    trace, labels = Trace(START), {}
    port = 49320
    tcp = TcpConversation(CAROL, port, PROXY, SIP_PORT, client_isn=2113478401,
                          server_isn=3917512633)
    trace.add(tcp.handshake(), after=0.0, spacing=0.0004)
    via = f"Via: SIP/2.0/TCP {CAROL}:{port};branch=z9hG4bK-524287-1-tcpsplit"
    common = ['From: "Carol" <sip:carol@example.com>;tag=c1a0c1',
              "Call-ID: 5c8f8a3e-0101@192.0.2.30", "CSeq: 1 BYE"]
    invite = message("INVITE sip:bob@example.com;transport=tcp SIP/2.0", [
        via, "Max-Forwards: 70", common[0], "To: <sip:bob@example.com>", *common[1:],
        f"Contact: <sip:carol@{CAROL}:{port};transport=tcp>", *sdp_headers(), CAROL_UA],
        sdp("carol", 8000101, CAROL, 40100))
    # segment 1 ends inside the From header, segment 2 inside the SDP
    cuts = [invite.index(b"From:") + 10, invite.index(b"m=audio") + 4]
    labels[trace.add(tcp.send(invite, split_at=cuts), after=0.01, spacing=0.0001)] = (
        "hdr.cseq.method_mismatch",)
    trace.add(tcp.send(message("SIP/2.0 400 CSeq method does not match request method", [
        via, common[0], "To: <sip:bob@example.com>;tag=b27e1a1d33761e85846fc98f5f3a7e58.77d0",
        *common[1:], KAMAILIO]), from_client=False), after=0.002)
    trace.add(tcp.ack(from_client=True), after=0.04)
    trace.add(tcp.close(), after=0.5, spacing=0.0003)
    return trace, labels


def build_tcp_multi() -> tuple[Trace, dict[int, tuple[str | None, ...]]]:
    """Three requests back to back in one TCP segment; two replies in one segment."""
    trace, labels = Trace(START), {}
    port = 49388
    tcp = TcpConversation(CAROL, port, PROXY, SIP_PORT, client_isn=1520433301,
                          server_isn=2700155043)
    trace.add(tcp.handshake(), after=0.0, spacing=0.0004)
    contact = f"Contact: <sip:carol@{CAROL}:{port};transport=tcp>"

    def via(branch: str) -> str:
        return f"Via: SIP/2.0/TCP {CAROL}:{port};branch=z9hG4bK-524287-1-{branch}"

    opt = ['From: "Carol" <sip:carol@example.com>;tag=c1a0d1', "To: <sip:example.com>",
           "Call-ID: 5c8f8a3e-0201@192.0.2.30", "CSeq: 1 OPTIONS"]
    reg = ['From: "Carol" <sip:carol@example.com>;tag=c1a0d3',
           "To: <sip:carol@example.com>", "Call-ID: 5c8f8a3e-0203@192.0.2.30",
           "CSeq: 2 INVITE"]
    requests = [
        message("OPTIONS sip:example.com;transport=tcp SIP/2.0",
                [via("multi1"), "Max-Forwards: 70", *opt, CAROL_UA]),
        message("OPTIONS sip:example.com;transport=tcp SIP/2.0", [
            via("multi2"), "Max-Forwards: 70",
            'From: "Carol" <sip:carol@example.com>;tag=c1a0d2', "To: <sip:example.com>",
            "CSeq: 1 OPTIONS", CAROL_UA]),
        message("REGISTER sip:example.com;transport=tcp SIP/2.0", [
            via("multi3"), "Max-Forwards: 70", *reg, contact, "Expires: 600", CAROL_UA]),
    ]
    labels[trace.add(tcp.send(b"".join(requests)), after=0.01)] = (
        None, "hdr.missing.call_id", "hdr.cseq.method_mismatch")
    replies = [
        message("SIP/2.0 200 OK", [
            via("multi1"), opt[0],
            "To: <sip:example.com>;tag=b27e1a1d33761e85846fc98f5f3a7e58.4b12",
            *opt[2:], KAMAILIO]),
        message("SIP/2.0 400 CSeq method does not match request method", [
            via("multi3"), reg[0],
            "To: <sip:carol@example.com>;tag=b27e1a1d33761e85846fc98f5f3a7e58.4b13",
            *reg[2:], KAMAILIO]),
    ]
    trace.add(tcp.send(b"".join(replies), from_client=False), after=0.003)
    trace.add(tcp.ack(from_client=True), after=0.04)
    trace.add(tcp.close(), after=0.5, spacing=0.0003)
    return trace, labels


def build_udp_data() -> tuple[Trace, dict[int, tuple[str | None, ...]]]:
    """Three UDP requests whose request line Wireshark 4.0's SIP dissector may refuse."""
    trace, labels = Trace(START), {}
    cases = [
        ("INVITE sip:bob@example.com SIP/3.0", "start.sip_version_unsupported"),
        ("INVITE sip:bob example.com SIP/2.0", "ruri.whitespace"),
        ("INVITE  sip:bob@example.com SIP/2.0", "start.extra_whitespace"),
    ]
    for number, (request_line, cause) in enumerate(cases, start=1):
        msg = message(request_line, [
            f"Via: SIP/2.0/UDP {CAROL}:5060;branch=z9hG4bK-524287-1-data{number}",
            "Max-Forwards: 70", f'From: "Carol" <sip:carol@example.com>;tag=c1a0e{number}',
            "To: <sip:bob@example.com>", f"Call-ID: 5c8f8a3e-030{number}@192.0.2.30",
            "CSeq: 1 INVITE", f"Contact: <sip:carol@{CAROL}:5060>", CAROL_UA])
        frame = trace.add(udp(msg, CAROL, SIP_PORT, PROXY, SIP_PORT),
                          after=0.0 if number == 1 else 1.0)
        labels[frame] = (cause,)
    return trace, labels


def build_ipv6() -> tuple[Trace, dict[int, tuple[str | None, ...]]]:
    """SIP over UDP/IPv6: a valid REGISTER, and an INVITE to an unbracketed IPv6 R-URI host."""
    trace, labels = Trace(START), {}
    contact = f"Contact: <sip:alice@[{ALICE6}]:5060>"
    reg_via = f"Via: SIP/2.0/UDP [{ALICE6}]:5060;branch=z9hG4bK.6reg01;rport"
    reg = ['From: "Alice" <sip:alice@example.com>;tag=v6a1', "Call-ID: 7f3e9c21d04b@2001:db8::10",
           "CSeq: 1 REGISTER"]
    trace.add(udp(message("REGISTER sip:example.com SIP/2.0", [
        reg_via, "Max-Forwards: 70", reg[0], "To: <sip:alice@example.com>", *reg[1:], contact,
        "Expires: 3600", ALICE_UA]), ALICE6, SIP_PORT, PROXY6, SIP_PORT), after=0.0)
    trace.add(udp(message("SIP/2.0 200 OK", [
        reg_via.replace(";rport", ";rport=5060"), reg[0],
        "To: <sip:alice@example.com>;tag=b27e1a1d33761e85846fc98f5f3a7e58.0601", *reg[1:],
        f"{contact};expires=3600", KAMAILIO]), PROXY6, SIP_PORT, ALICE6, SIP_PORT), after=0.03)
    inv_via = f"Via: SIP/2.0/UDP [{ALICE6}]:5060;branch=z9hG4bK.6inv01;rport"
    inv = ['From: "Alice" <sip:alice@example.com>;tag=v6a2', "Call-ID: 7f3e9c21d04c@2001:db8::10",
           "CSeq: 1 INVITE"]
    labels[trace.add(udp(message("INVITE sip:bob@2001:db8::20 SIP/2.0", [
        inv_via, "Max-Forwards: 70", inv[0], "To: <sip:bob@example.com>", *inv[1:], contact,
        *sdp_headers(), ALICE_UA], sdp("alice", 3011, ALICE6, 49200)),
        ALICE6, SIP_PORT, PROXY6, SIP_PORT), after=2.0)] = ("ruri.ipv6_unbracketed",)
    trace.add(udp(message("SIP/2.0 400 Bad Request URI", [
        inv_via, inv[0], "To: <sip:bob@example.com>;tag=b27e1a1d33761e85846fc98f5f3a7e58.0602",
        *inv[1:], KAMAILIO]), PROXY6, SIP_PORT, ALICE6, SIP_PORT), after=0.002)
    return trace, labels


def big_invite() -> bytes:
    """Return a valid 2000-byte INVITE (audio + video SDP with ICE candidates)."""
    media = [
        "v=0",
        f"o=alice 1710235800 1710235800 IN IP4 {ALICE}",
        "s=Talk",
        f"c=IN IP4 {ALICE}",
        "t=0 0",
        "a=ice-ufrag:Q2xp",
        "a=ice-pwd:3vRx1kq9Tz7mWb4Np2Ls8Hc0",
    ]
    for kind, port, payloads, maps in [
            ("audio", 49170, "96 97 98 0 8 9 18 101",
             ["96 opus/48000/2", "97 speex/16000", "98 speex/8000", "0 PCMU/8000",
              "8 PCMA/8000", "9 G722/8000", "18 G729/8000", "101 telephone-event/8000"]),
            ("video", 49172, "99 100 102",
             ["99 H264/90000", "100 VP8/90000", "102 H264/90000"])]:
        media += [f"m={kind} {port} RTP/AVP {payloads}", f"a=rtcp:{port + 1}"]
        media += [f"a=rtpmap:{entry}" for entry in maps]
        media += [
            f"a=candidate:1 1 UDP 2130706431 {ALICE} {port} typ host",
            f"a=candidate:1 2 UDP 2130706430 {ALICE} {port + 1} typ host",
            f"a=candidate:2 1 UDP 1694498815 192.0.2.11 {port + 20000} typ srflx"
            f" raddr {ALICE} rport {port}",
            f"a=candidate:2 2 UDP 1694498814 192.0.2.11 {port + 20001} typ srflx"
            f" raddr {ALICE} rport {port + 1}",
        ]
    media += ["a=fmtp:96 useinbandfec=1", "a=fmtp:99 profile-level-id=42801F",
              "a=fmtp:102 profile-level-id=42e01f;packetization-mode=1", "a=sendrecv", ""]
    body = "\r\n".join(media)
    headers = [
        f"Via: SIP/2.0/UDP {ALICE}:5060;branch=z9hG4bK.b1g2000f;rport", "Max-Forwards: 70",
        'From: "Alice" <sip:alice@example.com>;tag=fr4g1', "To: <sip:bob@example.com>",
        "Call-ID: 2f9a61c0e5d84b37@192.0.2.10", "CSeq: 1 INVITE",
        f"Contact: <sip:alice@{ALICE}:5060>"
        ';+sip.instance="<urn:uuid:5b8d7c0e-3f1a-4e2b-9c6d-0a1b2c3d4e5f>"',
        "Supported: replaces, outbound, gruu, timer", "Session-Expires: 1800",
        *sdp_headers(), ALICE_UA,
    ]
    subject = ("Subject: Quarterly review call: agenda and slides are attached, please join a few"
               " minutes early to test your audio and video setup, and keep your microphone"
               " muted while the others are speaking")
    invite = message("INVITE sip:bob@example.com SIP/2.0", [*headers, subject], body)
    assert len(invite) == 2000, len(invite)
    return invite


def build_ipfrag() -> tuple[Trace, dict[int, tuple[str | None, ...]]]:
    """A 2000-byte INVITE over UDP, split into two IPv4 fragments, and Kamailio's 100."""
    trace, labels = Trace(START), {}
    invite = big_invite()
    labels[trace.add(udp_fragments(invite, ALICE, SIP_PORT, PROXY, SIP_PORT, ident=0x4A1F),
                     after=0.0, spacing=0.00005)] = ("transport.udp_oversize",)
    trace.add(udp(message("SIP/2.0 100 trying -- your call is important to us", [
        f"Via: SIP/2.0/UDP {ALICE}:5060;branch=z9hG4bK.b1g2000f;rport=5060",
        'From: "Alice" <sip:alice@example.com>;tag=fr4g1', "To: <sip:bob@example.com>",
        "Call-ID: 2f9a61c0e5d84b37@192.0.2.10", "CSeq: 1 INVITE", KAMAILIO]),
        PROXY, SIP_PORT, ALICE, SIP_PORT), after=0.003)
    return trace, labels


CAPTURES: dict[str, Callable[[], tuple[Trace, dict[int, tuple[str | None, ...]]]]] = {
    "demo.pcap": build_demo,
    "tcp_split.pcap": build_tcp_split,
    "tcp_multi.pcap": build_tcp_multi,
    "udp_data.pcap": build_udp_data,
    "ipv6.pcap": build_ipv6,
    "ipfrag.pcap": build_ipfrag,
}


# ---- context captures: dialing plans, NAT, transport and ports, history ----
# (numbers.pcap, nat.pcap, transport.pcap; written by write_context_captures)

NATBOX = "203.0.113.77"       # public address of a home router doing NAT
PHONE_LAN = "192.168.1.10"    # the phone behind it
LAN_PBX = "192.168.1.1"       # a PBX on the same LAN (no NAT involved)
CGN_PUBLIC = "198.51.100.99"  # public address of a carrier-grade NAT
PHONE6 = "2001:db8::77"       # IPv6 phone with a public address ...
PHONE6_ULA = "fd00::77"       # ... that advertises its unique-local one

# Expected cause per request frame, as in DEFECTS.  The number captures carry
# defects that depend on the number policy: the comment names the policy
# (preference sip400.number_policy) under which each is reported.
CONTEXT_DEFECTS: dict[str, dict[int, tuple[str | None, ...]]] = {
    "numbers.pcap": {
        1: (None,),                                  # sip:+49301234567;user=phone (valid E.164)
        3: (None,),                                  # sip:1001@example.com (extension)
        5: ("number.missing_country_code",),         # 0301234567 (e164)
        7: ("number.intl_prefix",),                  # 0049301234567 (national, e164)
        9: ("number.intl_prefix",),                  # +0049301234567 (any)
        11: ("number.not_e164",),                    # 49301234567 (e164)
        13: ("number.visual_separators",),           # tel:+49-30-1234567 (national, e164)
        15: ("number.whitespace",),                  # +49%2030%201234567 (any)
        17: ("number.unescaped_chars",),             # *21# (any)
        19: ("number.local_without_phone_context",), # tel:1234567 (any)
        21: ("number.letters",),                     # +1800FLOWERS (any)
        23: ("number.length",),                      # 16 digits (any)
        25: ("number.user_phone_misuse",),           # sip:alice@...;user=phone (any)
        27: ("ruri.whitespace",),                    # raw spaces: the request line breaks
    },
    "nat.pcap": {
        1: ("nat.private_contact",),       # REGISTER through NAT: private Via and Contact
        3: (None,),                        # REGISTER on the LAN, private to private
        5: ("nat.sip_alg_mangling",),      # INVITE: the router's ALG rewrote Contact, not Via
        7: ("nat.private_contact",),       # INVITE over IPv6 with a unique-local Contact and SDP
        9: ("nat.private_contact",),       # REGISTER through carrier-grade NAT (100.64/10)
        11: ("nat.via_sent_by_mismatch",), # OPTIONS from port 5062, Via says 5060
    },
    "transport.pcap": {
        4: ("transport.via_mismatch",),             # TCP/IPv6 INVITE whose Via says UDP
        9: ("transport.port_mismatch",),            # cleartext UDP OPTIONS to port 5061
        10: ("uri.ip_port_omitted",),               # REGISTER sip:203.0.113.5 sent to port 5080
        13: ("transport.udp_oversize",),            # 1700-byte MESSAGE in two IPv4 fragments
        14: (None,),                                # REGISTER (answered 401)
        16: ("via.branch.reused_different_cseq",),  # REGISTER with credentials, same branch -> 400
    },
}


def build_numbers() -> tuple[Trace, dict[int, tuple[str | None, ...]]]:
    """One INVITE per number format (UDP, alice -> proxy), each answered by a 100."""
    trace, labels = Trace(START), {}
    cases: list[tuple[str, str, str | None]] = [
        ("sip:+49301234567@example.com;user=phone", "<sip:+49301234567@example.com;user=phone>", None),
        ("sip:1001@example.com", "<sip:1001@example.com>", None),
        ("sip:0301234567@example.com;user=phone", "<sip:0301234567@example.com;user=phone>",
         "number.missing_country_code"),
        ("sip:0049301234567@example.com", "<sip:0049301234567@example.com>", "number.intl_prefix"),
        ("tel:+0049301234567", "<tel:+0049301234567>", "number.intl_prefix"),
        ("sip:49301234567@example.com;user=phone", "<sip:49301234567@example.com;user=phone>",
         "number.not_e164"),
        ("tel:+49-30-1234567", "<tel:+49-30-1234567>", "number.visual_separators"),
        ("sip:+49%2030%201234567@example.com;user=phone",
         "<sip:+49%2030%201234567@example.com;user=phone>", "number.whitespace"),
        ("sip:*21#@example.com", "<sip:*21%23@example.com>", "number.unescaped_chars"),
        ("tel:1234567", "<tel:1234567>", "number.local_without_phone_context"),
        ("sip:+1800FLOWERS@example.com;user=phone", "<sip:+1800FLOWERS@example.com;user=phone>",
         "number.letters"),
        ("tel:+4930123456789012", "<tel:+4930123456789012>", "number.length"),
        ("sip:alice@example.com;user=phone", "<sip:alice@example.com>", "number.user_phone_misuse"),
        ("sip:+49 30 1234567@example.com;user=phone", "<sip:+49301234567@example.com;user=phone>",
         "ruri.whitespace"),
    ]
    for number, (ruri, to, cause) in enumerate(cases, start=1):
        via = f"Via: SIP/2.0/UDP {ALICE}:5060;branch=z9hG4bK.num{number:02d};rport"
        common = [f'From: "Alice" <sip:alice@example.com>;tag=nm{number:02d}', f"To: {to}",
                  f"Call-ID: 90e1c3a7{number:02d}@192.0.2.10", "CSeq: 1 INVITE"]
        frame = trace.add(udp(message(f"INVITE {ruri} SIP/2.0", [
            via, "Max-Forwards: 70", *common, f"Contact: <sip:alice@{ALICE}:5060>",
            *sdp_headers(), ALICE_UA], sdp("alice", 4000 + number, ALICE, 50000 + 2 * number)),
            ALICE, SIP_PORT, PROXY, SIP_PORT), after=0.0 if number == 1 else 1.0)
        labels[frame] = (cause,)
        trace.add(udp(message("SIP/2.0 100 trying -- your call is important to us", [
            via.replace(";rport", ";rport=5060"), *common, KAMAILIO]),
            PROXY, SIP_PORT, ALICE, SIP_PORT), after=0.002)
    return trace, labels


def build_nat() -> tuple[Trace, dict[int, tuple[str | None, ...]]]:
    """NAT seen from the proxy: private addresses from public sources (IPv4, IPv6, CGNAT),
    a SIP ALG fingerprint, a LAN registration without NAT, a Via port mismatch."""
    trace, labels = Trace(START), {}
    nat_port = 40312

    # 1-2: REGISTER through a NAT router: Via and Contact keep the LAN address
    via = f"Via: SIP/2.0/UDP {PHONE_LAN}:5060;branch=z9hG4bK.nat01;rport"
    reg = ['From: <sip:carol@example.com>;tag=nt01', "To: <sip:carol@example.com>",
           "Call-ID: 4bd0a55e01@192.168.1.10", "CSeq: 1 REGISTER"]
    labels[trace.add(udp(message("REGISTER sip:example.com SIP/2.0", [
        via, "Max-Forwards: 70", *reg, f"Contact: <sip:carol@{PHONE_LAN}:5060>", "Expires: 600",
        CAROL_UA]), NATBOX, nat_port, PROXY, SIP_PORT), after=0.0)] = ("nat.private_contact",)
    trace.add(udp(message("SIP/2.0 200 OK", [
        f"{via.replace(';rport', '')};received={NATBOX};rport={nat_port}", *reg[:1],
        reg[1] + ";tag=b27e1a1d33761e85846fc98f5f3a7e58.aa01", *reg[2:],
        f"Contact: <sip:carol@{PHONE_LAN}:5060>;expires=600", KAMAILIO]),
        PROXY, SIP_PORT, NATBOX, nat_port), after=0.003)

    # 3-4: the same phone registering with a PBX on its own LAN: no NAT
    via = f"Via: SIP/2.0/UDP {PHONE_LAN}:5060;branch=z9hG4bK.lan01;rport"
    reg = ['From: <sip:201@pbx.lan>;tag=ln01', "To: <sip:201@pbx.lan>",
           "Call-ID: 4bd0a55e02@192.168.1.10", "CSeq: 1 REGISTER"]
    labels[trace.add(udp(message("REGISTER sip:pbx.lan SIP/2.0", [
        via, "Max-Forwards: 70", *reg, f"Contact: <sip:201@{PHONE_LAN}:5060>", "Expires: 600",
        CAROL_UA]), PHONE_LAN, SIP_PORT, LAN_PBX, SIP_PORT), after=1.0)] = (None,)
    trace.add(udp(message("SIP/2.0 200 OK", [
        via.replace(";rport", ";rport=5060"), *reg[:1], reg[1] + ";tag=as5f1c2d",
        *reg[2:], f"Contact: <sip:201@{PHONE_LAN}:5060>;expires=600",
        "Server: Asterisk PBX 18.10.0"]), LAN_PBX, SIP_PORT, PHONE_LAN, SIP_PORT), after=0.003)

    # 5-6: INVITE through a router whose SIP ALG rewrote Contact and SDP c=, not Via or o=
    via = f"Via: SIP/2.0/UDP {PHONE_LAN}:5060;branch=z9hG4bK.alg01;rport"
    inv = ['From: <sip:carol@example.com>;tag=ag01', "To: <sip:bob@example.com>",
           "Call-ID: 4bd0a55e03@192.168.1.10", "CSeq: 1 INVITE"]
    body = sdp("carol", 5001, NATBOX, 40000).replace(f"IN IP4 {NATBOX}\r\ns=",
                                                      f"IN IP4 {PHONE_LAN}\r\ns=")
    labels[trace.add(udp(message("INVITE sip:bob@example.com SIP/2.0", [
        via, "Max-Forwards: 70", *inv, f"Contact: <sip:carol@{NATBOX}:{nat_port}>",
        *sdp_headers(), CAROL_UA], body), NATBOX, nat_port, PROXY, SIP_PORT),
        after=1.0)] = ("nat.sip_alg_mangling",)
    trace.add(udp(message("SIP/2.0 100 trying -- your call is important to us", [
        f"{via.replace(';rport', '')};received={NATBOX};rport={nat_port}", *inv, KAMAILIO]),
        PROXY, SIP_PORT, NATBOX, nat_port), after=0.002)

    # 7-8: IPv6 phone with a public address that advertises its unique-local one
    via = f"Via: SIP/2.0/UDP [{PHONE6_ULA}]:5060;branch=z9hG4bK.ula01;rport"
    inv = ['From: <sip:dave@example.com>;tag=ul01', "To: <sip:bob@example.com>",
           "Call-ID: 4bd0a55e04@fd00--77", "CSeq: 1 INVITE"]
    labels[trace.add(udp(message("INVITE sip:bob@example.com SIP/2.0", [
        via, "Max-Forwards: 70", *inv, f"Contact: <sip:dave@[{PHONE6_ULA}]:5060>",
        *sdp_headers(), CAROL_UA], sdp("dave", 5002, PHONE6_ULA, 40002)),
        PHONE6, SIP_PORT, PROXY6, SIP_PORT), after=1.0)] = ("nat.private_contact",)
    trace.add(udp(message("SIP/2.0 100 trying -- your call is important to us", [
        f"{via.replace(';rport', '')};received={PHONE6};rport=5060", *inv, KAMAILIO]),
        PROXY6, SIP_PORT, PHONE6, SIP_PORT), after=0.002)

    # 9-10: REGISTER through a carrier-grade NAT (Contact in 100.64.0.0/10)
    via = "Via: SIP/2.0/UDP 100.64.23.5:5060;branch=z9hG4bK.cgn01;rport"
    reg = ['From: <sip:erin@example.com>;tag=cg01', "To: <sip:erin@example.com>",
           "Call-ID: 4bd0a55e05@100.64.23.5", "CSeq: 1 REGISTER"]
    labels[trace.add(udp(message("REGISTER sip:example.com SIP/2.0", [
        via, "Max-Forwards: 70", *reg, "Contact: <sip:erin@100.64.23.5:5060>", "Expires: 600",
        CAROL_UA]), CGN_PUBLIC, 21877, PROXY, SIP_PORT), after=1.0)] = ("nat.private_contact",)
    trace.add(udp(message("SIP/2.0 200 OK", [
        f"{via.replace(';rport', '')};received={CGN_PUBLIC};rport=21877", *reg[:1],
        reg[1] + ";tag=b27e1a1d33761e85846fc98f5f3a7e58.aa05", *reg[2:],
        "Contact: <sip:erin@100.64.23.5:5060>;expires=600", KAMAILIO]),
        PROXY, SIP_PORT, CGN_PUBLIC, 21877), after=0.003)

    # 11-12: OPTIONS sent from port 5062 while Via names 5060 (and no rport)
    via = f"Via: SIP/2.0/UDP {BOB}:5060;branch=z9hG4bK.prt01"
    opt = ['From: <sip:bob@example.com>;tag=pt01', "To: <sip:example.com>",
           "Call-ID: 4bd0a55e06@198.51.100.20", "CSeq: 1 OPTIONS"]
    labels[trace.add(udp(message("OPTIONS sip:example.com SIP/2.0", [
        via, "Max-Forwards: 70", *opt, "Accept: application/sdp", CAROL_UA]),
        BOB, 5062, PROXY, SIP_PORT), after=1.0)] = ("nat.via_sent_by_mismatch",)
    trace.add(udp(message("SIP/2.0 200 OK", [
        f"{via};received={BOB}", *opt[:1], opt[1] + ";tag=b27e1a1d33761e85846fc98f5f3a7e58.aa06",
        *opt[2:], KAMAILIO]), PROXY, SIP_PORT, BOB, 5060), after=0.002)
    return trace, labels


def build_transport() -> tuple[Trace, dict[int, tuple[str | None, ...]]]:
    """Transport and ports (TCP over IPv6, UDP to 5061, a non-default port, an IP-fragmented
    request) and a branch reused with a new CSeq (history across messages)."""
    trace, labels = Trace(START), {}

    # 1-8: TCP over IPv6: INVITE whose Via says UDP, answered 100 and 486, close
    port = 49402
    tcp = TcpConversation(ALICE6, port, PROXY6, SIP_PORT, client_isn=3010004001,
                          server_isn=4020003002)
    trace.add(tcp.handshake(), after=0.0, spacing=0.0004)
    via = f"Via: SIP/2.0/UDP [{ALICE6}]:{port};branch=z9hG4bK.tcp601;rport"
    inv = ['From: "Alice" <sip:alice@example.com>;tag=tc01', "To: <sip:bob@example.com>",
           "Call-ID: 61c0ffee01@2001:db8::10", "CSeq: 1 INVITE"]
    labels[trace.add(tcp.send(message("INVITE sip:bob@example.com;transport=tcp SIP/2.0", [
        via, "Max-Forwards: 70", *inv, f"Contact: <sip:alice@[{ALICE6}]:{port};transport=tcp>",
        *sdp_headers(), ALICE_UA], sdp("alice", 6001, ALICE6, 49300))), after=0.01)] = (
        "transport.via_mismatch",)
    trace.add(tcp.send(message("SIP/2.0 486 Busy Here", [
        f"{via.replace(';rport', '')};received={ALICE6};rport={port}", *inv[:1],
        inv[1] + ";tag=b27e1a1d33761e85846fc98f5f3a7e58.bb01", *inv[2:], KAMAILIO]),
        from_client=False), after=0.2)
    trace.add(tcp.close(), after=0.5, spacing=0.0003)

    # 9: cleartext SIP over UDP to port 5061 (the TLS port), unanswered
    labels[trace.add(udp(message("OPTIONS sip:example.com SIP/2.0", [
        f"Via: SIP/2.0/UDP {CAROL}:5060;branch=z9hG4bK.p5061", "Max-Forwards: 70",
        'From: <sip:carol@example.com>;tag=tp01', "To: <sip:example.com>",
        "Call-ID: 61c0ffee02@192.0.2.30", "CSeq: 1 OPTIONS", CAROL_UA]),
        CAROL, SIP_PORT, PROXY, 5061), after=1.0)] = ("transport.port_mismatch",)

    # 10-11: REGISTER sip:203.0.113.5 (no port) sent to port 5080; the 200 OK
    via = f"Via: SIP/2.0/UDP {CAROL}:5060;branch=z9hG4bK.p5080;rport"
    reg = ['From: <sip:carol@example.com>;tag=tp02', "To: <sip:carol@example.com>",
           "Call-ID: 61c0ffee03@192.0.2.30", "CSeq: 1 REGISTER"]
    labels[trace.add(udp(message(f"REGISTER sip:{PROXY} SIP/2.0", [
        via, "Max-Forwards: 70", *reg, f"Contact: <sip:carol@{CAROL}:5060>", "Expires: 600",
        CAROL_UA]), CAROL, SIP_PORT, PROXY, 5080), after=1.0)] = ("uri.ip_port_omitted",)
    trace.add(udp(message("SIP/2.0 200 OK", [
        via.replace(";rport", ";rport=5060"), *reg[:1],
        reg[1] + ";tag=b27e1a1d33761e85846fc98f5f3a7e58.bb03", *reg[2:],
        f"Contact: <sip:carol@{CAROL}:5060>;expires=600", KAMAILIO]),
        PROXY, 5080, CAROL, SIP_PORT), after=0.003)

    # 12-13: a 1700-byte MESSAGE over UDP in two IPv4 fragments, unanswered
    text = "Meeting notes: " + " ".join(f"item {i} agreed." for i in range(1, 200))
    text = text[:1700 - 420]
    labels[trace.add(udp_fragments(message("MESSAGE sip:bob@example.com SIP/2.0", [
        f"Via: SIP/2.0/UDP {ALICE}:5060;branch=z9hG4bK.frag01;rport", "Max-Forwards: 70",
        'From: "Alice" <sip:alice@example.com>;tag=tp03', "To: <sip:bob@example.com>",
        "Call-ID: 61c0ffee04@192.0.2.10", "CSeq: 1 MESSAGE", "Content-Type: text/plain",
        ALICE_UA], text), ALICE, SIP_PORT, PROXY, SIP_PORT, ident=0x5b2e),
        after=1.0, spacing=0.00005)] = ("transport.udp_oversize",)

    # 14-17: REGISTER, 401, REGISTER with credentials but the same branch and CSeq 2,
    # answered by pjsip (Asterisk) with 400 and its Warning
    via = f"Via: SIP/2.0/UDP {BOB}:5060;branch=z9hG4bK.reuse01;rport"
    reg = ['From: <sip:bob@example.com>;tag=tp04', "To: <sip:bob@example.com>",
           "Call-ID: 61c0ffee05@198.51.100.20"]
    labels[trace.add(udp(message("REGISTER sip:example.com SIP/2.0", [
        via, "Max-Forwards: 70", *reg, "CSeq: 1 REGISTER", f"Contact: <sip:bob@{BOB}:5060>",
        "Expires: 600", CAROL_UA]), BOB, SIP_PORT, PROXY, SIP_PORT), after=1.0)] = (None,)
    asterisk = "Server: Asterisk PBX 18.10.0"
    trace.add(udp(message("SIP/2.0 401 Unauthorized", [
        via.replace(";rport", ";rport=5060;received=198.51.100.20"), *reg[:1],
        reg[1] + ";tag=z9hG4bK.reuse01", *reg[2:], "CSeq: 1 REGISTER",
        'WWW-Authenticate: Digest realm="example.com",nonce="1710235800/8f3a",'
        'opaque="5ccc069c403ebaf9",algorithm=MD5,qop="auth"', asterisk]),
        PROXY, SIP_PORT, BOB, SIP_PORT), after=0.003)
    labels[trace.add(udp(message("REGISTER sip:example.com SIP/2.0", [
        via, "Max-Forwards: 70", *reg, "CSeq: 2 REGISTER", f"Contact: <sip:bob@{BOB}:5060>",
        "Expires: 600",
        'Authorization: Digest username="bob",realm="example.com",nonce="1710235800/8f3a",'
        'uri="sip:example.com",response="2b5f2b1b3c2e0b7b9a4c6f1d8e0a9b7c",algorithm=MD5,'
        'opaque="5ccc069c403ebaf9",qop=auth,nc=00000001,cnonce="e2a7c5"', CAROL_UA]),
        BOB, SIP_PORT, PROXY, SIP_PORT), after=0.05)] = ("via.branch.reused_different_cseq",)
    trace.add(udp(message("SIP/2.0 400 Bad Request", [
        via.replace(";rport", ";rport=5060;received=198.51.100.20"), *reg[:1],
        reg[1] + ";tag=z9hG4bK.reuse01", *reg[2:], "CSeq: 2 REGISTER",
        'Warning: 399 pbx.example.com "Retransmission with different CSeq"', asterisk]),
        PROXY, SIP_PORT, BOB, SIP_PORT), after=0.003)
    return trace, labels


def write_context_captures() -> None:
    """Build numbers.pcap, nat.pcap and transport.pcap, check their labels, write them."""
    for name, build in (("numbers.pcap", build_numbers), ("nat.pcap", build_nat),
                        ("transport.pcap", build_transport)):
        trace, labels = build()
        if labels != CONTEXT_DEFECTS[name]:
            raise SystemExit(f"{name}: CONTEXT_DEFECTS is stale: "
                             f"built {labels}, documented {CONTEXT_DEFECTS[name]}")
        trace.write(os.path.join(OUT_DIR, name))
        print(f"wrote {name}: {len(trace.records)} frames")


def main() -> None:
    """Build every capture, check its labels against DEFECTS, write it."""
    for name, build in CAPTURES.items():
        trace, labels = build()
        if labels != DEFECTS[name]:
            raise SystemExit(f"{name}: DEFECTS is stale: "
                             f"built {labels}, documented {DEFECTS[name]}")
        trace.write(os.path.join(OUT_DIR, name))
        print(f"wrote {name}: {len(trace.records)} frames")
    write_context_captures()


if __name__ == "__main__":
    main()
