/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group I: dialog and transaction (branch/CSeq reuse is in cases_transport.c). */
#include "harness.h"

#define RL(m, ruri) m " " ruri " SIP/2.0\r\n"
#define WITH_FROM_TO(m, from, to) RL(m, "sip:bob@example.com") T_VIA T_MF "From: " from "\r\nTo: " to "\r\n" T_CID \
    T_CSEQ(m) T_CONTACT T_CL0 "\r\n"
#define REFER(refer_to) RL("REFER", "sip:bob@example.com") T_BASE("REFER") T_CONTACT "Refer-To: " refer_to "\r\n" T_CL0 "\r\n"
#define GOOD T_REQ("INVITE", "sip:bob@example.com")

const sip400_case sip400_cases_dialog[] = {
    { "INVITE whose From has no tag", SIP400_DIALOG_FROM_TAG_MISSING, SIP400_LEVEL_P,
      WITH_FROM_TO("INVITE", "Alice <sip:alice@example.com>", "Bob <sip:bob@example.com>"),
      "Alice <sip:alice@example.com>", GOOD },
    { "tag inside the brackets is a URI parameter", SIP400_DIALOG_FROM_TAG_MISSING, SIP400_LEVEL_P,
      WITH_FROM_TO("OPTIONS", "<sip:alice@example.com;tag=1928301774>", "<sip:bob@example.com>"),
      "<sip:alice@example.com;tag=1928301774>",
      WITH_FROM_TO("OPTIONS", "<sip:alice@example.com>;tag=1928301774", "<sip:bob@example.com>") },
    { "two tags in From (Kamailio: Many From Tag Params)", SIP400_DIALOG_TAG_DUPLICATE, SIP400_LEVEL_L,
      WITH_FROM_TO("INVITE", "Alice <sip:alice@example.com>;tag=1928301774;tag=a6c85cf", "Bob <sip:bob@example.com>"),
      ";tag=a6c85cf", GOOD },
    { "two tags in To of an addr-spec", SIP400_DIALOG_TAG_DUPLICATE, SIP400_LEVEL_L,
      WITH_FROM_TO("BYE", "Alice <sip:alice@example.com>;tag=1928301774", "sip:bob@example.com;tag=a6c85cf;tag=x1"),
      ";tag=x1", WITH_FROM_TO("BYE", "Alice <sip:alice@example.com>;tag=1928301774", "sip:bob@example.com;tag=a6c85cf") },
    { "REGISTER with a To tag (reSIProcate 400)", SIP400_DIALOG_REGISTER_WITH_TO_TAG, SIP400_LEVEL_C,
      RL("REGISTER", "sip:example.com") T_VIA T_MF T_FROM "To: Alice <sip:alice@example.com>;tag=8321234356\r\n" T_CID
      T_CSEQ("REGISTER") T_CONTACT T_CL0 "\r\n", ";tag=8321234356",
      RL("REGISTER", "sip:example.com") T_VIA T_MF T_FROM "To: Alice <sip:alice@example.com>\r\n" T_CID
      T_CSEQ("REGISTER") T_CONTACT T_CL0 "\r\n" },
    { "Refer-To with a tel: URI (Asterisk 400)", SIP400_DIALOG_REFER_TO_INVALID, SIP400_LEVEL_C,
      REFER("<tel:+49301234567>"), "tel:+49301234567", REFER("<sip:+49301234567@example.com;user=phone>") },
    { "Refer-To with a space in the URI", SIP400_DIALOG_REFER_TO_INVALID, SIP400_LEVEL_C,
      REFER("<sip:carol example.com>"), NULL, REFER("<sip:carol@example.com>") },
    { "Refer-To without closing bracket", SIP400_DIALOG_REFER_TO_INVALID, SIP400_LEVEL_C,
      REFER("<sip:carol@example.com"), "<sip:carol@example.com", REFER("<sip:carol@example.com>") },
    SIP400_CASES_END
};
