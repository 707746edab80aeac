/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Bounded SDP parser (RFC 4566 / RFC 8866) and body location helpers.
 * See sdp.h.  Every loop advances over the given range and stops at its end.
 */
#include "sdp.h"

#include <stddef.h>
#include <string.h>

#include "uri.h"

/* ---------------------------------------------------------------- texts */

static const char *const issue_text[SIP400_SDP_ISSUE_COUNT] = {
    [SIP400_SDP_E_NONE] = "no problem",
    [SIP400_SDP_E_BAD_LINE] = "line is not `<letter>=<value>`",
    [SIP400_SDP_E_EMPTY_LINE] = "empty line inside the SDP",
    [SIP400_SDP_E_UNKNOWN_TYPE] = "type letter not defined by RFC 4566 (parsers must then ignore the whole SDP)",
    [SIP400_SDP_E_FIRST_NOT_V] = "SDP does not start with v=",
    [SIP400_SDP_E_VERSION] = "v= is not 0",
    [SIP400_SDP_E_ORDER] = "line out of order (v= o= s= t= must come in this order, once, before the first m=)",
    [SIP400_SDP_E_NO_ORIGIN] = "no o= (origin) line",
    [SIP400_SDP_E_NO_NAME] = "no s= (session name) line",
    [SIP400_SDP_E_NO_TIME] = "no t= (timing) line",
    [SIP400_SDP_E_ORIGIN] = "o= is not `<user> <sess-id> <sess-version> IN IP4 or IP6 <address>`",
    [SIP400_SDP_E_EMPTY_NAME] = "s= is empty",
    [SIP400_SDP_E_CONN] = "c= is not `IN IP4 or IP6 <address>`",
    [SIP400_SDP_E_BANDWIDTH] = "b= is not `<type>:<number>`",
    [SIP400_SDP_E_TIME] = "t= is not two decimal numbers",
    [SIP400_SDP_E_ATTRIBUTE] = "a= has no attribute name",
    [SIP400_SDP_E_MEDIA] = "m= lacks the media type or the protocol",
    [SIP400_SDP_E_PORT] = "m= port is not a decimal number",
    [SIP400_SDP_E_NO_FORMATS] = "m= with a port but no payload formats",
    [SIP400_SDP_E_PT_RANGE] = "RTP payload type above 127",
    [SIP400_SDP_E_NO_RTPMAP] = "dynamic payload type without a=rtpmap in its m= section",
    [SIP400_SDP_E_NO_CONN] = "active m= section without c= (none at session level either)",
    [SIP400_SDP_W_BARE_LF] = "lines end in a bare LF instead of CRLF",
    [SIP400_SDP_W_TRAILING_WS] = "spaces or tabs at the end of a line",
    [SIP400_SDP_W_NO_FINAL_EOL] = "last line has no line ending",
};

const char *sip400_sdp_issue_text(sip400_sdp_issue_kind k)
{
    return (unsigned)k < SIP400_SDP_ISSUE_COUNT && issue_text[k] ? issue_text[k] : "";
}

bool sip400_sdp_issue_is_format(sip400_sdp_issue_kind k)
{
    return k == SIP400_SDP_W_BARE_LF || k == SIP400_SDP_W_TRAILING_WS || k == SIP400_SDP_W_NO_FINAL_EOL;
}

/* ---------------------------------------------------------------- bytes */

static inline bool is_wsp(uint8_t c)
{
    return c == ' ' || c == '\t';
}

static inline bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

static inline uint8_t lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c | 0x20) : c;
}

/* inline: with a literal, strlen() folds to a constant and the loop unrolls */
static inline bool ieq(const uint8_t *p, uint32_t off, uint32_t len, const char *lit)
{
    size_t n = strlen(lit);
    if (len != n)
        return false;
    for (uint32_t i = 0; i < len; i++) {
        if (lower(p[off + i]) != lower((uint8_t)lit[i]))
            return false;
    }
    return true;
}

/* the six bytes at q are "rtpmap", ASCII case-insensitively (letters only:
 * c | 0x20 matches exactly a letter and its capital) */
static inline bool is_rtpmap(const uint8_t *q)
{
    uint32_t w;
    uint16_t h;
    memcpy(&w, q, 4);
    memcpy(&h, q + 4, 2);
    static const uint8_t lit[6] = { 'r', 't', 'p', 'm', 'a', 'p' };
    uint32_t lw;
    uint16_t lh;
    memcpy(&lw, lit, 4);
    memcpy(&lh, lit + 4, 2);
    return (w | 0x20202020u) == lw && (uint16_t)(h | 0x2020u) == lh;
}

static bool all_digits(const uint8_t *p, uint32_t off, uint32_t len)
{
    if (len == 0)
        return false;
    for (uint32_t i = 0; i < len; i++) {
        if (!is_digit(p[off + i]))
            return false;
    }
    return true;
}

/* Decimal value of a digit run, saturating at UINT32_MAX. */
static uint32_t dec_value(const uint8_t *p, uint32_t off, uint32_t len)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < len; i++) {
        v = v * 10 + (uint32_t)(p[off + i] - '0');
        if (v > 0xffffffffu)
            return 0xffffffffu;
    }
    return (uint32_t)v;
}

/* SDP token-char (RFC 4566 9): visible ASCII except the separators
 * " ( ) , / : ; < = > ? @ [ \\ ]  (a table: read for every attribute name byte) */
static const uint8_t sdp_token_chars[256] = {
    /* 0x */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 1x */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 2x */ 0, 1, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0,
    /* 3x */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    /* 4x */ 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    /* 5x */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1,
    /* 6x */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    /* 7x */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
    /* 0x80-0xff: 0 */
};

static inline bool is_sdp_token_char(uint8_t c)
{
    return sdp_token_chars[c] != 0;
}

/* SP and HT, the field separators of SDP lines */
static const uint8_t sdp_wsp[256] = { [' '] = 1, ['\t'] = 1 };

/* Next SP/HT-separated field in [*pos, end): returns false when none is left.
 * Inline: called for every field of o=, c=, t= and m= lines. */
static inline bool next_field(const uint8_t *p, uint32_t *pos, uint32_t end, uint32_t *fs, uint32_t *fl)
{
    uint32_t i = *pos;
    while (i < end && sdp_wsp[p[i]])
        i++;
    uint32_t s = i;
    while (i < end && !sdp_wsp[p[i]])
        i++;
    *pos = i;
    *fs = s;
    *fl = i - s;
    return i > s;
}

/* ---------------------------------------------------------------- parser */

typedef struct {
    const uint8_t *p;
    sip400_sdp *s;
    uint32_t nerrors_stored;
    uint32_t line_off, line_len; /* current line */
} parser;

static void add_issue(parser *ps, sip400_sdp_issue_kind k, uint32_t off, uint32_t len)
{
    sip400_sdp *s = ps->s;
    bool fmt = sip400_sdp_issue_is_format(k);
    s->nissues_total++;
    /* keep room for the three line-format kinds (each stored once) */
    if (s->nissues >= SIP400_SDP_MAX_ISSUES || (!fmt && ps->nerrors_stored >= SIP400_SDP_MAX_ISSUES - 3))
        return;
    sip400_sdp_issue *is = &s->issues[s->nissues++];
    is->kind = k;
    is->off = off;
    is->len = len;
    is->line_off = ps->line_off;
    is->line_len = ps->line_len;
    if (!fmt)
        ps->nerrors_stored++;
}

/* Digits and dots only (and not empty) */
static bool is_dotted(const uint8_t *p, uint32_t off, uint32_t len)
{
    bool dotted = len > 0;
    for (uint32_t i = 0; i < len && dotted; i++)
        dotted = is_digit(p[off + i]) || p[off + i] == '.';
    return dotted;
}

static bool hostname_ok(const uint8_t *p, uint32_t off, uint32_t len)
{
    if (len == 0)
        return false;
    for (uint32_t i = 0; i < len; i++) {
        uint8_t c = p[off + i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' || c == '.' || c == '_'))
            return false;
    }
    return true;
}

/* "IN IP4|IP6 <addr>" fields starting at pos (the rest of an o= or c= line).
 * Records the address; returns the offending field (off/len) on error. */
static bool parse_net_addr(parser *ps, char type, int16_t media, uint32_t pos, uint32_t end, bool allow_suffix,
                           uint32_t *bad_off, uint32_t *bad_len)
{
    const uint8_t *p = ps->p;
    uint32_t nt, ntl, at, atl, a, al, x, xl;
    if (!next_field(p, &pos, end, &nt, &ntl)) {
        *bad_off = ps->line_off;
        *bad_len = ps->line_len;
        return false;
    }
    if (!ieq(p, nt, ntl, "IN")) {
        *bad_off = nt;
        *bad_len = ntl;
        return false;
    }
    if (!next_field(p, &pos, end, &at, &atl)) {
        *bad_off = ps->line_off;
        *bad_len = ps->line_len;
        return false;
    }
    uint8_t family = ieq(p, at, atl, "IP4") ? 4 : ieq(p, at, atl, "IP6") ? 6 : 0;
    if (!family) {
        *bad_off = at;
        *bad_len = atl;
        return false;
    }
    if (!next_field(p, &pos, end, &a, &al)) {
        *bad_off = ps->line_off;
        *bad_len = ps->line_len;
        return false;
    }
    if (next_field(p, &pos, end, &x, &xl)) { /* extra data after the address */
        *bad_off = x;
        *bad_len = end - x;
        return false;
    }
    /* split "addr/ttl[/n]" */
    uint32_t host_len = al;
    if (allow_suffix) {
        const uint8_t *slash = memchr(p + a, '/', al);
        if (slash)
            host_len = (uint32_t)(slash - (p + a));
        if (host_len < al) {
            uint32_t i = host_len;
            uint32_t groups = 0;
            while (i < al && p[a + i] == '/' && groups < 2) {
                uint32_t d = ++i;
                while (i < al && is_digit(p[a + i]))
                    i++;
                if (i == d)
                    break;
                groups++;
            }
            if (i != al || groups == 0) {
                *bad_off = a;
                *bad_len = al;
                return false;
            }
        }
    }
    uint8_t ip[16];
    memset(ip, 0, sizeof ip);
    bool has_colon = memchr(p + a, ':', host_len) != NULL;
    bool is_ip = false, ok;
    if (family == 4) {
        /* an address parses only when dotted (digits and dots): try it first */
        if (sip400_parse_ipv4(p + a, host_len, ip)) {
            ok = is_ip = true;
        } else if (is_dotted(p, a, host_len)) {
            ok = false;
        } else {
            memset(ip, 0, sizeof ip); /* not parsed as an address: no bytes */
            ok = !has_colon && hostname_ok(p, a, host_len);
        }
    } else {
        if (has_colon)
            ok = is_ip = sip400_parse_ipv6(p + a, host_len, ip);
        else
            ok = !is_dotted(p, a, host_len) && hostname_ok(p, a, host_len);
    }
    sip400_sdp *s = ps->s;
    s->naddr_total++;
    if (s->naddr < SIP400_SDP_MAX_ADDRS) {
        sip400_sdp_addr *ad = &s->addr[s->naddr++];
        ad->type = type;
        ad->media = media;
        ad->family = family;
        ad->is_ip = is_ip;
        memcpy(ad->ip, ip, sizeof ip);
        ad->line_off = ps->line_off;
        ad->line_len = ps->line_len;
        ad->addr_off = a;
        ad->addr_len = host_len;
    }
    if (!ok) {
        *bad_off = a;
        *bad_len = al;
    }
    return ok;
}

static void parse_origin(parser *ps, uint32_t v, uint32_t end)
{
    const uint8_t *p = ps->p;
    uint32_t pos = v, f, fl;
    /* username sess-id sess-version */
    for (int i = 0; i < 3; i++) {
        if (!next_field(p, &pos, end, &f, &fl)) {
            add_issue(ps, SIP400_SDP_E_ORIGIN, ps->line_off, ps->line_len);
            return;
        }
        if (i > 0 && !all_digits(p, f, fl)) {
            add_issue(ps, SIP400_SDP_E_ORIGIN, f, fl);
            return;
        }
    }
    uint32_t bo = 0, bl = 0;
    if (!parse_net_addr(ps, 'o', -1, pos, end, false, &bo, &bl))
        add_issue(ps, SIP400_SDP_E_ORIGIN, bo, bl);
}

static void parse_conn(parser *ps, int16_t media, uint32_t v, uint32_t end)
{
    uint32_t bo = 0, bl = 0;
    if (!parse_net_addr(ps, 'c', media, v, end, true, &bo, &bl))
        add_issue(ps, SIP400_SDP_E_CONN, bo, bl);
}

static void parse_bandwidth(parser *ps, uint32_t v, uint32_t end)
{
    const uint8_t *p = ps->p;
    uint32_t i = v;
    while (i < end && is_sdp_token_char(p[i]))
        i++;
    bool ok = i > v && i < end && p[i] == ':';
    if (ok) {
        uint32_t d = ++i;
        while (i < end && is_digit(p[i]))
            i++;
        ok = i > d && i == end;
    }
    if (!ok)
        add_issue(ps, SIP400_SDP_E_BANDWIDTH, v, end - v);
}

static void parse_time(parser *ps, uint32_t v, uint32_t end)
{
    const uint8_t *p = ps->p;
    uint32_t pos = v, f, fl;
    for (int i = 0; i < 2; i++) {
        if (!next_field(p, &pos, end, &f, &fl) || !all_digits(p, f, fl)) {
            add_issue(ps, SIP400_SDP_E_TIME, v, end - v);
            return;
        }
    }
    if (next_field(p, &pos, end, &f, &fl))
        add_issue(ps, SIP400_SDP_E_TIME, v, end - v);
}

/* a=: attribute name; a=rtpmap:<pt> marks a dynamic payload type of the section */
static void parse_attr(parser *ps, sip400_sdp_media *cur, uint32_t v, uint32_t end)
{
    const uint8_t *p = ps->p;
    uint32_t i = v;
    while (i < end && is_sdp_token_char(p[i]))
        i++;
    if (i == v) {
        add_issue(ps, SIP400_SDP_E_ATTRIBUTE, ps->line_off, ps->line_len);
        return;
    }
    if (cur && i - v == 6 && is_rtpmap(p + v) && i < end && p[i] == ':') {
        uint32_t d = ++i;
        while (i < end && is_digit(p[i]))
            i++;
        if (i > d && i - d <= 3) {
            uint32_t pt = dec_value(p, d, i - d);
            if (pt >= 96 && pt <= 127)
                cur->dyn_rtpmap |= 1u << (pt - 96);
        }
    }
}

static bool contains_ci(const uint8_t *p, uint32_t off, uint32_t len, const char *lit)
{
    size_t n = strlen(lit);
    if (len < n)
        return false;
    for (uint32_t i = 0; i + n <= len; i++) {
        if (ieq(p, off + i, (uint32_t)n, lit))
            return true;
    }
    return false;
}

static void parse_media(parser *ps, sip400_sdp_media *md, uint32_t v, uint32_t end)
{
    const uint8_t *p = ps->p;
    uint32_t pos = v, f, fl;
    md->line_off = ps->line_off;
    md->line_len = ps->line_len;
    if (!next_field(p, &pos, end, &f, &fl)) {
        add_issue(ps, SIP400_SDP_E_MEDIA, ps->line_off, ps->line_len);
        return;
    }
    md->media_off = f;
    md->media_len = fl;
    if (!next_field(p, &pos, end, &f, &fl)) {
        add_issue(ps, SIP400_SDP_E_MEDIA, ps->line_off, ps->line_len);
        return;
    }
    /* port ["/" count] */
    uint32_t pl = 0;
    while (pl < fl && is_digit(p[f + pl]))
        pl++;
    md->port_off = f;
    md->port_len = pl;
    bool port_ok = pl > 0;
    if (port_ok && pl < fl) {
        uint32_t i = pl;
        if (p[f + i] == '/') {
            uint32_t d = ++i;
            while (i < fl && is_digit(p[f + i]))
                i++;
            port_ok = i > d && i == fl;
        } else {
            port_ok = false;
        }
    }
    /* RFC 4566: port = 1*DIGIT; above 65535 is wrong but no mainstream parser rejects it */
    if (port_ok)
        md->port = dec_value(p, f, pl);
    md->port_ok = port_ok;
    if (!port_ok) {
        md->port_len = fl;
        add_issue(ps, SIP400_SDP_E_PORT, f, fl);
    }
    if (!next_field(p, &pos, end, &f, &fl)) {
        add_issue(ps, SIP400_SDP_E_MEDIA, ps->line_off, ps->line_len);
        return;
    }
    md->proto_off = f;
    md->proto_len = fl;
    md->rtp = contains_ci(p, f, fl, "RTP/");
    while (pos < end && is_wsp(p[pos]))
        pos++;
    md->fmt_off = pos;
    md->fmt_len = end - pos;
    bool pt_range_reported = false;
    while (next_field(p, &pos, end, &f, &fl)) {
        md->nfmt++;
        if (!md->rtp || !all_digits(p, f, fl))
            continue;
        uint32_t pt = dec_value(p, f, fl);
        if (pt > 127) {
            if (!pt_range_reported)
                add_issue(ps, SIP400_SDP_E_PT_RANGE, f, fl);
            pt_range_reported = true;
        } else if (pt >= 96) {
            md->dyn_pt |= 1u << (pt - 96);
        }
    }
    if (md->nfmt == 0 && (!port_ok || md->port != 0))
        add_issue(ps, SIP400_SDP_E_NO_FORMATS, ps->line_off, ps->line_len);
}

/* End of an m= section: every dynamic payload type of an active RTP stream
 * needs an rtpmap (pjmedia: PJMEDIA_SDP_EMISSINGRTPMAP). */
static void close_media(parser *ps, const sip400_sdp_media *md)
{
    if (!md->rtp || !md->port_ok || md->port == 0)
        return;
    uint32_t missing = md->dyn_pt & ~md->dyn_rtpmap;
    if (!missing)
        return;
    const uint8_t *p = ps->p;
    uint32_t pos = md->fmt_off, end = md->fmt_off + md->fmt_len, f, fl;
    while (next_field(p, &pos, end, &f, &fl)) {
        if (!all_digits(p, f, fl) || fl > 3)
            continue;
        uint32_t pt = dec_value(p, f, fl);
        if (pt >= 96 && pt <= 127 && (missing & (1u << (pt - 96)))) {
            uint32_t lo = ps->line_off, ll = ps->line_len;
            ps->line_off = md->line_off;
            ps->line_len = md->line_len;
            add_issue(ps, SIP400_SDP_E_NO_RTPMAP, f, fl);
            ps->line_off = lo;
            ps->line_len = ll;
            return;
        }
    }
}

/* What each type letter 'a'..'z' may be, instead of strchr() per line */
#define T_KNOWN 0x1u  /* defined by RFC 4566: v o s i u e p c b t r z k a m */
#define T_MEDIA 0x2u  /* allowed after the first m=: i c b k a m */
static const uint8_t type_flags[26] = {
    ['v' - 'a'] = T_KNOWN, ['o' - 'a'] = T_KNOWN, ['s' - 'a'] = T_KNOWN, ['i' - 'a'] = T_KNOWN | T_MEDIA,
    ['u' - 'a'] = T_KNOWN, ['e' - 'a'] = T_KNOWN, ['p' - 'a'] = T_KNOWN, ['c' - 'a'] = T_KNOWN | T_MEDIA,
    ['b' - 'a'] = T_KNOWN | T_MEDIA, ['t' - 'a'] = T_KNOWN, ['r' - 'a'] = T_KNOWN, ['z' - 'a'] = T_KNOWN,
    ['k' - 'a'] = T_KNOWN | T_MEDIA, ['a' - 'a'] = T_KNOWN | T_MEDIA, ['m' - 'a'] = T_KNOWN | T_MEDIA,
};

static int mandatory_rank(uint8_t c)
{
    switch (c) {
    case 'v': return 0;
    case 'o': return 1;
    case 's': return 2;
    case 't': return 3;
    default: return -1;
    }
}

void sip400_sdp_parse(const uint8_t *p, uint32_t off, uint32_t len, sip400_sdp *out)
{
    /* the counters; the entries of media[], addr[] and issues[] are written
     * whole when they are counted (clearing the 2 KB struct cost more than the
     * rest of a short SDP's session lines) */
    memset(out, 0, offsetof(sip400_sdp, media));
    out->naddr = out->naddr_total = 0;
    out->nissues = out->nissues_total = 0;
    out->n_bare_lf = out->n_trailing_ws = 0;
    out->off = off;
    out->len = len;
    parser ps = { p, out, 0, off, 0 };
    uint32_t end = off + len;
    uint32_t pos = off;
    while (pos < end && (p[pos] == '\r' || p[pos] == '\n'))
        pos++;

    int max_rank = -1;
    bool seen_v = false, seen_m = false, reported_first = false;
    uint32_t first_line_off = pos, first_line_len = 0;
    sip400_sdp_media dummy;
    sip400_sdp_media *cur = NULL; /* current m= section (NULL: session level) */
    int16_t cur_idx = -1;
    uint32_t last_line_off = pos, last_line_end = pos;
    bool last_has_eol = true;
    uint32_t nlines = 0; /* out->nlines, stored after the loop */

    while (pos < end) {
        /* inline search, not a memchr() call per short line (msg.h) */
        uint32_t at = sip400_find_byte(p, pos, end, '\n');
        bool lf = at < end;
        uint32_t eol, next;
        bool bare = false;
        if (lf) {
            next = at + 1;
            if (at > pos && p[at - 1] == '\r') {
                eol = at - 1;
            } else {
                eol = at;
                bare = true;
            }
        } else {
            eol = next = end;
        }
        ps.line_off = pos;
        ps.line_len = eol - pos;
        if (eol == pos) {
            /* empty line: allowed only when nothing but line breaks follow */
            uint32_t k = next;
            while (k < end && (p[k] == '\r' || p[k] == '\n' || is_wsp(p[k])))
                k++;
            if (k >= end)
                break;
            ps.line_len = next - pos;
            add_issue(&ps, SIP400_SDP_E_EMPTY_LINE, pos, next - pos);
            ps.line_len = 0;
            pos = next;
            continue;
        }
        last_line_off = pos;
        last_line_end = eol;
        last_has_eol = lf;
        if (bare && out->n_bare_lf++ == 0)
            add_issue(&ps, SIP400_SDP_W_BARE_LF, eol, 1);
        uint8_t c = p[pos];
        if (nlines++ == 0) {
            first_line_off = pos;
            first_line_len = eol - pos;
        }
        if (eol - pos < 2 || p[pos + 1] != '=' || c < 'a' || c > 'z') {
            add_issue(&ps, SIP400_SDP_E_BAD_LINE, pos, eol - pos);
            pos = next;
            continue;
        }
        /* value without trailing whitespace (rare: one test for most lines) */
        uint32_t v = pos + 2, ve = eol;
        if (ve > v && sdp_wsp[p[ve - 1]]) {
            do
                ve--;
            while (ve > v && sdp_wsp[p[ve - 1]]);
            if (c != 's' && c != 'i' && out->n_trailing_ws++ == 0)
                add_issue(&ps, SIP400_SDP_W_TRAILING_WS, ve, eol - ve);
        }

        if (!reported_first && c != 'v') {
            add_issue(&ps, SIP400_SDP_E_FIRST_NOT_V, pos, eol - pos);
        }
        reported_first = true;
        uint8_t tf = type_flags[c - 'a']; /* c is 'a'..'z' here */
        if (!(tf & T_KNOWN)) {
            add_issue(&ps, SIP400_SDP_E_UNKNOWN_TYPE, pos, 2);
            pos = next;
            continue;
        }
        int rank = mandatory_rank(c);
        if (seen_m && !(tf & T_MEDIA)) {
            add_issue(&ps, SIP400_SDP_E_ORDER, pos, eol - pos);
        } else if (rank >= 0) {
            bool repeat = (c == 'v' && seen_v) || (c == 'o' && out->has_origin) || (c == 's' && out->has_name);
            if (repeat || rank < max_rank)
                add_issue(&ps, SIP400_SDP_E_ORDER, pos, eol - pos);
            else
                max_rank = rank;
        }
        switch (c) {
        case 'v':
            if (!ieq(p, v, ve - v, "0"))
                add_issue(&ps, SIP400_SDP_E_VERSION, ve > v ? v : pos, ve > v ? ve - v : eol - pos);
            seen_v = true;
            break;
        case 'o':
            if (!out->has_origin) {
                out->origin_line_off = pos;
                out->origin_line_len = eol - pos;
            }
            out->has_origin = true;
            parse_origin(&ps, v, ve);
            break;
        case 's':
            out->has_name = true;
            if (eol == v)
                add_issue(&ps, SIP400_SDP_E_EMPTY_NAME, pos, eol - pos);
            break;
        case 't':
            out->has_time = true;
            parse_time(&ps, v, ve);
            break;
        case 'c':
            if (cur)
                cur->has_conn = true;
            else if (!seen_m)
                out->has_session_conn = true;
            parse_conn(&ps, cur_idx, v, ve);
            break;
        case 'b':
            parse_bandwidth(&ps, v, ve);
            break;
        case 'a':
            parse_attr(&ps, cur, v, ve);
            break;
        case 'm':
            if (cur)
                close_media(&ps, cur);
            seen_m = true;
            out->nmedia++;
            if (out->nmedia_stored < SIP400_SDP_MAX_MEDIA) {
                cur_idx = (int16_t)out->nmedia_stored;
                cur = &out->media[out->nmedia_stored++];
            } else {
                cur = &dummy; /* parsed for its own problems, not stored */
                cur_idx = -1;
            }
            memset(cur, 0, sizeof *cur);
            parse_media(&ps, cur, v, ve);
            break;
        default:
            break;
        }
        pos = next;
    }
    out->nlines = nlines;
    if (cur)
        close_media(&ps, cur);
    if (out->nlines == 0)
        return;
    if (!last_has_eol) {
        ps.line_off = last_line_off;
        ps.line_len = last_line_end - last_line_off;
        add_issue(&ps, SIP400_SDP_W_NO_FINAL_EOL, last_line_off, last_line_end - last_line_off);
    }
    ps.line_off = first_line_off;
    ps.line_len = first_line_len;
    if (!out->has_origin)
        add_issue(&ps, SIP400_SDP_E_NO_ORIGIN, first_line_off, first_line_len);
    if (!out->has_name)
        add_issue(&ps, SIP400_SDP_E_NO_NAME, first_line_off, first_line_len);
    if (!out->has_time)
        add_issue(&ps, SIP400_SDP_E_NO_TIME, first_line_off, first_line_len);
    if (!out->has_session_conn) {
        for (uint32_t i = 0; i < out->nmedia_stored; i++) {
            const sip400_sdp_media *md = &out->media[i];
            if (md->has_conn || (md->port_ok && md->port == 0))
                continue;
            ps.line_off = md->line_off;
            ps.line_len = md->line_len;
            add_issue(&ps, SIP400_SDP_E_NO_CONN, md->line_off, md->line_len);
            break;
        }
    }
}

const sip400_sdp_issue *sip400_sdp_first_error(const sip400_sdp *s)
{
    const sip400_sdp_issue *best = NULL;
    for (uint32_t i = 0; i < s->nissues; i++) {
        const sip400_sdp_issue *is = &s->issues[i];
        if (sip400_sdp_issue_is_format(is->kind))
            continue;
        if (!best)
            best = is;
    }
    return best;
}

bool sip400_sdp_looks_like(const uint8_t *p, uint32_t off, uint32_t len)
{
    uint32_t end = off + len, pos = off;
    while (pos < end && (p[pos] == '\r' || p[pos] == '\n'))
        pos++;
    return end - pos >= 2 && p[pos] >= 'a' && p[pos] <= 'z' && p[pos + 1] == '=';
}

/* ---------------------------------------------------------------- bodies */

void sip400_ctype_parse(const sip400_msg *m, uint32_t off, uint32_t len, sip400_ctype *ct)
{
    const uint8_t *p = m->p;
    uint32_t end = off + len, i = off;
    memset(ct, 0, sizeof *ct);
    while (i < end && (is_wsp(p[i]) || p[i] == '\r' || p[i] == '\n'))
        i++;
    ct->type_off = i;
    while (i < end && sip400_is_token_char(p[i]))
        i++;
    ct->type_len = i - ct->type_off;
    while (i < end && is_wsp(p[i]))
        i++;
    if (ct->type_len == 0 || i >= end || p[i] != '/')
        return;
    i++;
    while (i < end && is_wsp(p[i]))
        i++;
    ct->sub_off = i;
    while (i < end && sip400_is_token_char(p[i]))
        i++;
    ct->sub_len = i - ct->sub_off;
    while (i < end && (is_wsp(p[i]) || p[i] == '\r' || p[i] == '\n'))
        i++;
    if (ct->sub_len == 0 || (i < end && p[i] != ';'))
        return;
    if (i < end)
        i++;
    ct->params_off = i;
    ct->params_len = end - i;
    ct->ok = true;
}

bool sip400_ctype_is(const sip400_msg *m, const sip400_ctype *ct, const char *type, const char *subtype)
{
    /* type and subtype are not literals here: length first, then the word compare */
    return ct->ok && ct->type_len == strlen(type) && sip400_mem_ieq(m->p + ct->type_off, type, ct->type_len) &&
           (!subtype ||
            (ct->sub_len == strlen(subtype) && sip400_mem_ieq(m->p + ct->sub_off, subtype, ct->sub_len)));
}

sip400_span sip400_body_effective(const sip400_msg *m)
{
    sip400_span b = { m->body_off, m->body_len };
    const sip400_hdr *h = sip400_msg_first(m, SIP400_H_CONTENT_LENGTH);
    if (h && m->count[SIP400_H_CONTENT_LENGTH] == 1 && h->value_len > 0 && h->value_len <= 10 &&
        all_digits(m->p, h->value_off, h->value_len)) {
        uint32_t cl = dec_value(m->p, h->value_off, h->value_len);
        if (cl < b.len)
            b.len = cl;
    }
    return b;
}

bool sip400_span_blank(const sip400_msg *m, sip400_span s)
{
    for (uint32_t i = 0; i < s.len; i++) {
        uint8_t c = m->p[s.off + i];
        if (c != '\r' && c != '\n' && c != ' ' && c != '\t')
            return false;
    }
    return true;
}

bool sip400_body_encoded(const sip400_msg *m)
{
    const sip400_hdr *h = sip400_msg_first(m, SIP400_H_CONTENT_ENCODING);
    return h && h->value_len > 0 && !ieq(m->p, h->value_off, h->value_len, "identity");
}

/* Delimiter line at pos ("--" boundary ["--"] LWSP EOL)?  *close: "--" after it. */
static bool delimiter_at(const sip400_msg *m, uint32_t pos, uint32_t end, uint32_t eol, const sip400_multipart *mp,
                         bool *close)
{
    const uint8_t *p = m->p;
    uint32_t bl = mp->boundary_len;
    (void)end;
    if (eol - pos < 2 + bl || p[pos] != '-' || p[pos + 1] != '-' ||
        memcmp(p + pos + 2, p + mp->boundary_off, bl) != 0)
        return false;
    uint32_t i = pos + 2 + bl;
    *close = false;
    if (eol - i >= 2 && p[i] == '-' && p[i + 1] == '-') {
        *close = true;
        i += 2;
    }
    while (i < eol && is_wsp(p[i]))
        i++;
    return i == eol;
}

static void part_headers(const sip400_msg *m, sip400_mpart *pt)
{
    const uint8_t *p = m->p;
    uint32_t pos = pt->off, end = pt->off + pt->len;
    while (pos < end) {
        const uint8_t *lf = memchr(p + pos, '\n', end - pos);
        uint32_t next = lf ? (uint32_t)(lf - p) + 1 : end;
        uint32_t eol = lf ? next - 1 : end;
        if (eol > pos && p[eol - 1] == '\r')
            eol--;
        if (eol == pos) {
            if (lf) {
                pt->have_blank_line = true;
                pt->body_off = next;
                pt->body_len = end - next;
            }
            return;
        }
        uint32_t colon = pos;
        while (colon < eol && p[colon] != ':')
            colon++;
        uint32_t ne = colon;
        while (ne > pos && is_wsp(p[ne - 1]))
            ne--;
        if (colon < eol && (ieq(p, pos, ne - pos, "Content-Type") || ieq(p, pos, ne - pos, "c")))
            sip400_ctype_parse(m, colon + 1, eol - colon - 1, &pt->ctype);
        pos = next;
    }
}

void sip400_multipart_parse(const sip400_msg *m, const sip400_ctype *ct, sip400_span body, sip400_multipart *mp)
{
    memset(mp, 0, sizeof *mp);
    sip400_span params = { ct->params_off, ct->params_len };
    sip400_span v;
    if (!ct->ok || !sip400_param_find(m, params, "boundary", &v))
        return;
    mp->bparam_off = v.off;
    mp->bparam_len = v.len;
    if (v.len >= 2 && m->p[v.off] == '"' && m->p[v.off + v.len - 1] == '"') {
        v.off++;
        v.len -= 2;
    }
    /* the parameter as written: from its name to the end of its value */
    uint32_t s = v.off;
    while (s > params.off && m->p[s - 1] != ';')
        s--;
    while (s < v.off && is_wsp(m->p[s]))
        s++;
    mp->bparam_len = mp->bparam_off + mp->bparam_len - s;
    mp->bparam_off = s;
    if (v.len == 0)
        return;
    mp->has_boundary = true;
    mp->boundary_off = v.off;
    mp->boundary_len = v.len;

    const uint8_t *p = m->p;
    uint32_t pos = body.off, end = body.off + body.len;
    sip400_mpart *open = NULL;
    while (pos < end) {
        const uint8_t *lf = memchr(p + pos, '\n', end - pos);
        uint32_t next = lf ? (uint32_t)(lf - p) + 1 : end;
        uint32_t eol = lf ? next - 1 : end;
        if (eol > pos && p[eol - 1] == '\r')
            eol--;
        bool close = false;
        if (delimiter_at(m, pos, end, eol, mp, &close)) {
            mp->ndelim++;
            if (open) {
                open->len = pos - open->off; /* includes the line break before the delimiter */
                part_headers(m, open);
                open = NULL;
            }
            if (close) {
                mp->closed = true;
                return;
            }
            if (mp->nparts < SIP400_MAX_MPARTS) {
                open = &mp->parts[mp->nparts++];
                memset(open, 0, sizeof *open);
                open->off = next;
            }
        }
        pos = next;
    }
    if (open) {
        open->len = end - open->off;
        part_headers(m, open);
    }
}

uint32_t sip400_sdp_locate(const sip400_msg *m, sip400_span *out, uint32_t max)
{
    if (m->body_len == 0)
        return 0; /* most messages: nothing to look at */
    sip400_span body = sip400_body_effective(m);
    if (max == 0 || sip400_span_blank(m, body) || sip400_body_encoded(m))
        return 0;
    const sip400_hdr *h = sip400_msg_first(m, SIP400_H_CONTENT_TYPE);
    if (!h) {
        uint32_t i = body.off, e = body.off + body.len;
        while (i < e && (m->p[i] == '\r' || m->p[i] == '\n'))
            i++;
        if (e - i >= 2 && m->p[i] == 'v' && m->p[i + 1] == '=') {
            out[0] = body;
            return 1;
        }
        return 0;
    }
    sip400_ctype ct;
    sip400_ctype_parse(m, h->value_off, h->value_len, &ct);
    if (sip400_ctype_is(m, &ct, "application", "sdp")) {
        if (!sip400_sdp_looks_like(m->p, body.off, body.len))
            return 0;
        out[0] = body;
        return 1;
    }
    if (!sip400_ctype_is(m, &ct, "multipart", NULL))
        return 0;
    sip400_multipart mp;
    sip400_multipart_parse(m, &ct, body, &mp);
    uint32_t n = 0;
    for (uint32_t i = 0; i < mp.nparts && n < max; i++) {
        const sip400_mpart *pt = &mp.parts[i];
        sip400_span pb = { pt->body_off, pt->body_len };
        if (pt->have_blank_line && sip400_ctype_is(m, &pt->ctype, "application", "sdp") &&
            !sip400_span_blank(m, pb) && sip400_sdp_looks_like(m->p, pb.off, pb.len))
            out[n++] = pb;
    }
    return n;
}
