/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group A: start line and Request-URI. */
#include "rules_util.h"

static void check_start_line(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    char q[96];
    if (m->kind == SIP400_START_INVALID) {
        if (m->line.len == 0 && m->nhdr_total == 0)
            return; /* keepalive (CRLF) or empty payload */
        sip400_finding *f = sip400_add(r, ctx, SIP400_START_MALFORMED_REQUEST_LINE, m->line.off, m->line.len, "");
        sip400_explain(f, "first line `%s` is neither a request line (METHOD SP URI SP SIP/2.0) nor a status line (%u field%s)",
                       SIP400_Q(q, m, m->line.off, m->line.len), m->nfields, m->nfields == 1 ? "" : "s");
        return;
    }
    if (m->kind == SIP400_START_REQUEST) {
        bool versioned = m->version.len > 0;
        if (!versioned) {
            sip400_finding *f = sip400_add(r, ctx, SIP400_START_MALFORMED_REQUEST_LINE, m->line.off, m->line.len, "");
            sip400_explain(f, "request line `%s` has no SIP version", SIP400_Q(q, m, m->line.off, m->line.len));
            sip400_set_fix(f, "end the request line with ` SIP/2.0`");
            return;
        }
    }
    /* version (request: last field; response: first) */
    if (m->version.len && !sip400_span_eq(m, m->version, "SIP/2.0")) {
        if (sip400_span_ieq(m, m->version, "SIP/2.0"))
            return; /* case-insensitive per RFC 3261 7.1 */
        sip400_finding *f = sip400_add(r, ctx, SIP400_START_SIP_VERSION_UNSUPPORTED, m->version.off, m->version.len, "");
        sip400_explain(f, "SIP version `%s` is not SIP/2.0: servers answer 505 Version Not Supported, and Wireshark shows the packet as data",
                       SIP400_Q(q, m, m->version.off, m->version.len));
    }
}

static void check_ruri(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    char q[96];
    if (m->kind != SIP400_START_REQUEST || m->ruri.len == 0)
        return;
    sip400_uri u;
    sip400_uri_issues is;
    sip400_uri_parse(m, m->ruri, &u);
    sip400_uri_validate(m, &u, &is);
    for (uint32_t i = 0; i < is.n; i++) {
        const sip400_uri_issue *x = &is.v[i];
        sip400_finding *f = NULL;
        switch (x->what) {
        case SIP400_UP_WHITESPACE:
            f = sip400_add(r, ctx, SIP400_RURI_WHITESPACE, x->off, m->ruri.off + m->ruri.len - x->off, "");
            sip400_explain(f, "Request-URI has %s at offset %u: `%s` (the request line splits into %u fields)",
                           m->p[x->off] == ' ' ? "a space" : m->p[x->off] == '\t' ? "a tab" : "a control character",
                           x->off - m->ruri.off, SIP400_Q(q, m, m->ruri.off, m->ruri.len), m->nfields);
            break;
        case SIP400_UP_MISSING_USER:
            f = sip400_add(r, ctx, SIP400_RURI_MISSING_USER, m->ruri.off, m->ruri.len, "");
            sip400_explain(f, "Request-URI `%s` has an '@' but no user before it", SIP400_Q(q, m, m->ruri.off, m->ruri.len));
            break;
        case SIP400_UP_MISSING_AT: {
            f = sip400_add(r, ctx, SIP400_RURI_MISSING_AT, m->ruri.off, m->ruri.len, "");
            sip400_explain(f, "Request-URI `%s`: user and host are separated by whitespace instead of '@'",
                           SIP400_Q(q, m, m->ruri.off, m->ruri.len));
            /* suggest the joined form */
            char a[64], b[64];
            uint32_t ws = x->off;
            while (ws < m->ruri.off + m->ruri.len && m->p[ws] != ' ' && m->p[ws] != '\t')
                ws++;
            uint32_t hs = ws;
            while (hs < m->ruri.off + m->ruri.len && (m->p[hs] == ' ' || m->p[hs] == '\t'))
                hs++;
            sip400_set_fix(f, "use `%s@%s`", SIP400_Q(a, m, m->ruri.off, ws - m->ruri.off),
                           SIP400_Q(b, m, hs, m->ruri.off + m->ruri.len - hs));
            break;
        }
        default:
            /* the other Request-URI problems are the full group A rules */
            break;
        }
    }
}

void sip400_rules_start(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    check_start_line(m, ctx, r);
    check_ruri(m, ctx, r);
}
