/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group G: body and Content-*. */
#include "rules_util.h"

#include <string.h>

#include "sdp.h"

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
    if (!m->nhdr_no_colon)
        return;
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

/* ---- Content-Type, SDP, multipart ---- */

static uint32_t skip_eols(const sip400_msg *m, uint32_t off, uint32_t end)
{
    while (off < end && (m->p[off] == '\r' || m->p[off] == '\n'))
        off++;
    return off;
}

/* Length of the line at off (without EOL), bounded by end. */
static uint32_t line_len_at(const sip400_msg *m, uint32_t off, uint32_t end)
{
    uint32_t i = off;
    while (i < end && m->p[i] != '\r' && m->p[i] != '\n')
        i++;
    return i - off;
}

static bool starts_with_ci(const sip400_msg *m, uint32_t off, uint32_t end, const char *lit)
{
    size_t n = strlen(lit);
    if (end - off < n)
        return false;
    sip400_span s = { off, (uint32_t)n };
    return sip400_span_ieq(m, s, lit);
}

/* Whether the declared Content-Length exceeds the body (truncated message). */
static bool body_truncated(const sip400_msg *m)
{
    const sip400_hdr *h = sip400_msg_first(m, SIP400_H_CONTENT_LENGTH);
    if (!h || h->value_len == 0 || h->value_len > 10)
        return false;
    uint64_t v = 0;
    for (uint32_t i = 0; i < h->value_len; i++) {
        uint8_t c = m->p[h->value_off + i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (uint32_t)(c - '0');
    }
    return v > m->body_len;
}

static const char *sdp_fix(sip400_sdp_issue_kind k)
{
    switch (k) {
    case SIP400_SDP_E_BAD_LINE: return "write every SDP line as `<letter>=<value>` (or remove this line)";
    case SIP400_SDP_E_EMPTY_LINE: return "remove the empty line inside the SDP";
    case SIP400_SDP_E_UNKNOWN_TYPE: return "carry extensions in `a=` attributes; remove this line";
    case SIP400_SDP_E_FIRST_NOT_V: return "start the SDP with `v=0`";
    case SIP400_SDP_E_VERSION: return "send `v=0`";
    case SIP400_SDP_E_ORDER: return "send v= o= s= (i= u= e= p= c= b=) t= (r= z= k= a=) once each, in this order, before the first m=";
    case SIP400_SDP_E_NO_ORIGIN: return "add `o=- <sess-id> <sess-version> IN IP4 <address>` after `v=0`";
    case SIP400_SDP_E_NO_NAME: return "add `s=-` after the o= line";
    case SIP400_SDP_E_NO_TIME: return "add `t=0 0` before the first m= line";
    case SIP400_SDP_E_ORIGIN: return "send `o=<user> <sess-id> <sess-version> IN IP4 <address>` with decimal id and version";
    case SIP400_SDP_E_EMPTY_NAME: return "send `s=-` (or `s= `)";
    case SIP400_SDP_E_CONN: return "send `c=IN IP4 <IPv4 address>` or `c=IN IP6 <IPv6 address>`";
    case SIP400_SDP_E_BANDWIDTH: return "send `b=AS:<kbit/s>` (or remove the b= line)";
    case SIP400_SDP_E_TIME: return "send `t=0 0`";
    case SIP400_SDP_E_ATTRIBUTE: return "send `a=<name>` or `a=<name>:<value>`";
    case SIP400_SDP_E_MEDIA: return "send `m=<media> <port> <proto> <fmt>...`, e.g. `m=audio 49170 RTP/AVP 0`";
    case SIP400_SDP_E_PORT: return "send the media port as a decimal number (0 to reject the stream)";
    case SIP400_SDP_E_NO_FORMATS: return "list the payload types after the protocol, e.g. `m=audio 49170 RTP/AVP 0 8`";
    case SIP400_SDP_E_PT_RANGE: return "use RTP payload types 0..127 (dynamic ones 96..127 with an a=rtpmap)";
    case SIP400_SDP_E_NO_CONN: return "add `c=IN IP4 <media address>` at session level or in this m= section";
    default: return "send v= o= s= (c=) t= m= in order, with numeric ports and an rtpmap for every dynamic payload type";
    }
}

/* Parse one SDP text (a body or a multipart part) and report its problems. */
static void check_sdp(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, sip400_span body,
                      const char *where, bool offer_needs_media)
{
    const sip400_sdp *s = sip400_sdp_cached(r, m, body.off, body.len);
    char q[96], q2[64];
    uint32_t nfmt = 0;
    const sip400_sdp_issue *ffirst = NULL;
    for (uint32_t i = 0; i < s->nissues; i++) {
        if (sip400_sdp_issue_is_format(s->issues[i].kind)) {
            nfmt++;
            if (!ffirst)
                ffirst = &s->issues[i];
        }
    }
    /* On a stream the message ends where Content-Length says: an SDP that stops
     * inside a line there was most likely cut short by a too small Content-Length,
     * so its "errors" are artefacts; say so instead. */
    sip400_transport tr = ctx ? ctx->transport : SIP400_TRANSPORT_UNKNOWN;
    bool cut = !where[0] && sip400_transport_is_stream(tr) && body.len > 0 &&
               m->p[body.off + body.len - 1] != '\n' && body.off + body.len == m->len;
    const sip400_sdp_issue *e = cut ? NULL : sip400_sdp_first_error(s);
    if (e) {
        uint32_t more = s->nissues_total - nfmt - 1;
        char extra[48] = "";
        if (more)
            snprintf(extra, sizeof extra, " (and %u more SDP problem%s)", more, more == 1 ? "" : "s");
        sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_SDP_MALFORMED, e->off, e->len, "");
        switch (e->kind) {
        case SIP400_SDP_E_NO_ORIGIN:
        case SIP400_SDP_E_NO_NAME:
        case SIP400_SDP_E_NO_TIME:
            sip400_explain(f, "SDP%s has %s%s", where, sip400_sdp_issue_text(e->kind), extra);
            break;
        case SIP400_SDP_E_NO_RTPMAP:
            sip400_explain(f, "SDP%s line `%s`: dynamic payload type %s has no a=rtpmap in its m= section%s", where,
                           SIP400_Q(q, m, e->line_off, e->line_len), SIP400_Q(q2, m, e->off, e->len), extra);
            break;
        default:
            if (e->off == e->line_off && e->len == e->line_len)
                sip400_explain(f, "SDP%s line `%s`: %s%s", where, SIP400_Q(q, m, e->line_off, e->line_len),
                                sip400_sdp_issue_text(e->kind), extra);
            else
                sip400_explain(f, "SDP%s line `%s`: %s (`%s`)%s", where, SIP400_Q(q, m, e->line_off, e->line_len),
                               sip400_sdp_issue_text(e->kind), SIP400_Q(q2, m, e->off, e->len), extra);
            break;
        }
        if (e->kind == SIP400_SDP_E_NO_RTPMAP)
            sip400_set_fix(f, "add `a=rtpmap:%s <encoding>/<clock rate>` to that m= section (or drop payload type %s)", q2,
                           q2);
        else
            sip400_set_fix(f, "%s", sdp_fix(e->kind));
    } else if (!cut && offer_needs_media && s->nmedia == 0 && s->nlines > 0) {
        uint32_t fo = skip_eols(m, body.off, body.off + body.len);
        sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_SDP_MALFORMED, fo, line_len_at(m, fo, body.off + body.len), "");
        sip400_explain(f, "SDP offer%s has no m= line: pjsip/Asterisk answer 400 (No media in SDP)", where);
        sip400_set_fix(f, "offer at least one stream, e.g. `m=audio 49170 RTP/AVP 0`");
    }
    if (ffirst) {
        char what[160];
        size_t o = 0;
        what[0] = '\0';
        if (s->n_bare_lf)
            o += (size_t)snprintf(what + o, sizeof what - o, "%s%u line%s end%s in a bare LF", o ? "; " : "", s->n_bare_lf,
                                  s->n_bare_lf == 1 ? "" : "s", s->n_bare_lf == 1 ? "s" : "");
        if (s->n_trailing_ws && o < sizeof what)
            o += (size_t)snprintf(what + o, sizeof what - o, "%s%u line%s end%s with spaces or tabs", o ? "; " : "",
                                  s->n_trailing_ws, s->n_trailing_ws == 1 ? "" : "s", s->n_trailing_ws == 1 ? "s" : "");
        for (uint32_t i = 0; i < s->nissues && o < sizeof what; i++) {
            if (s->issues[i].kind == SIP400_SDP_W_NO_FINAL_EOL)
                o += (size_t)snprintf(what + o, sizeof what - o, "%sthe last line has no line ending", o ? "; " : "");
        }
        sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_SDP_LINE_FORMAT, ffirst->off, ffirst->len, "");
        if (cut) {
            uint32_t lo = body.off + body.len;
            while (lo > body.off && m->p[lo - 1] != '\n')
                lo--;
            sip400_explain(f, "SDP stops inside the line `%s` with no line ending: on %s this usually means Content-Length (%u) ends inside the body",
                           SIP400_Q(q, m, lo, body.off + body.len - lo), sip400_transport_name(tr), body.len);
            sip400_set_fix(f, "send `Content-Length:` counting the whole SDP, every line ending in CRLF");
        } else {
            sip400_explain(f, "SDP%s line format: %s (first at `%s`)", where, what,
                           SIP400_Q(q, m, ffirst->line_off, ffirst->line_len));
        }
    }
}

static void check_multipart(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, const sip400_hdr *cth,
                            const sip400_ctype *ct, sip400_span body, bool offer)
{
    char q[80], b[80];
    sip400_multipart mp;
    sip400_multipart_parse(m, ct, body, &mp);
    if (!mp.has_boundary) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_MULTIPART_MALFORMED, cth->value_off, cth->value_len, "Content-Type");
        sip400_explain(f, "Content-Type `%s` has no boundary parameter: the receiver cannot find the parts",
                       SIP400_Q(q, m, cth->value_off, cth->value_len));
        sip400_set_fix(f, "add `;boundary=<string>` and start each part with a `--<string>` line");
        return;
    }
    SIP400_Q(b, m, mp.boundary_off, mp.boundary_len);
    if (mp.ndelim == 0) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_MULTIPART_MALFORMED, mp.bparam_off, mp.bparam_len, "Content-Type");
        sip400_explain(f, "multipart boundary `%s` never starts a line `--%s` in the body: no part can be found", b, b);
        sip400_set_fix(f, "start each part with a line `--%s` and end the body with `--%s--`", b, b);
        return;
    }
    bool reported = false;
    for (uint32_t i = 0; i < mp.nparts; i++) {
        const sip400_mpart *pt = &mp.parts[i];
        sip400_span ps = { pt->off, pt->len };
        if (pt->have_blank_line || sip400_span_blank(m, ps))
            continue;
        sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_MULTIPART_MALFORMED, pt->off,
                                       line_len_at(m, pt->off, pt->off + pt->len), "");
        sip400_explain(f, "multipart part %u (`%s`) has no empty line between its headers and its body", i + 1,
                       SIP400_Q(q, m, pt->off, line_len_at(m, pt->off, pt->off + pt->len)));
        sip400_set_fix(f, "end the part headers with an empty line (CRLF CRLF) before the part body");
        reported = true;
        break;
    }
    if (!reported && !mp.closed) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_MULTIPART_MALFORMED, mp.bparam_off, mp.bparam_len, "Content-Type");
        sip400_explain(f, "multipart body with boundary `%s` has no closing delimiter `--%s--`", b, b);
        sip400_set_fix(f, "end the body with the line `--%s--`", b);
    }
    for (uint32_t i = 0; i < mp.nparts; i++) {
        const sip400_mpart *pt = &mp.parts[i];
        sip400_span pb = { pt->body_off, pt->body_len };
        if (!pt->have_blank_line || !sip400_ctype_is(m, &pt->ctype, "application", "sdp") || sip400_span_blank(m, pb))
            continue;
        char where[32];
        snprintf(where, sizeof where, " (multipart part %u)", i + 1);
        if (sip400_sdp_looks_like(m->p, pb.off, pb.len)) {
            check_sdp(m, ctx, r, pb, where, offer);
        } else {
            uint32_t fo = skip_eols(m, pb.off, pb.off + pb.len);
            uint32_t tl = pt->ctype.sub_off + pt->ctype.sub_len - pt->ctype.type_off;
            sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_CONTENT_TYPE_MISMATCH, pt->ctype.type_off, tl, "Content-Type");
            sip400_explain(f, "multipart part %u is labelled application/sdp but starts `%s`, which is not SDP", i + 1,
                           SIP400_Q(q, m, fo, line_len_at(m, fo, pb.off + pb.len)));
        }
    }
}

static void check_content(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    if (!m->have_blank_line || m->body_len == 0)
        return; /* no body at all: nothing to look at */
    sip400_span body = sip400_body_effective(m);
    if (sip400_span_blank(m, body))
        return;
    char q[80], q2[64];
    uint32_t end = body.off + body.len;
    uint32_t fo = skip_eols(m, body.off, end);
    uint32_t fl = line_len_at(m, fo, end);
    bool encoded = sip400_body_encoded(m);
    /* a Content-Length that cuts the body short, or mid-line: the SDP seen by the
     * receiver is a fragment; body.content_length.mismatch is the cause */
    bool truncated = body_truncated(m) || (body.len < m->body_len && m->p[end - 1] != '\n');
    bool offer = sip400_method_is(m, "INVITE");
    bool sdp_like = starts_with_ci(m, fo, end, "v=0");
    const sip400_hdr *cth = sip400_msg_first(m, SIP400_H_CONTENT_TYPE);
    if (!cth) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_CONTENT_TYPE_MISSING, body.off, body.len, "Content-Type");
        sip400_explain(f, "%u-byte body starting `%s` has no Content-Type header", body.len, SIP400_Q(q, m, fo, fl));
        if (sdp_like)
            sip400_set_fix(f, "add `Content-Type: application/sdp`");
        else if (starts_with_ci(m, fo, end, "SIP/2.0 "))
            sip400_set_fix(f, "add `Content-Type: message/sipfrag`");
        if (sdp_like && !encoded && !truncated)
            check_sdp(m, ctx, r, body, "", offer);
        return;
    }
    if (encoded)
        return;
    sip400_ctype ct;
    sip400_ctype_parse(m, cth->value_off, cth->value_len, &ct);
    if (!ct.ok)
        return; /* hdr.content_type_malformed */
    uint32_t tl = ct.sub_off + ct.sub_len - ct.type_off;
    if (sip400_ctype_is(m, &ct, "application", "sdp")) {
        if (!sip400_sdp_looks_like(m->p, body.off, body.len)) {
            sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_CONTENT_TYPE_MISMATCH, ct.type_off, tl, "Content-Type");
            sip400_explain(f, "Content-Type is application/sdp but the body starts `%s`, which is not SDP",
                           SIP400_Q(q, m, fo, fl));
            sip400_set_fix(f, "send an SDP body (starting `v=0`) or label the body with its real type");
        } else if (!truncated) {
            check_sdp(m, ctx, r, body, "", offer);
        }
        return;
    }
    if (sip400_ctype_is(m, &ct, "multipart", NULL)) {
        if (!truncated)
            check_multipart(m, ctx, r, cth, &ct, body, offer);
        return;
    }
    if (sdp_like) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_CONTENT_TYPE_MISMATCH, ct.type_off, tl, "Content-Type");
        sip400_explain(f, "body is SDP (`%s`) but Content-Type says %s", SIP400_Q(q, m, fo, fl),
                       SIP400_Q(q2, m, ct.type_off, tl));
        sip400_set_fix(f, "send `Content-Type: application/sdp`");
        return;
    }
    if (offer) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_CONTENT_TYPE_UNSUPPORTED, ct.type_off, tl, "Content-Type");
        sip400_explain(f, "INVITE body is %s, not application/sdp or multipart: a callee without that type answers 415 Unsupported Media Type",
                       SIP400_Q(q, m, ct.type_off, tl));
    }
}

/* ---- method-specific bodies ---- */

static void check_sipfrag(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    if (!sip400_method_is(m, "NOTIFY"))
        return;
    const sip400_hdr *ev = sip400_msg_first(m, SIP400_H_EVENT);
    if (!ev)
        return;
    uint32_t i = ev->value_off, end = ev->value_off + ev->value_len;
    while (i < end && m->p[i] != ';' && m->p[i] != ' ' && m->p[i] != '\t')
        i++;
    sip400_span et = { ev->value_off, i - ev->value_off };
    if (!sip400_span_ieq(m, et, "refer"))
        return;
    if (!m->have_blank_line && sip400_has(r, SIP400_BODY_MISSING_BLANK_LINE))
        return;
    char q[80], q2[80];
    sip400_span body = sip400_body_effective(m);
    if (sip400_span_blank(m, body)) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_SIPFRAG_REQUIRED, ev->value_off, ev->value_len, "Event");
        sip400_explain(f, "NOTIFY for Event: %s has no body: RFC 3515 requires a message/sipfrag with the REFER outcome (chan_sip answers 400)",
                       SIP400_Q(q, m, ev->value_off, ev->value_len));
        return;
    }
    const sip400_hdr *cth = sip400_msg_first(m, SIP400_H_CONTENT_TYPE);
    if (!cth || sip400_body_encoded(m))
        return; /* body.content_type.missing tells */
    sip400_ctype ct;
    sip400_ctype_parse(m, cth->value_off, cth->value_len, &ct);
    if (!ct.ok)
        return;
    uint32_t tl = ct.sub_off + ct.sub_len - ct.type_off;
    uint32_t bend = body.off + body.len;
    uint32_t fo = skip_eols(m, body.off, bend);
    if (!sip400_ctype_is(m, &ct, "message", "sipfrag")) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_SIPFRAG_REQUIRED, ct.type_off, tl, "Content-Type");
        sip400_explain(f, "NOTIFY for Event: refer carries %s, not message/sipfrag (chan_sip answers 400)",
                       SIP400_Q(q, m, ct.type_off, tl));
        sip400_set_fix(f, "send `Content-Type: message/sipfrag` with a body such as `SIP/2.0 200 OK`");
    } else if (!starts_with_ci(m, fo, bend, "SIP/2.0 ")) {
        uint32_t fl = line_len_at(m, fo, bend);
        sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_SIPFRAG_REQUIRED, fo, fl, "");
        sip400_explain(f, "message/sipfrag body `%s` does not start with a SIP status line", SIP400_Q(q2, m, fo, fl));
        sip400_set_fix(f, "send the REFER outcome as a status line, e.g. `SIP/2.0 200 OK`");
    }
}

static void check_publish(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    if (!sip400_method_is(m, "PUBLISH") || m->count[SIP400_H_SIP_IF_MATCH])
        return;
    if (!m->have_blank_line && sip400_has(r, SIP400_BODY_MISSING_BLANK_LINE))
        return;
    if (!sip400_span_blank(m, sip400_body_effective(m)))
        return;
    sip400_finding *f = sip400_add(r, ctx, SIP400_BODY_PUBLISH_STATE_UNKNOWN, m->line.off, m->line.len, "SIP-If-Match");
    sip400_explain(f, "PUBLISH has neither a body nor SIP-If-Match: it neither publishes state nor refreshes an existing one (RFC 3903; Asterisk answers 400)");
    sip400_set_fix(f, "send the event state as the body for an initial PUBLISH, or `SIP-If-Match: <entity-tag>` from the last 2xx to refresh or remove it");
}

static void check_accept(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    if (!sip400_method_is(m, "INVITE") || !m->count[SIP400_H_ACCEPT])
        return;
    const sip400_hdr *first = NULL;
    for (uint32_t i = 0; i < m->nhdr; i++) {
        const sip400_hdr *h = &m->hdr[i];
        if (h->id != SIP400_H_ACCEPT)
            continue;
        if (!first)
            first = h;
        sip400_span el[16];
        uint32_t total = 0;
        uint32_t n = sip400_split_list(m, sip400_hdr_value(h), el, 16, &total);
        for (uint32_t k = 0; k < n; k++) {
            uint32_t s = el[k].off, e = el[k].off + el[k].len, j = s;
            while (s < e && (m->p[s] == ' ' || m->p[s] == '\t'))
                s++;
            j = s;
            while (j < e && m->p[j] != ';')
                j++;
            while (j > s && (m->p[j - 1] == ' ' || m->p[j - 1] == '\t'))
                j--;
            sip400_span range = { s, j - s };
            if (sip400_span_ieq(m, range, "application/sdp") || sip400_span_ieq(m, range, "application/*") ||
                sip400_span_ieq(m, range, "*/*"))
                return;
        }
    }
    if (!first)
        return;
    char q[80];
    sip400_finding *f;
    if (first->value_len == 0 && m->count[SIP400_H_ACCEPT] == 1) {
        f = sip400_add(r, ctx, SIP400_BODY_ACCEPT_WITHOUT_SDP, first->line_off, first->line_len, "Accept");
        sip400_explain(f, "INVITE has an empty Accept header: no body is acceptable, not even the SDP answer (RFC 4475 3.3.15: 406 or 400)");
    } else {
        f = sip400_add(r, ctx, SIP400_BODY_ACCEPT_WITHOUT_SDP, first->value_off, first->value_len, "Accept");
        sip400_explain(f, "INVITE Accept `%s` does not include application/sdp: the callee cannot send its SDP answer (RFC 4475 3.3.15: 406 or 400)",
                       SIP400_Q(q, m, first->value_off, first->value_len));
    }
    sip400_set_fix(f, "add application/sdp to Accept (or leave Accept out)");
}

void sip400_rules_body(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    if (m->kind == SIP400_START_INVALID)
        return;
    check_blank_line(m, ctx, r);
    check_content_length(m, ctx, r);
    check_content(m, ctx, r);
    check_sipfrag(m, ctx, r);
    check_publish(m, ctx, r);
    check_accept(m, ctx, r);
}
