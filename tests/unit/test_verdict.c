/* SPDX-License-Identifier: GPL-2.0-or-later
 * The verdict on a 400 (plugin/verdict.c): the reason-phrase table (longest
 * match first, Warning / P-Registrar-Error / Reason too), server families, and
 * the combination with the request's findings -- including "unexplained" and
 * "the server names what the request does not show". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "verdict.h"
#include "check.h"



static sip400_msg msgbuf;
static sip400_verdict v;

#define R_HDRS                                                                             \
    "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK1\r\n"                                \
    "From: <sip:alice@example.com>;tag=1\r\nCall-ID: c@h\r\nCSeq: 1 INVITE\r\n"

static const sip400_verdict *judge(const char *resp, const sip400_vfinding *f, uint32_t n, bool seen)
{
    sip400_msg_scan(&msgbuf, (const uint8_t *)resp, (uint32_t)strlen(resp));
    sip400_verdict_make(f, n, seen, &msgbuf, &v);
    return &v;
}

static bool has(const char *hay, const char *needle)
{
    bool ok = strstr(hay, needle) != NULL;
    if (!ok)
        fprintf(stderr, "  \"%s\" not in \"%s\"\n", needle, hay);
    return ok;
}

static bool is_candidate(const sip400_verdict *x, sip400_cause c)
{
    for (uint32_t i = 0; i < x->ncandidates; i++) {
        if (x->candidates[i] == c)
            return true;
    }
    return false;
}

static const char kam_cseq[] = "SIP/2.0 400 CSeq method does not match request method\r\n" R_HDRS
                               "To: <sip:bob@example.com>;tag=abc\r\nServer: kamailio (sip400 e2e)\r\n"
                               "Content-Length: 0\r\n\r\n";

static void test_server_confirms(void)
{
    sip400_vfinding f[] = {
        { SIP400_NUMBER_NOT_E164, SIP400_LEVEL_P, "not E.164", NULL },
        { SIP400_HDR_CSEQ_METHOD_MISMATCH, SIP400_LEVEL_C, "CSeq method BYE does not match request method INVITE", NULL },
        { SIP400_HDR_MISSING_CONTACT, SIP400_LEVEL_C, "no Contact", NULL },
    };
    const sip400_verdict *x = judge(kam_cseq, f, 3, true);
    CHECK(x->cause == SIP400_HDR_CSEQ_METHOD_MISMATCH);
    CHECK(x->confidence == SIP400_CONFIDENCE_HIGH);
    CHECK(!x->server_only);
    CHECK(x->words.family == SIP400_FAMILY_KAMAILIO);
    CHECK(strcmp(x->words.reason, "CSeq method does not match request method") == 0);
    CHECK(strcmp(x->words.agent, "kamailio (sip400 e2e)") == 0);
    CHECK(has(x->evidence, "Kamailio says \"CSeq method does not match request method\""));
    CHECK(has(x->evidence, "hdr.cseq.method_mismatch (error): CSeq method BYE"));
    CHECK(is_candidate(x, SIP400_HDR_MISSING_CONTACT));
    CHECK(!is_candidate(x, SIP400_HDR_CSEQ_METHOD_MISMATCH));
    CHECK(strcmp(sip400_confidence_name(x->confidence), "high") == 0);
    CHECK(strcmp(sip400_family_name(x->words.family), "kamailio") == 0);
}

static void test_server_only(void)
{
    /* the server names a cause the request's findings do not show */
    sip400_vfinding f[] = { { SIP400_NUMBER_NOT_E164, SIP400_LEVEL_P, "not E.164", NULL } };
    const sip400_verdict *x = judge(kam_cseq, f, 1, true);
    CHECK(x->cause == SIP400_HDR_CSEQ_METHOD_MISMATCH);
    CHECK(x->confidence == SIP400_CONFIDENCE_MEDIUM);
    CHECK(x->server_only);
    CHECK(has(x->evidence, "do not show"));
    /* request not in the capture: the server's words alone */
    x = judge(kam_cseq, NULL, 0, false);
    CHECK(x->cause == SIP400_HDR_CSEQ_METHOD_MISMATCH && !x->request_seen && !x->server_only);
    CHECK(has(x->evidence, "request not in the capture"));
    /* only a family named: never a guess */
    static const char r[] = "SIP/2.0 400 Bad Request URI\r\n" R_HDRS "To: <sip:b@x>;tag=9\r\n"
                            "Server: kamailio\r\n\r\n";
    x = judge(r, NULL, 0, true);
    CHECK(x->cause == SIP400_OUTCOME_UNEXPLAINED);
    CHECK(x->confidence == SIP400_CONFIDENCE_LOW);
    CHECK(strcmp(x->candidate_family, "ruri.*") == 0);
    CHECK(x->server_only && has(x->evidence, "ruri.*"));
    CHECK(!x->words.generic); /* "bad request uri" wins over "bad request" */
    /* ... and the family when the request shows one of it */
    sip400_vfinding g[] = {
        { SIP400_NUMBER_NOT_E164, SIP400_LEVEL_P, NULL, NULL },
        { SIP400_RURI_MISSING_USER, SIP400_LEVEL_C, "Request-URI has no user", NULL },
    };
    x = judge(r, g, 2, true);
    CHECK(x->cause == SIP400_RURI_MISSING_USER && x->confidence == SIP400_CONFIDENCE_HIGH);
    /* a note-level finding counts when the server names it (416 by the RFC, 400 by Kamailio) */
    sip400_vfinding u[] = { { SIP400_RURI_UNKNOWN_SCHEME, SIP400_LEVEL_N, "scheme `foo` is not sip/sips/tel", NULL } };
    x = judge(r, u, 1, true);
    CHECK(x->cause == SIP400_RURI_UNKNOWN_SCHEME && x->confidence == SIP400_CONFIDENCE_MEDIUM && !x->server_only);
}

static void test_plain_bad_request(void)
{
    static const char r[] = "SIP/2.0 400 Bad Request\r\n" R_HDRS "To: <sip:b@x>;tag=9\r\n\r\n";
    sip400_vfinding one[] = {
        { SIP400_NUMBER_NOT_E164, SIP400_LEVEL_P, NULL, NULL },
        { SIP400_BODY_CONTENT_LENGTH_MISMATCH, SIP400_LEVEL_C, "Content-Length: 263 but the body has 223 bytes", NULL },
    };
    const sip400_verdict *x = judge(r, one, 2, true);
    CHECK(x->words.generic);
    /* words that name nothing confirm nothing: medium at best */
    CHECK(x->cause == SIP400_BODY_CONTENT_LENGTH_MISMATCH && x->confidence == SIP400_CONFIDENCE_MEDIUM);
    CHECK(has(x->evidence, "names no cause"));
    CHECK(x->words.family == SIP400_FAMILY_UNKNOWN);
    sip400_vfinding two[] = {
        { SIP400_HDR_MISSING_CONTACT, SIP400_LEVEL_C, NULL, NULL },
        { SIP400_BODY_CONTENT_LENGTH_MISMATCH, SIP400_LEVEL_C, NULL, NULL },
    };
    x = judge(r, two, 2, true);
    CHECK(x->cause == SIP400_HDR_MISSING_CONTACT && x->confidence == SIP400_CONFIDENCE_MEDIUM);
    CHECK(is_candidate(x, SIP400_BODY_CONTENT_LENGTH_MISMATCH));
    sip400_vfinding lik[] = { { SIP400_HDR_MISSING_MAX_FORWARDS, SIP400_LEVEL_L, NULL, NULL } };
    x = judge(r, lik, 1, true);
    CHECK(x->cause == SIP400_HDR_MISSING_MAX_FORWARDS && x->confidence == SIP400_CONFIDENCE_MEDIUM);
    /* no defect: unexplained, with the server's words as evidence */
    x = judge(r, NULL, 0, true);
    CHECK(x->cause == SIP400_OUTCOME_UNEXPLAINED && x->confidence == SIP400_CONFIDENCE_LOW);
    CHECK(has(x->evidence, "the request shows no defect") && has(x->evidence, "\"Bad Request\""));
    /* only a note-level finding: it is the verdict, at low confidence
     * (outcome.unexplained is for a request without any finding) */
    sip400_vfinding note[] = { { SIP400_HDR_MAX_FORWARDS_ZERO, SIP400_LEVEL_N, NULL, NULL } };
    x = judge(r, note, 1, true);
    CHECK(x->cause == SIP400_HDR_MAX_FORWARDS_ZERO && x->confidence == SIP400_CONFIDENCE_LOW);
}

static void test_headers_speak(void)
{
    /* Kamailio registrar: the cause is in P-Registrar-Error */
    static const char reg[] = "SIP/2.0 400 Bad Request\r\n" R_HDRS "To: <sip:b@x>;tag=9\r\n"
                              "P-Registrar-Error: Invalid q param in contact\r\nContent-Length: 0\r\n\r\n";
    const sip400_verdict *x = judge(reg, NULL, 0, true);
    CHECK(x->cause == SIP400_URI_CONTACT_Q_INVALID && x->server_only);
    CHECK(x->words.family == SIP400_FAMILY_KAMAILIO);
    CHECK(strcmp(x->words.detail, "P-Registrar-Error: Invalid q param in contact") == 0);
    CHECK(has(x->evidence, "P-Registrar-Error: Invalid q param in contact"));
    CHECK(has(x->evidence, "reason phrase \"Bad Request\""));
    /* pjsip: Warning 399 with a PJ error code */
    static const char pj[] = "SIP/2.0 400 Bad Request\r\n" R_HDRS "To: <sip:b@x>;tag=9\r\n"
                             "Warning: 399 pbx \"Invalid SDP media line (PJMEDIA_SDP_EINMEDIA)\"\r\n\r\n";
    sip400_vfinding sdp[] = { { SIP400_BODY_SDP_MALFORMED, SIP400_LEVEL_C, "m= line without formats", NULL } };
    x = judge(pj, sdp, 1, true);
    CHECK(x->cause == SIP400_BODY_SDP_MALFORMED && x->confidence == SIP400_CONFIDENCE_HIGH);
    CHECK(x->words.family == SIP400_FAMILY_PJSIP);
    CHECK(has(x->words.warning, "PJMEDIA_SDP_EINMEDIA"));
    /* Reason header */
    static const char rh[] = "SIP/2.0 400 Bad Request\r\n" R_HDRS "To: <sip:b@x>;tag=9\r\n"
                             "Reason: SIP;cause=400;text=\"Missing Contact header\"\r\n\r\n";
    x = judge(rh, NULL, 0, true);
    CHECK(x->cause == SIP400_HDR_MISSING_CONTACT && x->confidence == SIP400_CONFIDENCE_MEDIUM);
}

/* Words that name a header narrow the verdict to that header's findings,
 * whichever cause (issue 14: sofia's "Bad CSeq Header" to `CSeq: 7`). */
static void test_header_named(void)
{
    static const char so[] = "SIP/2.0 400 Bad CSeq Header\r\n" R_HDRS "To: <sip:b@x>;tag=9\r\n\r\n";
    sip400_vfinding f[] = {
        { SIP400_HDR_MISSING_MAX_FORWARDS, SIP400_LEVEL_L, NULL, "Max-Forwards" },
        { SIP400_HDR_CSEQ_MISSING_METHOD, SIP400_LEVEL_C, "CSeq `7` has no method", "CSeq" },
    };
    const sip400_verdict *x = judge(so, f, 2, true);
    CHECK(x->cause == SIP400_HDR_CSEQ_MISSING_METHOD && x->confidence == SIP400_CONFIDENCE_HIGH);
    CHECK(has(x->evidence, "names the CSeq header") && !x->server_only);
    CHECK(strcmp(x->words.header, "CSeq") == 0);
    /* the header found from the cause id when the finding names none */
    sip400_vfinding g[] = { { SIP400_HDR_CSEQ_METHOD_MISMATCH, SIP400_LEVEL_C, NULL, NULL } };
    x = judge(so, g, 1, true);
    CHECK(x->cause == SIP400_HDR_CSEQ_METHOD_MISMATCH && x->confidence == SIP400_CONFIDENCE_HIGH);
    /* a named cause on another header does not count: "Bad To Header" with
     * an open quote in Contact only */
    static const char to[] = "SIP/2.0 400 Bad To Header\r\n" R_HDRS "To: <sip:b@x>;tag=9\r\n\r\n";
    sip400_vfinding q[] = { { SIP400_HDR_UNTERMINATED_QUOTE, SIP400_LEVEL_C, NULL, "Contact" } };
    x = judge(to, q, 1, true);
    CHECK(x->cause == SIP400_URI_TO_INVALID && x->server_only);
    /* a family named, not shown: the request's own finding, low confidence */
    static const char ru[] = "SIP/2.0 400 Bad Request URI\r\n" R_HDRS "To: <sip:b@x>;tag=9\r\n\r\n";
    x = judge(ru, q, 1, true);
    CHECK(x->cause == SIP400_HDR_UNTERMINATED_QUOTE && x->confidence == SIP400_CONFIDENCE_LOW);
    CHECK(strcmp(x->candidate_family, "ruri.*") == 0);
    /* a number named by the server */
    static const char nu[] = "SIP/2.0 400 Invalid Phone Number\r\n" R_HDRS "To: <sip:b@x>;tag=9\r\n\r\n";
    sip400_vfinding n[] = { { SIP400_NUMBER_NOT_E164, SIP400_LEVEL_P, "not E.164", "Request-URI" } };
    x = judge(nu, n, 1, true);
    CHECK(x->cause == SIP400_NUMBER_NOT_E164);
}

static void test_families(void)
{
    /* sofia-sip: "Bad <X> Header", several causes named */
    static const char so[] = "SIP/2.0 400 Bad To Header\r\n" R_HDRS "To: <sip:b@x>;tag=9\r\n\r\n";
    sip400_vfinding dup[] = { { SIP400_HDR_DUPLICATE_SINGLE_VALUE, SIP400_LEVEL_C, "two To headers", "To" } };
    const sip400_verdict *x = judge(so, dup, 1, true);
    CHECK(x->words.family == SIP400_FAMILY_SOFIA);
    CHECK(x->cause == SIP400_HDR_DUPLICATE_SINGLE_VALUE && x->confidence == SIP400_CONFIDENCE_HIGH);
    x = judge(so, NULL, 0, true);
    CHECK(x->cause == SIP400_URI_TO_INVALID && x->confidence == SIP400_CONFIDENCE_LOW); /* several named */
    CHECK(is_candidate(x, SIP400_HDR_UNTERMINATED_QUOTE));
    /* reSIProcate */
    static const char re[] = "SIP/2.0 400 Bad Request(Malformed Request Line)\r\n" R_HDRS "To: <sip:b@x>\r\n\r\n";
    x = judge(re, NULL, 0, true);
    CHECK(x->words.family == SIP400_FAMILY_RESIPROCATE && x->cause == SIP400_START_MALFORMED_REQUEST_LINE);
    /* JAIN-SIP names the missing header */
    static const char ja[] = "SIP/2.0 400 Bad Request (Missing a required header : Call-ID)\r\n"
                             "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nTo: <sip:b@x>;tag=badreq\r\n\r\n";
    sip400_vfinding cid[] = { { SIP400_HDR_MISSING_CALL_ID, SIP400_LEVEL_C, NULL, NULL } };
    x = judge(ja, cid, 1, true);
    CHECK(x->words.family == SIP400_FAMILY_JAIN_SIP);
    CHECK(x->cause == SIP400_HDR_MISSING_CALL_ID && x->confidence == SIP400_CONFIDENCE_HIGH);
    x = judge(ja, NULL, 0, true);
    CHECK(x->cause == SIP400_HDR_MISSING_CALL_ID && x->server_only);
    /* AVM FRITZ!OS */
    static const char av[] = "SIP/2.0 400 Illegal 3. header line, no colon\r\n" R_HDRS
                             "To: <sip:b@x>;tag=badrequest\r\n\r\n";
    sip400_vfinding nc[] = { { SIP400_HDR_LINE_NO_COLON, SIP400_LEVEL_C, NULL, NULL } };
    x = judge(av, nc, 1, true);
    CHECK(x->words.family == SIP400_FAMILY_AVM && x->cause == SIP400_HDR_LINE_NO_COLON);
    /* SER-style suffix */
    static const char se[] = "SIP/2.0 400 Bad Request (2/SL)\r\n" R_HDRS "To: <sip:b@x>\r\n\r\n";
    x = judge(se, NULL, 0, true);
    CHECK(x->words.family == SIP400_FAMILY_KAMAILIO);
    /* User-Agent when there is no Server */
    static const char ua[] = "SIP/2.0 400 Bad Request\r\n" R_HDRS "To: <sip:b@x>\r\n"
                             "User-Agent: Asterisk PBX 20.5.0\r\n\r\n";
    x = judge(ua, NULL, 0, true);
    CHECK(x->words.family == SIP400_FAMILY_PJSIP);
    /* OpenSIPS */
    static const char os[] = "SIP/2.0 400 Bad Request\r\n" R_HDRS "To: <sip:b@x>\r\nServer: OpenSIPS (3.4)\r\n\r\n";
    x = judge(os, NULL, 0, true);
    CHECK(x->words.family == SIP400_FAMILY_OPENSIPS);
}

static void test_table(void)
{
    /* longest first: "q parameter" wins over "q param" (same cause), and
     * "content-length body failure" is not "content-length failure" */
    static const char b[] = "SIP/2.0 400 Content-Length Body Failure\r\n" R_HDRS "To: <sip:b@x>\r\n\r\n";
    const sip400_verdict *x = judge(b, NULL, 0, true);
    CHECK(x->cause == SIP400_BODY_MISSING_BLANK_LINE && x->words.primary_unique);
    static const char c[] = "SIP/2.0 400 Content-Length Failure\r\n" R_HDRS "To: <sip:b@x>\r\n\r\n";
    sip400_vfinding mul[] = { { SIP400_BODY_CONTENT_LENGTH_MULTIPLE, SIP400_LEVEL_C, NULL, NULL } };
    x = judge(c, mul, 1, true);
    CHECK(x->cause == SIP400_BODY_CONTENT_LENGTH_MULTIPLE && x->confidence == SIP400_CONFIDENCE_HIGH);
    /* each Kamailio sanity phrase names its cause */
    static const struct {
        const char *reason;
        sip400_cause cause;
    } kam[] = {
        { "Missing method in CSeq header", SIP400_HDR_CSEQ_MISSING_METHOD },
        { "Missing number in CSeq header", SIP400_HDR_CSEQ_INVALID_NUMBER },
        { "CSeq number is illegal", SIP400_HDR_CSEQ_INVALID_NUMBER },
        { "Content-Length mis-match", SIP400_BODY_CONTENT_LENGTH_MISMATCH },
        { "Bad Expires Header", SIP400_HDR_EXPIRES_INVALID },
        { "Expires value is illegal", SIP400_HDR_EXPIRES_INVALID },
        { "Bad Proxy Require Header", SIP400_HDR_PROXY_REQUIRE_MALFORMED },
        { "Invalid From Header", SIP400_URI_FROM_INVALID },
        { "Invalid To Header", SIP400_URI_TO_INVALID },
        { "Ivalid To Header", SIP400_URI_TO_INVALID }, /* sic: Kamailio 5.6 */
        { "Auth Empty Nonce", SIP400_AUTH_EMPTY_VALUE },
        { "Bad Contact Header", SIP400_URI_CONTACT_INVALID },
        { "Bad Contact URI", SIP400_URI_CONTACT_INVALID },
        { "Many From Tag Params", SIP400_DIALOG_TAG_DUPLICATE },
        { "Many To Tag Params", SIP400_DIALOG_TAG_DUPLICATE },
        { "Bad Auth Header", SIP400_AUTH_MALFORMED_HEADER },
        { "Bad Auth Credentials", SIP400_AUTH_MISSING_DIGEST_PARAM },
        { "Auth Empty User", SIP400_AUTH_EMPTY_VALUE },
        { "Missing Contact header", SIP400_HDR_MISSING_CONTACT },
        { "Transport Missmatch in Topmost Via", SIP400_TRANSPORT_VIA_MISMATCH },
    };
    for (size_t i = 0; i < sizeof kam / sizeof kam[0]; i++) {
        char msg[512];
        snprintf(msg, sizeof msg, "SIP/2.0 400 %s\r\n" R_HDRS "To: <sip:b@x>;tag=1\r\nServer: kamailio\r\n\r\n",
                 kam[i].reason);
        sip400_vfinding f[] = { { kam[i].cause, SIP400_LEVEL_C, NULL, NULL } };
        x = judge(msg, f, 1, true);
        if (x->cause != kam[i].cause || x->confidence != SIP400_CONFIDENCE_HIGH)
            fprintf(stderr, "  reason \"%s\" -> %s\n", kam[i].reason, sip400_causes[x->cause].id);
        CHECK(x->cause == kam[i].cause && x->confidence == SIP400_CONFIDENCE_HIGH);
        CHECK(sip400_server_words_name(&x->words, kam[i].cause));
    }
    /* registrar words CAUSES.md lacks: still named */
    static const char r2[] = "SIP/2.0 400 Bad Request\r\n" R_HDRS "To: <sip:b@x>;tag=1\r\n"
                             "P-Registrar-Error: No username in To URI\r\n\r\n";
    x = judge(r2, NULL, 0, true);
    CHECK(x->cause == SIP400_URI_REGISTER_AOR_INVALID);
    /* a literal '*' in the words */
    static const char st[] = "SIP/2.0 400 Bad Request\r\n" R_HDRS "To: <sip:b@x>;tag=1\r\n"
                             "P-Registrar-Error: * used in contact and expires is not zero\r\n\r\n";
    x = judge(st, NULL, 0, true);
    CHECK(x->cause == SIP400_URI_CONTACT_STAR_MISUSE && x->server_only && x->confidence == SIP400_CONFIDENCE_MEDIUM);
    static const char st2[] = "SIP/2.0 400 Invalid use of 'Contact: *'\r\n" R_HDRS "To: <sip:b@x>\r\n\r\n";
    x = judge(st2, NULL, 0, true);
    CHECK(x->cause == SIP400_URI_CONTACT_STAR_MISUSE);
    /* a gap pattern: "Illegal ... header line" */
    static const char gap[] = "SIP/2.0 400 Illegal 7. header line\r\n" R_HDRS "To: <sip:b@x>\r\n\r\n";
    x = judge(gap, NULL, 0, true);
    CHECK(x->cause == SIP400_HDR_LINE_NO_COLON);
    /* a wildcard family: number.* */
    static const char tw[] = "SIP/2.0 400 Invalid phone number\r\n" R_HDRS "To: <sip:b@x>\r\n\r\n";
    sip400_vfinding num[] = { { SIP400_NUMBER_VISUAL_SEPARATORS, SIP400_LEVEL_P, NULL, NULL } };
    x = judge(tw, num, 1, true);
    CHECK(x->cause == SIP400_NUMBER_VISUAL_SEPARATORS && x->confidence == SIP400_CONFIDENCE_MEDIUM);
}

static void test_hostile(void)
{
    /* control bytes in the server's words are quoted, never copied raw */
    static const char r[] = "SIP/2.0 400 Bad\x01Request %s%n\r\n" R_HDRS "To: <sip:b@x>\r\n"
                            "Warning: 399 h \"\x7f\"\r\n\r\n";
    const sip400_verdict *x = judge(r, NULL, 0, true);
    CHECK(x->cause == SIP400_OUTCOME_UNEXPLAINED);
    CHECK(has(x->words.reason, "Bad\\x01Request %s%n"));
    for (const char *p = x->evidence; *p; p++)
        CHECK((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
    /* very long words stay bounded */
    char big[4096];
    int n = snprintf(big, sizeof big, "SIP/2.0 400 ");
    for (int i = 0; i < 300; i++)
        n += snprintf(big + n, sizeof big - (size_t)n, "bad ");
    snprintf(big + n, sizeof big - (size_t)n, "cseq header\r\n" R_HDRS "\r\n");
    x = judge(big, NULL, 0, true);
    CHECK(strlen(x->evidence) < SIP400_VERDICT_TEXT_MAX);
    CHECK(strlen(x->words.reason) < SIP400_WORDS_MAX);
    /* not a response at all */
    x = judge("garbage", NULL, 0, false);
    CHECK(x->cause == SIP400_OUTCOME_UNEXPLAINED);
}

int main(void)
{
    test_server_confirms();
    test_server_only();
    test_plain_bad_request();
    test_headers_speak();
    test_header_named();
    test_families();
    test_table();
    test_hostile();
    printf("%d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
