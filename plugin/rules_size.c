/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group J: size and encoding.
 *
 * This group runs last, so it can see what the other groups found: the
 * encoding findings are fallbacks and skip bytes that a more specific finding
 * already covers (8-bit bytes in the Request-URI user part are
 * ruri.user_invalid_chars, in its host ruri.invalid_host; a header name that is
 * not a token is hdr.name_invalid; a token-header value that a header rule
 * already reports as malformed (Supported, CSeq, Via...) keeps that finding; a
 * NUL in a header value already reported as
 * hdr.illegal_chars is not reported again).  8-bit bytes inside a URI or a
 * token are reported even when hdr.illegal_chars flags them as invalid UTF-8:
 * there even valid UTF-8 is wrong, and the fix is %HH-escaping.  Call-ID bytes >= 0x80 are encoding.non_ascii_in_tokens,
 * not also encoding.callid_invalid.
 */
#include "rules_util.h"

#include <string.h>

#define MSG_LIMIT_PJSIP 4000     /* PJSIP_MAX_PKT_LEN default */
#define MSG_LIMIT_KAMAILIO 16384 /* Kamailio sanity / BUF_SIZE */
#define CALL_ID_LIMIT 255        /* Kamailio registrar */
#define MAX_NON_ASCII_FINDINGS 3

/* Whether an earlier finding with one of the causes covers byte off. */
static bool covered(const sip400_result *r, uint32_t off, const sip400_cause *causes, size_t n)
{
    for (uint32_t i = 0; i < r->nfindings; i++) {
        const sip400_finding *f = &r->findings[i];
        if (off < f->offset || off >= f->offset + f->length)
            continue;
        for (size_t k = 0; k < n; k++) {
            if (f->cause == causes[k])
                return true;
        }
    }
    return false;
}

static void check_size(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    if (m->len <= MSG_LIMIT_PJSIP)
        return;
    sip400_finding *f = sip400_add(r, ctx, SIP400_SIZE_MESSAGE_TOO_LARGE, MSG_LIMIT_PJSIP, m->len - MSG_LIMIT_PJSIP, "");
    if (m->len > MSG_LIMIT_KAMAILIO)
        sip400_explain(f, "message is %u bytes: over Kamailio's %u-byte buffer and pjsip's default %u-byte limit (413/513 or dropped)",
                       m->len, MSG_LIMIT_KAMAILIO, MSG_LIMIT_PJSIP);
    else
        sip400_explain(f, "message is %u bytes: over pjsip's default %u-byte limit (PJSIP_MAX_PKT_LEN; Asterisk drops it), below Kamailio's %u",
                       m->len, MSG_LIMIT_PJSIP, MSG_LIMIT_KAMAILIO);
}

/* word = 1*( alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" /
 *            "~" / "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" /
 *            "]" / "?" / "{" / "}" )
 * Call-ID bytes by kind, a table read for every byte of the value: */
#define CI_OTHER 0 /* not allowed in a word */
#define CI_WORD 1  /* a word character */
#define CI_AT 2    /* '@' */
#define CI_8BIT 3  /* >= 0x80: encoding.non_ascii_in_tokens */
#define CI_PASS(k) ((k) & 1) /* CI_WORD or CI_8BIT: nothing to note */
#define W CI_WORD
#define H8 CI_8BIT, CI_8BIT, CI_8BIT, CI_8BIT, CI_8BIT, CI_8BIT, CI_8BIT, CI_8BIT
static const uint8_t callid_class[256] = {
    /*       0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f */
    /* 0x */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 1x */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 2x */ 0, W, W, 0, 0, W, 0, W, W, W, W, W, 0, W, W, W, /*  ! " % ' ( ) * + - . / */
    /* 3x */ W, W, W, W, W, W, W, W, W, W, W, 0, W, 0, W, W, /* 0-9 : < > ? */
    /* 4x */ CI_AT, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W, /* @ A-O */
    /* 5x */ W, W, W, W, W, W, W, W, W, W, W, W, W, W, 0, W, /* P-Z [ \ ] _ */
    /* 6x */ W, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W, /* ` a-o */
    /* 7x */ W, W, W, W, W, W, W, W, W, W, W, W, 0, W, W, 0, /* p-z { } ~ */
    H8, H8, H8, H8, H8, H8, H8, H8, H8, H8, H8, H8, H8, H8, H8, H8,
};
#undef W
#undef H8

static void check_call_id(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    char q[96];
    const sip400_hdr *h = sip400_msg_first(m, SIP400_H_CALL_ID);
    if (!h || h->value_len == 0 || (h->flags & SIP400_HF_NO_COLON))
        return; /* hdr.missing.call_id */
    const uint8_t *p = m->p;
    uint32_t s = h->value_off, e = s + h->value_len;
    if (h->value_len > CALL_ID_LIMIT) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_SIZE_CALL_ID_TOO_LONG, s, h->value_len, "Call-ID");
        sip400_explain(f, "Call-ID is %u bytes long: Kamailio's registrar refuses more than %u (Callid too long)",
                       h->value_len, CALL_ID_LIMIT);
    }
    /* callid = word [ "@" word ] */
    uint32_t bad = UINT32_MAX, badlen = 1, nat = 0, second_at = UINT32_MAX;
    const char *why = NULL;
    for (uint32_t i = s; i < e; i++) {
        uint8_t c = p[i], kind = callid_class[c];
        if (CI_PASS(kind))
            continue; /* 8-bit: encoding.non_ascii_in_tokens */
        if (kind == CI_AT) {
            if (++nat == 2)
                second_at = i;
            continue;
        }
        if (bad == UINT32_MAX) {
            bad = i;
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                uint32_t k = i;
                while (k < e && (p[k] == ' ' || p[k] == '\t' || p[k] == '\r' || p[k] == '\n'))
                    k++;
                badlen = k - i;
                why = "whitespace inside";
            } else {
                why = "a character that is not allowed in a Call-ID word";
            }
        }
    }
    if (bad == UINT32_MAX && second_at != UINT32_MAX) {
        bad = second_at;
        why = "more than one '@'";
    }
    if (bad == UINT32_MAX && nat == 1 && (p[s] == '@' || p[e - 1] == '@')) {
        bad = p[s] == '@' ? s : e - 1;
        why = "nothing on one side of the '@'";
    }
    if (bad == UINT32_MAX)
        return;
    char q2[16];
    sip400_finding *f = sip400_add(r, ctx, SIP400_ENCODING_CALLID_INVALID, bad, badlen, "Call-ID");
    sip400_explain(f, "Call-ID `%s` has %s (`%s`): it must be word[@word] (sofia: Bad Call-ID Header)",
                   SIP400_Q(q, m, s, h->value_len), why, SIP400_Q(q2, m, bad, badlen));
}

static bool is_utf8_bom(const sip400_msg *m, uint32_t off, uint32_t len)
{
    return len >= 3 && m->p[off] == 0xef && m->p[off + 1] == 0xbb && m->p[off + 2] == 0xbf;
}

/* Letters glued to the method ("DBREGISTER sip:..."): the scanner only skips
 * garbage that does not start with a letter.  An unknown method that ends with
 * a standard method of 5+ letters is taken as garbage + method. */
static uint32_t glued_garbage(const sip400_msg *m)
{
#define M(s) { s, sizeof s - 1 }
    static const struct {
        const char *name;
        uint32_t len;
    } methods[] = { M("INVITE"), M("REGISTER"), M("OPTIONS"), M("SUBSCRIBE"), M("NOTIFY"), M("UPDATE"),
                    M("MESSAGE"), M("REFER"), M("PUBLISH"), M("CANCEL"), M("PRACK") };
#undef M
    if (m->kind != SIP400_START_REQUEST || m->method.len <= 5)
        return 0; /* no method is shorter than 5 letters */
    const uint8_t *me = m->p + m->method.off + m->method.len; /* the method's end */
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        uint32_t n = methods[i].len;
        if (m->method.len > n && m->method.len - n <= 16 && me[-1] == (uint8_t)methods[i].name[n - 1] &&
            memcmp(me - n, methods[i].name, n) == 0)
            return m->method.len - n;
    }
    return 0;
}

static void check_leading_garbage(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    char q[64];
    uint32_t off = m->lead_len - m->lead_garbage_len, len = m->lead_garbage_len;
    if (!len) {
        len = glued_garbage(m);
        off = m->method.off;
    }
    if (!len)
        return;
    sip400_finding *f = sip400_add(r, ctx, SIP400_ENCODING_LEADING_GARBAGE, off, len, "");
    if (is_utf8_bom(m, off, len))
        sip400_explain(f, "%u byte%s before the start line, beginning with a UTF-8 byte order mark (`%s`): strict parsers see a malformed start line",
                       len, len == 1 ? "" : "s", SIP400_Q(q, m, off, len));
    else
        sip400_explain(f, "%u byte%s before the start line (`%s`): only CRLF may precede it; strict parsers see a malformed start line",
                       len, len == 1 ? "" : "s", SIP400_Q(q, m, off, len));
}

/* A body that C string functions may process: NUL there truncates it. */
static bool text_body(const sip400_msg *m)
{
    const sip400_hdr *ct = sip400_msg_first(m, SIP400_H_CONTENT_TYPE);
    if (!ct)
        return true;
    sip400_span v = sip400_hdr_value(ct);
    static const char *const text[] = { "application/sdp", "text/", "message/sipfrag", "application/pidf+xml",
                                        "application/xml", "application/dtmf-relay" };
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        size_t n = strlen(text[i]);
        if (v.len >= n) {
            sip400_span pre = { v.off, (uint32_t)n };
            if (sip400_span_ieq(m, pre, text[i]))
                return true;
        }
    }
    return false;
}

static void check_nul(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    static const sip400_cause specific[] = { SIP400_HDR_ILLEGAL_CHARS, SIP400_HDR_NAME_INVALID };
    uint32_t end = text_body(m) ? m->len : m->hdr_end;
    uint32_t count = 0, first = UINT32_MAX;
    const uint8_t *p = m->p;
    /* The start line and the header lines are the scanner's byte classes (the
     * bytes between them are CR and LF): searched only when those have a NUL
     * or lines past SIP400_MAX_HEADERS were not stored.  Then the bytes before
     * the start line and the body, in order. */
    uint32_t hs = m->lead_len < end ? m->lead_len : end;
    uint32_t he = m->hdr_end < end ? m->hdr_end : end;
    bool hdr_nul = m->nhdr_total > m->nhdr || ((m->cls_start | m->cls_hdrs) & SIP400_BC_NUL);
    for (uint32_t i = 0; i < end;) {
        if (i >= hs && i < he && !hdr_nul)
            i = he;
        uint32_t stop = i < hs ? hs : i < he ? he : end;
        const uint8_t *z = i < stop ? memchr(p + i, 0, stop - i) : NULL;
        if (!z) {
            i = stop;
            continue;
        }
        uint32_t at = (uint32_t)(z - p);
        count++;
        if (first == UINT32_MAX && !covered(r, at, specific, sizeof specific / sizeof specific[0]))
            first = at;
        i = at + 1;
    }
    if (first == UINT32_MAX)
        return;
    uint32_t k = first;
    while (k < end && p[k] == 0)
        k++;
    const char *where = first < m->line.off + m->line.len ? "the start line"
                        : first < m->hdr_end              ? "the header section"
                                                          : "the body";
    sip400_finding *f = sip400_add(r, ctx, SIP400_ENCODING_NUL_BYTES, first, k - first, "");
    sip400_explain(f, "%u NUL byte%s, the first at offset %u in %s: parsers written in C stop there (truncated message, Content-Length mismatch)",
                   count, count == 1 ? "" : "s", first, where);
}

/* ---- encoding.non_ascii_in_tokens ---- */

/* Headers whose whole value is tokens, numbers, hosts or URIs (no free text). */
static bool token_header(sip400_hid id)
{
    switch (id) {
    case SIP400_H_VIA:
    case SIP400_H_CALL_ID:
    case SIP400_H_CSEQ:
    case SIP400_H_MAX_FORWARDS:
    case SIP400_H_CONTENT_LENGTH:
    case SIP400_H_CONTENT_TYPE:
    case SIP400_H_CONTENT_ENCODING:
    case SIP400_H_SUPPORTED:
    case SIP400_H_EVENT:
    case SIP400_H_ALLOW_EVENTS:
    case SIP400_H_SUBSCRIPTION_STATE:
    case SIP400_H_REQUIRE:
    case SIP400_H_PROXY_REQUIRE:
    case SIP400_H_EXPIRES:
    case SIP400_H_MIN_SE:
    case SIP400_H_SESSION_EXPIRES:
    case SIP400_H_RACK:
    case SIP400_H_RSEQ:
        return true;
    default:
        return false;
    }
}

/* Headers whose values are name-addrs: only the URIs are checked (display
 * names may carry UTF-8 in a quoted string). */
static bool uri_header(sip400_hid id)
{
    switch (id) {
    case SIP400_H_FROM:
    case SIP400_H_TO:
    case SIP400_H_CONTACT:
    case SIP400_H_ROUTE:
    case SIP400_H_RECORD_ROUTE:
    case SIP400_H_REFER_TO:
    case SIP400_H_REFERRED_BY:
    case SIP400_H_P_ASSERTED_IDENTITY:
    case SIP400_H_P_PREFERRED_IDENTITY:
    case SIP400_H_PATH:
        return true;
    default:
        return false;
    }
}

/* First run of 8-bit bytes in s not covered by a more specific finding. */
static bool first_8bit(const sip400_msg *m, const sip400_result *r, sip400_span s, sip400_span *run)
{
    /* hdr.illegal_chars (invalid UTF-8) is not in the list: inside a URI or a
     * token even valid UTF-8 is wrong, and the fix is %HH-escaping */
    static const sip400_cause specific[] = {
        SIP400_RURI_USER_INVALID_CHARS, SIP400_RURI_INVALID_HOST, SIP400_HDR_NAME_INVALID,
        SIP400_START_MALFORMED_REQUEST_LINE,
        /* header-specific syntax rules that already name the header */
        SIP400_HDR_UA_ESSENTIAL_MALFORMED, SIP400_HDR_CONTENT_TYPE_MALFORMED, SIP400_HDR_PROXY_REQUIRE_MALFORMED,
        SIP400_HDR_SESSION_TIMER_INVALID, SIP400_HDR_EXPIRES_INVALID, SIP400_HDR_MAX_FORWARDS_INVALID,
        SIP400_HDR_CSEQ_INVALID_NUMBER, SIP400_HDR_CSEQ_METHOD_MISMATCH, SIP400_BODY_CONTENT_LENGTH_INVALID,
        SIP400_VIA_MALFORMED, SIP400_VIA_RECEIVED_RPORT_INVALID,
    };
    const uint8_t *p = m->p;
    for (uint32_t i = s.off; i < s.off + s.len; i++) {
        if (p[i] < 0x80)
            continue;
        uint32_t k = i;
        while (k < s.off + s.len && p[k] >= 0x80)
            k++;
        if (!covered(r, i, specific, sizeof specific / sizeof specific[0])) {
            run->off = i;
            run->len = k - i;
            return true;
        }
        i = k;
    }
    return false;
}

static uint32_t report_8bit(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, sip400_span run,
                            const char *what, const char *header, sip400_span context, bool uri)
{
    char q[96], q2[32];
    sip400_finding *f = sip400_add(r, ctx, SIP400_ENCODING_NON_ASCII_IN_TOKENS, run.off, run.len, header);
    sip400_explain(f, "%s `%s` contains non-ASCII bytes `%s`: names, tokens and URIs are ASCII; only quoted strings and free text may carry UTF-8",
                   what, SIP400_Q(q, m, context.off, context.len), SIP400_Q(q2, m, run.off, run.len));
    if (!uri)
        sip400_set_fix(f, "use ASCII token characters only (tokens have no escape mechanism)");
    return f ? 1 : 0;
}

static void check_non_ascii(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    uint32_t n = 0;
    sip400_span run;
    if (m->kind == SIP400_START_REQUEST && (m->cls_start & SIP400_BC_8BIT)) {
        if (first_8bit(m, r, m->ruri, &run))
            n += report_8bit(m, ctx, r, run, "Request-URI", "", m->ruri, true);
    }
    if (!(m->cls_hdrs & SIP400_BC_8BIT))
        return; /* no stored header line has an 8-bit byte */
    for (uint32_t i = 0; i < m->nhdr && n < MAX_NON_ASCII_FINDINGS; i++) {
        const sip400_hdr *h = &m->hdr[i];
        if ((h->flags & SIP400_HF_NO_COLON) || !(h->cls & SIP400_BC_8BIT))
            continue;
        sip400_span name = { h->line_off, h->name_len };
        if (first_8bit(m, r, name, &run)) {
            n += report_8bit(m, ctx, r, run, "header name", "", name, false);
            continue;
        }
        sip400_span v = sip400_hdr_value(h);
        if (token_header((sip400_hid)h->id)) {
            if (first_8bit(m, r, v, &run))
                n += report_8bit(m, ctx, r, run, sip400_hdr_label(h), sip400_hdr_label(h), v,
                                 h->id == SIP400_H_VIA); /* Via: hosts and params */
        } else if (uri_header((sip400_hid)h->id)) {
            sip400_span els[8];
            uint32_t total;
            uint32_t ne = sip400_split_list(m, v, els, 8, &total);
            for (uint32_t k = 0; k < ne; k++) {
                sip400_span uri, rest;
                bool br;
                if (!sip400_nameaddr_uri(m, els[k], &uri, &br, &rest))
                    continue;
                if (first_8bit(m, r, uri, &run)) {
                    char what[48];
                    snprintf(what, sizeof what, "%s URI", sip400_hdr_label(h));
                    n += report_8bit(m, ctx, r, run, what, sip400_hdr_label(h), uri, true);
                    break;
                }
            }
        }
    }
}

void sip400_rules_size(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    check_leading_garbage(m, ctx, r);
    check_nul(m, ctx, r);
    if (m->kind == SIP400_START_INVALID)
        return;
    check_size(m, ctx, r);
    check_call_id(m, ctx, r);
    check_non_ascii(m, ctx, r);
}
