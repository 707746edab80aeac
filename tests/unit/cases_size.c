/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group J: size and encoding. */
#include "harness.h"

#define RL(m) m " sip:bob@example.com SIP/2.0\r\n"
#define GOOD T_REQ("OPTIONS", "sip:bob@example.com")
#define OPT_CID(cid) RL("OPTIONS") T_VIA T_MF T_FROM T_TO "Call-ID: " cid "\r\n" T_CSEQ("OPTIONS") T_CL0 "\r\n"
#define S10 "abcdefghij"
#define S100 S10 S10 S10 S10 S10 S10 S10 S10 S10 S10
#define S1000 S100 S100 S100 S100 S100 S100 S100 S100 S100 S100

/* OPTIONS with a NUL inside the Subject value (length given: strlen stops at NUL) */
#define NUL_MSG RL("OPTIONS") T_BASE("OPTIONS") "Subject: hi\0there\r\n" T_CL0 "\r\n"

const sip400_case sip400_cases_size[] = {
    /* span not checked: the finding covers the bytes past the 4000-byte limit */
    { "message over 4000 bytes", SIP400_SIZE_MESSAGE_TOO_LARGE, SIP400_LEVEL_P,
      RL("OPTIONS") T_BASE("OPTIONS") "X-Pad: " S1000 S1000 S1000 S1000 "\r\n" T_CL0 "\r\n", NULL,
      RL("OPTIONS") T_BASE("OPTIONS") "X-Pad: " S1000 S1000 S1000 "\r\n" T_CL0 "\r\n" },
    { "Call-ID of 300 bytes", SIP400_SIZE_CALL_ID_TOO_LONG, SIP400_LEVEL_L,
      OPT_CID(S100 S100 S100), S100 S100 S100, OPT_CID(S100 S100 "@pc33.example.com") },
    { "space inside the Call-ID", SIP400_ENCODING_CALLID_INVALID, SIP400_LEVEL_L,
      OPT_CID("a84b4c76e66710 @pc33.example.com"), " ", GOOD },
    { "two @ in the Call-ID", SIP400_ENCODING_CALLID_INVALID, SIP400_LEVEL_L,
      OPT_CID("a84b4c76e66710@pc33@example.com"), "@", GOOD },
    { "semicolon in the Call-ID", SIP400_ENCODING_CALLID_INVALID, SIP400_LEVEL_L,
      OPT_CID("a84b4c76e66710;x@pc33.example.com"), ";", OPT_CID("a84b4c76e66710-x@[2001:db8::1]") },
    { "UTF-8 in the From URI user part", SIP400_ENCODING_NON_ASCII_IN_TOKENS, SIP400_LEVEL_L,
      RL("OPTIONS") T_VIA T_MF "From: <sip:j\xc3\xb6rg@example.com>;tag=1\r\n" T_TO T_CID T_CSEQ("OPTIONS") T_CL0 "\r\n",
      "\xc3\xb6",
      RL("OPTIONS") T_VIA T_MF "From: \"J\xc3\xb6rg\" <sip:joerg@example.com>;tag=1\r\n" T_TO T_CID T_CSEQ("OPTIONS") T_CL0
      "\r\n" },
    { "UTF-8 in an event package", SIP400_ENCODING_NON_ASCII_IN_TOKENS, SIP400_LEVEL_L,
      RL("OPTIONS") T_BASE("OPTIONS") "Allow-Events: pr\xc3\xa9sence\r\n" T_CL0 "\r\n", "\xc3\xa9",
      RL("OPTIONS") T_BASE("OPTIONS") "Allow-Events: presence\r\nSubject: caf\xc3\xa9\r\n" T_CL0 "\r\n" },
    { "UTF-8 in a Request-URI parameter", SIP400_ENCODING_NON_ASCII_IN_TOKENS, SIP400_LEVEL_L,
      T_REQ("OPTIONS", "sip:bob@example.com;x=\xc3\xa9t\xc3\xa9"), "\xc3\xa9", GOOD },
    /* span not checked here (a NUL cannot be written in a C string span);
     * test_uri.c checks the exact byte */
    { "NUL in a header value", SIP400_ENCODING_NUL_BYTES, SIP400_LEVEL_L,
      NUL_MSG, NULL, GOOD, 0, NULL, NULL, NULL, (uint32_t)(sizeof NUL_MSG - 1) },
    { "UTF-8 byte order mark before the request line", SIP400_ENCODING_LEADING_GARBAGE, SIP400_LEVEL_L,
      "\xef\xbb\xbf" T_REQ("OPTIONS", "sip:bob@example.com"), "\xef\xbb\xbf", "\r\n" GOOD },
    { "keepalive leftover before the request line", SIP400_ENCODING_LEADING_GARBAGE, SIP400_LEVEL_L,
      "\r\n\r\nping" T_REQ("OPTIONS", "sip:bob@example.com"), "ping", "\r\n\r\n" GOOD },
    SIP400_CASES_END
};
