/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group G: body and Content-*. */
#include "harness.h"

#define INV "INVITE sip:bob@example.com SIP/2.0\r\n" T_BASE("INVITE") T_CONTACT "Content-Type: application/sdp\r\n"
/* INVITE without Content-Type (add one) */
#define INV0 "INVITE sip:bob@example.com SIP/2.0\r\n" T_BASE("INVITE") T_CONTACT
/* T_SDP variants (lengths in the names' comments) */
#define SDP_HEAD "v=0\r\no=alice 2890844526 2890844526 IN IP4 198.51.100.1\r\ns=-\r\n"
#define SDP_AF SDP_HEAD "c=AF IP4 198.51.100.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n" /* 138 */
#define SDP_DYN SDP_HEAD "c=IN IP4 198.51.100.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n" /* 142 */
#define SDP_DYN_MAP SDP_DYN "a=rtpmap:101 telephone-event/8000\r\n" /* 177 */
#define SDP_NOM SDP_HEAD "c=IN IP4 198.51.100.1\r\nt=0 0\r\n" /* 91 */
#define SDP_LF "v=0\no=alice 2890844526 2890844526 IN IP4 198.51.100.1\ns=-\nc=IN IP4 198.51.100.1\nt=0 0\nm=audio 49170 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n" /* 131 */
/* multipart/mixed bodies with boundary b1: 233, 233, 225 bytes */
#define MP(sdp, close) "--b1\r\nContent-Type: application/sdp\r\n\r\n" sdp "\r\n--b1\r\nContent-Type: application/isup\r\n\r\n0123\r\n" close
#define MP_GOOD MP(T_SDP, "--b1--\r\n")
#define MP_AF MP(SDP_AF, "--b1--\r\n")
#define MP_OPEN MP(T_SDP, "")
#define INV_MP(ct, len, body) INV0 "Content-Type: " ct "\r\nContent-Length: " len "\r\n\r\n" body
#define INV_SDP(len, sdp) INV "Content-Length: " len "\r\n\r\n" sdp
#define INV_GOOD INV_SDP(T_SDP_LEN, T_SDP)
#define OK200 "SIP/2.0 200 OK\r\n" T_VIA T_FROM "To: Bob <sip:bob@example.com>;tag=8321234356\r\n" T_CID T_CSEQ("INVITE") T_CONTACT "Content-Type: application/sdp\r\n"
#define NOTIFY "NOTIFY sip:alice@198.51.100.1:5060 SIP/2.0\r\n" T_BASE("NOTIFY") T_CONTACT "Event: refer\r\nSubscription-State: active;expires=60\r\n"
#define NOTIFY_GOOD NOTIFY "Content-Type: message/sipfrag\r\nContent-Length: 16\r\n\r\nSIP/2.0 200 OK\r\n"
#define PUBLISH "PUBLISH sip:alice@example.com SIP/2.0\r\n" T_BASE("PUBLISH") "Event: presence\r\nExpires: 3600\r\n"

const sip400_case sip400_cases_body[] = {
    { "Content-Length larger than the body", SIP400_BODY_CONTENT_LENGTH_MISMATCH, SIP400_LEVEL_C,
      INV "Content-Length: 300\r\n\r\n" T_SDP, "300", INV "Content-Length: " T_SDP_LEN "\r\n\r\n" T_SDP },
    { "Content-Length smaller than the body", SIP400_BODY_CONTENT_LENGTH_MISMATCH, SIP400_LEVEL_L,
      INV "Content-Length: 100\r\n\r\n" T_SDP, "100", INV "Content-Length: " T_SDP_LEN "\r\n\r\n" T_SDP },
    { "Content-Length not numeric", SIP400_BODY_CONTENT_LENGTH_INVALID, SIP400_LEVEL_C,
      INV "Content-Length: bad\r\n\r\n" T_SDP, "bad", INV "Content-Length: " T_SDP_LEN "\r\n\r\n" T_SDP },
    { "Content-Length 2^32-1", SIP400_BODY_CONTENT_LENGTH_INVALID, SIP400_LEVEL_C,
      INV "Content-Length: 4294967295\r\n\r\n" T_SDP, "4294967295", INV "Content-Length: " T_SDP_LEN "\r\n\r\n" T_SDP },
    { "Content-Length negative", SIP400_BODY_CONTENT_LENGTH_INVALID, SIP400_LEVEL_C,
      INV "Content-Length: -5\r\n\r\n" T_SDP, "-5", INV "Content-Length: " T_SDP_LEN "\r\n\r\n" T_SDP },
    { "two Content-Length headers", SIP400_BODY_CONTENT_LENGTH_MULTIPLE, SIP400_LEVEL_C,
      INV "Content-Length: " T_SDP_LEN "\r\nl: " T_SDP_LEN "\r\n\r\n" T_SDP, "Content-Length: " T_SDP_LEN,
      INV "l: " T_SDP_LEN "\r\n\r\n" T_SDP },
    { "no empty line before the SDP", SIP400_BODY_MISSING_BLANK_LINE, SIP400_LEVEL_C,
      INV "Content-Length: 0\r\nv=0\r\no=alice 1 1 IN IP4 198.51.100.1\r\n",
      "v=0\r\no=alice 1 1 IN IP4 198.51.100.1\r\n", INV "Content-Length: 0\r\n\r\n" },
    /* Content-Type */
    { "SDP body without Content-Type", SIP400_BODY_CONTENT_TYPE_MISSING, SIP400_LEVEL_L,
      INV0 "Content-Length: " T_SDP_LEN "\r\n\r\n" T_SDP, T_SDP, INV_GOOD },
    { "SDP body labelled text/plain", SIP400_BODY_CONTENT_TYPE_MISMATCH, SIP400_LEVEL_L,
      INV0 "Content-Type: text/plain\r\nContent-Length: " T_SDP_LEN "\r\n\r\n" T_SDP, "text/plain", INV_GOOD },
    { "application/sdp body that is not SDP", SIP400_BODY_CONTENT_TYPE_MISMATCH, SIP400_LEVEL_L,
      INV "Content-Length: 13\r\n\r\nhello world\r\n", "application/sdp", INV_GOOD },
    { "INVITE with a text/plain body (415)", SIP400_BODY_CONTENT_TYPE_UNSUPPORTED, SIP400_LEVEL_N,
      INV0 "Content-Type: text/plain\r\nContent-Length: 13\r\n\r\nhello world\r\n", "text/plain", INV_GOOD },
    /* SDP */
    { "SDP c= with network type AF (pjsip 156)", SIP400_BODY_SDP_MALFORMED, SIP400_LEVEL_C,
      INV_SDP("138", SDP_AF), "AF", INV_GOOD },
    { "SDP dynamic payload type without rtpmap", SIP400_BODY_SDP_MALFORMED, SIP400_LEVEL_C,
      INV_SDP("142", SDP_DYN), "101", INV_SDP("177", SDP_DYN_MAP) },
    { "SDP offer without m= (pjsip 152)", SIP400_BODY_SDP_MALFORMED, SIP400_LEVEL_C,
      INV_SDP("91", SDP_NOM), "v=0", INV_GOOD },
    { "SDP in a 200 OK with c=AF", SIP400_BODY_SDP_MALFORMED, SIP400_LEVEL_C,
      OK200 "Content-Length: 138\r\n\r\n" SDP_AF, "AF", OK200 "Content-Length: " T_SDP_LEN "\r\n\r\n" T_SDP },
    { "SDP inside multipart/mixed with c=AF", SIP400_BODY_SDP_MALFORMED, SIP400_LEVEL_C,
      INV_MP("multipart/mixed;boundary=b1", "233", MP_AF), "AF", INV_MP("multipart/mixed;boundary=b1", "233", MP_GOOD) },
    { "SDP with bare LF line ends", SIP400_BODY_SDP_LINE_FORMAT, SIP400_LEVEL_P,
      INV_SDP("131", SDP_LF), "\n", INV_GOOD },
    { "TCP: Content-Length stops inside the SDP", SIP400_BODY_SDP_LINE_FORMAT, SIP400_LEVEL_P,
      INV_SDP("20", "v=0\r\no=alice 2890844"), "o=alice 2890844", INV_GOOD, SIP400_TRANSPORT_TCP, NULL, NULL, NULL },
    /* multipart */
    { "multipart without boundary parameter", SIP400_BODY_MULTIPART_MALFORMED, SIP400_LEVEL_P,
      INV_MP("multipart/mixed", "233", MP_GOOD), "multipart/mixed",
      INV_MP("multipart/mixed;boundary=b1", "233", MP_GOOD) },
    { "multipart boundary not in the body", SIP400_BODY_MULTIPART_MALFORMED, SIP400_LEVEL_P,
      INV_MP("multipart/mixed;boundary=zz", "233", MP_GOOD), "boundary=zz",
      INV_MP("multipart/mixed;boundary=b1", "233", MP_GOOD) },
    { "multipart without closing delimiter", SIP400_BODY_MULTIPART_MALFORMED, SIP400_LEVEL_P,
      INV_MP("multipart/mixed; boundary=\"b1\"", "225", MP_OPEN), "boundary=\"b1\"",
      INV_MP("multipart/mixed; boundary=\"b1\"", "233", MP_GOOD) },
    /* method-specific bodies */
    { "NOTIFY for refer with text/plain", SIP400_BODY_SIPFRAG_REQUIRED, SIP400_LEVEL_C,
      NOTIFY "Content-Type: text/plain\r\nContent-Length: 16\r\n\r\nSIP/2.0 200 OK\r\n", "text/plain", NOTIFY_GOOD },
    { "NOTIFY for refer without body", SIP400_BODY_SIPFRAG_REQUIRED, SIP400_LEVEL_C,
      NOTIFY T_CL0 "\r\n", "refer", NOTIFY_GOOD },
    { "NOTIFY for refer, sipfrag without status line", SIP400_BODY_SIPFRAG_REQUIRED, SIP400_LEVEL_C,
      NOTIFY "Content-Type: message/sipfrag\r\nContent-Length: 8\r\n\r\n200 OK\r\n", "200 OK", NOTIFY_GOOD },
    { "PUBLISH without body or SIP-If-Match", SIP400_BODY_PUBLISH_STATE_UNKNOWN, SIP400_LEVEL_C,
      PUBLISH T_CL0 "\r\n", "PUBLISH sip:alice@example.com SIP/2.0", PUBLISH "SIP-If-Match: dx200xyz\r\n" T_CL0 "\r\n" },
    { "INVITE Accept without application/sdp", SIP400_BODY_ACCEPT_WITHOUT_SDP, SIP400_LEVEL_P,
      INV "Accept: text/plain\r\nContent-Length: " T_SDP_LEN "\r\n\r\n" T_SDP, "text/plain",
      INV "Accept: application/sdp, text/plain\r\nContent-Length: " T_SDP_LEN "\r\n\r\n" T_SDP },
    SIP400_CASES_END
};
