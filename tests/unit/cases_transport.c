/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group F: Via, transport, ports and NAT; uri.ip_port_omitted (needs the real port). */
#include "harness.h"

#define RL(m, ruri) m " " ruri " SIP/2.0\r\n"
/* a request with its own top Via (UDP from 198.51.100.1:5060 by default) */
#define WITH_VIA(via, m) RL(m, "sip:bob@example.com") "Via: " via "\r\n" T_MF T_FROM T_TO T_CID T_CSEQ(m) T_CONTACT T_CL0 "\r\n"
#define GOOD T_REQ("INVITE", "sip:bob@example.com")
#define S10 "abcdefghij"
#define S100 S10 S10 S10 S10 S10 S10 S10 S10 S10 S10
#define BIG_SUBJECT "Subject: " S100 S100 S100 S100 S100 S100 S100 S100 S100 S100 S100 S100 S100 "\r\n"
#define BIG_INVITE RL("INVITE", "sip:bob@example.com") T_BASE("INVITE") T_CONTACT BIG_SUBJECT T_CL0 "\r\n"

/* REGISTER of one transaction, resent with the same branch */
#define REG_VIA(branch) "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=" branch "\r\n"
#define REG(branch, cseq) RL("REGISTER", "sip:example.com") REG_VIA(branch) T_MF T_FROM \
    "To: Alice <sip:alice@example.com>\r\n" T_CID "CSeq: " cseq " REGISTER\r\n" T_CONTACT T_CL0 "\r\n"

/* behind NAT: the packet comes from 203.0.113.5, the device says 192.168.1.10 */
#define NAT_VIA "Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK776asdhds\r\n"
#define NAT_REQ(contact) RL("INVITE", "sip:bob@example.com") NAT_VIA T_MF T_FROM T_TO T_CID T_CSEQ("INVITE") \
    "Contact: <" contact ">\r\n" T_CL0 "\r\n"
#define SDP_PRIV "v=0\r\no=alice 2890844526 2890844526 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
#define SDP_PUB "v=0\r\no=alice 2890844526 2890844526 IN IP4 203.0.113.5\r\ns=-\r\nc=IN IP4 203.0.113.5\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
#define SDP_REQ(sdp, len) RL("INVITE", "sip:bob@example.com") NAT_VIA T_MF T_FROM T_TO T_CID T_CSEQ("INVITE") \
    "Contact: <sip:alice@203.0.113.5:5060>\r\nContent-Type: application/sdp\r\nContent-Length: " len "\r\n\r\n" sdp

/* SIP ALG: the router rewrote Contact (or the SDP c= line) to its public
 * address 203.0.113.5:1024, left the Via private */
#define ALG_VIA "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK776asdhds;rport\r\n"
#define ALG_REQ(contact) RL("INVITE", "sip:bob@example.com") ALG_VIA T_MF T_FROM T_TO T_CID T_CSEQ("INVITE") \
    "Contact: <" contact ">\r\n" T_CL0 "\r\n"
#define SDP_ALG "v=0\r\no=alice 2890844526 2890844526 IN IP4 192.168.1.10\r\ns=-\r\nc=IN IP4 203.0.113.5\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
#define ALG_SDP_REQ(len) RL("INVITE", "sip:bob@example.com") ALG_VIA T_MF T_FROM T_TO T_CID T_CSEQ("INVITE") \
    "Contact: <sip:alice@203.0.113.5:1024>\r\nContent-Type: application/sdp\r\nContent-Length: " len "\r\n\r\n" SDP_ALG

#define TLS_REG(contact) RL("REGISTER", "sips:example.com") "Via: SIP/2.0/TLS 198.51.100.1:5061;branch=z9hG4bK776asdhds\r\n" \
    T_MF T_FROM "To: Alice <sip:alice@example.com>\r\n" T_CID "CSeq: 1 REGISTER\r\nContact: <" contact ">\r\n" T_CL0 "\r\n"

static const char big_invite[] = BIG_INVITE;

const sip400_case sip400_cases_transport[] = {
    /* via.malformed */
    { "Via without sent-by", SIP400_VIA_MALFORMED, SIP400_LEVEL_C,
      WITH_VIA("SIP/2.0/UDP;branch=z9hG4bK776asdhds", "OPTIONS"), "SIP/2.0/UDP", T_REQ("OPTIONS", "sip:bob@example.com") },
    { "Via without transport", SIP400_VIA_MALFORMED, SIP400_LEVEL_C,
      WITH_VIA("SIP/2.0 198.51.100.1:5060;branch=z9hG4bK776asdhds", "OPTIONS"), "SIP/2.0", T_REQ("OPTIONS", "sip:bob@example.com") },
    { "Via sent-by port not numeric", SIP400_VIA_MALFORMED, SIP400_LEVEL_C,
      WITH_VIA("SIP/2.0/UDP 198.51.100.1:5o60;branch=z9hG4bK776asdhds", "OPTIONS"), "5o60", T_REQ("OPTIONS", "sip:bob@example.com") },
    { "Via sent-by host with a bad octet", SIP400_VIA_MALFORMED, SIP400_LEVEL_C,
      WITH_VIA("SIP/2.0/UDP 198.51.100.300:5060;branch=z9hG4bK776asdhds", "OPTIONS"), "198.51.100.300",
      T_REQ("OPTIONS", "sip:bob@example.com") },
    /* via.branch.* */
    { "Via without branch", SIP400_VIA_BRANCH_MISSING, SIP400_LEVEL_L,
      WITH_VIA("SIP/2.0/UDP 198.51.100.1:5060;rport", "INVITE"), "SIP/2.0/UDP 198.51.100.1:5060;rport", GOOD },
    { "branch without the magic cookie", SIP400_VIA_BRANCH_NO_COOKIE, SIP400_LEVEL_P,
      WITH_VIA("SIP/2.0/UDP 198.51.100.1:5060;branch=776asdhds", "INVITE"), "776asdhds", GOOD },
    { "branch is only the cookie", SIP400_VIA_BRANCH_COOKIE_ONLY, SIP400_LEVEL_P,
      WITH_VIA("SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK", "INVITE"), "z9hG4bK", GOOD },
    { "REGISTER resent with the same branch and CSeq + 1 (pjsip 400)", SIP400_VIA_BRANCH_REUSED_DIFFERENT_CSEQ,
      SIP400_LEVEL_C, REG("z9hG4bKreg1", "2"), "z9hG4bKreg1", REG("z9hG4bKreg2", "2"), 0, NULL, NULL, NULL, 0,
      .prior = REG("z9hG4bKreg1", "1") },
    { "rport above 65535", SIP400_VIA_RECEIVED_RPORT_INVALID, SIP400_LEVEL_P,
      WITH_VIA("SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK776asdhds;rport=70000", "INVITE"), "70000",
      WITH_VIA("SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK776asdhds;rport", "INVITE") },
    { "received not an IP address", SIP400_VIA_RECEIVED_RPORT_INVALID, SIP400_LEVEL_P,
      WITH_VIA("SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK776asdhds;received=pc33.example.com", "INVITE"),
      "pc33.example.com", WITH_VIA("SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK776asdhds;received=198.51.100.1", "INVITE") },
    /* transport.* */
    { "Via says UDP, packet is TCP", SIP400_TRANSPORT_VIA_MISMATCH, SIP400_LEVEL_P,
      GOOD, "UDP", WITH_VIA("SIP/2.0/TCP 198.51.100.1:5060;branch=z9hG4bK776asdhds", "INVITE"), SIP400_TRANSPORT_TCP },
    { "TLS to port 5060", SIP400_TRANSPORT_PORT_MISMATCH, SIP400_LEVEL_P,
      WITH_VIA("SIP/2.0/TLS 198.51.100.1:5061;branch=z9hG4bK776asdhds", "OPTIONS"), "OPTIONS sip:bob@example.com SIP/2.0",
      NULL, SIP400_TRANSPORT_TLS, NULL, "198.51.100.2:5060" },
    { "cleartext UDP to port 5061", SIP400_TRANSPORT_PORT_MISMATCH, SIP400_LEVEL_P,
      T_REQ("OPTIONS", "sip:bob@example.com"), "OPTIONS sip:bob@example.com SIP/2.0", NULL, SIP400_TRANSPORT_UDP, NULL,
      "198.51.100.2:5061" },
    { "UDP request over 1300 bytes", SIP400_TRANSPORT_UDP_OVERSIZE, SIP400_LEVEL_P, big_invite, big_invite, GOOD },
    { "IP-fragmented UDP request", SIP400_TRANSPORT_UDP_OVERSIZE, SIP400_LEVEL_P, GOOD, GOOD, NULL, 0, NULL, NULL,
      NULL, 0, .ip_fragmented = true },
    { "sips: with transport=udp", SIP400_TRANSPORT_URI_TRANSPORT_PARAM, SIP400_LEVEL_P,
      T_REQ("INVITE", "sips:bob@example.com;transport=udp"), "transport=udp", T_REQ("INVITE", "sips:bob@example.com") },
    { "unknown transport in Contact", SIP400_TRANSPORT_URI_TRANSPORT_PARAM, SIP400_LEVEL_P,
      RL("INVITE", "sip:bob@example.com") T_BASE("INVITE") "Contact: <sip:alice@198.51.100.1:5060;transport=xyz>\r\n" T_CL0 "\r\n",
      "transport=xyz", GOOD },
    { "REGISTER over TLS with an IP address in Contact (repro 400)", SIP400_TRANSPORT_TLS_IP_CONTACT, SIP400_LEVEL_C,
      TLS_REG("sip:alice@198.51.100.1:5061;transport=tls"), "198.51.100.1", TLS_REG("sip:alice@pc33.example.com:5061;transport=tls"),
      SIP400_TRANSPORT_TLS, NULL, "198.51.100.2:5061" },
    /* nat.* */
    { "private Contact from a public source", SIP400_NAT_PRIVATE_CONTACT, SIP400_LEVEL_P,
      NAT_REQ("sip:alice@192.168.1.10:5060"), "192.168.1.10", NAT_REQ("sip:alice@203.0.113.5:5060"), 0, "203.0.113.5:5060" },
    { "CGNAT Contact from a public source", SIP400_NAT_PRIVATE_CONTACT, SIP400_LEVEL_P,
      NAT_REQ("sip:alice@100.64.12.7:5060"), "100.64.12.7", NAT_REQ("sip:alice@203.0.113.5:5060"), 0, "203.0.113.5:5060" },
    { "unique-local IPv6 Contact from a public IPv6 source", SIP400_NAT_PRIVATE_CONTACT, SIP400_LEVEL_P,
      RL("INVITE", "sip:bob@example.com") "Via: SIP/2.0/UDP [2001:db8::5]:5060;branch=z9hG4bK776asdhds\r\n" T_MF T_FROM T_TO T_CID
      T_CSEQ("INVITE") "Contact: <sip:alice@[fd00::10]:5060>\r\n" T_CL0 "\r\n", "[fd00::10]",
      RL("INVITE", "sip:bob@example.com") "Via: SIP/2.0/UDP [2001:db8::5]:5060;branch=z9hG4bK776asdhds\r\n" T_MF T_FROM T_TO T_CID
      T_CSEQ("INVITE") "Contact: <sip:alice@[2001:db8::5]:5060>\r\n" T_CL0 "\r\n", 0, "[2001:db8::5]:5060", "[2001:db8::1]:5060" },
    { "private SDP c= from a public source", SIP400_NAT_PRIVATE_CONTACT, SIP400_LEVEL_P,
      SDP_REQ(SDP_PRIV, "134"), "10.0.0.5", SDP_REQ(SDP_PUB, "136"), 0, "203.0.113.5:5060" },
    { "Via sent-by port differs from the UDP source port", SIP400_NAT_VIA_SENT_BY_MISMATCH, SIP400_LEVEL_P,
      WITH_VIA("SIP/2.0/UDP 198.51.100.1:5062;branch=z9hG4bK776asdhds", "INVITE"), "5062", GOOD },
    { "Via sent-by address differs from the source", SIP400_NAT_VIA_SENT_BY_MISMATCH, SIP400_LEVEL_P,
      WITH_VIA("SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK776asdhds", "INVITE"), "198.51.100.7", GOOD },
    { "ALG rewrote Contact but not Via", SIP400_NAT_SIP_ALG_MANGLING, SIP400_LEVEL_L,
      ALG_REQ("sip:alice@203.0.113.5:1024"), "sip:alice@203.0.113.5:1024", ALG_REQ("sip:alice@192.168.1.10:5060"), 0,
      "203.0.113.5:1024" },
    { "ALG rewrote SDP c= without fixing Content-Length", SIP400_NAT_SIP_ALG_MANGLING, SIP400_LEVEL_L,
      ALG_SDP_REQ("138"), "c=IN IP4 203.0.113.5", ALG_SDP_REQ("137"), 0, "203.0.113.5:5060" },
    /* uri.ip_port_omitted (group D, needs the real destination port) */
    { "IP Request-URI without port, sent to 5080", SIP400_URI_IP_PORT_OMITTED, SIP400_LEVEL_P,
      T_REQ("INVITE", "sip:bob@198.51.100.2"), "198.51.100.2", T_REQ("INVITE", "sip:bob@198.51.100.2:5080"), 0, NULL,
      "198.51.100.2:5080" },
    SIP400_CASES_END
};
