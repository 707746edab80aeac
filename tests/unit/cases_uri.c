/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group D: URIs in headers. */
#include "harness.h"

#define RL(m) m " sip:bob@example.com SIP/2.0\r\n"
/* an INVITE with the given From, To and Contact lines */
#define INV3(from, to, contact) \
    RL("INVITE") T_VIA T_MF from to T_CID T_CSEQ("INVITE") contact T_CL0 "\r\n"
#define GOOD T_REQ("INVITE", "sip:bob@example.com")
#define REG(to, contact, extra)                                                               \
    "REGISTER sip:example.com SIP/2.0\r\n" T_VIA T_MF "From: <sip:alice@example.com>;tag=88\r\n" to T_CID \
    "CSeq: 2 REGISTER\r\n" contact extra T_CL0 "\r\n"
#define REG_TO "To: <sip:alice@example.com>\r\n"
#define S10 "abcdefghij"
#define S100 S10 S10 S10 S10 S10 S10 S10 S10 S10 S10

/* A Contact list that must not be flagged: quoted display names with '<', ','
 * and '\"', a header-parameter '<urn:...>' in quotes, a mailto: URI, q values. */
#define CONTACT_LIST                                                                              \
    "Contact: \"Mr. Watson, <the \\\"assistant\\\">\" <sip:watson@198.51.100.1:5060>;q=0.7;expires=3600;" \
    "+sip.instance=\"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\", "                      \
    "\"Mr. Watson\" <mailto:watson@example.com> ;q=0.1, sip:watson@192.0.2.7;q=1.000\r\n"

const sip400_case sip400_cases_uri[] = {
    { "From port not numeric", SIP400_URI_FROM_INVALID, SIP400_LEVEL_C,
      INV3("From: <sip:alice@example.com:abc>;tag=1\r\n", T_TO, T_CONTACT),
      "abc", GOOD },
    { "From with a space in the URI", SIP400_URI_FROM_INVALID, SIP400_LEVEL_C,
      INV3("From: \"Alice\" <sip:alice smith@example.com>;tag=1\r\n", T_TO, T_CONTACT),
      "sip:alice smith@example.com", GOOD },
    { "From display name without < >", SIP400_URI_FROM_INVALID, SIP400_LEVEL_C,
      INV3("From: Alice sip:alice@example.com;tag=1\r\n", T_TO, T_CONTACT),
      "Alice sip:alice@example.com", INV3("From: Alice <sip:alice@example.com>;tag=1\r\n", T_TO, T_CONTACT) },
    { "To without host", SIP400_URI_TO_INVALID, SIP400_LEVEL_C,
      INV3(T_FROM, "To: <sip:bob@>\r\n", T_CONTACT), "sip:bob@", GOOD },
    { "To with a bad escape", SIP400_URI_TO_INVALID, SIP400_LEVEL_C,
      INV3(T_FROM, "To: <sip:bob%zz@example.com>\r\n", T_CONTACT), "%zz", GOOD },
    { "To with an unbracketed IPv6 host", SIP400_URI_TO_INVALID, SIP400_LEVEL_C,
      INV3(T_FROM, "To: <sip:bob@2001:db8::20>\r\n", T_CONTACT), "2001:db8::20",
      INV3(T_FROM, "To: <sip:bob@[2001:db8::20]>\r\n", T_CONTACT) },
    { "Contact without closing >", SIP400_URI_CONTACT_INVALID, SIP400_LEVEL_C,
      INV3(T_FROM, T_TO, "Contact: <sip:alice@198.51.100.1:5060\r\n"), "<sip:alice@198.51.100.1:5060", GOOD },
    { "Contact port above 65535", SIP400_URI_CONTACT_INVALID, SIP400_LEVEL_C,
      INV3(T_FROM, T_TO, "Contact: <sip:alice@198.51.100.1:65536>\r\n"), "65536", GOOD },
    { "second Contact value with an empty user", SIP400_URI_CONTACT_INVALID, SIP400_LEVEL_C,
      REG(REG_TO, "Contact: <sip:alice@198.51.100.1>, <sip:@198.51.100.1>\r\n", "Expires: 3600\r\n"),
      "sip:@198.51.100.1", REG(REG_TO, CONTACT_LIST, "Expires: 3600\r\n") },
    { "SUBSCRIBE whose only Contact is mailto: (pjsip 400)", SIP400_URI_CONTACT_INVALID, SIP400_LEVEL_C,
      RL("SUBSCRIBE") T_BASE("SUBSCRIBE") "Contact: <mailto:alice@example.com>\r\nEvent: presence\r\n" T_CL0 "\r\n",
      "mailto:alice@example.com",
      RL("SUBSCRIBE") T_BASE("SUBSCRIBE") "Contact: <mailto:alice@example.com>, " "<sip:alice@198.51.100.1>\r\n"
      "Event: presence\r\n" T_CL0 "\r\n" },
    { "From without scheme", SIP400_URI_MISSING_SCHEME, SIP400_LEVEL_C,
      INV3("From: <alice@example.com>;tag=1\r\n", T_TO, T_CONTACT), "alice@example.com", GOOD },
    { "Contact host:port without scheme", SIP400_URI_MISSING_SCHEME, SIP400_LEVEL_C,
      INV3(T_FROM, T_TO, "Contact: <198.51.100.1:5060>\r\n"), "198.51.100.1:5060", GOOD },
    { "Request-URI without scheme", SIP400_URI_MISSING_SCHEME, SIP400_LEVEL_C,
      "INVITE bob@example.com SIP/2.0\r\n" T_BASE("INVITE") T_CONTACT T_CL0 "\r\n", "bob@example.com", GOOD },
    { "Contact: * in INVITE", SIP400_URI_CONTACT_STAR_MISUSE, SIP400_LEVEL_C,
      INV3(T_FROM, T_TO, "Contact: *\r\n"), "*", GOOD },
    { "Contact: * with Expires: 3600", SIP400_URI_CONTACT_STAR_MISUSE, SIP400_LEVEL_C,
      REG(REG_TO, "Contact: *\r\n", "Expires: 3600\r\n"), "*", REG(REG_TO, "Contact: *\r\n", "Expires: 0\r\n") },
    { "Contact: * without Expires", SIP400_URI_CONTACT_STAR_MISUSE, SIP400_LEVEL_C,
      REG(REG_TO, "Contact: *\r\n", ""), "*", REG(REG_TO, "m: *\r\n", "Expires: 0\r\n") },
    { "Contact: * with another Contact", SIP400_URI_CONTACT_STAR_MISUSE, SIP400_LEVEL_C,
      REG(REG_TO, "Contact: *\r\nContact: <sip:alice@198.51.100.1>\r\n", "Expires: 0\r\n"), "*",
      REG(REG_TO, "Contact: <sip:alice@198.51.100.1>;expires=0\r\n", "") },
    { "q above 1", SIP400_URI_CONTACT_Q_INVALID, SIP400_LEVEL_C,
      REG(REG_TO, "Contact: <sip:alice@198.51.100.1>;q=1.5\r\n", "Expires: 3600\r\n"), "1.5",
      REG(REG_TO, CONTACT_LIST, "Expires: 3600\r\n") },
    { "q with four decimals", SIP400_URI_CONTACT_Q_INVALID, SIP400_LEVEL_C,
      REG(REG_TO, "Contact: sip:alice@198.51.100.1;q=0.1234\r\n", "Expires: 3600\r\n"), "0.1234",
      REG(REG_TO, "Contact: sip:alice@198.51.100.1;q=0.123\r\n", "Expires: 3600\r\n") },
    { "Contact URI over 512 bytes", SIP400_URI_CONTACT_TOO_LONG, SIP400_LEVEL_P,
      INV3(T_FROM, T_TO, "Contact: <sip:alice@198.51.100.1;x=" S100 S100 S100 S100 S100 ">\r\n"),
      "sip:alice@198.51.100.1;x=" S100 S100 S100 S100 S100,
      INV3(T_FROM, T_TO, "Contact: <sip:alice@198.51.100.1;x=" S100 S100 S100 S100 ">\r\n") },
    { "sips: Request-URI with a sip: Contact", SIP400_URI_SIPS_CONTACT_MISMATCH, SIP400_LEVEL_L,
      "INVITE sips:bob@example.com SIP/2.0\r\n" T_BASE("INVITE") T_CONTACT T_CL0 "\r\n",
      "sip:alice@198.51.100.1:5060",
      "INVITE sips:bob@example.com SIP/2.0\r\n" T_BASE("INVITE") "Contact: <sips:alice@198.51.100.1:5061>\r\n" T_CL0 "\r\n",
      SIP400_TRANSPORT_TLS },
    { "sips: top Route with a sip: Contact", SIP400_URI_SIPS_CONTACT_MISMATCH, SIP400_LEVEL_L,
      RL("INVITE") T_BASE("INVITE") "Route: <sips:proxy.example.com;lr>\r\n" T_CONTACT T_CL0 "\r\n",
      "sip:alice@198.51.100.1:5060",
      RL("INVITE") T_BASE("INVITE") "Route: <sip:proxy.example.com;lr>\r\n" T_CONTACT T_CL0 "\r\n" },
    { "REGISTER To is a tel: URI", SIP400_URI_REGISTER_AOR_INVALID, SIP400_LEVEL_C,
      REG("To: <tel:+15550100>\r\n", T_CONTACT, ""), "tel:+15550100", REG(REG_TO, T_CONTACT, "") },
    { "REGISTER To without scheme", SIP400_URI_REGISTER_AOR_INVALID, SIP400_LEVEL_C,
      REG("To: alice@example.com\r\n", T_CONTACT, ""), "alice@example.com", REG(REG_TO, T_CONTACT, "") },
    { "REGISTER To with a bad escape", SIP400_URI_REGISTER_AOR_INVALID, SIP400_LEVEL_C,
      REG("To: <sip:alice%2@example.com>\r\n", T_CONTACT, ""), "%2", REG(REG_TO, T_CONTACT, "") },
    { "password in From", SIP400_URI_PASSWORD_PRESENT, SIP400_LEVEL_P,
      INV3("From: <sip:alice:secret@example.com>;tag=1\r\n", T_TO, T_CONTACT), ":secret", GOOD },
    { "bracketed IPv6 in Via received", SIP400_URI_IPV6_VIA_RECEIVED, SIP400_LEVEL_P,
      RL("OPTIONS") "Via: SIP/2.0/UDP [2001:db8::9]:5060;received=[2001:db8::9];branch=z9hG4bK776asdhds\r\n" T_MF
      T_FROM T_TO T_CID T_CSEQ("OPTIONS") T_CL0 "\r\n",
      "[2001:db8::9]",
      RL("OPTIONS") "Via: SIP/2.0/UDP [2001:db8::9]:5060;received=2001:db8::9;branch=z9hG4bK776asdhds\r\n" T_MF
      T_FROM T_TO T_CID T_CSEQ("OPTIONS") T_CL0 "\r\n" },
    /* ruri.ipv6_unbracketed outside the Request-URI (RFC 5118 4.2) */
    { "unbracketed IPv6 in Contact", SIP400_RURI_IPV6_UNBRACKETED, SIP400_LEVEL_C,
      INV3(T_FROM, T_TO, "Contact: <sip:alice@2001:db8::1:5060>\r\n"), "2001:db8::1:5060",
      INV3(T_FROM, T_TO, "Contact: <sip:alice@[2001:db8::1]:5060>\r\n") },
    { "unbracketed IPv6 in Via sent-by", SIP400_RURI_IPV6_UNBRACKETED, SIP400_LEVEL_C,
      RL("OPTIONS") "Via: SIP/2.0/UDP 2001:db8::9;branch=z9hG4bK776asdhds\r\n" T_MF
      T_FROM T_TO T_CID T_CSEQ("OPTIONS") T_CL0 "\r\n",
      "2001:db8::9",
      RL("OPTIONS") "Via: SIP/2.0/UDP [2001:db8::9];branch=z9hG4bK776asdhds\r\n" T_MF
      T_FROM T_TO T_CID T_CSEQ("OPTIONS") T_CL0 "\r\n" },
    /* Route: see test_uri.c (one finding, ruri.ipv6_unbracketed or hdr.route_malformed) */
    { "IPv6 port inside brackets in Contact", SIP400_RURI_IPV6_PORT_INSIDE_BRACKETS, SIP400_LEVEL_P,
      INV3(T_FROM, T_TO, "Contact: <sip:alice@[2001:db8::1:5062]>\r\n"), "5062",
      INV3(T_FROM, T_TO, "Contact: <sip:alice@[2001:db8::1]:5062>\r\n") },
    SIP400_CASES_END
};
