/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group A: start line and Request-URI.
 *
 * Precedence (one diagnosis per defect, the most specific one):
 *  - a request line that splits into more than three fields is a Request-URI
 *    problem (ruri.whitespace, or ruri.missing_at for `sip:bob example.com`),
 *    never also start.extra_whitespace for the same bytes;
 *  - ruri.missing_at replaces ruri.whitespace and ruri.invalid_host;
 *    whitespace inside the host replaces ruri.invalid_host;
 *  - `<sip:...>` is ruri.angle_brackets; the URI inside is then checked as usual;
 *  - SP in the user part is ruri.whitespace (C), not ruri.user_invalid_chars;
 *    a second '@' is ruri.user_invalid_chars at level C;
 *  - 8-bit bytes in the user part are ruri.user_invalid_chars, in the host
 *    ruri.invalid_host; elsewhere in the URI encoding.non_ascii_in_tokens
 *    (rules_size.c, which skips bytes these findings already cover);
 *  - a raw '#' in a telephone-number user part is left to
 *    number.unescaped_chars (group E);
 *  - a Request-URI without any scheme is uri.missing_scheme; `user:password@`
 *    is uri.password_present (both group D ids, reported here because only
 *    this file parses the Request-URI).
 */
#include "rules_util.h"

#include <string.h>

#define RURI_LIMIT 256 /* pjsip PJSIP_MAX_URL_SIZE; some Asterisk builds use 512 */

static const char *const standard_methods[] = {
    "INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "INFO", "PRACK",
    "SUBSCRIBE", "NOTIFY", "UPDATE", "MESSAGE", "REFER", "PUBLISH",
};

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

/* A separator of the request line that is not exactly one SP. */
static bool bad_separator(const sip400_msg *m, uint32_t from, uint32_t to)
{
    return to > from && !(to - from == 1 && m->p[from] == ' ');
}

static const char *ws_name(const sip400_msg *m, uint32_t from, uint32_t to)
{
    if (memchr(m->p + from, '\t', to - from))
        return "a tab";
    return to - from > 1 ? "several spaces" : "a space";
}

/* RFC 4475 3.1.2.9 / 3.1.2.10: Method SP Request-URI SP SIP-Version, nothing after */
static void check_extra_whitespace(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    if (m->kind != SIP400_START_REQUEST || m->version.len == 0 || m->ruri.len == 0)
        return;
    uint32_t line_end = m->line.off + m->line.len;
    uint32_t seps[3][2] = {
        { m->method.off + m->method.len, m->ruri.off },
        { m->ruri.off + m->ruri.len, m->version.off },
        { m->version.off + m->version.len, line_end },
    };
    static const char *const where[3] = { "between the method and the Request-URI",
                                          "between the Request-URI and the version",
                                          "at the end of the request line" };
    uint32_t nbad = 0, first = 3;
    for (uint32_t i = 0; i < 3; i++) {
        bool bad = i < 2 ? bad_separator(m, seps[i][0], seps[i][1]) : seps[i][1] > seps[i][0];
        if (bad) {
            nbad++;
            if (first == 3)
                first = i;
        }
    }
    if (!nbad)
        return;
    uint32_t a = seps[first][0], b = seps[first][1];
    sip400_finding *f = sip400_add(r, ctx, SIP400_START_EXTRA_WHITESPACE, a, b - a, "");
    sip400_explain(f, "request line has %s %s%s (RFC 3261 allows exactly one SP between the fields; RFC 4475 3.1.2.9/10: acceptable to reject)",
                   first == 2 ? "trailing whitespace:" : ws_name(m, a, b), first == 2 ? ws_name(m, a, b) : where[first],
                   nbad > 1 ? ", and more whitespace elsewhere in the line" : "");
}

static void check_method_case(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    char q[48];
    if (m->kind != SIP400_START_REQUEST)
        return;
    /* the standard methods are upper case: a method without a lower-case
     * letter equals one of them exactly or not at all */
    bool lower_case = false;
    for (uint32_t i = 0; i < m->method.len && !lower_case; i++) {
        uint8_t c = m->p[m->method.off + i];
        lower_case = c >= 'a' && c <= 'z';
    }
    if (!lower_case)
        return;
    for (size_t i = 0; i < sizeof standard_methods / sizeof standard_methods[0]; i++) {
        const char *sm = standard_methods[i];
        if (sip400_span_ieq(m, m->method, sm) && !sip400_span_eq(m, m->method, sm)) {
            sip400_finding *f = sip400_add(r, ctx, SIP400_START_METHOD_CASE, m->method.off, m->method.len, "");
            sip400_explain(f, "method `%s` is not %s: methods are case-sensitive, so servers treat it as an unknown method (405/501) or reject the CSeq",
                           SIP400_Q(q, m, m->method.off, m->method.len), sm);
            sip400_set_fix(f, "send `%s`", sm);
            return;
        }
    }
}

/* A user part that looks like a telephone number: digits with the characters
 * of dialling strings and visual separators. */
static bool phone_like_user(const sip400_msg *m, sip400_span user)
{
    uint32_t digits = 0;
    for (uint32_t i = 0; i < user.len; i++) {
        uint8_t c = m->p[user.off + i];
        if (c == ';')
            break; /* ;phone-context=... */
        if (c >= '0' && c <= '9')
            digits++;
        else if (!strchr("+*#-.()%ABCDabcdpw", c))
            return false;
    }
    return digits > 0;
}

static void ruri_issue(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, const sip400_uri *u,
                       sip400_span s, const sip400_uri_issue *x)
{
    char q[96], q2[64];
    sip400_finding *f = NULL;
    const char *uq = SIP400_Q(q, m, s.off, s.len);
    switch (x->what) {
    case SIP400_UP_MISSING_SCHEME:
        f = sip400_add(r, ctx, SIP400_URI_MISSING_SCHEME, s.off, s.len, "");
        sip400_explain(f, "Request-URI `%s` has no scheme: every stack fails to parse it", uq);
        sip400_set_fix(f, "send `sip:%s`", uq);
        break;
    case SIP400_UP_UNKNOWN_SCHEME:
        f = sip400_add(r, ctx, SIP400_RURI_UNKNOWN_SCHEME, x->off, x->len, "");
        sip400_explain(f, "Request-URI scheme `%s` is not sip, sips or tel: RFC 3261 says 416 Unsupported URI Scheme, Kamailio answers 400 Bad Request URI",
                       SIP400_Q(q2, m, x->off, x->len));
        break;
    case SIP400_UP_WHITESPACE:
        f = sip400_add(r, ctx, SIP400_RURI_WHITESPACE, x->off, s.off + s.len - x->off, "");
        sip400_explain(f, "Request-URI has %s at offset %u: `%s` (the request line splits into %u fields)",
                       m->p[x->off] == ' ' ? "a space" : m->p[x->off] == '\t' ? "a tab" : "a control character",
                       x->off - s.off, uq, m->nfields);
        break;
    case SIP400_UP_MISSING_USER:
        f = sip400_add(r, ctx, SIP400_RURI_MISSING_USER, s.off, s.len, "");
        if (u->scheme == SIP400_SCHEME_TEL) {
            sip400_explain(f, "Request-URI `%s` is a tel: URI without a number", uq);
            sip400_set_fix(f, "send the number: `tel:+<country code><number>`");
        } else {
            sip400_explain(f, "Request-URI `%s` has an '@' but no user before it", uq);
        }
        break;
    case SIP400_UP_MISSING_AT: {
        f = sip400_add(r, ctx, SIP400_RURI_MISSING_AT, s.off, s.len, "");
        sip400_explain(f, "Request-URI `%s`: user and host are separated by whitespace instead of '@'", uq);
        /* suggest the joined form */
        char a[64], b[64];
        uint32_t end = s.off + s.len, ws = x->off;
        while (ws < end && m->p[ws] != ' ' && m->p[ws] != '\t')
            ws++;
        uint32_t hs = ws;
        while (hs < end && (m->p[hs] == ' ' || m->p[hs] == '\t'))
            hs++;
        sip400_set_fix(f, "use `%s@%s`", SIP400_Q(a, m, s.off, ws - s.off), SIP400_Q(b, m, hs, end - hs));
        break;
    }
    case SIP400_UP_EMPTY_HOST:
        f = sip400_add(r, ctx, SIP400_RURI_EMPTY_HOST, s.off, s.len, "");
        sip400_explain(f, "Request-URI `%s` has no host", uq);
        break;
    case SIP400_UP_INVALID_HOST:
        f = sip400_add(r, ctx, SIP400_RURI_INVALID_HOST, x->off, x->len, "");
        sip400_explain(f, "Request-URI host `%s` has %s", SIP400_Q(q2, m, x->off, x->len),
                       sip400_host_problem_text((sip400_host_problem)x->detail));
        if (x->detail == SIP400_HP_NUMERIC && !u->has_at)
            sip400_set_fix(f, "a number needs a host: `sip:%s@<domain>`", SIP400_Q(q2, m, x->off, x->len));
        break;
    case SIP400_UP_IPV6_UNBRACKETED:
        f = sip400_add(r, ctx, SIP400_RURI_IPV6_UNBRACKETED, x->off, x->len, "");
        sip400_explain(f, "Request-URI host `%s` is an IPv6 address without brackets: its ':' cannot be told from a port (RFC 5118 4.2: answer 400)",
                       SIP400_Q(q2, m, x->off, x->len));
        sip400_set_fix(f, "write `[%s]`", SIP400_Q(q2, m, x->off, x->len));
        break;
    case SIP400_UP_IPV6_PORT_INSIDE:
        f = sip400_add(r, ctx, SIP400_RURI_IPV6_PORT_INSIDE_BRACKETS, x->off, x->len, "");
        sip400_explain(f, "Request-URI host `%s`: `%s` inside the brackets looks like a port but is read as part of the address (RFC 5118 4.3)",
                       SIP400_Q(q, m, u->host.off, u->host.len), SIP400_Q(q2, m, x->off, x->len));
        if (x->off > u->host.off + 1) {
            char a[64];
            sip400_set_fix(f, "if %s is the port, write `%s]:%s`", q2, SIP400_Q(a, m, u->host.off, x->off - 1 - u->host.off), q2);
        }
        break;
    case SIP400_UP_INVALID_PORT:
        f = sip400_add(r, ctx, SIP400_RURI_INVALID_PORT, x->off, x->len, "");
        if (u->port.len == 0)
            sip400_explain(f, "Request-URI `%s` has ':' after the host but no port", uq);
        else
            sip400_explain(f, "Request-URI port `%s` is not a number 0..65535", SIP400_Q(q2, m, x->off, x->len));
        break;
    case SIP400_UP_BAD_ESCAPE:
        f = sip400_add(r, ctx, SIP400_RURI_BAD_ESCAPE, x->off, x->len, "");
        sip400_explain(f, "Request-URI `%s`: `%s` is a '%%' not followed by two hex digits", uq,
                       SIP400_Q(q2, m, x->off, x->len));
        break;
    case SIP400_UP_USER_INVALID_CHARS: {
        uint8_t c = m->p[x->off];
        if (c == '#' && phone_like_user(m, u->user))
            break; /* number.unescaped_chars */
        f = sip400_add(r, ctx, SIP400_RURI_USER_INVALID_CHARS, x->off, x->len, "");
        if (c >= 0x80)
            sip400_explain(f, "Request-URI user `%s` has 8-bit bytes `%s`: they must be %%HH-escaped",
                           SIP400_Q(q, m, u->user.off, u->user.len), SIP400_Q(q2, m, x->off, x->len));
        else
            sip400_explain(f, "Request-URI user `%s` has '%c', which must be escaped as %%%02X",
                           SIP400_Q(q, m, u->user.off, u->user.len), c, c);
        sip400_set_fix(f, "escape reserved characters in the user part as %%HH");
        break;
    }
    case SIP400_UP_USER_SECOND_AT:
        f = sip400_add(r, ctx, SIP400_RURI_USER_INVALID_CHARS, x->off, x->len, "");
        if (f)
            f->level = SIP400_LEVEL_C; /* CAUSES.md: C for a second '@' */
        sip400_explain(f, "Request-URI `%s` has a second '@': the user part cannot contain a raw '@'", uq);
        sip400_set_fix(f, "send a single '@'; escape an '@' inside the user part as %%40");
        break;
    case SIP400_UP_HEADERS:
        if (u->scheme != SIP400_SCHEME_SIP && u->scheme != SIP400_SCHEME_SIPS)
            break;
        f = sip400_add(r, ctx, SIP400_RURI_ESCAPED_HEADERS, x->off, x->len, "");
        sip400_explain(f, "Request-URI carries headers `%s`: they are meant for building a request from a URI, not for the request line (RFC 4475 3.1.2.11)",
                       SIP400_Q(q2, m, x->off, x->len));
        break;
    case SIP400_UP_PASSWORD:
        f = sip400_add(r, ctx, SIP400_URI_PASSWORD_PRESENT, x->off, x->len, "");
        sip400_explain(f, "Request-URI carries a password (`%s:***@`): legal but not recommended (RFC 3261 19.1.1), and visible to every hop",
                       SIP400_Q(q2, m, u->user.off, u->user.len));
        break;
    case SIP400_UP_NON_ASCII: /* user: USER_INVALID_CHARS; host: INVALID_HOST; else rules_size */
    case SIP400_UP_NONE:
    case SIP400_UP_COUNT:
        break;
    }
}

static void check_ruri(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    char q[96];
    if (m->kind != SIP400_START_REQUEST || m->ruri.len == 0)
        return;
    sip400_span s = m->ruri;
    /* RFC 4475 3.1.2.7: INVITE <sip:user@example.com> SIP/2.0 */
    if (m->p[s.off] == '<' || m->p[s.off + s.len - 1] == '>') {
        sip400_span in = s;
        if (m->p[in.off] == '<') {
            in.off++;
            in.len--;
        }
        if (in.len && m->p[in.off + in.len - 1] == '>')
            in.len--;
        sip400_finding *f = sip400_add(r, ctx, SIP400_RURI_ANGLE_BRACKETS, s.off, s.len, "");
        sip400_explain(f, "Request-URI `%s` is wrapped in angle brackets: the request line takes the bare URI (RFC 4475 3.1.2.7)",
                       SIP400_Q(q, m, s.off, s.len));
        char q2[96];
        sip400_set_fix(f, "send `%s`", SIP400_Q(q2, m, in.off, in.len));
        s = in;
        if (s.len == 0)
            return;
    }
    sip400_uri_issues is;
    const sip400_uri *u = sip400_uri_cached(r, m, s); /* no other URI is parsed below */
    sip400_uri_validate_bc(m, u, m->cls_start, true, &is); /* the start line's byte classes */
    for (uint32_t i = 0; i < is.n; i++) {
        /* without a scheme the rest of the parse is guesswork: report only that */
        if (sip400_uri_issues_has(&is, SIP400_UP_MISSING_SCHEME) && is.v[i].what != SIP400_UP_MISSING_SCHEME)
            continue;
        ruri_issue(m, ctx, r, u, s, &is.v[i]);
    }
    if (s.len > RURI_LIMIT) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_RURI_TOO_LONG, s.off, s.len, "");
        sip400_explain(f, "Request-URI is %u bytes long: pjsip rejects URIs over %u bytes (414), Kamailio may answer 403 R-URI too large",
                       s.len, RURI_LIMIT);
    }
}

void sip400_rules_start(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    check_start_line(m, ctx, r);
    check_extra_whitespace(m, ctx, r);
    check_method_case(m, ctx, r);
    check_ruri(m, ctx, r);
}
