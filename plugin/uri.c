/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "uri.h"

#include <string.h>

/* Character classes of the URI grammar, one table lookup per byte instead of
 * chains of comparisons (the URI rules run on every From, To, Contact and Via). */
#define C_ALPHA  0x0001u /* ALPHA */
#define C_DIGIT  0x0002u /* DIGIT */
#define C_SCHEME 0x0004u /* scheme character after the first: ALPHA DIGIT "+" "-" "." */
#define C_USER   0x0008u /* user = unreserved / escaped / user-unreserved: alphanum "-_.!~*'()&=+$,;?/%" */
#define C_HEX    0x0010u /* HEXDIG */
#define C_WSCTL  0x0020u /* SP, a control byte or DEL (<= 0x20, 0x7f) */
#define C_8BIT   0x0040u /* >= 0x80 */
#define C_LABEL  0x0080u /* inside a host name label: alphanum "-" */
#define C_HPEND  0x0100u /* ';' '?': end of hostport */
#define C_LIST   0x0200u /* '"' '\\' '<' '>' ',': what the list splitter looks at */
#define C_PARAM  0x0400u /* ';' '"' '\\': what the parameter scanner looks at */
#define C_DOTNUM 0x0800u /* DIGIT "." */
#define C_AT     0x1000u /* '@' */
#define C_PCT    0x2000u /* '%' */
#define C_USEROK 0x4000u /* not reported as a bad user character: C_USER, C_WSCTL, '@' */

#define U_ (C_USER | C_USEROK)
#define W_ (C_WSCTL | C_USEROK)
#define H_ C_8BIT
#define US U_
#define LA (U_ | C_ALPHA | C_SCHEME | C_LABEL)         /* G-Z g-z */
#define LH (U_ | C_ALPHA | C_SCHEME | C_LABEL | C_HEX) /* A-F a-f */
#define DG (U_ | C_DIGIT | C_SCHEME | C_LABEL | C_HEX | C_DOTNUM)
#define DQ (C_LIST | C_PARAM)            /* '"' */
#define BS (C_LIST | C_PARAM)            /* '\\' */
#define AN C_LIST                        /* '<' '>' */
#define CM (U_ | C_LIST)                 /* ',' */
#define PC (U_ | C_PCT)                  /* '%' */
#define PL (U_ | C_SCHEME)               /* '+' */
#define MI (U_ | C_SCHEME | C_LABEL)     /* '-' */
#define DT (U_ | C_SCHEME | C_DOTNUM)    /* '.' */
#define SC (U_ | C_HPEND | C_PARAM)      /* ';' */
#define QM (U_ | C_HPEND)                /* '?' */
#define AT (C_AT | C_USEROK)
#define W16 W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_
#define H16 H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_
static const uint16_t cc[256] = {
    /*       0   1   2   3   4   5   6   7   8   9   a   b   c   d   e   f */
    /* 0x */ W16,
    /* 1x */ W16,
    /* 2x */ W_, US, DQ, 0,  US, PC, US, US, US, US, US, PL, CM, MI, DT, US, /* SP ! " # $ % & ' ( ) * + , - . / */
    /* 3x */ DG, DG, DG, DG, DG, DG, DG, DG, DG, DG, 0,  SC, AN, US, AN, QM, /* 0-9 : ; < = > ? */
    /* 4x */ AT, LH, LH, LH, LH, LH, LH, LA, LA, LA, LA, LA, LA, LA, LA, LA, /* @ A-O */
    /* 5x */ LA, LA, LA, LA, LA, LA, LA, LA, LA, LA, LA, 0,  BS, 0,  0,  US, /* P-Z [ \\ ] ^ _ */
    /* 6x */ 0,  LH, LH, LH, LH, LH, LH, LA, LA, LA, LA, LA, LA, LA, LA, LA, /* ` a-o */
    /* 7x */ LA, LA, LA, LA, LA, LA, LA, LA, LA, LA, LA, 0,  0,  0,  US, W_, /* p-z { | } ~ DEL */
    H16, H16, H16, H16, H16, H16, H16, H16,
};
#undef U_
#undef W_
#undef H_
#undef US
#undef PC
#undef LA
#undef LH
#undef DG
#undef DQ
#undef BS
#undef AN
#undef CM
#undef PL
#undef MI
#undef DT
#undef SC
#undef QM
#undef AT
#undef W16
#undef H16

static inline uint8_t lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c | 0x20) : c;
}

static inline bool is_alpha(uint8_t c)
{
    return (cc[c] & C_ALPHA) != 0;
}

static inline bool is_digit(uint8_t c)
{
    return (cc[c] & C_DIGIT) != 0;
}

static inline bool is_hex(uint8_t c)
{
    return (cc[c] & C_HEX) != 0;
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

/* Whether the n bytes at p are the lower-case letters lit, in any case (only
 * letters: c | 0x20 equals a lower-case letter only for that letter's two cases) */
static inline bool letters_ieq(const uint8_t *p, const char *lit, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if ((p[i] | 0x20) != (uint8_t)lit[i])
            return false;
    }
    return true;
}

static uint32_t find_byte(const sip400_msg *m, uint32_t from, uint32_t end, uint8_t c)
{
    const uint8_t *q = from < end ? memchr(m->p + from, c, end - from) : NULL;
    return q ? (uint32_t)(q - m->p) : end;
}

/* Whether [from, end) holds at least two bytes c */
static bool two_bytes(const sip400_msg *m, uint32_t from, uint32_t end, uint8_t c)
{
    uint32_t first = find_byte(m, from, end, c);
    return first < end && find_byte(m, first + 1, end, c) < end;
}

void sip400_uri_parse(const sip400_msg *m, sip400_span s, sip400_uri *u)
{
    memset(u, 0, sizeof *u);
    u->all = s;
    const uint8_t *p = m->p;
    uint32_t end = s.off + s.len;
    uint32_t pos = s.off;

    /* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"; "sip:" first */
    uint32_t i = s.off;
    if (s.len >= 4 && p[s.off + 3] == ':' && letters_ieq(p + s.off, "sip", 3)) {
        u->scheme_s.off = s.off;
        u->scheme_s.len = 3;
        u->scheme = SIP400_SCHEME_SIP;
        pos = s.off + 4;
    } else if (i < end && is_alpha(p[i])) {
        uint32_t lim = end - s.off > 32 ? s.off + 32 : end;
        while (i < lim && (cc[p[i]] & C_SCHEME))
            i++;
        if (i < end && p[i] == ':') {
            uint32_t sl = i - s.off;
            const uint8_t *sp = p + s.off;
            u->scheme_s.off = s.off;
            u->scheme_s.len = sl;
            if (sl == 3 && letters_ieq(sp, "sip", 3))
                u->scheme = SIP400_SCHEME_SIP;
            else if (sl == 4 && letters_ieq(sp, "sips", 4))
                u->scheme = SIP400_SCHEME_SIPS;
            else if (sl == 3 && letters_ieq(sp, "tel", 3))
                u->scheme = SIP400_SCHEME_TEL;
            else
                u->scheme = SIP400_SCHEME_OTHER;
            pos = i + 1;
        }
    }
    /* "alice@example.com:5060" looks like scheme "alice@example.com"?  No: '@'
     * is not a scheme character, so the loop above stopped before it. */
    if (u->scheme == SIP400_SCHEME_OTHER && u->scheme_s.len) {
        /* "host:port" without scheme, e.g. "example.com:5060" or "pbx:5060":
         * the text after ':' is a port, or the "scheme" is a dotted host name
         * (schemes such as "xmpp:a@b" stay other schemes). */
        bool digits = pos < end;
        uint32_t nd = 0, port = 0;
        for (uint32_t k = pos; k < end && p[k] != ';' && p[k] != '>' && digits; k++, nd++) {
            digits = is_digit(p[k]) && nd < 5;
            port = port * 10 + (uint32_t)(p[k] - '0');
        }
        digits = digits && nd > 0 && port <= 65535; /* "isbn:2983792873" is a scheme */
        bool dotted = find_byte(m, u->scheme_s.off, u->scheme_s.off + u->scheme_s.len, '.') <
                      u->scheme_s.off + u->scheme_s.len;
        if (digits || dotted) {
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

    /* sip / sips / no scheme: [userinfo "@"] hostport [;params] [?headers].
     * The user part may itself contain ';' '?' '/' (user-unreserved) and the
     * ABNF allows no '@' in params or headers, so userinfo ends at the last '@'.
     * One exception for real traffic: an unescaped '@' in the headers
     * ("sip:a@b?Replaces=x@y"): a '?' after an '@' starts the headers, while a
     * '?' before the only '@' belongs to the user ("sip:a?b@host"). */
    uint32_t hdrs = end;
    uint32_t first_at = find_byte(m, pos, end, '@');
    if (first_at < end) {
        uint32_t qm = find_byte(m, first_at, end, '?');
        if (qm < end)
            hdrs = qm;
    }
    /* '@' before the headers part: none before first_at, and hdrs > first_at */
    uint32_t last_at = end;
    for (uint32_t k = first_at; k < hdrs; k = find_byte(m, k + 1, hdrs, '@')) {
        u->n_at++;
        last_at = k;
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
    /* hostport ends at ';' or '?' (and at the headers); the parameters at
     * '?'.  With an '@', no '?' comes between it and hdrs. */
    uint32_t hp_end, q;
    if (first_at < end) {
        hp_end = find_byte(m, hp, hdrs, ';');
        q = hdrs;
    } else {
        hp_end = hp;
        while (hp_end < end && !(cc[p[hp_end]] & C_HPEND))
            hp_end++;
        q = find_byte(m, hp_end, end, '?'); /* also "?" after the host without "name=" */
    }
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
        /* two ':' or more: an unbracketed IPv6 address, no port */
        uint32_t colon = find_byte(m, hp, hp_end, ':');
        if (colon < hp_end && find_byte(m, colon + 1, hp_end, ':') < hp_end)
            colon = hp_end;
        u->host.len = colon - hp;
        if (colon < hp_end) {
            u->has_port = true;
            u->port.off = colon + 1;
            u->port.len = hp_end - colon - 1;
        }
    }
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

/* The decimal digit at p[i] (i < n), or 10 */
static inline uint32_t digit_at(const uint8_t *p, uint32_t n, uint32_t i)
{
    uint32_t d = i < n ? (uint32_t)p[i] - '0' : 10;
    return d <= 9 ? d : 10;
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
        /* 1 to 3 digits (not 4), at most 255 */
        uint32_t v = digit_at(p, n, i), d;
        if (v > 9)
            return false;
        if ((d = digit_at(p, n, ++i)) <= 9) {
            v = v * 10 + d;
            if ((d = digit_at(p, n, ++i)) <= 9) {
                v = v * 10 + d;
                if (digit_at(p, n, ++i) <= 9)
                    return false;
            }
        }
        if (v > 255)
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
            /* RFC 5118 4.10: RFC 3261's ABNF lets ":::" precede an embedded
             * IPv4 address ("2001:db8:::192.0.2.1"); accept it, as asked */
            if (p[i] == ':' && memchr(p + i, '.', n - i) && !memchr(p + i + 1, ':', n - i - 1))
                i++;
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

const char *sip400_host_problem_text(sip400_host_problem why)
{
    switch (why) {
    case SIP400_HP_NONE: return "valid host";
    case SIP400_HP_BAD_CHAR: return "a character that is not allowed in a host name";
    case SIP400_HP_UNDERSCORE: return "'_', which is not allowed in a host name";
    case SIP400_HP_LABEL_DASH: return "a label that starts or ends with '-'";
    case SIP400_HP_EMPTY_LABEL: return "an empty label ('..' or a leading '.')";
    case SIP400_HP_TOO_LONG: return "a label longer than 63 or a name longer than 255 bytes";
    case SIP400_HP_NUMERIC: return "digits that are neither a host name nor a dotted IPv4 address";
    case SIP400_HP_IPV4_OCTET: return "an IPv4 address with an octet above 255";
    case SIP400_HP_IPV6_SYNTAX: return "a bracketed IPv6 reference that is not an IPv6 address";
    case SIP400_HP_NON_ASCII: return "8-bit bytes (an international name must be sent as punycode xn--...)";
    }
    return "invalid host";
}

bool sip400_host_problem_is_hard(sip400_host_problem why)
{
    switch (why) {
    case SIP400_HP_BAD_CHAR:
    case SIP400_HP_EMPTY_LABEL:
    case SIP400_HP_IPV4_OCTET:
    case SIP400_HP_IPV6_SYNTAX:
        return true;
    default:
        return false;
    }
}

/* Whether the n > 0 bytes at p are a valid host name of the common shape, in
 * one pass: a letter first, labels of ALPHA DIGIT "-" (not at either end, at
 * most 63 bytes) joined by single dots, an optional trailing dot, at most 255
 * bytes.  False sends the name through the full check below. */
static bool plain_hostname(const uint8_t *p, uint32_t n)
{
    if (n > 255 || !(cc[p[0]] & C_ALPHA))
        return false;
    const uint8_t *q = p, *e = p + n;
    while (q < e) {
        const uint8_t *s = q;
        while (q < e && (cc[*q] & C_LABEL))
            q++;
        if (q == s || q - s > 63 || *s == '-' || q[-1] == '-')
            return false;
        if (q == e || (*q == '.' && q + 1 == e))
            return true;
        if (*q != '.')
            return false;
        q++;
    }
    return false;
}

sip400_host_kind sip400_host_check(const sip400_msg *m, sip400_span host, sip400_host_problem *why)
{
    const uint8_t *p = m->p + host.off;
    uint32_t n = host.len;
    uint8_t buf[16];
    *why = SIP400_HP_NONE;
    if (n == 0)
        return SIP400_HOST_NONE;
    if (p[0] == '[') {
        if (!(n >= 2 && p[n - 1] == ']' && sip400_parse_ipv6(p, n, buf)))
            *why = SIP400_HP_IPV6_SYNTAX;
        return SIP400_HOST_IPV6;
    }
    if (is_digit(p[0]) && sip400_parse_ipv4(p, n, buf))
        return SIP400_HOST_IPV4; /* a dotted quad: digits and dots only */
    if (plain_hostname(p, n))
        return SIP400_HOST_NAME;
    uint16_t all = C_DOTNUM, any = 0;
    for (uint32_t i = 0; i < n; i++) {
        all &= cc[p[i]];
        any |= cc[p[i]];
    }
    if (any & C_8BIT) {
        *why = SIP400_HP_NON_ASCII;
        return SIP400_HOST_NAME;
    }
    if (all & C_DOTNUM) { /* digits and dots only, not a dotted quad */
        uint32_t dots = 0;
        for (uint32_t i = 0; i < n; i++)
            dots += p[i] == '.';
        if (dots == 3) {
            /* "1..2.3" is an empty label, "300.1.1.1" a bad octet */
            bool empty = p[0] == '.' || p[n - 1] == '.';
            for (uint32_t i = 1; i < n; i++)
                empty = empty || (p[i] == '.' && p[i - 1] == '.');
            *why = empty ? SIP400_HP_EMPTY_LABEL : SIP400_HP_IPV4_OCTET;
            return SIP400_HOST_IPV4;
        }
        /* "12345" or "1.2": a top label must start with a letter */
        *why = SIP400_HP_NUMERIC;
        return SIP400_HOST_NAME;
    }
    /* hostname = *( domainlabel "." ) toplabel [ "." ]; labels: alnum and inner '-' */
    sip400_host_problem worst = SIP400_HP_NONE;
    uint32_t lab_start = 0;
    for (uint32_t i = 0; i <= n; i++) {
        while (i < n && (cc[p[i]] & C_LABEL))
            i++;
        if (i == n || p[i] == '.') {
            uint32_t ll = i - lab_start;
            if (ll == 0) {
                /* only a single trailing '.' (fully qualified name) may be empty */
                if (!(i == n && n > 1)) {
                    *why = SIP400_HP_EMPTY_LABEL;
                    return SIP400_HOST_NAME;
                }
            } else if (ll > 63) {
                worst = SIP400_HP_TOO_LONG;
            } else if ((p[lab_start] == '-' || p[i - 1] == '-') && worst != SIP400_HP_TOO_LONG) {
                worst = SIP400_HP_LABEL_DASH;
            }
            lab_start = i + 1;
            continue;
        }
        if (p[i] == '_') {
            if (worst == SIP400_HP_NONE)
                worst = SIP400_HP_UNDERSCORE;
        } else {
            *why = SIP400_HP_BAD_CHAR; /* not ALPHA DIGIT "-" (those were skipped) */
            return SIP400_HOST_NAME;
        }
    }
    if (n > 255)
        worst = SIP400_HP_TOO_LONG;
    *why = worst;
    return SIP400_HOST_NAME;
}

sip400_host_kind sip400_host_classify(const sip400_msg *m, sip400_span host, bool *valid)
{
    sip400_host_problem why;
    sip400_host_kind k = sip400_host_check(m, host, &why);
    *valid = k != SIP400_HOST_NONE && why == SIP400_HP_NONE;
    return k;
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

static void issue_detail(sip400_uri_issues *out, sip400_uri_problem what, uint32_t off, uint32_t len,
                         uint8_t detail)
{
    if (out->n >= SIP400_URI_MAX_ISSUES || sip400_uri_issues_has(out, what))
        return;
    out->v[out->n].what = what;
    out->v[out->n].off = off;
    out->v[out->n].len = len;
    out->v[out->n].detail = detail;
    out->n++;
}

static void issue(sip400_uri_issues *out, sip400_uri_problem what, uint32_t off, uint32_t len)
{
    issue_detail(out, what, off, len, 0);
}

/* Whether an IPv6 text contains "::" */
static bool has_double_colon(const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i + 1 < n; i++) {
        if (p[i] == ':' && p[i + 1] == ':')
            return true;
    }
    return false;
}

bool sip400_uri_issues_has(const sip400_uri_issues *is, sip400_uri_problem what)
{
    for (uint32_t i = 0; i < is->n; i++) {
        if (is->v[i].what == what)
            return true;
    }
    return false;
}

/* Bytes of a bad %-escape to highlight: the '%' and what was meant to be its
 * two hex digits, stopping at URI delimiters ("%2@" -> "%2"). */
static uint32_t bad_escape_len(const sip400_msg *m, uint32_t at, uint32_t end)
{
    uint32_t n = 1;
    while (n < 3 && at + n < end) {
        uint8_t c = m->p[at + n];
        if (c <= 0x20 || c >= 0x7f || strchr("@;?:>&=%,", c))
            break;
        n++;
    }
    return n;
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

/* OR and AND of the classes of the len bytes at q: eight lookups per step */
static uint16_t classes_or(const uint8_t *q, uint32_t len)
{
    uint32_t a = 0, b = 0;
    for (; len >= 8; len -= 8, q += 8) {
        a |= cc[q[0]] | cc[q[1]] | cc[q[2]] | cc[q[3]];
        b |= cc[q[4]] | cc[q[5]] | cc[q[6]] | cc[q[7]];
    }
    for (; len; len--, q++)
        a |= cc[*q];
    return (uint16_t)(a | b);
}

static uint16_t classes_and(const uint8_t *q, uint32_t len)
{
    uint32_t a = 0xffffu, b = 0xffffu;
    for (; len >= 8; len -= 8, q += 8) {
        a &= cc[q[0]] & cc[q[1]] & cc[q[2]] & cc[q[3]];
        b &= cc[q[4]] & cc[q[5]] & cc[q[6]] & cc[q[7]];
    }
    for (; len; len--, q++)
        a &= cc[*q];
    return (uint16_t)(a & b);
}

/* OR of the classes of the bytes of u->all (only C_WSCTL C_8BIT C_PCT are
 * used: 0 for them when the SIP400_BC_* classes bc of a span holding the URI
 * rule them out); *user_ok: every byte of the user part (inside u->all) is
 * C_USEROK, looked at only when user_chars */
static uint16_t uri_classes(const uint8_t *p, const sip400_uri *u, uint16_t bc, bool user_chars, bool *user_ok)
{
    uint32_t end = u->all.off + u->all.len;
    uint32_t us = u->user.off < u->all.off ? u->all.off : u->user.off;
    uint32_t ue = u->user.off + u->user.len > end ? end : u->user.off + u->user.len;
    *user_ok = !user_chars || us >= ue || (classes_and(p + us, ue - us) & C_USEROK) != 0;
    /* C_WSCTL is SP, HT, CR, LF, the other controls and DEL; C_8BIT and C_PCT
     * have their own SIP400_BC_* classes */
    if (!(bc & (SIP400_BC_CTL | SIP400_BC_NUL | SIP400_BC_CR | SIP400_BC_LF | SIP400_BC_8BIT | SIP400_BC_PCT))) {
        const uint8_t *a = p + u->all.off;
        if (!(bc & SIP400_BC_WSP) || u->all.len == 0 ||
            (!memchr(a, ' ', u->all.len) && !memchr(a, '\t', u->all.len)))
            return 0;
    }
    return classes_or(p + u->all.off, u->all.len);
}

void sip400_uri_validate(const sip400_msg *m, const sip400_uri *u, sip400_uri_issues *out)
{
    sip400_uri_validate_bc(m, u, 0xffffu, true, out);
}

void sip400_uri_validate_bc(const sip400_msg *m, const sip400_uri *u, uint16_t bc, bool user_chars,
                            sip400_uri_issues *out)
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

    /* classes of the URI's bytes: the loops below run only when they can find something */
    bool user_ok;
    uint16_t any = uri_classes(p, u, bc, user_chars, &user_ok);
    bool pct = (any & C_PCT) != 0;

    /* whitespace / CTL / 8-bit anywhere */
    uint32_t ws = UINT32_MAX;
    for (uint32_t i = u->all.off; i < end && (any & (C_WSCTL | C_8BIT)); i++) {
        uint8_t c = p[i];
        if (c <= 0x20 || c == 0x7f) {
            if (ws == UINT32_MAX)
                ws = i;
        } else if (c >= 0x80) {
            uint32_t k = i;
            while (k < end && p[k] >= 0x80)
                k++;
            issue(out, SIP400_UP_NON_ASCII, i, k - i);
        }
    }

    if (u->scheme == SIP400_SCHEME_TEL) {
        /* number syntax (separators, letters, '#') is the number rules' business */
        if (ws != UINT32_MAX)
            issue(out, SIP400_UP_WHITESPACE, ws, 1);
        if (u->user.len == 0)
            issue(out, SIP400_UP_MISSING_USER, u->all.off, u->all.len);
        uint32_t be = pct ? bad_escape(m, u->all) : UINT32_MAX;
        if (be != UINT32_MAX)
            issue(out, SIP400_UP_BAD_ESCAPE, be, bad_escape_len(m, be, end));
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
    /* a host broken by whitespace is explained by the whitespace problems */
    bool ws_in_host = sip400_uri_issues_has(out, SIP400_UP_MISSING_AT) ||
                      (ws != UINT32_MAX && ws >= u->host.off && ws < u->host.off + u->host.len);

    if (u->has_at && u->user.len == 0)
        issue(out, SIP400_UP_MISSING_USER, u->user.off, 1);
    if (u->n_at >= 2) {
        /* the user part ends at the last '@': the earlier ones are inside it */
        uint32_t first_at = find_byte(m, u->user.off, u->host.off, '@');
        issue(out, SIP400_UP_USER_SECOND_AT, first_at, 1);
    }
    /* user characters (whitespace is reported above, a second '@' just now) */
    for (uint32_t i = u->user.off; i < u->user.off + u->user.len && !user_ok; i++) {
        uint8_t c = p[i];
        if (cc[c] & C_USEROK)
            continue;
        uint32_t k = i + 1;
        while (c >= 0x80 && k < u->user.off + u->user.len && p[k] >= 0x80)
            k++;
        issue(out, SIP400_UP_USER_INVALID_CHARS, i, k - i);
        break;
    }
    uint32_t be = UINT32_MAX;
    if (pct) {
        be = bad_escape(m, u->user);
        if (be == UINT32_MAX && u->has_password)
            be = bad_escape(m, u->password);
        if (be == UINT32_MAX)
            be = bad_escape(m, u->params);
        if (be == UINT32_MAX && u->has_headers)
            be = bad_escape(m, u->headers);
    }
    if (be != UINT32_MAX)
        issue(out, SIP400_UP_BAD_ESCAPE, be, bad_escape_len(m, be, end));

    /* host */
    if (u->host.len == 0) {
        issue(out, SIP400_UP_EMPTY_HOST, u->all.off, u->all.len);
    } else if (!ws_in_host) {
        uint32_t hend = u->host.off + u->host.len;
        sip400_host_problem why;
        uint8_t b[16];
        /* a plain host name or a dotted quad (the common cases) without the call */
        sip400_host_kind hk = SIP400_HOST_NAME;
        why = SIP400_HP_NONE;
        if (is_digit(p[u->host.off]) && sip400_parse_ipv4(p + u->host.off, u->host.len, b))
            hk = SIP400_HOST_IPV4;
        else if (!plain_hostname(p + u->host.off, u->host.len))
            hk = sip400_host_check(m, u->host, &why);
        /* a valid name or dotted quad has no ':' */
        if (hk != SIP400_HOST_IPV6 && why != SIP400_HP_NONE && two_bytes(m, u->host.off, hend, ':')) {
            /* "2001:db8::1" or "2001:db8:0:0:0:0:0:1:5060" (port appended) */
            uint32_t c = hend;
            while (c > u->host.off && p[c - 1] != ':')
                c--;
            if (sip400_parse_ipv6(p + u->host.off, u->host.len, b) ||
                (c > u->host.off + 1 && sip400_parse_ipv6(p + u->host.off, c - 1 - u->host.off, b)))
                issue(out, SIP400_UP_IPV6_UNBRACKETED, u->host.off, u->host.len);
            else
                issue_detail(out, SIP400_UP_INVALID_HOST, u->host.off, u->host.len, SIP400_HP_BAD_CHAR);
        } else if (hk == SIP400_HOST_IPV6) {
            /* "[2001:db8::10:5070]": the last group looks like a SIP port.  With
             * nine groups the address is invalid unless the last one is a port;
             * with "::" it is valid but probably not what was meant. */
            uint32_t e = hend - 1; /* at ']' when well-formed */
            uint32_t s = e;
            while (s > u->host.off && p[s - 1] != ':')
                s--;
            uint32_t v = 0;
            bool dig = p[e] == ']' && e > s && e - s <= 5 && s > u->host.off + 1;
            for (uint32_t i = s; i < e && dig; i++) {
                dig = is_digit(p[i]);
                v = v * 10 + (uint32_t)(p[i] - '0');
            }
            bool port_like = dig && v >= 1024 && v <= 65535 && p[s - 2] != ':';
            bool without = port_like && sip400_parse_ipv6(p + u->host.off + 1, s - 2 - u->host.off, b);
            if (why != SIP400_HP_NONE) {
                if (without && !u->has_port)
                    issue(out, SIP400_UP_IPV6_PORT_INSIDE, s, e - s);
                else
                    issue_detail(out, SIP400_UP_INVALID_HOST, u->host.off, u->host.len, why);
            } else if (!u->has_port && port_like && v >= 5060 && v <= 5099 &&
                       has_double_colon(p + u->host.off, u->host.len)) {
                issue(out, SIP400_UP_IPV6_PORT_INSIDE, s, e - s);
            }
        } else if (why != SIP400_HP_NONE) {
            issue_detail(out, SIP400_UP_INVALID_HOST, u->host.off, u->host.len, why);
        }
    }
    if (u->has_port) {
        const uint8_t *d = p + u->port.off;
        uint32_t v = 0, len = u->port.len;
        bool ok = len > 0 && len <= 5;
        for (uint32_t i = 0; i < len && ok; i++) {
            uint32_t x = (uint32_t)d[i] - '0';
            ok = x <= 9;
            v = v * 10 + x;
        }
        if (!ok || v > 65535)
            issue(out, SIP400_UP_INVALID_PORT, u->port.len ? u->port.off : u->port.off - 1, u->port.len ? u->port.len : 1);
    }
    if (u->has_headers)
        issue(out, SIP400_UP_HEADERS, u->headers.off - 1, u->headers.len + 1);
    if (u->has_password)
        issue(out, SIP400_UP_PASSWORD, u->password.off - 1, u->password.len + 1);
}

bool sip400_param_find(const sip400_msg *m, sip400_span params, const char *name, sip400_span *value)
{
    const uint8_t *p = m->p;
    uint32_t end = params.off + params.len;
    uint32_t pos = params.off;
    while (pos < end) {
        while (pos < end && (p[pos] == ';' || p[pos] == ' ' || p[pos] == '\t'))
            pos++;
        uint32_t s = pos;
        bool quoted = false;
        for (; pos < end; pos++) {
            uint8_t c = p[pos];
            if (!(cc[c] & C_PARAM)) /* not ';' '"' '\\' */
                continue;
            if (c == '"')
                quoted = !quoted;
            else if (c == '\\') {
                if (quoted && pos + 1 < end)
                    pos++;
            } else if (!quoted) {
                break; /* ';' */
            }
        }
        uint32_t e = pos;
        uint32_t eq = find_byte(m, s, e, '=');
        uint32_t ne = eq;
        while (ne > s && (p[ne - 1] == ' ' || p[ne - 1] == '\t'))
            ne--;
        /* the name is [s, ne): the same letters as name, and as many */
        uint32_t k = 0;
        while (s + k < ne && name[k] && lower(p[s + k]) == lower((uint8_t)name[k]))
            k++;
        if (s + k == ne && name[k] == '\0') {
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
        if (!(cc[c] & C_LIST)) /* not '"' '\\' '<' '>' ',' */
            continue;
        if (quoted) {
            if (c == '\\' && i + 1 < end)
                i++;
            else if (c == '"')
                quoted = false;
        } else if (c == '"') {
            quoted = true;
            /* a quoted string without '\\': straight to its closing '"' */
            const uint8_t *dq = i + 1 < end ? memchr(p + i + 1, '"', end - i - 1) : NULL;
            if (dq && !memchr(p + i + 1, '\\', (size_t)(dq - (p + i + 1)))) {
                i = (uint32_t)(dq - p);
                quoted = false;
            }
        } else if (c == '<') {
            lt = i;
            break;
        }
        /* no stop at ';' or ',': "Bell, Alexander <sip:a@b>" is still a
         * name-addr (with a display name that needs quotes) */
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
    /* no ',' at all: one element, whatever the quotes and brackets */
    uint32_t i = find_byte(m, value.off, end, ',') < end ? value.off : end;
    for (; i <= end; i++) {
        if (i < end) {
            uint8_t c = p[i];
            if (!(cc[c] & C_LIST)) /* not '"' '\\' '<' '>' ',' */
                continue;
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
        if (!total && n == max)
            break; /* the caller does not count the rest */
        s = i + 1;
    }
    if (total)
        *total = all;
    return n;
}
