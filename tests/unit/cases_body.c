/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group G: body and Content-*. */
#include "harness.h"

#define INV "INVITE sip:bob@example.com SIP/2.0\r\n" T_BASE("INVITE") T_CONTACT "Content-Type: application/sdp\r\n"

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
    SIP400_CASES_END
};
