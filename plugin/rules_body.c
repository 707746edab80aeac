/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group G: body and Content-*. */
#include "rules_util.h"

/* Content-Length value: digits only (surrounding whitespace allowed). */
typedef enum { CL_OK, CL_EMPTY, CL_NOT_DIGITS, CL_NEGATIVE, CL_TOO_BIG, CL_LIST } cl_state;

static cl_state parse_cl(const sip400_msg *m, const sip400_hdr *h, uint32_t *out)
{
    const uint8_t *p = m->p + h->value_off;
    uint32_t n = h->value_len;
    if (n == 0)
        return CL_EMPTY;
    if (p[0] == '-')
        return CL_NEGATIVE;
    uint64_t v = 0;
    uint32_t i = 0;
    while (i < n && p[i] >= '0' && p[i] <= '9') {
        if (v <= 0x7fffffffu)
            v = v * 10 + (uint32_t)(p[i] - '0');
        i++;
    }
    if (i == 0)
        return CL_NOT_DIGITS;
    if (i < n) {
        uint32_t k = i;
        while (k < n && (p[k] == ' ' || p[k] == '\t'))
            k++;
        return (k < n && p[k] == ',') ? CL_LIST : CL_NOT_DIGITS;
    }
    if (v > 0x7fffffffu)
        return CL_TOO_BIG;
    *out = (uint32_t)v;
    return CL_OK;
}

static void check_content_length(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    char q[64];
    const sip400_hdr *h = sip400_msg_first(m, SIP400_H_CONTENT_LENGTH);
    if (!h)
        return;
    uint32_t cl = 0;
    cl_state st = parse_cl(m, h, &cl);
    if (st == CL_LIST || m->count[SIP400_H_CONTENT_LENGTH] > 1) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_CONTENT_LENGTH_MULTIPLE, h->line_off, h->line_len, "Content-Length");
        if (st == CL_LIST)
            sip400_explain(f, "Content-Length carries several values: `%s`", SIP400_Q(q, m, h->value_off, h->value_len));
        else
            sip400_explain(f, "Content-Length appears %u times", m->count[SIP400_H_CONTENT_LENGTH]);
        return;
    }
    if (st != CL_OK) {
        static const char *const why[] = {
            [CL_EMPTY] = "is empty", [CL_NOT_DIGITS] = "is not a decimal number",
            [CL_NEGATIVE] = "is negative", [CL_TOO_BIG] = "exceeds 2^31-1",
        };
        sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_CONTENT_LENGTH_INVALID,
                                       h->value_len ? h->value_off : h->line_off,
                                       h->value_len ? h->value_len : h->line_len, "Content-Length");
        sip400_explain(f, "Content-Length `%s` %s", SIP400_Q(q, m, h->value_off, h->value_len), why[st]);
        sip400_set_fix(f, "send `Content-Length: %u` (the body has %u bytes)", m->body_len, m->body_len);
        return;
    }
    if (!m->have_blank_line)
        return; /* body.missing_blank_line explains it */
    sip400_transport t = ctx ? ctx->transport : SIP400_TRANSPORT_UNKNOWN;
    if (sip400_transport_is_stream(t) && cl <= m->body_len)
        return; /* on a stream the length frames the message */
    if (cl == m->body_len)
        return;
    sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_CONTENT_LENGTH_MISMATCH, h->value_off, h->value_len, "Content-Length");
    if (cl > m->body_len) {
        sip400_explain(f, "Content-Length: %u but the body has only %u byte%s%s", cl, m->body_len,
                       m->body_len == 1 ? "" : "s",
                       sip400_transport_is_stream(t) ? " (message truncated in the capture?)" : "");
    } else {
        if (f)
            f->level = SIP400_LEVEL_L; /* CL < body is legal (RFC 4475 3.1.1.8) but suspicious */
        sip400_explain(f, "Content-Length: %u but %u bytes follow the empty line (the extra %u bytes are ignored)",
                       cl, m->body_len, m->body_len - cl);
    }
    sip400_set_fix(f, "send `Content-Length: %u`", m->body_len);
}

static void check_blank_line(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    char q[64];
    for (uint32_t i = 0; i < m->nhdr; i++) {
        const sip400_hdr *h = &m->hdr[i];
        if (!(h->flags & SIP400_HF_NO_COLON) || !sip400_line_looks_like_sdp(m, h))
            continue;
        sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_MISSING_BLANK_LINE, h->line_off,
                                       m->hdr_end > h->line_off ? m->hdr_end - h->line_off : h->line_len, "");
        sip400_explain(f, "body line `%s` appears in the header section: the empty line before the body is missing",
                       SIP400_Q(q, m, h->line_off, h->line_len));
        return;
    }
}

void sip400_rules_body(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    if (m->kind == SIP400_START_INVALID)
        return;
    check_blank_line(m, ctx, r);
    check_content_length(m, ctx, r);
}
