/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "uri.h"

#include <string.h>

static inline uint8_t lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c | 0x20) : c;
}

static inline bool is_alpha(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

static inline bool is_hex(uint8_t c)
{
    return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'f');
}

static bool span_ieq(const sip400_msg *m, sip400_span s, const char *lit)
{
    size_t n = strlen(lit);
    if (s.len != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (lower(m->p[s.off + i]) != (uint8_t)lit[i])
            return false;
    }
    return true;
}

static uint32_t find_byte(const sip400_msg *m, uint32_t from, uint32_t end, uint8_t c)
{
    const uint8_t *q = from < end ? memchr(m->p + from, c, end - from) : NULL;
    return q ? (uint32_t)(q - m->p) : end;
}

void sip400_uri_parse(const sip400_msg *m, sip400_span s, sip400_uri *u)
{
    memset(u, 0, sizeof *u);
    u->all = s;
    const uint8_t *p = m->p;
    uint32_t end = s.off + s.len;
    uint32_t pos = s.off;

    /* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
    uint32_t i = s.off;
    if (i < end && is_alpha(p[i])) {
        while (i < end && i - s.off < 32 && (is_alpha(p[i]) || is_digit(p[i]) || p[i] == '+' || p[i] == '-' || p[i] == '.'))
            i++;
        if (i < end && p[i] == ':') {
            u->scheme_s.off = s.off;
            u->scheme_s.len = i - s.off;
            if (span_ieq(m, u->scheme_s, "sip"))
                u->scheme = SIP400_SCHEME_SIP;
            else if (span_ieq(m, u->scheme_s, "sips"))
                u->scheme = SIP400_SCHEME_SIPS;
            else if (span_ieq(m, u->scheme_s, "tel"))
                u->scheme = SIP400_SCHEME_TEL;
            else
                u->scheme = SIP400_SCHEME_OTHER;
            pos = i + 1;
        }
    }
    /* "alice@example.com:5060" looks like scheme "alice@example.com"?  No: '@'
     * is not a scheme character, so the loop above stopped before it. */
    if (u->scheme == SIP400_SCHEME_OTHER && u->scheme_s.len && pos < end) {
        /* "host:port" without scheme, e.g. "example.com:5060" or "10.0.0.1:5060" */
        bool digits = true;
        for (uint32_t k = pos; k < end && p[k] != ';' && p[k] != '>'; k++)
            digits = digits && is_digit(p[k]);
        if (digits) {
            u->scheme = SIP400_SCHEME_NONE;
            u->scheme_s.len = 0;
            pos = s.off;
        }
    }

    if (u->scheme == SIP400_SCHEME_OTHER)
        return;

    if (u->scheme == SIP400_SCHEME_TEL) {
        uint32_t semi = find_byte(m, pos, end, ';');
        u->user.off = pos;
        u->user.len = semi - pos;
        if (semi < end) {
            u->params.off = semi + 1;
            u->params.len = end - semi - 1;
        }
        return;
    }

    /* sip / sips / no scheme: [userinfo "@"] hostport [;params] [?headers] */
    uint32_t last_at = end;
    for (uint32_t k = pos; k < end; k++) {
        if (p[k] == '@') {
            u->n_at++;
            last_at = k;
        }
    }
    uint32_t hp = pos;
    if (last_at < end) {
        u->has_at = true;
        uint32_t colon = find_byte(m, pos, last_at, ':');
        u->user.off = pos;
        u->user.len = colon - pos;
        if (colon < last_at) {
            u->has_password = true;
            u->password.off = colon + 1;
            u->password.len = last_at - colon - 1;
        }
        hp = last_at + 1;
    } else {
        u->user.off = pos;
    }
    /* hostport ends at ';' or '?' */
    uint32_t hp_end = hp;
    while (hp_end < end && p[hp_end] != ';' && p[hp_end] != '?')
        hp_end++;
    u->host.off = hp;
    if (hp < hp_end && p[hp] == '[') {
        uint32_t rb = find_byte(m, hp, hp_end, ']');
        uint32_t he = rb < hp_end ? rb + 1 : hp_end;
        u->host.len = he - hp;
        if (he < hp_end && p[he] == ':') {
            u->has_port = true;
            u->port.off = he + 1;
            u->port.len = hp_end - he - 1;
        }
    } else {
        uint32_t ncolon = 0;
        for (uint32_t k = hp; k < hp_end; k++)
            ncolon += p[k] == ':';
        uint32_t colon = ncolon >= 2 ? hp_end : find_byte(m, hp, hp_end, ':');
        u->host.len = colon - hp;
        if (colon < hp_end) {
            u->has_port = true;
            u->port.off = colon + 1;
            u->port.len = hp_end - colon - 1;
        }
    }
    uint32_t q = hp_end < end ? find_byte(m, hp_end, end, '?') : end;
    if (hp_end < end && p[hp_end] == ';') {
        u->params.off = hp_end + 1;
        u->params.len = q - hp_end - 1;
    } else {
        u->params.off = hp_end;
    }
    if (q < end) {
        u->has_headers = true;
        u->headers.off = q + 1;
        u->headers.len = end - q - 1;
    }
}

bool sip400_parse_ipv4(const uint8_t *p, uint32_t n, uint8_t out[4])
{
    uint32_t i = 0;
    for (int oct = 0; oct < 4; oct++) {
        if (oct > 0) {
            if (i >= n || p[i] != '.')
                return false;
            i++;
        }
        uint32_t v = 0, d = 0;
        while (i < n && is_digit(p[i]) && d < 4) {
            v = v * 10 + (uint32_t)(p[i] - '0');
            i++;
            d++;
        }
        if (d == 0 || d > 3 || v > 255)
            return false;
        out[oct] = (uint8_t)v;
    }
    return i == n;
}

static int hexval(uint8_t c)
{
    if (is_digit(c))
        return c - '0';
    c = lower(c);
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

bool sip400_parse_ipv6(const uint8_t *p, uint32_t n, uint8_t out[16])
{
    if (n >= 2 && p[0] == '[' && p[n - 1] == ']') {
        p++;
        n -= 2;
    }
    uint16_t g[8];
    int ng = 0, gap = -1;
    uint32_t i = 0;
    if (n == 0 || n > 45)
        return false;
    if (n >= 2 && p[0] == ':' && p[1] == ':') {
        gap = 0;
        i = 2;
        if (i == n)
            goto done;
    } else if (p[0] == ':') {
        return false;
    }
    while (i < n) {
        if (ng >= 8)
            return false;
        /* embedded IPv4 in the last 32 bits */
        uint32_t j = i;
        while (j < n && p[j] != ':')
            j++;
        if (j == n && memchr(p + i, '.', n - i)) {
            uint8_t v4[4];
            if (ng > 6 || !sip400_parse_ipv4(p + i, n - i, v4))
                return false;
            g[ng++] = (uint16_t)(v4[0] << 8 | v4[1]);
            g[ng++] = (uint16_t)(v4[2] << 8 | v4[3]);
            i = n;
            break;
        }
        uint32_t v = 0, d = 0;
        while (i < n && hexval(p[i]) >= 0) {
            if (++d > 4)
                return false;
            v = v << 4 | (uint32_t)hexval(p[i]);
            i++;
        }
        if (d == 0)
            return false;
        g[ng++] = (uint16_t)v;
        if (i == n)
            break;
        if (p[i] != ':')
            return false;
        i++;
        if (i < n && p[i] == ':') {
            if (gap >= 0)
                return false;
            gap = ng;
            i++;
            if (i == n)
                break;
        } else if (i == n) {
            return false; /* trailing single ':' */
        }
    }
done:
    if (gap < 0 && ng != 8)
        return false;
    if (gap >= 0 && ng > 7)
        return false;
    memset(out, 0, 16);
    int k = 0;
    for (int x = 0; x < (gap >= 0 ? gap : ng); x++, k++) {
        out[2 * k] = (uint8_t)(g[x] >> 8);
        out[2 * k + 1] = (uint8_t)g[x];
    }
    if (gap >= 0) {
        int tail = ng - gap;
        k = 8 - tail;
        for (int x = gap; x < ng; x++, k++) {
            out[2 * k] = (uint8_t)(g[x] >> 8);
            out[2 * k + 1] = (uint8_t)g[x];
        }
    }
    return true;
}

sip400_host_kind sip400_host_classify(const sip400_msg *m, sip400_span host, bool *valid)
{
    const uint8_t *p = m->p + host.off;
    uint32_t n = host.len;
    uint8_t buf[16];
    *valid = false;
    if (n == 0)
        return SIP400_HOST_NONE;
    if (p[0] == '[') {
        *valid = n >= 2 && p[n - 1] == ']' && sip400_parse_ipv6(p, n, buf);
        return SIP400_HOST_IPV6;
    }
    bool dotted_digits = true;
    for (uint32_t i = 0; i < n; i++)
        dotted_digits = dotted_digits && (is_digit(p[i]) || p[i] == '.');
    if (dotted_digits) {
        uint32_t dots = 0;
        for (uint32_t i = 0; i < n; i++)
            dots += p[i] == '.';
        if (dots == 3) {
            *valid = sip400_parse_ipv4(p, n, buf);
            return SIP400_HOST_IPV4;
        }
        /* "12345" or "1.2" : a hostname made of digits is not valid (toplabel starts with ALPHA) */
        *valid = false;
        return SIP400_HOST_NAME;
    }
    /* hostname = *( domainlabel "." ) toplabel [ "." ] ; labels alnum and inner '-' */
    uint32_t lab_start = 0;
    bool ok = true;
    for (uint32_t i = 0; i <= n && ok; i++) {
        if (i == n || p[i] == '.') {
            uint32_t ll = i - lab_start;
            if (ll == 0) {
                ok = (i == n && n > 0 && lab_start == n && p[n - 1] == '.' && n > 1);
                break;
            }
            if (ll > 63 || p[lab_start] == '-' || p[i - 1] == '-')
                ok = false;
            lab_start = i + 1;
            continue;
        }
        if (!(is_alpha(p[i]) || is_digit(p[i]) || p[i] == '-'))
            ok = false;
    }
    *valid = ok && n <= 255;
    return SIP400_HOST_NAME;
}

/* user = 1*( unreserved / escaped / user-unreserved ) */
static bool is_user_char(uint8_t c)
{
    if (is_alpha(c) || is_digit(c))
        return true;
    return strchr("-_.!~*'()&=+$,;?/%", c) != NULL && c != '\0';
}

const char *sip400_uri_problem_text(sip400_uri_problem what)
{
    switch (what) {
    case SIP400_UP_NONE: return "no problem";
    case SIP400_UP_MISSING_SCHEME: return "no scheme (sip:, sips: or tel:)";
    case SIP400_UP_UNKNOWN_SCHEME: return "scheme is not sip, sips or tel";
    case SIP400_UP_WHITESPACE: return "whitespace or control character inside the URI";
    case SIP400_UP_MISSING_USER: return "'@' with an empty user part";
    case SIP400_UP_MISSING_AT: return "user and host not joined by '@'";
    case SIP400_UP_EMPTY_HOST: return "no host";
    case SIP400_UP_INVALID_HOST: return "host is not a hostname, IPv4 address or [IPv6] reference";
    case SIP400_UP_IPV6_UNBRACKETED: return "IPv6 address without brackets";
    case SIP400_UP_IPV6_PORT_INSIDE: return "port apparently inside the IPv6 brackets";
    case SIP400_UP_INVALID_PORT: return "port empty, not numeric or above 65535";
    case SIP400_UP_BAD_ESCAPE: return "'%' not followed by two hex digits";
    case SIP400_UP_USER_INVALID_CHARS: return "character not allowed in the user part";
    case SIP400_UP_USER_SECOND_AT: return "second '@'";
    case SIP400_UP_NON_ASCII: return "8-bit byte in the URI";
    case SIP400_UP_HEADERS: return "?headers in the URI";
    case SIP400_UP_PASSWORD: return "password in the URI";
    case SIP400_UP_COUNT: break;
    }
    return "problem";
}

static void issue(sip400_uri_issues *out, sip400_uri_problem what, uint32_t off, uint32_t len)
{
    if (out->n >= SIP400_URI_MAX_ISSUES || sip400_uri_issues_has(out, what))
        return;
    out->v[out->n].what = what;
    out->v[out->n].off = off;
    out->v[out->n].len = len;
    out->n++;
}

bool sip400_uri_issues_has(const sip400_uri_issues *is, sip400_uri_problem what)
{
    for (uint32_t i = 0; i < is->n; i++) {
        if (is->v[i].what == what)
            return true;
    }
    return false;
}

/* First bad %-escape in a span, or UINT32_MAX */
static uint32_t bad_escape(const sip400_msg *m, sip400_span s)
{
    const uint8_t *p = m->p;
    uint32_t end = s.off + s.len;
    for (uint32_t i = s.off; i < end; i++) {
        if (p[i] != '%')
            continue;
        if (end - i < 3 || !is_hex(p[i + 1]) || !is_hex(p[i + 2]))
            return i;
        i += 2;
    }
    return UINT32_MAX;
}

void sip400_uri_validate(const sip400_msg *m, const sip400_uri *u, sip400_uri_issues *out)
{
    const uint8_t *p = m->p;
    uint32_t end = u->all.off + u->all.len;
    out->n = 0;

    if (u->scheme == SIP400_SCHEME_NONE)
        issue(out, SIP400_UP_MISSING_SCHEME, u->all.off, u->all.len);
    if (u->scheme == SIP400_SCHEME_OTHER) {
        if (!span_ieq(m, u->scheme_s, "urn"))
            issue(out, SIP400_UP_UNKNOWN_SCHEME, u->scheme_s.off, u->scheme_s.len);
        return;
    }

    /* whitespace / CTL / 8-bit anywhere */
    uint32_t ws = UINT32_MAX;
    for (uint32_t i = u->all.off; i < end; i++) {
        uint8_t c = p[i];
        if (c <= 0x20 || c == 0x7f) {
            if (ws == UINT32_MAX)
                ws = i;
        } else if (c >= 0x80) {
            issue(out, SIP400_UP_NON_ASCII, i, 1);
        }
    }

    if (u->scheme == SIP400_SCHEME_TEL) {
        if (ws != UINT32_MAX)
            issue(out, SIP400_UP_WHITESPACE, ws, 1);
        if (u->user.len == 0)
            issue(out, SIP400_UP_MISSING_USER, u->all.off, u->all.len);
        uint32_t be = bad_escape(m, u->all);
        if (be != UINT32_MAX)
            issue(out, SIP400_UP_BAD_ESCAPE, be, 1);
        return;
    }

    /* user and host not joined by '@': "sip:bob example.com" */
    if (!u->has_at && ws != UINT32_MAX && ws > u->host.off) {
        uint32_t k = ws;
        while (k < end && (p[k] == ' ' || p[k] == '\t'))
            k++;
        if (k < end) {
            issue(out, SIP400_UP_MISSING_AT, u->host.off, end - u->host.off);
            ws = UINT32_MAX; /* reported as the more specific problem */
        }
    }
    if (ws != UINT32_MAX)
        issue(out, SIP400_UP_WHITESPACE, ws, 1);

    if (u->has_at && u->user.len == 0)
        issue(out, SIP400_UP_MISSING_USER, u->user.off, 1);
    if (u->n_at >= 2) {
        uint32_t first_at = find_byte(m, u->all.off, end, '@');
        issue(out, SIP400_UP_USER_SECOND_AT, first_at, 1);
    }
    /* user characters */
    for (uint32_t i = u->user.off; i < u->user.off + u->user.len; i++) {
        uint8_t c = p[i];
        if (c >= 0x80 || c <= 0x20 || c == 0x7f)
            continue; /* reported above */
        if (c == '@')
            continue; /* second '@' */
        if (!is_user_char(c)) {
            issue(out, SIP400_UP_USER_INVALID_CHARS, i, 1);
            break;
        }
    }
    uint32_t be = bad_escape(m, u->user);
    if (be == UINT32_MAX && u->has_password)
        be = bad_escape(m, u->password);
    if (be == UINT32_MAX)
        be = bad_escape(m, u->params);
    if (be != UINT32_MAX)
        issue(out, SIP400_UP_BAD_ESCAPE, be, 1);

    /* host */
    if (u->host.len == 0) {
        issue(out, SIP400_UP_EMPTY_HOST, u->host.off > u->all.off ? u->host.off - 1 : u->host.off, 1);
    } else {
        uint32_t ncolon = 0;
        for (uint32_t i = u->host.off; i < u->host.off + u->host.len; i++)
            ncolon += p[i] == ':';
        bool valid;
        sip400_host_kind hk = sip400_host_classify(m, u->host, &valid);
        if (hk != SIP400_HOST_IPV6 && ncolon >= 2) {
            uint8_t b[16];
            if (sip400_parse_ipv6(p + u->host.off, u->host.len, b))
                issue(out, SIP400_UP_IPV6_UNBRACKETED, u->host.off, u->host.len);
            else
                issue(out, SIP400_UP_INVALID_HOST, u->host.off, u->host.len);
        } else if (!valid) {
            /* whitespace problems already explain a broken host */
            if (!sip400_uri_issues_has(out, SIP400_UP_MISSING_AT) && !sip400_uri_issues_has(out, SIP400_UP_WHITESPACE))
                issue(out, SIP400_UP_INVALID_HOST, u->host.off, u->host.len);
        } else if (hk == SIP400_HOST_IPV6 && !u->has_port) {
            /* "[2001:db8::10:5070]": last group looks like a SIP port */
            uint32_t e = u->host.off + u->host.len - 1; /* at ']' */
            uint32_t s = e;
            while (s > u->host.off && p[s - 1] != ':')
                s--;
            uint32_t v = 0;
            bool dig = e > s && e - s <= 5;
            for (uint32_t i = s; i < e && dig; i++) {
                dig = is_digit(p[i]);
                v = v * 10 + (uint32_t)(p[i] - '0');
            }
            if (dig && v >= 5060 && v <= 5099 && s >= 2 && p[s - 2] != ':')
                issue(out, SIP400_UP_IPV6_PORT_INSIDE, s, e - s);
        }
    }
    if (u->has_port) {
        uint32_t v = 0;
        bool ok = u->port.len > 0 && u->port.len <= 5;
        for (uint32_t i = 0; i < u->port.len && ok; i++) {
            uint8_t c = p[u->port.off + i];
            ok = is_digit(c);
            v = v * 10 + (uint32_t)(c - '0');
        }
        if (!ok || v > 65535)
            issue(out, SIP400_UP_INVALID_PORT, u->port.len ? u->port.off : u->port.off - 1, u->port.len ? u->port.len : 1);
    }
    if (u->has_headers)
        issue(out, SIP400_UP_HEADERS, u->headers.off - 1, u->headers.len + 1);
    if (u->has_password)
        issue(out, SIP400_UP_PASSWORD, u->password.off, u->password.len);
}

bool sip400_param_find(const sip400_msg *m, sip400_span params, const char *name, sip400_span *value)
{
    const uint8_t *p = m->p;
    uint32_t end = params.off + params.len;
    uint32_t pos = params.off;
    size_t nl = strlen(name);
    while (pos < end) {
        while (pos < end && (p[pos] == ';' || p[pos] == ' ' || p[pos] == '\t'))
            pos++;
        uint32_t s = pos;
        bool quoted = false;
        while (pos < end && (quoted || p[pos] != ';')) {
            if (p[pos] == '"')
                quoted = !quoted;
            else if (p[pos] == '\\' && quoted && pos + 1 < end)
                pos++;
            pos++;
        }
        uint32_t e = pos;
        uint32_t eq = find_byte(m, s, e, '=');
        uint32_t ne = eq;
        while (ne > s && (p[ne - 1] == ' ' || p[ne - 1] == '\t'))
            ne--;
        if (ne - s == nl) {
            bool same = true;
            for (size_t i = 0; i < nl && same; i++)
                same = lower(p[s + i]) == lower((uint8_t)name[i]);
            if (same) {
                if (eq < e) {
                    uint32_t v = eq + 1;
                    while (v < e && (p[v] == ' ' || p[v] == '\t'))
                        v++;
                    uint32_t ve = e;
                    while (ve > v && (p[ve - 1] == ' ' || p[ve - 1] == '\t'))
                        ve--;
                    value->off = v;
                    value->len = ve - v;
                } else {
                    value->off = e;
                    value->len = 0;
                }
                return true;
            }
        }
    }
    return false;
}

bool sip400_nameaddr_uri(const sip400_msg *m, sip400_span value, sip400_span *uri,
                         bool *bracketed, sip400_span *rest)
{
    const uint8_t *p = m->p;
    uint32_t end = value.off + value.len;
    uint32_t pos = value.off;
    bool quoted = false;
    uint32_t lt = end;
    /* look for '<' outside a quoted display name */
    for (uint32_t i = pos; i < end; i++) {
        uint8_t c = p[i];
        if (quoted) {
            if (c == '\\' && i + 1 < end)
                i++;
            else if (c == '"')
                quoted = false;
        } else if (c == '"') {
            quoted = true;
        } else if (c == '<') {
            lt = i;
            break;
        } else if (c == ';' || c == ',') {
            break; /* an addr-spec: no brackets */
        }
    }
    if (lt < end) {
        uint32_t gt = find_byte(m, lt + 1, end, '>');
        if (gt >= end)
            return false;
        *bracketed = true;
        uri->off = lt + 1;
        uri->len = gt - lt - 1;
        rest->off = gt + 1;
        rest->len = end - gt - 1;
        return true;
    }
    if (quoted)
        return false;
    *bracketed = false;
    uint32_t semi = find_byte(m, pos, end, ';');
    uri->off = pos;
    uri->len = semi - pos;
    while (uri->len && (p[uri->off + uri->len - 1] == ' ' || p[uri->off + uri->len - 1] == '\t'))
        uri->len--;
    rest->off = semi;
    rest->len = end - semi;
    return uri->len > 0;
}

uint32_t sip400_split_list(const sip400_msg *m, sip400_span value, sip400_span *out, uint32_t max,
                           uint32_t *total)
{
    const uint8_t *p = m->p;
    uint32_t end = value.off + value.len;
    uint32_t n = 0, all = 0;
    uint32_t s = value.off;
    bool quoted = false, angle = false;
    for (uint32_t i = value.off; i <= end; i++) {
        if (i < end) {
            uint8_t c = p[i];
            if (quoted) {
                if (c == '\\' && i + 1 < end)
                    i++;
                else if (c == '"')
                    quoted = false;
                continue;
            }
            if (c == '"') {
                quoted = true;
                continue;
            }
            if (c == '<')
                angle = true;
            else if (c == '>')
                angle = false;
            if (c != ',' || angle)
                continue;
        }
        /* element [s, i) trimmed */
        uint32_t a = s, b = i;
        while (a < b && (p[a] == ' ' || p[a] == '\t' || p[a] == '\r' || p[a] == '\n'))
            a++;
        while (b > a && (p[b - 1] == ' ' || p[b - 1] == '\t' || p[b - 1] == '\r' || p[b - 1] == '\n'))
            b--;
        if (n < max) {
            out[n].off = a;
            out[n].len = b - a;
            n++;
        }
        all++;
        s = i + 1;
    }
    if (total)
        *total = all;
    return n;
}
