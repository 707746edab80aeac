# SPDX-License-Identifier: GPL-2.0-or-later
"""Build Ethernet/IPv4/IPv6/UDP/TCP frames and write them to a pcap file.

A small, dependency-free (Python 3.11 standard library only) packet builder
for the sip400 sample captures.  Everything is deterministic: no random
numbers, no clock, so the same calls produce byte-identical files.

* :func:`udp` -- one UDP datagram in one frame, IPv4 or IPv6 chosen by the
  form of the addresses;
* :func:`udp_fragments` -- one UDP datagram split into IPv4 fragments;
* :class:`TcpConversation` -- a TCP connection (3-way handshake, data in
  either direction split or coalesced as asked, orderly close) with
  consistent sequence and acknowledgement numbers;
* :class:`Trace` -- collects frames on a fixed clock;
* :func:`write_pcap` -- writes ``(timestamp, frame)`` records as a classic
  pcap file (microsecond timestamps, linktype ETHERNET).

All IPv4, UDP and TCP checksums are computed.
"""

from __future__ import annotations

import ipaddress
import struct
from collections.abc import Iterable, Sequence

LINKTYPE_ETHERNET = 1
SNAPLEN = 65535

ETHERTYPE_IPV4 = 0x0800
ETHERTYPE_IPV6 = 0x86DD
PROTO_TCP = 6
PROTO_UDP = 17

TCP_FIN = 0x01
TCP_SYN = 0x02
TCP_PSH = 0x08
TCP_ACK = 0x10

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _ip(address: str) -> IpAddress:
    return ipaddress.ip_address(address)


def mac_for(address: IpAddress) -> bytes:
    """Return a fixed, locally administered MAC address derived from an IP address."""
    return b"\x02" + address.packed[-5:] if address.version == 6 else b"\x02\x00" + address.packed


def checksum(data: bytes) -> int:
    """Return the 16-bit one's complement Internet checksum of ``data`` (RFC 1071)."""
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total > 0xFFFF:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def _pseudo_header(src: IpAddress, dst: IpAddress, proto: int, length: int) -> bytes:
    if src.version == 4:
        return src.packed + dst.packed + struct.pack("!BBH", 0, proto, length)
    return src.packed + dst.packed + struct.pack("!I3xB", length, proto)


def _transport_checksum(src: IpAddress, dst: IpAddress, proto: int, segment: bytes) -> int:
    value = checksum(_pseudo_header(src, dst, proto, len(segment)) + segment)
    # UDP transmits a computed zero as 0xFFFF (0 means "no checksum").
    return 0xFFFF if proto == PROTO_UDP and value == 0 else value


def ethernet(src: IpAddress, dst: IpAddress, packet: bytes) -> bytes:
    """Wrap an IP packet in an Ethernet II header (MACs derived from the IP addresses)."""
    ethertype = ETHERTYPE_IPV6 if src.version == 6 else ETHERTYPE_IPV4
    return mac_for(dst) + mac_for(src) + struct.pack("!H", ethertype) + packet


def ipv4_packet(src: IpAddress, dst: IpAddress, proto: int, payload: bytes, *,
                ident: int = 0, more_fragments: bool = False, offset: int = 0,
                ttl: int = 64) -> bytes:
    """Return an IPv4 packet (20-byte header, checksum set).

    ``offset`` is the fragment offset in bytes and must be a multiple of 8.
    """
    if offset % 8:
        raise ValueError("IPv4 fragment offset must be a multiple of 8")
    flags_offset = (0x2000 if more_fragments else 0) | (offset // 8)
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident,
                         flags_offset, ttl, proto, 0, src.packed, dst.packed)
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + payload


def ipv6_packet(src: IpAddress, dst: IpAddress, next_header: int, payload: bytes, *,
                hop_limit: int = 64) -> bytes:
    """Return an IPv6 packet (fixed 40-byte header, no extension headers)."""
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), next_header, hop_limit,
                       src.packed, dst.packed) + payload


def _check_versions(src: IpAddress, dst: IpAddress) -> None:
    if src.version != dst.version:
        raise ValueError(f"address families differ: {src} and {dst}")


def _udp_datagram(src: IpAddress, sport: int, dst: IpAddress, dport: int, payload: bytes) -> bytes:
    header = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    value = _transport_checksum(src, dst, PROTO_UDP, header + payload)
    return header[:6] + struct.pack("!H", value) + payload


def _ip_frame(src: IpAddress, dst: IpAddress, proto: int, segment: bytes) -> bytes:
    if src.version == 6:
        return ethernet(src, dst, ipv6_packet(src, dst, proto, segment))
    return ethernet(src, dst, ipv4_packet(src, dst, proto, segment))


def udp(msg_bytes: bytes, src: str, sport: int, dst: str, dport: int) -> bytes:
    """Return one Ethernet frame carrying ``msg_bytes`` in a UDP datagram.

    IPv4 or IPv6 is chosen by the form of ``src`` and ``dst``.
    """
    src_ip, dst_ip = _ip(src), _ip(dst)
    _check_versions(src_ip, dst_ip)
    datagram = _udp_datagram(src_ip, sport, dst_ip, dport, msg_bytes)
    return _ip_frame(src_ip, dst_ip, PROTO_UDP, datagram)


def udp_fragments(msg_bytes: bytes, src: str, sport: int, dst: str, dport: int, *,
                  ident: int, mtu: int = 1500) -> list[bytes]:
    """Return the frames of one UDP datagram split into IPv4 fragments.

    Every fragment's IP packet fits in ``mtu`` bytes; all but the last carry a
    multiple of 8 payload bytes and the More Fragments flag.  ``ident`` is the
    IPv4 Identification shared by the fragments.
    """
    src_ip, dst_ip = _ip(src), _ip(dst)
    if src_ip.version != 4 or dst_ip.version != 4:
        raise ValueError("IP fragmentation is only implemented for IPv4")
    datagram = _udp_datagram(src_ip, sport, dst_ip, dport, msg_bytes)
    chunk = (mtu - 20) // 8 * 8
    frames = []
    for offset in range(0, len(datagram), chunk):
        piece = datagram[offset:offset + chunk]
        more = offset + chunk < len(datagram)
        packet = ipv4_packet(src_ip, dst_ip, PROTO_UDP, piece, ident=ident,
                             more_fragments=more, offset=offset)
        frames.append(ethernet(src_ip, dst_ip, packet))
    return frames


class TcpConversation:
    """One TCP connection between a client and a server, built frame by frame.

    Sequence and acknowledgement numbers are tracked for both sides, so
    Wireshark's TCP analysis sees no gaps and its reassembly works.  Each data
    segment acknowledges everything the peer has sent so far.
    """

    MSS = 1460

    def __init__(self, client: str, client_port: int, server: str, server_port: int, *,
                 client_isn: int = 1000, server_isn: int = 5000, window: int = 64240):
        self.client, self.server = _ip(client), _ip(server)
        _check_versions(self.client, self.server)
        self.client_port, self.server_port = client_port, server_port
        self.window = window
        # next sequence number each side will send
        self._next = {True: client_isn, False: server_isn}

    def _segment(self, from_client: bool, flags: int, payload: bytes = b"",
                 options: bytes = b"") -> bytes:
        src, dst = (self.client, self.server) if from_client else (self.server, self.client)
        sport, dport = ((self.client_port, self.server_port) if from_client
                        else (self.server_port, self.client_port))
        seq = self._next[from_client]
        ack = self._next[not from_client] if flags & TCP_ACK else 0
        offset_words = (20 + len(options)) // 4
        header = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, offset_words << 4,
                             flags, self.window, 0, 0) + options
        value = _transport_checksum(src, dst, PROTO_TCP, header + payload)
        segment = header[:16] + struct.pack("!H", value) + header[18:] + payload
        consumed = len(payload) + (1 if flags & (TCP_SYN | TCP_FIN) else 0)
        self._next[from_client] = (seq + consumed) & 0xFFFFFFFF
        return _ip_frame(src, dst, PROTO_TCP, segment)

    def handshake(self) -> list[bytes]:
        """Return SYN, SYN/ACK and ACK (SYN and SYN/ACK announce the MSS)."""
        mss = struct.pack("!BBH", 2, 4, self.MSS)
        return [self._segment(True, TCP_SYN, options=mss),
                self._segment(False, TCP_SYN | TCP_ACK, options=mss),
                self._segment(True, TCP_ACK)]

    def send(self, payload: bytes, *, from_client: bool = True,
             split_at: Sequence[int] = ()) -> list[bytes]:
        """Return the PSH/ACK data segments that carry ``payload`` in one direction.

        ``split_at`` lists byte offsets into ``payload`` where a new segment
        starts; without it the payload goes in one segment.  To put several
        SIP messages in one segment, pass their concatenation.
        """
        bounds = [0, *split_at, len(payload)]
        if bounds != sorted(set(bounds)):
            raise ValueError("split_at offsets must be increasing and inside the payload")
        return [self._segment(from_client, TCP_PSH | TCP_ACK, payload[start:end])
                for start, end in zip(bounds, bounds[1:])]

    def ack(self, *, from_client: bool) -> bytes:
        """Return a pure ACK acknowledging everything the peer has sent."""
        return self._segment(from_client, TCP_ACK)

    def close(self) -> list[bytes]:
        """Return an orderly close started by the client: FIN/ACK, FIN/ACK, ACK."""
        return [self._segment(True, TCP_FIN | TCP_ACK),
                self._segment(False, TCP_FIN | TCP_ACK),
                self._segment(True, TCP_ACK)]


class Trace:
    """Frames on a fixed clock, ready for :func:`write_pcap`.

    Time is kept in integer microseconds from ``start`` (seconds since the
    epoch) so timestamps never depend on floating-point rounding.
    """

    def __init__(self, start: int):
        self._now_us = start * 1_000_000
        self.records: list[tuple[float, bytes]] = []

    def add(self, frames: bytes | Iterable[bytes], *, after: float = 0.02,
            spacing: float = 0.0002) -> int:
        """Append one frame or a list of frames; return the last one's frame number.

        The first frame comes ``after`` seconds after the previous frame, the
        following ones ``spacing`` seconds apart.  Frame numbers start at 1,
        as in Wireshark.
        """
        batch = [frames] if isinstance(frames, bytes) else list(frames)
        for index, frame in enumerate(batch):
            self._now_us += round((spacing if index else after) * 1_000_000)
            self.records.append((self._now_us / 1_000_000, frame))
        return len(self.records)

    def write(self, path: str) -> None:
        """Write the collected frames to ``path`` as a pcap file."""
        write_pcap(path, self.records)


def pcap_bytes(records: Iterable[tuple[float, bytes]]) -> bytes:
    """Return a classic pcap file (microsecond resolution, linktype ETHERNET) as bytes."""
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, SNAPLEN, LINKTYPE_ETHERNET)]
    for timestamp, frame in records:
        micros = round(timestamp * 1_000_000)
        caplen = min(len(frame), SNAPLEN)
        out.append(struct.pack("<IIII", micros // 1_000_000, micros % 1_000_000,
                               caplen, len(frame)))
        out.append(frame[:caplen])
    return b"".join(out)


def write_pcap(path: str, records: Iterable[tuple[float, bytes]]) -> None:
    """Write ``(timestamp in seconds, Ethernet frame)`` records to ``path`` as a pcap file."""
    with open(path, "wb") as handle:
        handle.write(pcap_bytes(records))
