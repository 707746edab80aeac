/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group H: authentication. */
#include "harness.h"

#define REG "REGISTER sip:example.com SIP/2.0\r\n" T_VIA T_MF "From: <sip:alice@example.com>;tag=1928301774\r\n" \
            "To: <sip:alice@example.com>\r\n" T_CID T_CSEQ("REGISTER") T_CONTACT
#define AUTH(params) "Authorization: Digest " params "\r\n"
#define P_USER "username=\"alice\""
#define P_REALM "realm=\"example.com\""
#define P_NONCE "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\""
#define P_URI "uri=\"sip:example.com\""
#define P_RESP "response=\"e6f99bf4ea2a2a0b1f3ea0a8e5b0c1b2\""
#define CREDS P_USER ", " P_REALM ", " P_NONCE ", " P_URI ", " P_RESP ", algorithm=MD5"
#define REG_AUTH(params) REG AUTH(params) T_CL0 "\r\n"
#define REG_GOOD REG_AUTH(CREDS)
#define INV "INVITE sip:bob@example.com SIP/2.0\r\n" T_BASE("INVITE") T_CONTACT
#define PAUTH(params) "Proxy-Authorization: Digest " params "\r\n"
#define PCREDS(uri) "username=\"alice\", realm=\"example.com\", nonce=\"4f3a\", uri=" uri ", response=\"0123456789abcdef0123456789abcdef\""

const sip400_case sip400_cases_auth[] = {
    { "Digest parameter without '='", SIP400_AUTH_MALFORMED_HEADER, SIP400_LEVEL_L,
      REG_AUTH("username \"alice\", " P_REALM ", " P_NONCE ", " P_URI ", " P_RESP), "username", REG_GOOD },
    { "Digest quoted value never closed", SIP400_AUTH_MALFORMED_HEADER, SIP400_LEVEL_L,
      REG_AUTH(P_USER ", " P_REALM ", " P_URI ", response=\"e6f99bf4ea2a2a0b1f3ea0a8e5b0c1b2\", nonce=\"dcd98b71"),
      "\"dcd98b71", REG_GOOD },
    { "Digest without response", SIP400_AUTH_MISSING_DIGEST_PARAM, SIP400_LEVEL_L,
      REG_AUTH(P_USER ", " P_REALM ", " P_NONCE ", " P_URI),
      "Digest " P_USER ", " P_REALM ", " P_NONCE ", " P_URI, REG_GOOD },
    { "Digest qop without cnonce and nc", SIP400_AUTH_MISSING_DIGEST_PARAM, SIP400_LEVEL_L,
      REG_AUTH(CREDS ", qop=auth"), "Digest " CREDS ", qop=auth",
      REG_AUTH(CREDS ", qop=auth, cnonce=\"0a4f113b\", nc=00000001") },
    { "Digest with empty username", SIP400_AUTH_EMPTY_VALUE, SIP400_LEVEL_L,
      REG_AUTH("username=\"\", " P_REALM ", " P_NONCE ", " P_URI ", " P_RESP), "username=\"\"", REG_GOOD },
    { "Digest with empty response", SIP400_AUTH_EMPTY_VALUE, SIP400_LEVEL_L,
      REG_AUTH(P_USER ", " P_REALM ", " P_NONCE ", " P_URI ", response=\"\""), "response=\"\"",
      /* 3GPP TS 24.229 initial REGISTER: empty nonce and response on purpose */
      REG_AUTH(P_USER ", " P_REALM ", nonce=\"\", " P_URI ", response=\"\"") },
    { "Digest uri not quoted", SIP400_AUTH_URI_UNQUOTED, SIP400_LEVEL_P,
      REG_AUTH(P_USER ", " P_REALM ", " P_NONCE ", uri=sip:example.com, " P_RESP), "sip:example.com", REG_GOOD },
    { "Digest uri differs from the Request-URI", SIP400_AUTH_URI_MISMATCH, SIP400_LEVEL_P,
      INV PAUTH(PCREDS("\"sip:carol@example.com\"")) T_CL0 "\r\n", "sip:carol@example.com",
      INV PAUTH(PCREDS("\"sip:bob@example.com\"")) T_CL0 "\r\n" },
    { "Basic authorization", SIP400_AUTH_NON_DIGEST_SCHEME, SIP400_LEVEL_P,
      REG "Authorization: Basic YWxpY2U6c2VjcmV0\r\n" T_CL0 "\r\n", "Basic", REG_GOOD },
    SIP400_CASES_END
};
