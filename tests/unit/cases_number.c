/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group E: numbers and dialing.  Good messages run with the same preferences:
 * the default ones (policy any) must not flag national, 00-prefixed or
 * extension numbers; the e164/national cases show what the policies add. */
#include "harness.h"

/* policy e164, Germany: country code 49, trunk prefix 0, international prefix 00 */
static const sip400_prefs e164_de = { 0, SIP400_NUMBER_POLICY_E164, "49", "0", "00" };
/* policy e164, no country code configured */
static const sip400_prefs e164_nocc = { 0, SIP400_NUMBER_POLICY_E164, "", "0", "00" };
/* policy national, Germany */
static const sip400_prefs national_de = { 0, SIP400_NUMBER_POLICY_NATIONAL, "49", "0", "00" };
/* policy e164, North America: country code 1, trunk prefix 1, international prefix 011 */
static const sip400_prefs e164_us = { 0, SIP400_NUMBER_POLICY_E164, "1", "1", "011" };

#define INV(ruri) T_REQ("INVITE", ruri)
#define INV_TO(to) "INVITE sip:+49301234567@example.com SIP/2.0\r\n" T_VIA T_MF T_FROM "To: " to "\r\n" T_CID \
    T_CSEQ("INVITE") T_CONTACT T_CL0 "\r\n"
#define INV_FROM(from) "INVITE sip:+49301234567@example.com SIP/2.0\r\n" T_VIA T_MF "From: " from ";tag=1928301774\r\n" \
    T_TO T_CID T_CSEQ("INVITE") T_CONTACT T_CL0 "\r\n"
#define GOOD_E164 INV("sip:+49301234567@example.com;user=phone")

const sip400_case sip400_cases_number[] = {
    /* number.not_e164 (policy e164) */
    { "country code without + (policy e164)", SIP400_NUMBER_NOT_E164, SIP400_LEVEL_P,
      INV("sip:49301234567@example.com;user=phone"), "49301234567", GOOD_E164, 0, NULL, NULL, &e164_de },
    { "subscriber number without prefix (policy e164)", SIP400_NUMBER_NOT_E164, SIP400_LEVEL_P,
      INV_FROM("<sip:1234567@example.com>"), "1234567", INV_FROM("<sip:+49301234567@example.com>"), 0, NULL, NULL,
      &e164_de },
    /* number.missing_country_code */
    { "national number, trunk prefix 0 (policy e164, CC 49)", SIP400_NUMBER_MISSING_COUNTRY_CODE, SIP400_LEVEL_P,
      INV("sip:0301234567@example.com;user=phone"), "0301234567", GOOD_E164, 0, NULL, NULL, &e164_de },
    { "national number without a configured country code", SIP400_NUMBER_MISSING_COUNTRY_CODE, SIP400_LEVEL_P,
      INV("tel:0301234567;phone-context=example.com"), "0301234567", INV("tel:+49301234567"), 0, NULL, NULL, &e164_nocc },
    { "national number in To (policy e164)", SIP400_NUMBER_MISSING_COUNTRY_CODE, SIP400_LEVEL_P,
      INV_TO("<sip:0301234567@example.com;user=phone>"), "0301234567", INV_TO("<sip:+49301234567@example.com;user=phone>"),
      0, NULL, NULL, &e164_de },
    { "North American national number, trunk prefix 1", SIP400_NUMBER_MISSING_COUNTRY_CODE, SIP400_LEVEL_P,
      INV("sip:12125550123@example.com;user=phone"), "12125550123", INV("sip:+12125550123@example.com;user=phone"), 0,
      NULL, NULL, &e164_us },
    /* number.intl_prefix */
    { "00 instead of + (policy national)", SIP400_NUMBER_INTL_PREFIX, SIP400_LEVEL_P,
      INV("sip:0049301234567@example.com"), "0049301234567", INV("sip:0301234567@example.com"), 0, NULL, NULL,
      &national_de },
    { "011 instead of + (policy e164, US)", SIP400_NUMBER_INTL_PREFIX, SIP400_LEVEL_P,
      INV("sip:01149301234567@example.com"), "01149301234567", INV("sip:+49301234567@example.com"), 0, NULL, NULL, &e164_us },
    { "+00 (any policy: no country code starts with 0)", SIP400_NUMBER_INTL_PREFIX, SIP400_LEVEL_P,
      INV("tel:+0049301234567"), "+0049301234567", INV("sip:0049301234567@example.com") },
    /* number.visual_separators */
    { "dashes in a tel: number in To (policy national)", SIP400_NUMBER_VISUAL_SEPARATORS, SIP400_LEVEL_P,
      INV_TO("<tel:+49-30-1234567>"), "-", INV_TO("<tel:+49301234567>"), 0, NULL, NULL, &national_de },
    { "dots and parentheses (policy e164)", SIP400_NUMBER_VISUAL_SEPARATORS, SIP400_LEVEL_P,
      INV("sip:+1.(212).555.0123@example.com;user=phone"), ".", INV("sip:+12125550123@example.com;user=phone"), 0, NULL,
      NULL, &e164_us },
    /* number.whitespace: a raw space breaks the URI (ruri.whitespace); %20 is the number's */
    { "escaped spaces in a number", SIP400_NUMBER_WHITESPACE, SIP400_LEVEL_L,
      INV("sip:+49%2030%201234567@example.com;user=phone"), "%20", GOOD_E164 },
    /* number.unescaped_chars */
    { "raw # in a star code", SIP400_NUMBER_UNESCAPED_CHARS, SIP400_LEVEL_L,
      INV("sip:*21#@pbx.example.com"), "#", INV("sip:*21%23@pbx.example.com") },
    { "+ inside a number", SIP400_NUMBER_UNESCAPED_CHARS, SIP400_LEVEL_L,
      INV("sip:0049+301234567@example.com"), "+", INV("sip:0049301234567@example.com") },
    { "* in a global number", SIP400_NUMBER_UNESCAPED_CHARS, SIP400_LEVEL_L,
      INV("tel:+4930*1234567"), "*", INV("tel:+49301234567") },
    /* number.local_without_phone_context */
    { "local tel: number without phone-context", SIP400_NUMBER_LOCAL_WITHOUT_PHONE_CONTEXT, SIP400_LEVEL_L,
      INV("tel:0301234567"), "tel:0301234567", INV("tel:0301234567;phone-context=+49") },
    /* number.letters */
    { "vanity number with letters", SIP400_NUMBER_LETTERS, SIP400_LEVEL_P,
      INV("sip:+1800FLOWERS@example.com;user=phone"), "F", INV("sip:+18003569377@example.com;user=phone") },
    /* number.length */
    { "global number with 16 digits", SIP400_NUMBER_LENGTH, SIP400_LEVEL_P,
      INV("tel:+4930123456789012"), "+4930123456789012", INV("tel:+493012345678901") },
    { "global number with 2 digits", SIP400_NUMBER_LENGTH, SIP400_LEVEL_P,
      INV("sip:+12@example.com;user=phone"), "+12", INV("sip:+123@example.com;user=phone") },
    /* number.user_phone_misuse */
    { "user=phone with a name", SIP400_NUMBER_USER_PHONE_MISUSE, SIP400_LEVEL_P,
      INV("sip:alice@example.com;user=phone"), "alice", INV("sip:alice@example.com") },
    { "phone-context after the host", SIP400_NUMBER_USER_PHONE_MISUSE, SIP400_LEVEL_P,
      INV("sip:1234@example.com;phone-context=+4930;user=phone"), "phone-context=+4930",
      INV("sip:1234;phone-context=+4930@example.com;user=phone") },
    SIP400_CASES_END
};
