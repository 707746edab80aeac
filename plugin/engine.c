/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *sip400_transport_name(sip400_transport t)
{
    switch (t) {
    case SIP400_TRANSPORT_UDP: return "UDP";
    case SIP400_TRANSPORT_TCP: return "TCP";
    case SIP400_TRANSPORT_TLS: return "TLS";
    case SIP400_TRANSPORT_WS: return "WS";
    case SIP400_TRANSPORT_WSS: return "WSS";
    case SIP400_TRANSPORT_SCTP: return "SCTP";
    case SIP400_TRANSPORT_UNKNOWN: break;
    }
    return "unknown";
}

bool sip400_transport_is_stream(sip400_transport t)
{
    return t != SIP400_TRANSPORT_UDP && t != SIP400_TRANSPORT_UNKNOWN;
}

void sip400_prefs_default(sip400_prefs *p)
{
    memset(p, 0, sizeof *p);
    p->number_policy = SIP400_NUMBER_POLICY_ANY;
    strcpy(p->trunk_prefix, "0");
    strcpy(p->intl_prefix, "00");
}

static const sip400_prefs default_prefs = {
    .disabled_groups = 0,
    .number_policy = SIP400_NUMBER_POLICY_ANY,
    .country_code = "",
    .trunk_prefix = "0",
    .intl_prefix = "00",
};

sip400_finding *sip400_add(sip400_result *r, const sip400_ctx *ctx, sip400_cause cause,
                           uint32_t off, uint32_t len, const char *header)
{
    if ((unsigned)cause >= SIP400_CAUSE_COUNT)
        return NULL;
    const sip400_cause_info *ci = &sip400_causes[cause];
    const sip400_prefs *prefs = ctx && ctx->prefs ? ctx->prefs : &default_prefs;
    if (ci->group >= 'A' && ci->group <= 'Z' && (prefs->disabled_groups & (1u << (ci->group - 'A'))))
        return NULL;
    if (r->nfindings >= SIP400_MAX_FINDINGS) {
        r->nfindings_dropped++;
        return NULL;
    }
    sip400_finding *f = &r->findings[r->nfindings++];
    f->cause = cause;
    f->level = ci->level;
    /* clamp the range to the message */
    uint32_t mlen = r->msg.len;
    if (off > mlen)
        off = mlen;
    if (len > mlen - off)
        len = mlen - off;
    f->offset = off;
    f->length = len;
    snprintf(f->header, sizeof f->header, "%s", header ? header : "");
    snprintf(f->explanation, sizeof f->explanation, "%s", ci->title);
    snprintf(f->fix, sizeof f->fix, "%s", ci->fix);
    return f;
}

void sip400_explain(sip400_finding *f, const char *fmt, ...)
{
    if (!f)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->explanation, sizeof f->explanation, fmt, ap);
    va_end(ap);
}

void sip400_set_fix(sip400_finding *f, const char *fmt, ...)
{
    if (!f)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->fix, sizeof f->fix, fmt, ap);
    va_end(ap);
}

void sip400_quote(char *dst, size_t cap, const uint8_t *p, uint32_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    if (cap < 8) {
        if (cap)
            dst[0] = '\0';
        return;
    }
    for (uint32_t i = 0; i < len; i++) {
        uint8_t c = p[i];
        size_t need = (c >= 0x20 && c < 0x7f && c != '\\') ? 1 : (c == '\\' ? 2 : 4);
        if (o + need + 4 > cap) { /* room for "..." and NUL */
            memcpy(dst + o, "...", 3);
            o += 3;
            break;
        }
        if (need == 1) {
            dst[o++] = (char)c;
        } else if (need == 2) {
            dst[o++] = '\\';
            dst[o++] = '\\';
        } else {
            dst[o++] = '\\';
            dst[o++] = 'x';
            dst[o++] = hex[c >> 4];
            dst[o++] = hex[c & 15];
        }
    }
    dst[o] = '\0';
}

const sip400_sdp *sip400_sdp_cached(sip400_result *r, const sip400_msg *m, uint32_t off, uint32_t len)
{
    if (r->sdp_p != m->p || r->sdp_off != off || r->sdp_len != len) {
        sip400_sdp_parse(m->p, off, len, &r->sdp);
        r->sdp_p = m->p;
        r->sdp_off = off;
        r->sdp_len = len;
    }
    return &r->sdp;
}

const sip400_uri *sip400_uri_cached(sip400_result *r, const sip400_msg *m, sip400_span s)
{
    if (r->uri_p != m->p) {
        r->uri_p = m->p;
        r->nuri = r->uri_next = 0;
    }
    for (uint32_t i = 0; i < r->nuri; i++) {
        if (r->uri_span[i].off == s.off && r->uri_span[i].len == s.len)
            return &r->uri[i];
    }
    uint32_t k = r->uri_next;
    r->uri_next = (k + 1) % SIP400_URI_CACHE;
    if (r->nuri < SIP400_URI_CACHE)
        r->nuri++;
    r->uri_span[k] = s;
    sip400_uri_parse(m, s, &r->uri[k]);
    return &r->uri[k];
}

const sip400_top_via *sip400_via_cached(sip400_result *r)
{
    if (!r->via_done) {
        sip400_top_via_parse(&r->msg, &r->via);
        r->via_done = true;
    }
    return &r->via;
}

bool sip400_has(const sip400_result *r, sip400_cause cause)
{
    for (uint32_t i = 0; i < r->nfindings; i++) {
        if (r->findings[i].cause == cause)
            return true;
    }
    return false;
}

/* Groups in the troubleshooting order users know: dialing patterns, header
 * information, device configuration, URI syntax, then the rest. */
static const sip400_rule_fn rule_groups[] = {
    sip400_rules_start,
    sip400_rules_number,
    sip400_rules_headers,
    sip400_rules_body,
    sip400_rules_transport,
    sip400_rules_uri,
    sip400_rules_auth,
    sip400_rules_dialog,
    sip400_rules_size,
};

void sip400_analyze(const uint8_t *data, uint32_t len, const sip400_ctx *ctx, sip400_result *out)
{
    out->nfindings = 0;
    out->nfindings_dropped = 0;
    out->sdp_p = out->uri_p = NULL;
    out->via_done = false;
    sip400_msg_scan(&out->msg, data, len);
    for (size_t i = 0; i < sizeof rule_groups / sizeof rule_groups[0]; i++)
        rule_groups[i](&out->msg, ctx, out);
}
