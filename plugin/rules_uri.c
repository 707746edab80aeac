/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group D: URIs in headers (From, To, Contact; IPv6 forms in Route, Record-Route
 * and Via).
 *
 * Precedence (one diagnosis per defect, the most specific one):
 *  - a URI with no scheme at all is uri.missing_scheme, not also
 *    uri.<header>_invalid; in a REGISTER request every To problem (no scheme,
 *    not sip/sips, unparsable) is uri.register_aor_invalid;
 *  - an IPv6 address without brackets in Contact, Route, Record-Route or Via is
 *    ruri.ipv6_unbracketed (RFC 5118 4.2 names it for all of them), unless the
 *    Route rule (group C, runs earlier) already reported that URI as
 *    hdr.route_malformed; in From/To it is uri.from_invalid / uri.to_invalid;
 *  - uri.<header>_invalid reports only what mainstream parsers reject (no '@'
 *    join, whitespace, '@' without user, no host, bad host characters, a bad
 *    IPv4 octet, a broken [IPv6], a bad port, a second '@', a bad %-escape);
 *    '_' or a dash at a label edge in a host are accepted by lenient stacks and
 *    not reported here; 8-bit bytes are encoding.non_ascii_in_tokens (rules_size.c);
 *  - other schemes (mailto:, urn:, http:) are legal in these headers (absoluteURI);
 *  - tel: numbers with visual separators are the number rules' business (group E);
 *  - an unterminated quoted string is hdr.unterminated_quote, spaces just
 *    inside < > are hdr.spaces_in_addr_spec, an unquoted display name with ','
 *    is hdr.display_name_unquoted_specials (group C): not repeated here.
 */
#include "rules_util.h"

#include <string.h>

#define CONTACT_URI_LIMIT 512 /* Kamailio: "Contact/received too long" */
#define MAX_ELEMENTS 32

typedef enum { ROLE_FROM, ROLE_TO, ROLE_CONTACT, ROLE_ROUTE } uri_role;

static inline bool is_wsp(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static sip400_cause invalid_cause(uri_role role, bool aor)
{
    if (aor)
        return SIP400_URI_REGISTER_AOR_INVALID;
    switch (role) {
    case ROLE_FROM: return SIP400_URI_FROM_INVALID;
    case ROLE_TO: return SIP400_URI_TO_INVALID;
    default: return SIP400_URI_CONTACT_INVALID;
    }
}

/* Whether s (inside header h) ends inside a quoted string */
static bool odd_quotes(const sip400_msg *m, const sip400_hdr *h, sip400_span s)
{
    if (!(h->cls & SIP400_BC_DQUOTE))
        return false;
    const uint8_t *p = m->p;
    uint32_t end = s.off + s.len;
    bool quoted = false, bslash = (h->cls & SIP400_BC_BSLASH) != 0;
    for (uint32_t i = s.off; i < end; i++) {
        /* the next '"'; inside quotes, a '\\' before it escapes a byte */
        const uint8_t *q = memchr(p + i, '"', end - i);
        uint32_t qi = q ? (uint32_t)(q - p) : end;
        const uint8_t *b = quoted && bslash ? memchr(p + i, '\\', qi - i) : NULL;
        if (b) {
            i = (uint32_t)(b - p);
            if (i + 1 < end)
                i++;
            continue;
        }
        if (!q)
            break;
        i = qi;
        quoted = !quoted;
    }
    return quoted;
}

static const char *role_fix(uri_role role, bool aor)
{
    if (aor)
        return "send `To: <sip:user@domain>` (the address of record, a sip: or sips: URI)";
    switch (role) {
    case ROLE_FROM: return "send `From: \"Name\" <sip:user@domain>;tag=...`";
    case ROLE_TO: return "send `To: \"Name\" <sip:user@domain>`";
    default: return "send `Contact: <sip:user@host:port>`";
    }
}

/* Whether an earlier finding with this cause covers bytes of [off, off+len). */
static bool overlaps(const sip400_result *r, sip400_cause cause, uint32_t off, uint32_t len)
{
    for (uint32_t i = 0; i < r->nfindings; i++) {
        const sip400_finding *f = &r->findings[i];
        if (f->cause == cause && f->offset < off + len && off < f->offset + f->length)
            return true;
    }
    return false;
}

/* The stored headers with id a or b are among [*first, m->nhdr) and there are
 * *left of them: the loops below start at the first and stop after the last. */
static void hdr_range(const sip400_msg *m, sip400_hid a, sip400_hid b, uint32_t *first, uint32_t *left)
{
    uint32_t i = m->nhdr;
    if (m->first[a] >= 0 && (uint32_t)m->first[a] < i)
        i = (uint32_t)m->first[a];
    if (m->first[b] >= 0 && (uint32_t)m->first[b] < i)
        i = (uint32_t)m->first[b];
    *first = i;
    *left = m->count[a] + (b != a ? m->count[b] : 0u);
}

/* One invalid-URI finding for the most significant problem of a header URI.
 * Returns true when one was reported. */
static bool report_invalid(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, const sip400_hdr *h,
                           uri_role role, bool aor, const sip400_uri *u, const sip400_uri_issues *is)
{
    static const sip400_uri_problem order[] = {
        SIP400_UP_MISSING_AT, SIP400_UP_WHITESPACE, SIP400_UP_MISSING_USER, SIP400_UP_EMPTY_HOST,
        SIP400_UP_INVALID_HOST, SIP400_UP_IPV6_UNBRACKETED, SIP400_UP_INVALID_PORT, SIP400_UP_USER_SECOND_AT,
        SIP400_UP_BAD_ESCAPE,
    };
    if (is->n == 0)
        return false;
    char q[96], q2[64];
    const char *label = sip400_hdr_label(h);
    const char *name = aor ? "REGISTER To (address of record)" : label;
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        const sip400_uri_issue *x = NULL;
        for (uint32_t i = 0; i < is->n; i++) {
            if (is->v[i].what == order[k])
                x = &is->v[i];
        }
        if (!x)
            continue;
        if (x->what == SIP400_UP_INVALID_HOST && !sip400_host_problem_is_hard((sip400_host_problem)x->detail))
            continue;
        if (x->what == SIP400_UP_IPV6_UNBRACKETED && (role == ROLE_CONTACT || role == ROLE_ROUTE) && !aor) {
            if (role == ROLE_ROUTE && overlaps(r, SIP400_HDR_ROUTE_MALFORMED, x->off, x->len))
                return true; /* already explained by the Route rule (group C) */
            sip400_finding *f = sip400_add(r, ctx, SIP400_RURI_IPV6_UNBRACKETED, x->off, x->len, label);
            sip400_explain(f, "%s URI host `%s` is an IPv6 address without brackets: its ':' cannot be told from a port (RFC 5118 4.2)",
                           name, SIP400_Q(q2, m, x->off, x->len));
            sip400_set_fix(f, "write `[%s]`", SIP400_Q(q2, m, x->off, x->len));
            return true;
        }
        if (role == ROLE_ROUTE)
            continue; /* the rest of Route is hdr.route_malformed */
        uint32_t off = x->off, len = x->len;
        if (x->what == SIP400_UP_WHITESPACE || x->what == SIP400_UP_MISSING_USER || x->what == SIP400_UP_EMPTY_HOST ||
            x->what == SIP400_UP_MISSING_AT) {
            off = u->all.off;
            len = u->all.len;
        }
        sip400_finding *f = sip400_add(r, ctx, invalid_cause(role, aor), off, len, label);
        const char *what = sip400_uri_problem_text(x->what);
        if (x->what == SIP400_UP_INVALID_HOST) {
            sip400_explain(f, "%s URI `%s` does not parse: host `%s` has %s", name, SIP400_Q(q, m, u->all.off, u->all.len),
                           SIP400_Q(q2, m, x->off, x->len), sip400_host_problem_text((sip400_host_problem)x->detail));
        } else if (x->what == SIP400_UP_MISSING_USER && u->scheme == SIP400_SCHEME_TEL) {
            sip400_explain(f, "%s URI `%s` is a tel: URI without a number", name, SIP400_Q(q, m, u->all.off, u->all.len));
        } else if (x->what == SIP400_UP_INVALID_PORT || x->what == SIP400_UP_BAD_ESCAPE) {
            sip400_explain(f, "%s URI `%s` does not parse: %s (`%s`)", name, SIP400_Q(q, m, u->all.off, u->all.len), what,
                           SIP400_Q(q2, m, x->off, x->len));
        } else {
            sip400_explain(f, "%s URI `%s` does not parse: %s", name, SIP400_Q(q, m, u->all.off, u->all.len), what);
        }
        sip400_set_fix(f, "%s", role_fix(role, aor));
        return true;
    }
    return false;
}

typedef struct {
    sip400_span uri;  /* trimmed; len 0 when none */
    sip400_span rest; /* header parameters */
    bool bracketed;
    const sip400_uri *u; /* the parsed URI (sip400_uri_cached()); NULL when none */
} elem_info;

/* Find, parse and check the URI of one From/To/Contact/Route element. */
static void check_element(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, const sip400_hdr *h,
                          sip400_span el, uri_role role, bool aor, elem_info *ei)
{
    char q[96];
    const char *name = sip400_hdr_label(h);
    memset(ei, 0, sizeof *ei);
    if (el.len == 0) {
        if (role == ROLE_FROM || role == ROLE_TO) {
            sip400_finding *f = sip400_add(r, ctx, invalid_cause(role, aor), h->line_off, h->line_len, name);
            sip400_explain(f, "%s header is empty: it has no URI", name);
            sip400_set_fix(f, "%s", role_fix(role, aor));
        }
        return; /* an empty list element is hdr.empty_params */
    }
    if (odd_quotes(m, h, el))
        return; /* hdr.unterminated_quote */
    uint32_t k0 = 0;
    while (k0 < el.len && (m->p[el.off + k0] == ';' || is_wsp(m->p[el.off + k0])))
        k0++;
    if (k0 == el.len)
        return; /* only ';': hdr.empty_params */
    if (!sip400_nameaddr_uri(m, el, &ei->uri, &ei->bracketed, &ei->rest)) {
        if (role == ROLE_ROUTE)
            return;
        const uint8_t *lt = memchr(m->p + el.off, '<', el.len);
        uint32_t off = lt ? (uint32_t)(lt - m->p) : el.off;
        sip400_finding *f = sip400_add(r, ctx, invalid_cause(role, aor), off, el.off + el.len - off, name);
        sip400_explain(f, "%s `%s` does not parse: %s", name, SIP400_Q(q, m, el.off, el.len),
                       lt ? "'<' without a closing '>'" : "no URI");
        sip400_set_fix(f, "%s", role_fix(role, aor));
        return;
    }
    /* spaces just inside < > are hdr.spaces_in_addr_spec: look past them */
    while (ei->uri.len && is_wsp(m->p[ei->uri.off])) {
        ei->uri.off++;
        ei->uri.len--;
    }
    while (ei->uri.len && is_wsp(m->p[ei->uri.off + ei->uri.len - 1]))
        ei->uri.len--;
    if (ei->uri.len == 0) {
        if (role == ROLE_ROUTE)
            return;
        sip400_finding *f = sip400_add(r, ctx, invalid_cause(role, aor), el.off, el.len, name);
        sip400_explain(f, "%s `%s` has an empty URI", name, SIP400_Q(q, m, el.off, el.len));
        sip400_set_fix(f, "%s", role_fix(role, aor));
        return;
    }
    if (!ei->bracketed && role != ROLE_ROUTE) {
        /* "Alice sip:alice@example.com": a display name needs the URI in < > */
        const uint8_t *p = m->p;
        uint32_t end = ei->uri.off + ei->uri.len, k = end;
        while (k > ei->uri.off && !is_wsp(p[k - 1]))
            k--;
        if (k > ei->uri.off && memchr(p + k, ':', end - k)) {
            sip400_finding *f = sip400_add(r, ctx, invalid_cause(role, aor), ei->uri.off, ei->uri.len, name);
            char q2[64];
            sip400_explain(f, "%s `%s` does not parse: a display name is followed by a URI without < >", name,
                           SIP400_Q(q, m, ei->uri.off, ei->uri.len));
            sip400_set_fix(f, "send `%s<%s>`", SIP400_Q(q, m, ei->uri.off, k - ei->uri.off), SIP400_Q(q2, m, k, end - k));
            return;
        }
    }
    ei->u = sip400_uri_cached(r, m, ei->uri);
    sip400_uri_issues is;
    /* the URI is inside the header line; a bad user character is not reported here */
    sip400_uri_validate_bc(m, ei->u, h->cls, false, &is);

    if (aor && ei->u->scheme != SIP400_SCHEME_SIP && ei->u->scheme != SIP400_SCHEME_SIPS) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_URI_REGISTER_AOR_INVALID, ei->uri.off, ei->uri.len, name);
        if (ei->u->scheme == SIP400_SCHEME_NONE)
            sip400_explain(f, "REGISTER To `%s` has no scheme: the registrar cannot parse the address of record",
                           SIP400_Q(q, m, ei->uri.off, ei->uri.len));
        else
            sip400_explain(f, "REGISTER To `%s` is not a sip: or sips: URI: a registrar binds only SIP addresses of record (Kamailio: Error while parsing AOR)",
                           SIP400_Q(q, m, ei->uri.off, ei->uri.len));
        return;
    }
    if (ei->u->scheme == SIP400_SCHEME_NONE) { /* SIP400_UP_MISSING_SCHEME */
        if (role == ROLE_ROUTE)
            return;
        sip400_finding *f = sip400_add(r, ctx, SIP400_URI_MISSING_SCHEME, ei->uri.off, ei->uri.len, name);
        sip400_explain(f, "%s URI `%s` has no scheme: every stack fails to parse it", name,
                       SIP400_Q(q, m, ei->uri.off, ei->uri.len));
        sip400_set_fix(f, "send `<sip:%s>`", SIP400_Q(q, m, ei->uri.off, ei->uri.len));
        return;
    }
    if (ei->u->scheme == SIP400_SCHEME_OTHER || is.n == 0)
        return; /* absoluteURI: legal in From/To/Contact */
    report_invalid(m, ctx, r, h, role, aor, ei->u, &is);
    if (role == ROLE_ROUTE)
        return;
    for (uint32_t i = 0; i < is.n; i++) {
        const sip400_uri_issue *x = &is.v[i];
        if (x->what == SIP400_UP_PASSWORD) {
            sip400_finding *f = sip400_add(r, ctx, SIP400_URI_PASSWORD_PRESENT, x->off, x->len, name);
            sip400_explain(f, "%s URI carries a password (`%s:***@`): legal but not recommended (RFC 3261 19.1.1), and visible to every hop",
                           name, SIP400_Q(q, m, ei->u->user.off, ei->u->user.len));
        } else if (x->what == SIP400_UP_IPV6_PORT_INSIDE && role == ROLE_CONTACT) {
            char q2[48];
            sip400_finding *f = sip400_add(r, ctx, SIP400_RURI_IPV6_PORT_INSIDE_BRACKETS, x->off, x->len, name);
            sip400_explain(f, "%s host `%s`: `%s` inside the brackets looks like a port but is read as part of the address (RFC 5118 4.3)",
                           name, SIP400_Q(q, m, ei->u->host.off, ei->u->host.len), SIP400_Q(q2, m, x->off, x->len));
            if (x->off > ei->u->host.off + 1)
                sip400_set_fix(f, "if %s is the port, write `%s]:%s`", q2,
                               SIP400_Q(q, m, ei->u->host.off, x->off - 1 - ei->u->host.off), q2);
        }
    }
}

/* q = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) */
static bool qvalue_ok(const sip400_msg *m, sip400_span v)
{
    const uint8_t *p = m->p + v.off;
    if (v.len == 0 || (p[0] != '0' && p[0] != '1'))
        return false;
    if (v.len == 1)
        return true;
    if (p[1] != '.' || v.len > 5)
        return false;
    for (uint32_t i = 2; i < v.len; i++) {
        if (p[i] < '0' || p[i] > '9' || (p[0] == '1' && p[i] != '0'))
            return false;
    }
    return true;
}

/* Header parameters of a Contact element: only the part after the URI. */
static void check_contact_params(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, const sip400_hdr *h,
                                 const elem_info *ei)
{
    char q[48];
    sip400_span v;
    bool found = ei->rest.len && sip400_param_find(m, ei->rest, "q", &v);
    if (found) {
        /* the value ends at LWS (a comment or a folded line may follow) */
        uint32_t k = 0;
        while (k < v.len && !is_wsp(m->p[v.off + k]) && m->p[v.off + k] != ',')
            k++;
        v.len = k;
    }
    if (found && !qvalue_ok(m, v)) {
        uint32_t off = v.len ? v.off : (v.off > 0 ? v.off - 1 : v.off);
        sip400_finding *f = sip400_add(r, ctx, SIP400_URI_CONTACT_Q_INVALID, off, v.len ? v.len : 1, sip400_hdr_label(h));
        if (v.len)
            sip400_explain(f, "Contact q value `%s` is not between 0 and 1 with at most 3 decimals (Kamailio: Invalid q param in contact)",
                           SIP400_Q(q, m, v.off, v.len));
        else
            sip400_explain(f, "Contact q parameter has no value (Kamailio: Invalid q param in contact)");
    }
}

static bool parse_u32(const sip400_msg *m, sip400_span v, uint32_t *out)
{
    uint64_t x = 0;
    if (v.len == 0 || v.len > 10)
        return false;
    for (uint32_t i = 0; i < v.len; i++) {
        uint8_t c = m->p[v.off + i];
        if (c < '0' || c > '9')
            return false;
        x = x * 10 + (uint32_t)(c - '0');
    }
    if (x > UINT32_MAX)
        return false;
    *out = (uint32_t)x;
    return true;
}

static bool star_element(const sip400_msg *m, sip400_span el)
{
    return el.len >= 1 && m->p[el.off] == '*' &&
           (el.len == 1 || m->p[el.off + 1] == ';' || is_wsp(m->p[el.off + 1]));
}

static bool has_byte(const sip400_msg *m, sip400_span s, uint8_t c)
{
    return s.len && memchr(m->p + s.off, c, s.len) != NULL;
}

static bool two_colons(const sip400_msg *m, sip400_span s)
{
    const uint8_t *c = s.len ? memchr(m->p + s.off, ':', s.len) : NULL;
    return c && memchr(c + 1, ':', m->p + s.off + s.len - c - 1) != NULL;
}

static void check_contacts(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, sip400_scheme target,
                           const char *target_what, bool dialog)
{
    char q[96];
    bool request = sip400_is_request(m);
    uint32_t n_star = 0, n_other = 0, n_sip = 0, n_nonsip = 0;
    const sip400_hdr *nonsip_h = NULL;
    sip400_span nonsip_uri = { 0, 0 };
    const sip400_hdr *star_h = NULL;
    sip400_span star_el = { 0, 0 };
    bool sips_checked = false;
    uint32_t i0, left;
    hdr_range(m, SIP400_H_CONTACT, SIP400_H_CONTACT, &i0, &left);
    for (uint32_t i = i0; i < m->nhdr && left; i++) {
        const sip400_hdr *h = &m->hdr[i];
        if (h->id != SIP400_H_CONTACT)
            continue;
        left--;
        if (h->flags & SIP400_HF_NO_COLON)
            continue;
        sip400_span els[MAX_ELEMENTS];
        uint32_t total;
        uint32_t n = sip400_split_list(m, sip400_hdr_value(h), els, MAX_ELEMENTS, &total);
        for (uint32_t k = 0; k < n; k++) {
            sip400_span el = els[k];
            if (star_element(m, el)) {
                n_star++;
                if (!star_h) {
                    star_h = h;
                    star_el = el;
                }
                continue;
            }
            if (el.len)
                n_other++;
            /* "Bell, Alexander <sip:...>": the comma of an unquoted display name
             * (hdr.display_name_unquoted_specials), not a list separator */
            if (k + 1 < n && el.len && !has_byte(m, el, ':') && !has_byte(m, el, '@') && !has_byte(m, el, '<') &&
                has_byte(m, els[k + 1], '<')) {
                n_other--;
                continue;
            }
            elem_info ei;
            check_element(m, ctx, r, h, el, ROLE_CONTACT, false, &ei);
            if (!ei.u)
                continue;
            if (ei.u->scheme == SIP400_SCHEME_SIP || ei.u->scheme == SIP400_SCHEME_SIPS) {
                n_sip++;
            } else if (!n_nonsip++) {
                nonsip_h = h;
                nonsip_uri = ei.uri;
            }
            check_contact_params(m, ctx, r, h, &ei);
            if (ei.uri.len > CONTACT_URI_LIMIT) {
                sip400_finding *f = sip400_add(r, ctx, SIP400_URI_CONTACT_TOO_LONG, ei.uri.off, ei.uri.len, sip400_hdr_label(h));
                sip400_explain(f, "Contact URI is %u bytes long: Kamailio's registrar refuses more than %u (Contact/received too long)",
                               ei.uri.len, CONTACT_URI_LIMIT);
            }
            /* RFC 3261 8.1.1.8: sips: target, so the Contact must be sips: too */
            if (!sips_checked && target == SIP400_SCHEME_SIPS) {
                sips_checked = true;
                if (ei.u->scheme != SIP400_SCHEME_SIPS) {
                    sip400_finding *f = sip400_add(r, ctx, SIP400_URI_SIPS_CONTACT_MISMATCH, ei.uri.off, ei.uri.len,
                                                   sip400_hdr_label(h));
                    sip400_explain(f, "%s is a sips: URI but the Contact `%s` is not: RFC 3261 8.1.1.8 requires a sips: Contact (JAIN-SIP rejects, pjsip answers 480 SIPS Required)",
                                   target_what, SIP400_Q(q, m, ei.uri.off, ei.uri.len));
                    char q2[96];
                    if (ei.u->scheme == SIP400_SCHEME_SIP)
                        sip400_set_fix(f, "send `Contact: <sips:%s>`", SIP400_Q(q2, m, ei.u->scheme_s.off + 4, ei.uri.off + ei.uri.len - ei.u->scheme_s.off - 4));
                }
            }
        }
    }
    /* RFC 3261 8.1.1.8: a dialog-creating request needs a SIP or SIPS URI in
     * Contact.  Only SUBSCRIBE is known to draw a 400 for it (pjsip; an INVITE
     * gets 500, and sofia's parser test3 accepts an INVITE with a urn: Contact) */
    if (dialog && sip400_method_is(m, "SUBSCRIBE") && n_nonsip && !n_sip && !n_star) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_URI_CONTACT_INVALID, nonsip_uri.off, nonsip_uri.len,
                                       sip400_hdr_label(nonsip_h));
        char q2[24];
        sip400_explain(f, "no Contact value is a sip: or sips: URI (first: `%s`): a %s needs one to reach the sender inside the dialog (RFC 3261 8.1.1.8; pjsip answers 400 or 500)",
                       SIP400_Q(q, m, nonsip_uri.off, nonsip_uri.len), SIP400_Q(q2, m, m->method.off, m->method.len));
        sip400_set_fix(f, "add `Contact: <sip:user@host:port>`");
    }
    if (!n_star || !request)
        return;
    /* RFC 3261 10.2.2 / 10.3 step 6: "*" only in REGISTER, alone, with Expires: 0 */
    const sip400_hdr *exp = sip400_msg_first(m, SIP400_H_EXPIRES);
    uint32_t ev = 0;
    const char *label = sip400_hdr_label(star_h);
    sip400_finding *f = NULL;
    if (!sip400_method_is(m, "REGISTER")) {
        f = sip400_add(r, ctx, SIP400_URI_CONTACT_STAR_MISUSE, star_el.off, star_el.len, label);
        sip400_explain(f, "`Contact: *` in the %s request: it is only allowed in REGISTER (to remove all bindings)",
                       SIP400_Q(q, m, m->method.off, m->method.len));
        sip400_set_fix(f, "send `Contact: <sip:user@host:port>`");
    } else if (n_star > 1 || n_other > 0) {
        f = sip400_add(r, ctx, SIP400_URI_CONTACT_STAR_MISUSE, star_el.off, star_el.len, label);
        sip400_explain(f, "`Contact: *` together with %u other Contact value%s: it must be the only one (RFC 3261 10.3)",
                       n_star - 1 + n_other, n_star - 1 + n_other == 1 ? "" : "s");
        sip400_set_fix(f, "send `Contact: *` alone with `Expires: 0` to remove all bindings, or list only the bindings");
    } else if (!exp) {
        f = sip400_add(r, ctx, SIP400_URI_CONTACT_STAR_MISUSE, star_el.off, star_el.len, label);
        sip400_explain(f, "`Contact: *` without `Expires: 0`: RFC 3261 10.2.2 allows it only with Expires zero");
        sip400_set_fix(f, "add `Expires: 0` to remove all bindings");
    } else if (!parse_u32(m, sip400_hdr_value(exp), &ev) || ev != 0) {
        f = sip400_add(r, ctx, SIP400_URI_CONTACT_STAR_MISUSE, star_el.off, star_el.len, label);
        sip400_explain(f, "`Contact: *` with `Expires: %s`: it is only allowed with Expires 0 (Kamailio: * used in contact and expires is not zero)",
                       SIP400_Q(q, m, exp->value_off, exp->value_len));
        sip400_set_fix(f, "send `Expires: 0` to remove all bindings");
    }
}

static void check_from_to(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    bool register_req = sip400_method_is(m, "REGISTER");
    uint32_t i0, left;
    hdr_range(m, SIP400_H_FROM, SIP400_H_TO, &i0, &left);
    for (uint32_t i = i0; i < m->nhdr && left; i++) {
        const sip400_hdr *h = &m->hdr[i];
        if (h->id != SIP400_H_FROM && h->id != SIP400_H_TO)
            continue;
        left--;
        if (h->flags & SIP400_HF_NO_COLON)
            continue;
        uri_role role = h->id == SIP400_H_FROM ? ROLE_FROM : ROLE_TO;
        elem_info ei;
        check_element(m, ctx, r, h, sip400_hdr_value(h), role, register_req && role == ROLE_TO, &ei);
    }
}

static void check_routes(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    uint32_t i0, left;
    hdr_range(m, SIP400_H_ROUTE, SIP400_H_RECORD_ROUTE, &i0, &left);
    for (uint32_t i = i0; i < m->nhdr && left; i++) {
        const sip400_hdr *h = &m->hdr[i];
        if (h->id != SIP400_H_ROUTE && h->id != SIP400_H_RECORD_ROUTE)
            continue;
        left--;
        if (h->flags & SIP400_HF_NO_COLON)
            continue;
        sip400_span els[MAX_ELEMENTS];
        uint32_t total;
        uint32_t n = sip400_split_list(m, sip400_hdr_value(h), els, MAX_ELEMENTS, &total);
        for (uint32_t k = 0; k < n; k++) {
            elem_info ei;
            check_element(m, ctx, r, h, els[k], ROLE_ROUTE, false, &ei);
        }
    }
}

/* Via: sent-protocol LWS sent-by *( SEMI via-params ); returns false when the
 * element does not look like that (via.malformed is group F's). */
static bool via_sent_by(const sip400_msg *m, sip400_span el, sip400_span *sent_by, sip400_span *params)
{
    const uint8_t *p = m->p;
    uint32_t i = el.off, end = el.off + el.len;
    for (int k = 0; k < 3; k++) {
        while (i < end && is_wsp(p[i]))
            i++;
        uint32_t s = i;
        while (i < end && sip400_is_token_char(p[i]))
            i++;
        if (i == s)
            return false;
        if (k < 2) {
            while (i < end && is_wsp(p[i]))
                i++;
            if (i >= end || p[i] != '/')
                return false;
            i++;
        }
    }
    if (i >= end || !is_wsp(p[i]))
        return false;
    while (i < end && is_wsp(p[i]))
        i++;
    uint32_t s = i;
    while (i < end && p[i] != ';' && !is_wsp(p[i]))
        i++;
    sent_by->off = s;
    sent_by->len = i - s;
    uint32_t semi = i;
    while (semi < end && p[semi] != ';')
        semi++;
    params->off = semi < end ? semi + 1 : end;
    params->len = end - params->off;
    return sent_by->len > 0;
}

static void check_vias(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    char q[64];
    uint32_t i0, left;
    hdr_range(m, SIP400_H_VIA, SIP400_H_VIA, &i0, &left);
    for (uint32_t i = i0; i < m->nhdr && left; i++) {
        const sip400_hdr *h = &m->hdr[i];
        if (h->id != SIP400_H_VIA)
            continue;
        left--;
        if (h->flags & SIP400_HF_NO_COLON)
            continue;
        /* both findings need a '[' (received=[...]) or two ':' (an IPv6 sent-by) */
        if (!has_byte(m, sip400_hdr_value(h), '[') && !two_colons(m, sip400_hdr_value(h)))
            continue;
        sip400_span els[MAX_ELEMENTS];
        uint32_t total;
        uint32_t n = sip400_split_list(m, sip400_hdr_value(h), els, MAX_ELEMENTS, &total);
        for (uint32_t k = 0; k < n; k++) {
            sip400_span sb, params;
            if (!via_sent_by(m, els[k], &sb, &params))
                continue;
            const uint8_t *p = m->p + sb.off;
            uint32_t ncolon = 0;
            for (uint32_t j = 0; j < sb.len; j++)
                ncolon += p[j] == ':';
            if (p[0] != '[' && ncolon >= 2) {
                uint8_t b[16];
                uint32_t c = sb.len;
                while (c > 0 && p[c - 1] != ':')
                    c--;
                if (sip400_parse_ipv6(p, sb.len, b) || (c > 1 && sip400_parse_ipv6(p, c - 1, b))) {
                    sip400_finding *f = sip400_add(r, ctx, SIP400_RURI_IPV6_UNBRACKETED, sb.off, sb.len, "Via");
                    sip400_explain(f, "Via sent-by `%s` is an IPv6 address without brackets: its ':' cannot be told from a port (RFC 5118 4.2)",
                                   SIP400_Q(q, m, sb.off, sb.len));
                    sip400_set_fix(f, "write the sent-by as `[address]:port`");
                }
            }
            sip400_span v;
            if (params.len && sip400_param_find(m, params, "received", &v) && v.len && m->p[v.off] == '[') {
                sip400_finding *f = sip400_add(r, ctx, SIP400_URI_IPV6_VIA_RECEIVED, v.off, v.len, "Via");
                sip400_explain(f, "Via `received=%s` has a bracketed IPv6 address: RFC 5118 4.5 says servers must accept it, older parsers may not",
                               SIP400_Q(q, m, v.off, v.len));
                sip400_set_fix(f, "nothing to fix on the sender; if the peer rejects it, send received= without brackets");
            }
        }
    }
}

/* Scheme of the Request-URI and of the first Route value (for the sips: rule);
 * the Request-URI was parsed by the start-line rules */
static sip400_scheme span_scheme(const sip400_msg *m, sip400_result *r, sip400_span s)
{
    if (s.len && m->p[s.off] == '<') {
        s.off++;
        s.len--;
    }
    return sip400_uri_cached(r, m, s)->scheme;
}

void sip400_rules_uri(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    if (m->kind == SIP400_START_INVALID)
        return;
    check_from_to(m, ctx, r);

    sip400_scheme target = SIP400_SCHEME_NONE;
    const char *target_what = "";
    bool dialog = sip400_method_is(m, "INVITE") || sip400_method_is(m, "SUBSCRIBE") || sip400_method_is(m, "REFER") ||
                  sip400_method_is(m, "NOTIFY") || sip400_method_is(m, "UPDATE");
    if (dialog) {
        if (span_scheme(m, r, m->ruri) == SIP400_SCHEME_SIPS) {
            target = SIP400_SCHEME_SIPS;
            target_what = "the Request-URI";
        } else {
            const sip400_hdr *rt = sip400_msg_first(m, SIP400_H_ROUTE);
            sip400_span el, uri, rest;
            uint32_t total;
            bool br;
            if (rt && sip400_split_list(m, sip400_hdr_value(rt), &el, 1, &total) == 1 &&
                sip400_nameaddr_uri(m, el, &uri, &br, &rest) && span_scheme(m, r, uri) == SIP400_SCHEME_SIPS) {
                target = SIP400_SCHEME_SIPS;
                target_what = "the top Route";
            }
        }
    }
    check_contacts(m, ctx, r, target, target_what, dialog);
    check_routes(m, ctx, r);
    check_vias(m, ctx, r);
}
