/* SPDX-License-Identifier: GPL-2.0-or-later
 * Unit tests of the SDP parser: real SDP from common stacks parses clean, each
 * malformed SDP gives the expected first problem on the expected bytes, and
 * o=/c= addresses come out with their offsets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdp.h"

static int failures, checks;

#define CRLF "\r\n"

/* ---- valid SDP: no malformed problem, no line-format problem ---- */
static const struct {
    const char *name;
    const char *sdp;
} good[] = {
    { "RFC 4566 example (multicast, i= u= e=, recvonly)",
      "v=0" CRLF "o=jdoe 2890844526 2890842807 IN IP4 10.47.16.5" CRLF "s=SDP Seminar" CRLF
      "i=A Seminar on the session description protocol" CRLF "u=http://www.example.com/seminars/sdp.pdf" CRLF
      "e=j.doe@example.com (Jane Doe)" CRLF "c=IN IP4 224.2.17.12/127" CRLF "t=2873397496 2873404696" CRLF
      "a=recvonly" CRLF "m=audio 49170 RTP/AVP 0" CRLF "m=video 51372 RTP/AVP 99" CRLF
      "a=rtpmap:99 h263-1998/90000" CRLF },
    { "SIPp uac default",
      "v=0" CRLF "o=user1 53655765 2353687637 IN IP4 127.0.0.1" CRLF "s=-" CRLF "c=IN IP4 127.0.0.1" CRLF
      "t=0 0" CRLF "m=audio 6000 RTP/AVP 0" CRLF "a=rtpmap:0 PCMU/8000" CRLF },
    { "Asterisk chan_pjsip offer",
      "v=0" CRLF "o=- 1903519424 1903519424 IN IP4 192.0.2.10" CRLF "s=Asterisk" CRLF
      "c=IN IP4 192.0.2.10" CRLF "t=0 0" CRLF "m=audio 14090 RTP/AVP 0 8 3 101" CRLF "a=rtpmap:0 PCMU/8000" CRLF
      "a=rtpmap:8 PCMA/8000" CRLF "a=rtpmap:3 GSM/8000" CRLF "a=rtpmap:101 telephone-event/8000" CRLF
      "a=fmtp:101 0-16" CRLF "a=ptime:20" CRLF "a=maxptime:150" CRLF "a=sendrecv" CRLF },
    { "baresip IPv6 with ICE, rtcp-mux, b=AS, disabled video with dynamic PT",
      "v=0" CRLF "o=- 2175232416 1870318512 IN IP6 2001:db8::10" CRLF "s=-" CRLF "c=IN IP6 2001:db8::10" CRLF
      "t=0 0" CRLF "a=tool:baresip 1.0.0" CRLF "m=audio 10454 RTP/AVP 96 9 0 8 101" CRLF "b=AS:64" CRLF
      "a=rtpmap:96 opus/48000/2" CRLF "a=fmtp:96 stereo=1;sprop-stereo=1" CRLF "a=rtpmap:9 G722/8000" CRLF
      "a=rtpmap:101 telephone-event/8000" CRLF "a=fmtp:101 0-15" CRLF "a=rtcp-mux" CRLF
      "a=ice-ufrag:Fq4e" CRLF "a=ice-pwd:7mBDAcfPNS8a0d2qdwIbGJ" CRLF
      "a=candidate:1 1 UDP 2130706431 2001:db8::10 10454 typ host" CRLF
      "a=candidate:2 1 UDP 1694498815 203.0.113.7 10454 typ srflx raddr 192.168.1.10 rport 10454" CRLF
      "a=end-of-candidates" CRLF "a=sendrecv" CRLF "a=ssrc:3735928559 cname:abc@host" CRLF
      "m=video 0 RTP/AVP 97" CRLF },
    { "Chrome WebRTC (BUNDLE, SAVPF, data channel, media-level c=)",
      "v=0" CRLF "o=- 4611731400430051336 2 IN IP4 127.0.0.1" CRLF "s=-" CRLF "t=0 0" CRLF
      "a=group:BUNDLE 0 1" CRLF "a=extmap-allow-mixed" CRLF "a=msid-semantic: WMS stream" CRLF
      "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126" CRLF "c=IN IP4 0.0.0.0" CRLF
      "a=rtcp:9 IN IP4 0.0.0.0" CRLF "a=ice-ufrag:EsAw" CRLF "a=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1" CRLF
      "a=ice-options:trickle" CRLF
      "a=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F" CRLF
      "a=setup:actpass" CRLF "a=mid:0" CRLF "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level" CRLF
      "a=sendrecv" CRLF "a=msid:stream track" CRLF "a=rtcp-mux" CRLF "a=rtpmap:111 opus/48000/2" CRLF
      "a=rtcp-fb:111 transport-cc" CRLF "a=fmtp:111 minptime=10;useinbandfec=1" CRLF
      "a=rtpmap:63 red/48000/2" CRLF "a=fmtp:63 111/111" CRLF "a=rtpmap:9 G722/8000" CRLF
      "a=rtpmap:0 PCMU/8000" CRLF "a=rtpmap:8 PCMA/8000" CRLF "a=rtpmap:13 CN/8000" CRLF
      "a=rtpmap:110 telephone-event/48000" CRLF "a=rtpmap:126 telephone-event/8000" CRLF
      "a=ssrc:1001 cname:x" CRLF "m=application 9 UDP/DTLS/SCTP webrtc-datachannel" CRLF
      "c=IN IP4 0.0.0.0" CRLF "a=mid:1" CRLF "a=sctp-port:5000" CRLF "a=max-message-size:262144" CRLF },
    { "FreeSWITCH answer with a=rtcp",
      "v=0" CRLF "o=FreeSWITCH 1700000000 1700000001 IN IP4 203.0.113.10" CRLF "s=FreeSWITCH" CRLF
      "c=IN IP4 203.0.113.10" CRLF "t=0 0" CRLF "m=audio 16384 RTP/AVP 0 8 101" CRLF "a=rtpmap:0 PCMU/8000" CRLF
      "a=rtpmap:8 PCMA/8000" CRLF "a=rtpmap:101 telephone-event/8000" CRLF "a=fmtp:101 0-16" CRLF "a=ptime:20" CRLF
      "a=sendrecv" CRLF "a=rtcp:16385 IN IP4 203.0.113.10" CRLF },
    { "Microsoft Teams Direct Routing style offer (SAVP, crypto, many dynamic PTs, b=CT)",
      "v=0" CRLF "o=- 0 0 IN IP4 52.114.1.1" CRLF "s=session" CRLF "c=IN IP4 52.114.1.1" CRLF "b=CT:10000000" CRLF
      "t=0 0" CRLF "m=audio 49152 RTP/SAVP 104 9 103 111 18 0 8 97 101 13 118" CRLF "c=IN IP4 52.114.1.1" CRLF
      "a=rtcp:49153" CRLF "a=ice-ufrag:aB3d" CRLF "a=ice-pwd:Zx8ue1cq2Jb7Yy1H8gW0qQ2f" CRLF "a=rtcp-mux" CRLF
      "a=candidate:1 1 UDP 2130706431 52.114.1.1 49152 typ host" CRLF
      "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:Q0NiZDRmMjAzYjUxN2NmZTAxMjM0NTY3ODlhYmNk|2^31" CRLF
      "a=label:main-audio" CRLF "a=x-ssrc-range:1-4294967295" CRLF "a=rtpmap:104 SILK/16000" CRLF
      "a=rtpmap:9 G722/8000" CRLF "a=rtpmap:103 SILK/8000" CRLF "a=rtpmap:111 SIREN/16000" CRLF
      "a=fmtp:111 bitrate=16000" CRLF "a=rtpmap:18 G729/8000" CRLF "a=fmtp:18 annexb=no" CRLF
      "a=rtpmap:0 PCMU/8000" CRLF "a=rtpmap:8 PCMA/8000" CRLF "a=rtpmap:97 RED/8000" CRLF
      "a=rtpmap:101 telephone-event/8000" CRLF "a=fmtp:101 0-16" CRLF "a=rtpmap:13 CN/8000" CRLF
      "a=rtpmap:118 CN/16000" CRLF "a=ptime:20" CRLF },
    { "Cisco CUCM with b=TIAS and b=AS",
      "v=0" CRLF "o=CiscoSystemsCCM-SIP 2000 1 IN IP4 10.1.1.1" CRLF "s=SIP Call" CRLF "c=IN IP4 10.1.1.1" CRLF
      "b=TIAS:64000" CRLF "b=AS:64" CRLF "t=0 0" CRLF "m=audio 24580 RTP/AVP 0 101" CRLF
      "a=rtpmap:101 telephone-event/8000" CRLF "a=fmtp:101 0-15" CRLF },
    { "IMS (VoLTE) offer with QoS preconditions and b=RS/RR",
      "v=0" CRLF "o=rue 3259 3259 IN IP6 2001:db8:a::1" CRLF "s=-" CRLF "c=IN IP6 2001:db8:a::1" CRLF
      "b=AS:41" CRLF "b=RS:0" CRLF "b=RR:0" CRLF "t=0 0" CRLF "m=audio 49152 RTP/AVP 116 107 97 111 110" CRLF
      "b=AS:41" CRLF "a=rtpmap:116 AMR-WB/16000/1" CRLF "a=fmtp:116 mode-change-capability=2;max-red=0" CRLF
      "a=rtpmap:107 AMR-WB/16000/1" CRLF "a=rtpmap:97 AMR/8000/1" CRLF "a=rtpmap:111 telephone-event/16000" CRLF
      "a=fmtp:111 0-15" CRLF "a=rtpmap:110 telephone-event/8000" CRLF "a=curr:qos local none" CRLF
      "a=curr:qos remote none" CRLF "a=des:qos mandatory local sendrecv" CRLF "a=des:qos optional remote sendrecv" CRLF
      "a=ptime:20" CRLF "a=maxptime:240" CRLF "a=sendrecv" CRLF },
    { "static payload types without rtpmap",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF
      "m=audio 5000 RTP/AVP 0 8 18" CRLF },
    { "T.38 image stream",
      "v=0" CRLF "o=- 1 2 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF
      "m=image 40000 udptl t38" CRLF "a=T38FaxVersion:0" CRLF "a=T38FaxRateManagement:transferredTCF" CRLF
      "a=T38FaxUdpEC:t38UDPRedundancy" CRLF },
    { "repeat and zone lines, k=, b=CT/TIAS, session direction",
      "v=0" CRLF "o=alice 1 1 IN IP4 host.example.com" CRLF "s= " CRLF "c=IN IP4 host.example.com" CRLF
      "b=CT:1000" CRLF "b=TIAS:64000" CRLF "t=3034423619 3042462419" CRLF "r=604800 3600 0 90000" CRLF
      "z=2882844526 -1h 2898848070 0" CRLF "k=prompt" CRLF "a=sendonly" CRLF "m=audio 49170/2 RTP/AVP 0 97" CRLF
      "a=rtpmap:97 iLBC/8000" CRLF },
    { "hold with 0.0.0.0 and media-level c=, MSRP and BFCP formats",
      "v=0" CRLF "o=- 5 6 IN IP4 198.51.100.1" CRLF "s=-" CRLF "t=0 0" CRLF "m=audio 5000 RTP/AVP 0" CRLF
      "c=IN IP4 0.0.0.0" CRLF "a=sendonly" CRLF "m=message 7394 TCP/MSRP *" CRLF "c=IN IP4 198.51.100.1" CRLF
      "a=accept-types:text/plain" CRLF "a=path:msrp://198.51.100.1:7394/s111271;tcp" CRLF
      "m=application 50000 TCP/BFCP *" CRLF "c=IN IP4 198.51.100.1" CRLF "a=floorctrl:c-only" CRLF },
    { "RFC 4475 torture body (port above 65535 is accepted by real parsers)",
      "v=0" CRLF "o=mhandley 29739 7272939 IN IP4 192.0.2.3" CRLF "s=-" CRLF "c=IN IP4 192.0.2.4" CRLF "t=0 0" CRLF
      "m=audio 492170 RTP/AVP 0 12" CRLF "m=video 3227 RTP/AVP 31" CRLF "a=rtpmap:31 LPC" CRLF },
    { "IPv6 multicast and trailing empty lines",
      "v=0" CRLF "o=- 1 1 IN IP6 2001:db8::1" CRLF "s=-" CRLF "c=IN IP6 FF15::101/3" CRLF "t=0 0" CRLF
      "m=audio 5000 RTP/AVP 0" CRLF CRLF CRLF },
    { "leading empty line, SRTP crypto, video with several dynamic PTs",
      CRLF "v=0" CRLF "o=- 7 7 IN IP4 203.0.113.9" CRLF "s=-" CRLF "c=IN IP4 203.0.113.9" CRLF "t=0 0" CRLF
      "m=audio 30000 RTP/SAVP 0 101" CRLF
      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32" CRLF
      "a=rtpmap:101 telephone-event/8000" CRLF "m=video 30002 RTP/SAVP 96 97" CRLF
      "a=rtpmap:96 H264/90000" CRLF "a=fmtp:96 profile-level-id=42e01f;packetization-mode=1" CRLF
      "a=rtpmap:97 VP8/90000" CRLF "a=rtcp-fb:* nack" CRLF },
};

/* ---- malformed or risky SDP: expected first problem and its bytes ---- */
static const struct {
    const char *name;
    const char *sdp;
    sip400_sdp_issue_kind kind;
    const char *span; /* exact bytes of the issue */
} bad[] = {
    { "pjsip 155: empty values", "v=" CRLF "o=" CRLF "s=" CRLF "c=" CRLF "t=" CRLF "a=" CRLF,
      SIP400_SDP_E_VERSION, "v=" },
    { "pjsip 156: network type AF",
      "v=0" CRLF "o=- 0 0 IN IP4 127.0.0.1" CRLF "s=pjmedia" CRLF "c=AF IP4 127.0.0.1" CRLF "t=0 0" CRLF
      "m=audio 4000 RTP/AVP 0 101" CRLF "a=rtpmap:0 PCMU/8000" CRLF "a=rtpmap:101 telephone-event/8000" CRLF,
      SIP400_SDP_E_CONN, "AF" },
    { "pjsip 157: address type IP7",
      "v=0" CRLF "o=- 0 0 IN IP4 127.0.0.1" CRLF "s=pjmedia" CRLF "c=IN IP7 127.0.0.1" CRLF "t=0 0" CRLF
      "m=audio 4000 RTP/AVP 0" CRLF,
      SIP400_SDP_E_CONN, "IP7" },
    { "c= IPv4 octet above 255",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.300" CRLF "t=0 0" CRLF
      "m=audio 4000 RTP/AVP 0" CRLF,
      SIP400_SDP_E_CONN, "198.51.100.300" },
    { "c= IPv6 address labelled IP4",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 2001:db8::1" CRLF "t=0 0" CRLF
      "m=audio 4000 RTP/AVP 0" CRLF,
      SIP400_SDP_E_CONN, "2001:db8::1" },
    { "c= without address",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4" CRLF "t=0 0" CRLF
      "m=audio 4000 RTP/AVP 0" CRLF,
      SIP400_SDP_E_CONN, "c=IN IP4" },
    { "missing o=",
      "v=0" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF "m=audio 4000 RTP/AVP 0" CRLF,
      SIP400_SDP_E_NO_ORIGIN, "v=0" },
    { "missing t=",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF
      "m=audio 4000 RTP/AVP 0" CRLF,
      SIP400_SDP_E_NO_TIME, "v=0" },
    { "s= before o=",
      "v=0" CRLF "s=-" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF
      "m=audio 4000 RTP/AVP 0" CRLF,
      SIP400_SDP_E_ORDER, "o=- 0 0 IN IP4 198.51.100.1" },
    { "t= after m=",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF
      "m=audio 4000 RTP/AVP 0" CRLF "t=0 0" CRLF,
      SIP400_SDP_E_ORDER, "t=0 0" },
    { "does not start with v=",
      "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF
      "m=audio 4000 RTP/AVP 0" CRLF,
      SIP400_SDP_E_FIRST_NOT_V, "o=- 0 0 IN IP4 198.51.100.1" },
    { "v=1", "v=1" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF
      "m=audio 4000 RTP/AVP 0" CRLF,
      SIP400_SDP_E_VERSION, "1" },
    { "o= session id not numeric",
      "v=0" CRLF "o=- abc 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF
      "m=audio 4000 RTP/AVP 0" CRLF,
      SIP400_SDP_E_ORIGIN, "abc" },
    { "empty s=",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF
      "m=audio 4000 RTP/AVP 0" CRLF,
      SIP400_SDP_E_EMPTY_NAME, "s=" },
    { "m= port not numeric",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF
      "m=audio 4OOO RTP/AVP 0" CRLF,
      SIP400_SDP_E_PORT, "4OOO" },
    { "m= port with a bad count",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF
      "m=audio 4000/x RTP/AVP 0" CRLF,
      SIP400_SDP_E_PORT, "4000/x" },
    { "m= without formats",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF
      "m=audio 4000 RTP/AVP" CRLF,
      SIP400_SDP_E_NO_FORMATS, "m=audio 4000 RTP/AVP" },
    { "m= without protocol",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF
      "m=audio 4000" CRLF,
      SIP400_SDP_E_MEDIA, "m=audio 4000" },
    { "dynamic payload type without rtpmap",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF
      "m=audio 4000 RTP/AVP 0 101" CRLF "a=rtpmap:0 PCMU/8000" CRLF "m=video 4002 RTP/AVP 99" CRLF
      "a=rtpmap:101 telephone-event/8000" CRLF,
      SIP400_SDP_E_NO_RTPMAP, "101" },
    { "payload type 128",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF
      "m=audio 4000 RTP/AVP 0 128" CRLF,
      SIP400_SDP_E_PT_RANGE, "128" },
    { "no c= anywhere",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "t=0 0" CRLF "m=audio 4000 RTP/AVP 0" CRLF,
      SIP400_SDP_E_NO_CONN, "m=audio 4000 RTP/AVP 0" },
    { "unknown type letter",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF
      "x=foo" CRLF "m=audio 4000 RTP/AVP 0" CRLF,
      SIP400_SDP_E_UNKNOWN_TYPE, "x=" },
    { "line without =",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF
      "m=audio 4000 RTP/AVP 0" CRLF "rtpmap 0 PCMU" CRLF,
      SIP400_SDP_E_BAD_LINE, "rtpmap 0 PCMU" },
    { "empty line in the middle",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF
      "m=audio 4000 RTP/AVP 0" CRLF,
      SIP400_SDP_E_EMPTY_LINE, CRLF },
    { "bad b=",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF "b=AS" CRLF
      "t=0 0" CRLF "m=audio 4000 RTP/AVP 0" CRLF,
      SIP400_SDP_E_BANDWIDTH, "AS" },
    { "t= with one value",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0" CRLF
      "m=audio 4000 RTP/AVP 0" CRLF,
      SIP400_SDP_E_TIME, "0" },
    { "a= without name",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF
      "m=audio 4000 RTP/AVP 0" CRLF "a=:x" CRLF,
      SIP400_SDP_E_ATTRIBUTE, "a=:x" },
    /* line-format risks only */
    { "bare LF", "v=0\no=- 0 0 IN IP4 198.51.100.1\ns=-\nc=IN IP4 198.51.100.1\nt=0 0\nm=audio 4000 RTP/AVP 0\n",
      SIP400_SDP_W_BARE_LF, "\n" },
    { "trailing space",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF
      "m=audio 4000 RTP/AVP 0 " CRLF,
      SIP400_SDP_W_TRAILING_WS, " " },
    { "no final CRLF",
      "v=0" CRLF "o=- 0 0 IN IP4 198.51.100.1" CRLF "s=-" CRLF "c=IN IP4 198.51.100.1" CRLF "t=0 0" CRLF
      "m=audio 4000 RTP/AVP 0",
      SIP400_SDP_W_NO_FINAL_EOL, "m=audio 4000 RTP/AVP 0" },
};

static void dump(const sip400_sdp *s, const char *text)
{
    for (uint32_t i = 0; i < s->nissues; i++) {
        const sip400_sdp_issue *is = &s->issues[i];
        fprintf(stderr, "     issue %s @%u+%u \"%.*s\"\n", sip400_sdp_issue_text(is->kind), is->off, is->len,
                (int)is->len, text + is->off);
    }
}

static void test_good(void)
{
    sip400_sdp s;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        checks++;
        const char *t = good[i].sdp;
        sip400_sdp_parse((const uint8_t *)t, 0, (uint32_t)strlen(t), &s);
        if (s.nissues_total) {
            failures++;
            fprintf(stderr, "FAIL good SDP \"%s\": %u problems\n", good[i].name, s.nissues_total);
            dump(&s, t);
        }
        if (!s.has_origin || !s.has_name || !s.has_time || s.nmedia == 0) {
            failures++;
            fprintf(stderr, "FAIL good SDP \"%s\": structure not recognised\n", good[i].name);
        }
    }
}

static void test_bad(void)
{
    sip400_sdp s;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        checks++;
        const char *t = bad[i].sdp;
        sip400_sdp_parse((const uint8_t *)t, 0, (uint32_t)strlen(t), &s);
        const sip400_sdp_issue *is = NULL;
        if (sip400_sdp_issue_is_format(bad[i].kind)) {
            if (sip400_sdp_first_error(&s)) {
                failures++;
                fprintf(stderr, "FAIL \"%s\": a format risk reported as malformed\n", bad[i].name);
                dump(&s, t);
                continue;
            }
            for (uint32_t k = 0; k < s.nissues; k++) {
                if (s.issues[k].kind == bad[i].kind)
                    is = &s.issues[k];
            }
        } else {
            is = sip400_sdp_first_error(&s);
        }
        if (!is || is->kind != bad[i].kind) {
            failures++;
            fprintf(stderr, "FAIL \"%s\": expected \"%s\"\n", bad[i].name, sip400_sdp_issue_text(bad[i].kind));
            dump(&s, t);
            continue;
        }
        size_t n = strlen(bad[i].span);
        if (is->len != n || memcmp(t + is->off, bad[i].span, n) != 0) {
            failures++;
            fprintf(stderr, "FAIL \"%s\": highlights \"%.*s\", expected \"%s\"\n", bad[i].name, (int)is->len,
                    t + is->off, bad[i].span);
        }
        if (is->line_off + is->line_len > strlen(t) || is->off < is->line_off ||
            (is->kind != SIP400_SDP_E_EMPTY_LINE && is->kind != SIP400_SDP_W_BARE_LF && is->off + is->len > is->line_off + is->line_len)) {
            failures++;
            fprintf(stderr, "FAIL \"%s\": issue outside its line\n", bad[i].name);
        }
    }
}

static void expect_addr(const sip400_sdp *s, const char *text, uint32_t i, char type, int media, int family,
                        bool is_ip, const char *addr)
{
    checks++;
    if (i >= s->naddr) {
        failures++;
        fprintf(stderr, "FAIL address %u missing\n", i);
        return;
    }
    const sip400_sdp_addr *a = &s->addr[i];
    size_t n = strlen(addr);
    if (a->type != type || a->media != media || a->family != family || a->is_ip != is_ip || a->addr_len != n ||
        memcmp(text + a->addr_off, addr, n) != 0 || text[a->line_off] != type) {
        failures++;
        fprintf(stderr, "FAIL address %u: %c media %d family %u ip %d \"%.*s\", expected %c %d %d %d \"%s\"\n", i,
                a->type, a->media, a->family, a->is_ip, (int)a->addr_len, text + a->addr_off, type, media, family,
                is_ip, addr);
    }
}

static void test_addresses(void)
{
    /* offsets are absolute in the buffer: parse from the middle of a message */
    static const char msg[] =
        "INVITE sip:bob@example.com SIP/2.0" CRLF "Content-Type: application/sdp" CRLF CRLF
        "v=0" CRLF "o=- 1 1 IN IP4 10.0.0.5" CRLF "s=-" CRLF "c=IN IP4 224.2.1.1/127/3" CRLF "t=0 0" CRLF
        "m=audio 4000 RTP/AVP 0" CRLF "c=IN IP6 2001:db8::7" CRLF "m=video 4002 RTP/AVP 31" CRLF
        "c=IN IP4 media.example.com" CRLF;
    const char *body = strstr(msg, "v=0");
    uint32_t off = (uint32_t)(body - msg);
    sip400_sdp s;
    sip400_sdp_parse((const uint8_t *)msg, off, (uint32_t)strlen(msg) - off, &s);
    checks++;
    if (s.nissues_total || s.naddr != 4 || s.nmedia != 2 || !s.has_session_conn || s.origin_line_off != off + 5) {
        failures++;
        fprintf(stderr, "FAIL address SDP: %u problems, %u addresses, %u media\n", s.nissues_total, s.naddr, s.nmedia);
        dump(&s, msg);
    }
    expect_addr(&s, msg, 0, 'o', -1, 4, true, "10.0.0.5");
    expect_addr(&s, msg, 1, 'c', -1, 4, true, "224.2.1.1");
    expect_addr(&s, msg, 2, 'c', 0, 6, true, "2001:db8::7");
    expect_addr(&s, msg, 3, 'c', 1, 4, false, "media.example.com");
    checks++;
    if (s.addr[0].ip[0] != 10 || s.addr[0].ip[3] != 5 || s.addr[2].ip[0] != 0x20 || s.addr[2].ip[15] != 7 ||
        s.media[1].port != 4002 || !s.media[1].rtp || s.media[0].nfmt != 1) {
        failures++;
        fprintf(stderr, "FAIL address bytes / media fields\n");
    }
}

static void test_bounds(void)
{
    /* every prefix of a valid SDP parses without reading past its end (ASan/valgrind
     * catch overreads; here: no crash and sane offsets) */
    const char *t = good[3].sdp;
    uint32_t n = (uint32_t)strlen(t);
    for (uint32_t len = 0; len <= n; len++) {
        char *copy = malloc(len ? len : 1);
        if (!copy)
            return;
        memcpy(copy, t, len);
        sip400_sdp s;
        sip400_sdp_parse((const uint8_t *)copy, 0, len, &s);
        checks++;
        for (uint32_t i = 0; i < s.nissues; i++) {
            if (s.issues[i].off + s.issues[i].len > len) {
                failures++;
                fprintf(stderr, "FAIL prefix %u: issue outside the text\n", len);
                break;
            }
        }
        free(copy);
    }
    /* many media sections and addresses: counted past the stored limits */
    char big[8192];
    size_t o = (size_t)snprintf(big, sizeof big, "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n");
    for (int i = 0; i < 40 && o + 80 < sizeof big; i++)
        o += (size_t)snprintf(big + o, sizeof big - o, "m=audio %d RTP/AVP 0\r\nc=IN IP4 192.0.2.%d\r\n", 4000 + 2 * i,
                              i + 1);
    sip400_sdp s;
    sip400_sdp_parse((const uint8_t *)big, 0, (uint32_t)o, &s);
    checks++;
    if (s.nmedia != 40 || s.nmedia_stored != SIP400_SDP_MAX_MEDIA || s.naddr != SIP400_SDP_MAX_ADDRS ||
        s.naddr_total != 41 || s.nissues_total) {
        failures++;
        fprintf(stderr, "FAIL limits: %u media (%u stored), %u/%u addresses, %u problems\n", s.nmedia,
                s.nmedia_stored, s.naddr, s.naddr_total, s.nissues_total);
    }
}

static void locate_one(const char *name, const char *msg, uint32_t want, const char *first)
{
    static sip400_msg m; /* large: keep it off the stack */
    sip400_span sp[4];
    sip400_msg_scan(&m, (const uint8_t *)msg, (uint32_t)strlen(msg));
    uint32_t n = sip400_sdp_locate(&m, sp, 4);
    checks++;
    if (n != want || (n && strncmp(msg + sp[0].off, first, strlen(first)) != 0)) {
        failures++;
        fprintf(stderr, "FAIL locate \"%s\": %u SDP found, expected %u\n", name, n, want);
    }
}

#define HDRS "INVITE sip:bob@example.com SIP/2.0" CRLF "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1" CRLF \
             "Call-ID: 1@x" CRLF "CSeq: 1 INVITE" CRLF
#define SDP1 "v=0" CRLF "o=- 1 1 IN IP4 192.0.2.1" CRLF "s=-" CRLF "c=IN IP4 192.0.2.1" CRLF "t=0 0" CRLF \
             "m=audio 4000 RTP/AVP 0" CRLF

static void test_locate(void)
{
    locate_one("application/sdp", HDRS "Content-Type: application/sdp" CRLF CRLF SDP1, 1, "v=0");
    locate_one("unlabelled v=0", HDRS CRLF SDP1, 1, "v=0");
    locate_one("text/plain", HDRS "Content-Type: text/plain" CRLF CRLF SDP1, 0, "");
    locate_one("gzip", HDRS "c: application/sdp" CRLF "Content-Encoding: gzip" CRLF CRLF SDP1, 0, "");
    locate_one("empty body", HDRS "Content-Type: application/sdp" CRLF "Content-Length: 0" CRLF CRLF, 0, "");
    locate_one("multipart", HDRS "Content-Type: multipart/mixed; boundary=\"b 1\"" CRLF CRLF
               "preamble" CRLF "--b 1" CRLF "Content-Type: application/isup" CRLF CRLF "0123" CRLF
               "--b 1" CRLF "Content-Type: application/sdp" CRLF CRLF SDP1 CRLF "--b 1--" CRLF, 1, "v=0");
    locate_one("multipart, two SDP parts", HDRS "Content-Type: multipart/alternative;boundary=zz" CRLF CRLF
               "--zz" CRLF "c: application/sdp" CRLF CRLF SDP1 "--zz" CRLF "Content-Type: application/sdp" CRLF CRLF
               SDP1 "--zz--", 2, "v=0");
}

int main(void)
{
    test_good();
    test_bad();
    test_addresses();
    test_bounds();
    test_locate();
    printf("%d SDP checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
