/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group H: authentication (Authorization and Proxy-Authorization credentials,
 * RFC 3261 22.4 / 25.1, RFC 2617 3.2.2, RFC 7616 3.4). */
#include "rules_util.h"

#include <string.h>

typedef struct {
    uint32_t name_off, name_len;
    uint32_t val_off, val_len; /* as written, quotes included */
    uint32_t in_off, in_len;   /* the value without quotes */
    bool quoted;
} auth_param;

#define AUTH_MAX_PARAMS 24

typedef struct {
    uint32_t scheme_off, scheme_len;
    uint32_t nparams;
    auth_param prm[AUTH_MAX_PARAMS];
    bool bad;
    uint32_t bad_off, bad_len;
    char why[128];
} auth_cred;

static inline bool is_lws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void set_bad(auth_cred *c, uint32_t off, uint32_t len, const char *why)
{
    c->bad = true;
    c->bad_off = off;
    c->bad_len = len;
    snprintf(c->why, sizeof c->why, "%s", why);
}

static bool span_ieq(const sip400_msg *m, uint32_t off, uint32_t len, const char *lit)
{
    sip400_span s = { off, len };
    return sip400_span_ieq(m, s, lit);
}

/* credentials = auth-scheme LWS auth-param *(COMMA auth-param);
 * auth-param = token EQUAL (token / quoted-string).  Only Digest params are split. */
static void parse_cred(const sip400_msg *m, const sip400_hdr *h, auth_cred *c)
{
    const uint8_t *p = m->p;
    uint32_t pos = h->value_off, end = h->value_off + h->value_len;
    /* prm[] entries are written whole as they are counted, why[] with bad */
    c->nparams = 0;
    c->bad = false;
    c->bad_off = c->bad_len = 0;
    c->why[0] = '\0';
    c->scheme_off = pos;
    while (pos < end && sip400_is_token_char(p[pos]))
        pos++;
    c->scheme_len = pos - c->scheme_off;
    if (c->scheme_len == 0) {
        set_bad(c, h->value_len ? h->value_off : h->line_off, h->value_len ? h->value_len : h->line_len,
                h->value_len ? "does not start with an authentication scheme such as Digest" : "is empty");
        return;
    }
    if (!span_ieq(m, c->scheme_off, c->scheme_len, "Digest"))
        return;
    if (pos < end && !is_lws(p[pos])) {
        set_bad(c, c->scheme_off, end - c->scheme_off, "has no space between the scheme and its parameters");
        return;
    }
    while (pos < end) {
        while (pos < end && (is_lws(p[pos]) || p[pos] == ','))
            pos++;
        if (pos >= end)
            break;
        uint32_t ns = pos;
        while (pos < end && sip400_is_token_char(p[pos]))
            pos++;
        uint32_t nl = pos - ns;
        if (nl == 0) {
            set_bad(c, ns, 1, "has a character where a parameter name should start");
            return;
        }
        while (pos < end && is_lws(p[pos]))
            pos++;
        if (pos >= end || p[pos] != '=') {
            char why[128];
            char q[40];
            snprintf(why, sizeof why, "has a parameter `%s` without `=`", SIP400_Q(q, m, ns, nl));
            set_bad(c, ns, nl, why);
            return;
        }
        pos++;
        while (pos < end && is_lws(p[pos]))
            pos++;
        auth_param ap;
        memset(&ap, 0, sizeof ap);
        ap.name_off = ns;
        ap.name_len = nl;
        ap.val_off = pos;
        if (pos < end && p[pos] == '"') {
            /* the closing quote: memchr to the next '"', and to a backslash
             * before it (it escapes the byte after it, when there is one);
             * no backslash search on a line without one (its byte classes) */
            const bool bslash = (h->cls & SIP400_BC_BSLASH) != 0;
            uint32_t q = pos + 1;
            bool closed = false;
            while (q < end) {
                const uint8_t *dq = memchr(p + q, '"', end - q);
                uint32_t d = dq ? (uint32_t)(dq - p) : end;
                const uint8_t *bs = bslash ? memchr(p + q, '\\', d - q) : NULL;
                if (!bs) {
                    closed = dq != NULL;
                    q = d;
                    break;
                }
                q = (uint32_t)(bs - p);
                if (q + 1 >= end) {
                    q = end; /* a final backslash: no closing quote */
                    break;
                }
                q += 2;
            }
            if (!closed) {
                set_bad(c, pos, end - pos, "opens a quoted value that is never closed");
                return;
            }
            ap.quoted = true;
            ap.in_off = pos + 1;
            ap.in_len = q - pos - 1;
            pos = q + 1;
        } else {
            while (pos < end && p[pos] != ',' && !is_lws(p[pos]))
                pos++;
            ap.in_off = ap.val_off;
            ap.in_len = pos - ap.val_off;
        }
        ap.val_len = pos - ap.val_off;
        while (pos < end && is_lws(p[pos]))
            pos++;
        if (pos < end && p[pos] != ',') {
            uint32_t g = pos;
            while (g < end && p[g] != ',')
                g++;
            char why[128];
            char q[40];
            snprintf(why, sizeof why, "has extra text after parameter `%s` (missing comma or quotes?)",
                     SIP400_Q(q, m, ns, nl));
            set_bad(c, pos, g - pos, why);
            return;
        }
        if (c->nparams < AUTH_MAX_PARAMS)
            c->prm[c->nparams++] = ap;
    }
}

/* The Digest parameters the rules look at */
typedef enum { P_USERNAME, P_REALM, P_NONCE, P_URI, P_RESPONSE, P_QOP, P_CNONCE, P_NC, P_COUNT } param_id;

static int param_name_id(const sip400_msg *m, const auth_param *ap)
{
    uint32_t o = ap->name_off, n = ap->name_len;
    switch (n) {
    case 2: return span_ieq(m, o, n, "nc") ? P_NC : -1;
    case 3: return span_ieq(m, o, n, "uri") ? P_URI : span_ieq(m, o, n, "qop") ? P_QOP : -1;
    case 5: return span_ieq(m, o, n, "realm") ? P_REALM : span_ieq(m, o, n, "nonce") ? P_NONCE : -1;
    case 6: return span_ieq(m, o, n, "cnonce") ? P_CNONCE : -1;
    case 8: return span_ieq(m, o, n, "username") ? P_USERNAME : span_ieq(m, o, n, "response") ? P_RESPONSE : -1;
    default: return -1;
    }
}

/* The first parameter with each of those names, NULL when absent (one pass
 * instead of a search per name) */
static void index_params(const sip400_msg *m, const auth_cred *c, const auth_param *idx[P_COUNT])
{
    for (int k = 0; k < P_COUNT; k++)
        idx[k] = NULL;
    for (uint32_t i = 0; i < c->nparams; i++) {
        int k = param_name_id(m, &c->prm[i]);
        if (k >= 0 && !idx[k])
            idx[k] = &c->prm[i];
    }
}

static bool spans_equal(const sip400_msg *m, sip400_span a, sip400_span b, bool ci)
{
    if (a.len != b.len)
        return false;
    for (uint32_t i = 0; i < a.len; i++) {
        uint8_t x = m->p[a.off + i], y = m->p[b.off + i];
        if (ci) {
        }
        if (x != y)
            return false;
    }
    return true;
}

/* Digest uri against the Request-URI: same scheme, user, host and port (URI
 * parameters are not compared: proxies and UAs differ in what they keep). */
static void check_uri_match(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, const sip400_hdr *h,
                            const auth_param *uri)
{
    sip400_span du = { uri->in_off, uri->in_len };
    if (du.len == 0 || m->ruri.len == 0 || spans_equal(m, du, m->ruri, true))
        return;
    sip400_uri a, b;
    a = *sip400_uri_cached(r, m, du);
    b = *sip400_uri_cached(r, m, m->ruri);
    const char *what = NULL;
    if (a.scheme != b.scheme || a.scheme == SIP400_SCHEME_NONE || a.scheme == SIP400_SCHEME_OTHER) {
        /* both unparsable or of another scheme: they differ as a whole */
        what = a.scheme == b.scheme ? "URI" : "scheme";
    } else if (!spans_equal(m, a.host, b.host, true)) {
        what = "host";
    } else if (a.has_port != b.has_port || !spans_equal(m, a.port, b.port, false)) {
        what = "port";
    } else if (!spans_equal(m, a.user, b.user, false)) {
        what = "user";
    }
    if (!what)
        return;
    char q[80], q2[80];
    sip400_finding *f = sip400_add(r, ctx, SIP400_AUTH_URI_MISMATCH, uri->in_off, uri->in_len, sip400_hdr_label(h));
    sip400_explain(f, "%s digest uri `%s` is not the Request-URI `%s` (the %s differs; RFC 2617 3.2.2 allows a 400)",
                   sip400_hdr_label(h), SIP400_Q(q, m, du.off, du.len), SIP400_Q(q2, m, m->ruri.off, m->ruri.len), what);
    sip400_set_fix(f, "compute the digest with uri=\"%s\" (the Request-URI)", q2);
}

static void check_header(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, const sip400_hdr *h)
{
    const char *name = sip400_hdr_label(h);
    char q[96], q2[64];
    auth_cred c;
    parse_cred(m, h, &c);
    if (c.bad) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_AUTH_MALFORMED_HEADER, c.bad_off, c.bad_len, name);
        sip400_explain(f, "%s `%s` %s", name, SIP400_Q(q, m, h->value_off, h->value_len), c.why);
        return;
    }
    if (!span_ieq(m, c.scheme_off, c.scheme_len, "Digest")) {
        if (span_ieq(m, c.scheme_off, c.scheme_len, "Bearer"))
            return; /* RFC 8898 */
        sip400_finding *f = sip400_add(r, ctx, SIP400_AUTH_NON_DIGEST_SCHEME, c.scheme_off, c.scheme_len, name);
        if (span_ieq(m, c.scheme_off, c.scheme_len, "Basic"))
            sip400_explain(f, "%s uses Basic: RFC 3261 22.1 forbids Basic in SIP, servers expect Digest (RFC 4475 3.3.7: ignored or 401/407)",
                           name);
        else
            sip400_explain(f, "%s scheme `%s` is not Digest: SIP servers that only know Digest ignore it or challenge again (RFC 4475 3.3.7)",
                           name, SIP400_Q(q, m, c.scheme_off, c.scheme_len));
        return;
    }
    const auth_param *idx[P_COUNT];
    index_params(m, &c, idx);
    static const struct {
        const char *name;
        param_id id;
    } required[] = { { "username", P_USERNAME }, { "realm", P_REALM }, { "nonce", P_NONCE },
                     { "uri", P_URI }, { "response", P_RESPONSE } };
    char missing[96];
    size_t o = 0;
    missing[0] = '\0';
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        if (!idx[required[i].id] && o < sizeof missing)
            o += (size_t)snprintf(missing + o, sizeof missing - o, "%s%s", o ? ", " : "", required[i].name);
    }
    const auth_param *qop = idx[P_QOP];
    if (qop) {
        if (!idx[P_CNONCE] && o < sizeof missing)
            o += (size_t)snprintf(missing + o, sizeof missing - o, "%s%s", o ? ", " : "", "cnonce");
        if (!idx[P_NC] && o < sizeof missing)
            o += (size_t)snprintf(missing + o, sizeof missing - o, "%s%s", o ? ", " : "", "nc");
    }
    if (o) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_AUTH_MISSING_DIGEST_PARAM, h->value_off, h->value_len, name);
        sip400_explain(f, "%s Digest credentials lack %s%s", name, missing,
                       qop ? " (qop requires cnonce and nc)" : "");
        sip400_set_fix(f, "send username, realm, nonce, uri and response%s", qop ? ", plus cnonce and nc with qop" : "");
    }
    const auth_param *nonce = idx[P_NONCE];
    const auth_param *resp = idx[P_RESPONSE];
    /* 3GPP TS 24.229 initial REGISTER: nonce="" and response="" on purpose */
    bool ims_initial = sip400_method_is(m, "REGISTER") && nonce && resp && nonce->in_len == 0 && resp->in_len == 0;
    static const char *const nonempty[] = { "username", "nonce", "response" };
    static const param_id nonempty_id[] = { P_USERNAME, P_NONCE, P_RESPONSE };
    for (size_t i = 0; i < sizeof nonempty / sizeof nonempty[0]; i++) {
        const auth_param *ap = idx[nonempty_id[i]];
        if (!ap || ap->in_len != 0 || (ims_initial && i > 0))
            continue;
        sip400_finding *f = sip400_add(r, ctx, SIP400_AUTH_EMPTY_VALUE, ap->name_off,
                                       ap->val_off + ap->val_len - ap->name_off, name);
        sip400_explain(f, "%s Digest %s is empty (Kamailio: 400 Auth Empty %s)", name, nonempty[i],
                       i == 0 ? "User" : i == 1 ? "Nonce" : "Response");
        sip400_set_fix(f, "%s", i == 0 ? "configure the account's auth username"
                                : i == 1 ? "copy the nonce of the 401/407 challenge"
                                         : "compute the response from the challenge and the password");
        break;
    }
    const auth_param *uri = idx[P_URI];
    if (uri && !uri->quoted && uri->in_len) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_AUTH_URI_UNQUOTED, uri->val_off, uri->val_len, name);
        sip400_explain(f, "%s Digest uri=%s is not quoted (RFC 3261 22.4: digest-uri is a quoted string)", name,
                       SIP400_Q(q, m, uri->val_off, uri->val_len));
        sip400_set_fix(f, "send `uri=\"%s\"`", SIP400_Q(q2, m, uri->val_off, uri->val_len));
    }
    if (uri && sip400_is_request(m))
        check_uri_match(m, ctx, r, h, uri);
}

void sip400_rules_auth(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    if (m->kind != SIP400_START_REQUEST)
        return;
    if (!m->count[SIP400_H_AUTHORIZATION] && !m->count[SIP400_H_PROXY_AUTHORIZATION])
        return;
    /* from the first of them on */
    int16_t a = m->first[SIP400_H_AUTHORIZATION], pa = m->first[SIP400_H_PROXY_AUTHORIZATION];
    uint32_t from = (uint32_t)(a < 0 ? pa : pa < 0 ? a : a < pa ? a : pa);
    for (uint32_t i = from; i < m->nhdr; i++) {
        const sip400_hdr *h = &m->hdr[i];
        if (h->id == SIP400_H_AUTHORIZATION || h->id == SIP400_H_PROXY_AUTHORIZATION)
            check_header(m, ctx, r, h);
    }
}
