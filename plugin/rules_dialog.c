/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group I: dialog and transaction (requests only).
 *
 * The tag of From and To is a header parameter: the one after `>` in the
 * name-addr form, or after the URI of an addr-spec (where `;tag=` ends the URI).
 * A `tag` inside `<...>` is a URI parameter and does not count.
 * Branch and CSeq reuse across messages (via.branch.reused_different_cseq) is
 * in rules_transport.c with the other Via rules.
 *
 * Precedence: a From/To that does not parse at all is uri.from_invalid /
 * uri.to_invalid (rules_uri.c); a Refer-To that is missing is
 * hdr.missing.refer_to (rules_headers.c).
 */
#include "rules_util.h"
#include "hdrparse.h"

#include <string.h>

typedef struct {
    uint32_t ntags;
    sip400_hp_param first, second; /* first two tag parameters */
} tags;

/* Tag parameters of a From/To value; false when the value has no URI. */
static bool header_tags(const sip400_msg *m, const sip400_hdr *h, tags *t)
{
    memset(t, 0, sizeof *t);
    sip400_span uri, rest;
    bool br;
    if (!sip400_nameaddr_uri(m, sip400_hdr_value(h), &uri, &br, &rest))
        return false;
    const uint8_t *p = m->p;
    uint32_t pos = rest.off, end = rest.off + rest.len;
    /* addr-spec form: rest starts right after the URI, at ';' */
    sip400_hp_param prm;
    sip400_hp_err e = { SIP400_HV_OK, 0, 0 };
    uint32_t last = pos;
    while (pos < end && (last = pos, sip400_hp_param_next(p, &pos, end, false, &prm, &e))) {
        if (!sip400_span_ieq(m, prm.name, "tag"))
            continue;
        if (t->ntags == 0)
            t->first = prm;
        else if (t->ntags == 1)
            t->second = prm;
        t->ntags++;
    }
    if (e.st != SIP400_HV_OK) {
        /* a broken parameter list (reported by the header rules): count the
         * ";tag=" texts that are left, so duplicates are still seen */
        for (uint32_t i = last; i + 4 < end; i++) {
            if (p[i] == ';' && sip400_span_ieq(m, (sip400_span){ i + 1, 3 }, "tag") && p[i + 4] == '=') {
                if (t->ntags == 0) {
                    t->first.off = i;
                    t->first.name = (sip400_span){ i + 1, 3 };
                }
                t->ntags++;
            }
        }
    }
    return true;
}

/* Span of a parameter as written, ";name=value" */
static sip400_span param_span(const sip400_hp_param *prm)
{
    uint32_t e = prm->has_value ? prm->value.off + prm->value.len : prm->name.off + prm->name.len;
    sip400_span s = { prm->off, e - prm->off };
    return s;
}

static void check_tags(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    char q[96];
    const sip400_hdr *from = sip400_msg_first(m, SIP400_H_FROM);
    const sip400_hdr *to = sip400_msg_first(m, SIP400_H_TO);
    tags ft, tt;
    bool fok = from && header_tags(m, from, &ft);
    /* a To line without ';' has no tag (To is read only for its tags) */
    bool tok = false;
    if (to && (to->cls & SIP400_BC_SEMI))
        tok = header_tags(m, to, &tt);
    else
        memset(&tt, 0, sizeof tt);
    const struct {
        bool ok;
        const sip400_hdr *h;
        const tags *t;
        const char *name;
    } hs[2] = { { fok, from, &ft, "From" }, { tok, to, &tt, "To" } };
    for (int i = 0; i < 2; i++) {
        if (!hs[i].ok || hs[i].t->ntags < 2)
            continue;
        const tags *t = hs[i].t;
        sip400_span s = t->second.name.len ? param_span(&t->second) : param_span(&t->first);
        sip400_finding *f = sip400_add(r, ctx, SIP400_DIALOG_TAG_DUPLICATE, s.off, s.len, hs[i].name);
        sip400_explain(f, "%s `%s` has %u tag parameters (Kamailio: 400 Many %s Tag Params)", hs[i].name,
                       SIP400_Q(q, m, hs[i].h->value_off, hs[i].h->value_len), t->ntags, hs[i].name);
        sip400_set_fix(f, "send one `;tag=` in %s", hs[i].name);
    }
    bool to_tag = tok && tt.ntags > 0;
    if (sip400_method_is(m, "REGISTER") && to_tag) {
        sip400_span s = param_span(&tt.first);
        sip400_finding *f = sip400_add(r, ctx, SIP400_DIALOG_REGISTER_WITH_TO_TAG, s.off, s.len, "To");
        sip400_explain(f, "REGISTER has a To tag `%s`: a registration is not part of a dialog (reSIProcate: 400 Registration requests can't have To: tags.)",
                       SIP400_Q(q, m, s.off, s.len));
        sip400_set_fix(f, "send `To: <sip:user@domain>` without a tag in REGISTER");
    }
    if (fok && ft.ntags == 0 && !to_tag && from) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_DIALOG_FROM_TAG_MISSING, from->value_off, from->value_len, "From");
        sip400_explain(f, "From `%s` has no tag: RFC 3261 8.1.1.3 requires one in every new request (an RFC 2543 client?)",
                       SIP400_Q(q, m, from->value_off, from->value_len));
        sip400_set_fix(f, "add `;tag=<random>` after the From URI");
    }
}

static void check_refer_to(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    if (!sip400_method_is(m, "REFER"))
        return;
    const sip400_hdr *h = sip400_msg_first(m, SIP400_H_REFER_TO);
    if (!h || (h->flags & SIP400_HF_NO_COLON))
        return;
    char q[96], q2[64];
    sip400_finding *f;
    const char *label = sip400_hdr_label(h);
    sip400_span v = sip400_hdr_value(h);
    sip400_span uri, rest;
    bool br;
    if (!v.len) {
        f = sip400_add(r, ctx, SIP400_DIALOG_REFER_TO_INVALID, h->line_off, h->line_len, label);
        sip400_explain(f, "Refer-To is empty (Asterisk: 400)");
        return;
    }
    if (!sip400_nameaddr_uri(m, v, &uri, &br, &rest)) {
        f = sip400_add(r, ctx, SIP400_DIALOG_REFER_TO_INVALID, v.off, v.len, label);
        sip400_explain(f, "Refer-To `%s` cannot be parsed: `<` without `>` or an open quoted string (Asterisk: 400)",
                       SIP400_Q(q, m, v.off, v.len));
        return;
    }
    uri = sip400_hp_trim(m->p, uri);
    sip400_uri u;
    u = *sip400_uri_cached(r, m, uri);
    if (u.scheme != SIP400_SCHEME_SIP && u.scheme != SIP400_SCHEME_SIPS) {
        f = sip400_add(r, ctx, SIP400_DIALOG_REFER_TO_INVALID, uri.off, uri.len, label);
        sip400_explain(f, "Refer-To URI `%s` is %s: Asterisk accepts only sip: and sips: transfer targets (400)",
                       SIP400_Q(q, m, uri.off, uri.len), u.scheme == SIP400_SCHEME_NONE ? "missing its scheme" : "not a sip: or sips: URI");
        return;
    }
    sip400_uri_issues is;
    sip400_uri_validate(m, &u, &is);
    for (uint32_t k = 0; k < is.n; k++) {
        sip400_uri_problem w = is.v[k].what;
        bool hard = w == SIP400_UP_WHITESPACE || w == SIP400_UP_MISSING_USER || w == SIP400_UP_MISSING_AT ||
                    w == SIP400_UP_EMPTY_HOST || w == SIP400_UP_IPV6_UNBRACKETED || w == SIP400_UP_INVALID_PORT ||
                    w == SIP400_UP_USER_SECOND_AT || w == SIP400_UP_BAD_ESCAPE ||
                    (w == SIP400_UP_INVALID_HOST && sip400_host_problem_is_hard((sip400_host_problem)is.v[k].detail));
        if (!hard)
            continue;
        f = sip400_add(r, ctx, SIP400_DIALOG_REFER_TO_INVALID, is.v[k].off, is.v[k].len ? is.v[k].len : uri.len, label);
        sip400_explain(f, "Refer-To URI `%s` does not parse: %s at `%s` (Asterisk: 400)", SIP400_Q(q, m, uri.off, uri.len),
                       sip400_uri_problem_text(w), SIP400_Q(q2, m, is.v[k].off, is.v[k].len));
        return;
    }
}

void sip400_rules_dialog(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    if (m->kind != SIP400_START_REQUEST)
        return;
    check_tags(m, ctx, r);
    check_refer_to(m, ctx, r);
}
