/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group A: start line and Request-URI. */
#include "harness.h"

const sip400_case sip400_cases_start[] = {
    { "request line without version", SIP400_START_MALFORMED_REQUEST_LINE, SIP400_LEVEL_C,
      "INVITE sip:bob@example.com\r\n" T_BASE("INVITE") T_CONTACT T_CL0 "\r\n",
      "INVITE sip:bob@example.com", T_REQ("INVITE", "sip:bob@example.com") },
    { "garbage first line", SIP400_START_MALFORMED_REQUEST_LINE, SIP400_LEVEL_C,
      "HELLO\r\n" T_BASE("INVITE") T_CONTACT T_CL0 "\r\n",
      "HELLO", T_REQ("INVITE", "sip:bob@example.com") },
    { "SIP/3.0", SIP400_START_SIP_VERSION_UNSUPPORTED, SIP400_LEVEL_N,
      "INVITE sip:bob@example.com SIP/3.0\r\n" T_BASE("INVITE") T_CONTACT T_CL0 "\r\n",
      "SIP/3.0", "INVITE sip:bob@example.com sip/2.0\r\n" T_BASE("INVITE") T_CONTACT T_CL0 "\r\n" },
    { "space inside the user part", SIP400_RURI_WHITESPACE, SIP400_LEVEL_C,
      "INVITE sip:+1 555 0100@example.com SIP/2.0\r\n" T_BASE("INVITE") T_CONTACT T_CL0 "\r\n",
      " 555 0100@example.com", T_REQ("INVITE", "sip:+15550100@example.com") },
    { "empty user before @", SIP400_RURI_MISSING_USER, SIP400_LEVEL_C,
      T_REQ("INVITE", "sip:@example.com"),
      "sip:@example.com", T_REQ("INVITE", "sip:bob@example.com") },
    { "user and host separated by a space", SIP400_RURI_MISSING_AT, SIP400_LEVEL_C,
      "INVITE sip:bob example.com SIP/2.0\r\n" T_BASE("INVITE") T_CONTACT T_CL0 "\r\n",
      "sip:bob example.com", T_REQ("INVITE", "sip:bob@example.com") },
    SIP400_CASES_END
};
