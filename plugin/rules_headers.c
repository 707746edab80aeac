/* SPDX-License-Identifier: GPL-2.0-or-later
 * Groups B (mandatory headers) and C (header syntax). */
#include "rules_util.h"

#include <string.h>

/* A header line that looks like an SDP line ("v=0", "o=..."): a body that
 * started without the empty line; reported by the body rules instead. */
bool sip400_line_looks_like_sdp(const sip400_msg *m, const sip400_hdr *h)
{
    return h->line_len >= 2 && m->p[h->line_off] >= 'a' && m->p[h->line_off] <= 'z' &&
           m->p[h->line_off + 1] == '=';
}

/* ---- B. mandatory headers ---- */

static void missing(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, sip400_cause cause,
                    sip400_hid id, const char *why)
{
    char q[48];
    sip400_finding *f = sip400_add(r, ctx, cause, m->line.off, m->line.len, sip400_header_name(id));
    if (m->kind == SIP400_START_REQUEST)
        sip400_explain(f, "%s request has no %s header%s", SIP400_Q(q, m, m->method.off, m->method.len),
                       sip400_header_name(id), why);
    else
        sip400_explain(f, "message has no %s header%s", sip400_header_name(id), why);
}

static bool method_in(const sip400_msg *m, const char *const *list)
{
    for (; *list; list++) {
        if (sip400_method_is(m, *list))
            return true;
    }
    return false;
}

static void check_mandatory(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    if (m->kind == SIP400_START_INVALID)
        return;
    if (!m->count[SIP400_H_VIA])
        missing(m, ctx, r, SIP400_HDR_MISSING_VIA, SIP400_H_VIA, " (no server can route a reply)");
    if (!m->count[SIP400_H_FROM])
        missing(m, ctx, r, SIP400_HDR_MISSING_FROM, SIP400_H_FROM, "");
    if (!m->count[SIP400_H_TO])
        missing(m, ctx, r, SIP400_HDR_MISSING_TO, SIP400_H_TO, "");
    const sip400_hdr *cid = sip400_msg_first(m, SIP400_H_CALL_ID);
    if (!cid) {
        missing(m, ctx, r, SIP400_HDR_MISSING_CALL_ID, SIP400_H_CALL_ID, "");
    } else if (cid->value_len == 0) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_HDR_MISSING_CALL_ID, cid->line_off, cid->line_len, "Call-ID");
        sip400_explain(f, "Call-ID header is empty (counts as missing)");
    }
    if (!m->count[SIP400_H_CSEQ])
        missing(m, ctx, r, SIP400_HDR_MISSING_CSEQ, SIP400_H_CSEQ, "");
    if (!m->count[SIP400_H_CONTENT_LENGTH] && sip400_transport_is_stream(ctx ? ctx->transport : SIP400_TRANSPORT_UNKNOWN)) {
        char t[16];
        snprintf(t, sizeof t, "%s", sip400_transport_name(ctx->transport));
        sip400_finding *f = sip400_add(r, ctx, SIP400_HDR_MISSING_CONTENT_LENGTH, m->line.off, m->line.len, "Content-Length");
        sip400_explain(f, "no Content-Length on %s: the receiver cannot tell where this message ends", t);
    }
    if (m->kind != SIP400_START_REQUEST)
        return;
    static const char *const contact_methods[] = { "INVITE", "SUBSCRIBE", "NOTIFY", "REFER", "UPDATE", NULL };
    static const char *const event_methods[] = { "SUBSCRIBE", "PUBLISH", "NOTIFY", NULL };
    if (!m->count[SIP400_H_MAX_FORWARDS])
        missing(m, ctx, r, SIP400_HDR_MISSING_MAX_FORWARDS, SIP400_H_MAX_FORWARDS, " (strict stacks such as JAIN-SIP and OpenSIPS reject it)");
    if (!m->count[SIP400_H_CONTACT] && method_in(m, contact_methods))
        missing(m, ctx, r, SIP400_HDR_MISSING_CONTACT, SIP400_H_CONTACT, " (mandatory for dialog-creating and target-refresh requests)");
    if (!m->count[SIP400_H_EVENT] && method_in(m, event_methods))
        missing(m, ctx, r, SIP400_HDR_MISSING_EVENT, SIP400_H_EVENT, "");
    if (!m->count[SIP400_H_SUBSCRIPTION_STATE] && sip400_method_is(m, "NOTIFY"))
        missing(m, ctx, r, SIP400_HDR_MISSING_SUBSCRIPTION_STATE, SIP400_H_SUBSCRIPTION_STATE, "");
    if (!m->count[SIP400_H_REFER_TO] && sip400_method_is(m, "REFER"))
        missing(m, ctx, r, SIP400_HDR_MISSING_REFER_TO, SIP400_H_REFER_TO, "");
}

/* ---- C. header syntax ---- */

static void check_cseq(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    const sip400_hdr *h = sip400_msg_first(m, SIP400_H_CSEQ);
    if (!h)
        return;
    char q[64], q2[32];
    const uint8_t *p = m->p;
    uint32_t v = h->value_off, end = h->value_off + h->value_len;
    uint32_t ds = v;
    uint64_t num = 0;
    while (v < end && p[v] >= '0' && p[v] <= '9') {
        if (num < (1ull << 40))
            num = num * 10 + (uint32_t)(p[v] - '0');
        v++;
    }
    uint32_t de = v;
    bool number_ok = de > ds && num < (1ull << 31) && (v == end || p[v] == ' ' || p[v] == '\t' || p[v] == '\r' || p[v] == '\n');
    if (!number_ok) {
        uint32_t bad_end = de;
        while (bad_end < end && p[bad_end] != ' ' && p[bad_end] != '\t')
            bad_end++;
        sip400_finding *f;
        if (de == ds) {
            f = sip400_add(r, ctx, SIP400_HDR_CSEQ_INVALID_NUMBER, h->value_len ? h->value_off : h->line_off,
                           h->value_len ? h->value_len : h->line_len, "CSeq");
            sip400_explain(f, "CSeq `%s` does not start with a sequence number", SIP400_Q(q, m, h->value_off, h->value_len));
        } else {
            f = sip400_add(r, ctx, SIP400_HDR_CSEQ_INVALID_NUMBER, ds, bad_end - ds, "CSeq");
            if (num >= (1ull << 31) && bad_end == de)
                sip400_explain(f, "CSeq number %s is not below 2^31 (2147483648)", SIP400_Q(q, m, ds, de - ds));
            else
                sip400_explain(f, "CSeq number `%s` is not a decimal number", SIP400_Q(q, m, ds, bad_end - ds));
        }
        if (m->kind == SIP400_START_REQUEST)
            sip400_set_fix(f, "send `CSeq: 1 %s`", SIP400_Q(q2, m, m->method.off, m->method.len));
        return;
    }
    while (v < end && (p[v] == ' ' || p[v] == '\t' || p[v] == '\r' || p[v] == '\n'))
        v++;
    uint32_t ms = v;
    while (v < end && sip400_is_token_char(p[v]))
        v++;
    uint32_t me = v;
    if (me == ms) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_HDR_CSEQ_MISSING_METHOD, h->line_off, h->line_len, "CSeq");
        sip400_explain(f, "CSeq `%s` has a number but no method (Wireshark 4.0 stops dissecting the message here)",
                       SIP400_Q(q, m, h->value_off, h->value_len));
        if (m->kind == SIP400_START_REQUEST)
            sip400_set_fix(f, "send `CSeq: %s %s`", SIP400_Q(q, m, ds, de - ds),
                           SIP400_Q(q2, m, m->method.off, m->method.len));
        return;
    }
    if (m->kind != SIP400_START_REQUEST)
        return;
    sip400_span meth = { ms, me - ms };
    if (meth.len != m->method.len || memcmp(p + ms, p + m->method.off, meth.len) != 0) {
        char q3[32];
        sip400_finding *f = sip400_add(r, ctx, SIP400_HDR_CSEQ_METHOD_MISMATCH, ms, me - ms, "CSeq");
        sip400_explain(f, "CSeq method %s does not match request method %s%s", SIP400_Q(q, m, ms, me - ms),
                       SIP400_Q(q2, m, m->method.off, m->method.len),
                       sip400_span_ieq(m, meth, q2) ? " (the comparison is case-sensitive)" : "");
        sip400_set_fix(f, "send `CSeq: %s %s`", SIP400_Q(q3, m, ds, de - ds), q2);
    }
}

static void check_lines(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    char q[96];
    for (uint32_t i = 0; i < m->nhdr; i++) {
        const sip400_hdr *h = &m->hdr[i];
        if (!(h->flags & SIP400_HF_NO_COLON) || sip400_line_looks_like_sdp(m, h))
            continue;
        sip400_finding *f = sip400_add(r, ctx, SIP400_HDR_LINE_NO_COLON, h->line_off, h->line_len, "");
        sip400_explain(f, "header line %u `%s` has no colon (SIP ALG damage, a wrapped line, or a missing empty line before the body)",
                       i + 1, SIP400_Q(q, m, h->line_off, h->line_len));
    }
}

void sip400_rules_headers(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    check_mandatory(m, ctx, r);
    check_lines(m, ctx, r);
    check_cseq(m, ctx, r);
}
