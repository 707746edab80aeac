/* SPDX-License-Identifier: GPL-2.0-or-later
 * Table-driven rule tests: every case is a message with one defect, the exact
 * bytes the finding must highlight, and a near-identical message without it. */
#ifndef SIP400_TEST_HARNESS_H
#define SIP400_TEST_HARNESS_H

#include "engine.h"

typedef struct {
    const char *name;
    sip400_cause cause;
    sip400_level level;
    const char *msg;   /* message with the defect */
    const char *span;  /* exact text the finding highlights; NULL: not checked */
    const char *good;  /* near-identical message without the defect; NULL: none */
    sip400_transport transport; /* 0: UDP */
    const char *src;   /* "203.0.113.5:5060" or "[2001:db8::1]:5060"; NULL: 198.51.100.1:5060 */
    const char *dst;   /* NULL: 198.51.100.2:5060 */
    const sip400_prefs *prefs; /* NULL: defaults */
    uint32_t msg_len;  /* bytes of msg when it contains NUL bytes; 0: strlen(msg) */
    const char *prior; /* analysed first (frame 1) with the same request history; NULL: no history */
    bool ip_fragmented; /* the datagram was IP-fragmented */
} sip400_case;

#define SIP400_CASES_END { NULL, 0, 0, NULL, NULL, NULL, 0, NULL, NULL, NULL }

/* Building blocks of well-formed test messages (UDP from 198.51.100.1:5060) */
#define T_VIA "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK776asdhds\r\n"
#define T_MF "Max-Forwards: 70\r\n"
#define T_FROM "From: Alice <sip:alice@example.com>;tag=1928301774\r\n"
#define T_TO "To: Bob <sip:bob@example.com>\r\n"
#define T_CID "Call-ID: a84b4c76e66710@pc33.example.com\r\n"
#define T_CSEQ(m) "CSeq: 314159 " m "\r\n"
#define T_CONTACT "Contact: <sip:alice@198.51.100.1:5060>\r\n"
#define T_CL0 "Content-Length: 0\r\n"
/* the mandatory set of a request, without Contact and Content-Length */
#define T_BASE(m) T_VIA T_MF T_FROM T_TO T_CID T_CSEQ(m)
/* a complete body-less request */
#define T_REQ(m, ruri) m " " ruri " SIP/2.0\r\n" T_BASE(m) T_CONTACT T_CL0 "\r\n"
#define T_SDP "v=0\r\no=alice 2890844526 2890844526 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 198.51.100.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
/* strlen(T_SDP) */
#define T_SDP_LEN "138"

/* One array per catalog group, in cases_<group>.c */
extern const sip400_case sip400_cases_start[];
extern const sip400_case sip400_cases_headers[];
extern const sip400_case sip400_cases_uri[];
extern const sip400_case sip400_cases_number[];
extern const sip400_case sip400_cases_transport[];
extern const sip400_case sip400_cases_body[];
extern const sip400_case sip400_cases_auth[];
extern const sip400_case sip400_cases_dialog[];
extern const sip400_case sip400_cases_size[];

/* Build a context from a case (addresses parsed from src/dst). */
void sip400_case_ctx(const sip400_case *c, sip400_ctx *ctx);

#endif
