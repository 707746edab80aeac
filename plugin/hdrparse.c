/* SPDX-License-Identifier: GPL-2.0-or-later
 * Header-value grammar helpers: see hdrparse.h. */
#include "hdrparse.h"

#include <string.h>

static inline uint8_t lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c | 0x20) : c;
}

static inline bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* bslash: a backslash may be in [pos, end) */
static inline uint32_t quoted_end(const uint8_t *p, uint32_t pos, uint32_t end, bool bslash, bool *closed)
{
    /* memchr to the next '"' and to a backslash before it */
    *closed = false;
    uint32_t i = pos + 1;
    while (i < end) {
        const uint8_t *dq = memchr(p + i, '"', end - i);
        uint32_t d = dq ? (uint32_t)(dq - p) : end;
        const uint8_t *bs = bslash ? memchr(p + i, '\\', d - i) : NULL;
        if (!bs) {
            if (!dq)
                return end;
            *closed = true;
            return d + 1;
        }
        i = (uint32_t)(bs - p) + 2; /* the escaped byte; past end when it is missing */
    }
    return end;
}

uint32_t sip400_hp_quoted_end(const uint8_t *p, uint32_t pos, uint32_t end, bool *closed)
{
    return quoted_end(p, pos, end, true, closed);
}

uint32_t sip400_hp_quoted_end_cls(const uint8_t *p, uint32_t pos, uint32_t end, uint16_t cls, bool *closed)
{
    return quoted_end(p, pos, end, (cls & SIP400_BC_BSLASH) != 0, closed);
}

const char *sip400_hv_status_text(sip400_hv_status st)
{
    switch (st) {
    case SIP400_HV_OK: return "ok";
    case SIP400_HV_EMPTY: return "empty value";
    case SIP400_HV_EMPTY_ELEMENT: return "empty list element";
    case SIP400_HV_BAD_CHAR: return "character not allowed here";
    case SIP400_HV_EMPTY_PARAM: return "empty parameter";
    case SIP400_HV_BAD_PARAM_NAME: return "parameter name is not a token";
    case SIP400_HV_BAD_PARAM_VALUE: return "parameter value is not a token, host or quoted string";
    case SIP400_HV_MISSING_VALUE: return "parameter without value";
    case SIP400_HV_UNTERMINATED_QUOTE: return "unterminated quoted string";
    case SIP400_HV_NOT_DIGITS: return "not a decimal number";
    case SIP400_HV_TOO_BIG: return "number above 4294967295";
    case SIP400_HV_LIST: return "several values";
    }
    return "malformed";
}

static void set_err(sip400_hp_err *e, sip400_hv_status st, uint32_t off, uint32_t len)
{
    e->st = st;
    e->off = off;
    e->len = len ? len : 1;
}

sip400_hv_status sip400_hp_delta_seconds(const uint8_t *p, uint32_t off, uint32_t end, uint64_t *value)
{
    uint64_t v = 0;
    *value = 0;
    if (off >= end)
        return SIP400_HV_EMPTY;
    for (uint32_t i = off; i < end; i++) {
        if (!is_digit(p[i]))
            return SIP400_HV_NOT_DIGITS;
        if (v <= 0xffffffffull)
            v = v * 10 + (uint32_t)(p[i] - '0');
    }
    *value = v;
    return v > 0xffffffffull ? SIP400_HV_TOO_BIG : SIP400_HV_OK;
}

/* end of the current parameter: the next ';' outside quotes, or end */
static uint32_t param_stop(const uint8_t *p, uint32_t pos, uint32_t end)
{
    while (pos < end && p[pos] != ';') {
        if (p[pos] == '"') {
            bool closed;
            pos = sip400_hp_quoted_end(p, pos, end, &closed);
            continue;
        }
        pos++;
    }
    return pos;
}

/* a token character or ':' '[' ']' (a host or IPv6 reference), by table:
 * the parameter walks test every byte of every value */
static const uint8_t value_chars[256] = {
    /*       0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f */
    /* 0x */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 1x */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 2x */ 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0, /*  ! % ' * + - . */
    /* 3x */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, /* 0-9 : */
    /* 4x */ 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* A-O */
    /* 5x */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, /* P-Z [ ] _ */
    /* 6x */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* ` a-o */
    /* 7x */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, /* p-z ~ */
    /* 0x80-0xff: 0 */
};

static inline bool is_value_char(uint8_t c)
{
    return value_chars[c] != 0;
}

bool sip400_hp_param_next(const uint8_t *p, uint32_t *pos, uint32_t end, bool need_value, sip400_hp_param *out,
                          sip400_hp_err *e)
{
    e->st = SIP400_HV_OK;
    uint32_t i = sip400_hp_skip_lws(p, *pos, end);
    *pos = end;
    if (i >= end)
        return false;
    if (p[i] != ';') {
        uint32_t s = param_stop(p, i, end);
        set_err(e, SIP400_HV_BAD_CHAR, i, sip400_hp_trim_end(p, i, s) - i);
        return false;
    }
    memset(out, 0, sizeof *out);
    out->off = i;
    uint32_t n = sip400_hp_skip_lws(p, i + 1, end);
    if (n >= end || p[n] == ';') {
        set_err(e, SIP400_HV_EMPTY_PARAM, i, n < end ? n + 1 - i : 1);
        return false;
    }
    uint32_t ne = sip400_hp_token_end(p, n, end);
    if (ne == n) {
        uint32_t s = param_stop(p, n, end);
        set_err(e, SIP400_HV_BAD_PARAM_NAME, n, sip400_hp_trim_end(p, n, s) - n);
        return false;
    }
    out->name.off = n;
    out->name.len = ne - n;
    uint32_t j = sip400_hp_skip_lws(p, ne, end);
    uint32_t after;
    if (j < end && p[j] == '=') {
        uint32_t v = sip400_hp_skip_lws(p, j + 1, end);
        if (v >= end || p[v] == ';') {
            set_err(e, SIP400_HV_MISSING_VALUE, n, j + 1 - n);
            return false;
        }
        uint32_t ve;
        if (p[v] == '"') {
            bool closed;
            ve = sip400_hp_quoted_end(p, v, end, &closed);
            if (!closed) {
                set_err(e, SIP400_HV_UNTERMINATED_QUOTE, v, sip400_hp_trim_end(p, v, end) - v);
                return false;
            }
        } else {
            ve = v;
            while (ve < end && is_value_char(p[ve]))
                ve++;
            if (ve == v) {
                uint32_t s = param_stop(p, v, end);
                set_err(e, SIP400_HV_BAD_PARAM_VALUE, v, sip400_hp_trim_end(p, v, s) - v);
                return false;
            }
        }
        out->has_value = true;
        out->value.off = v;
        out->value.len = ve - v;
        after = ve;
    } else {
        if (need_value) {
            set_err(e, SIP400_HV_MISSING_VALUE, n, ne - n);
            return false;
        }
        after = ne;
    }
    uint32_t k = sip400_hp_skip_lws(p, after, end);
    if (k < end && p[k] != ';') {
        uint32_t s = param_stop(p, k, end);
        uint32_t from = out->has_value ? out->value.off : n;
        set_err(e, out->has_value ? SIP400_HV_BAD_PARAM_VALUE : SIP400_HV_BAD_PARAM_NAME, from,
                sip400_hp_trim_end(p, from, s) - from);
        return false;
    }
    *pos = k;
    return true;
}

bool sip400_hp_params_ok(const uint8_t *p, uint32_t pos, uint32_t end, bool need_value, sip400_hp_err *e)
{
    sip400_hp_param prm;
    while (sip400_hp_param_next(p, &pos, end, need_value, &prm, e))
        ;
    return e->st == SIP400_HV_OK;
}

bool sip400_hp_params_find(const uint8_t *p, uint32_t pos, uint32_t end, const char *name, sip400_hp_param *out)
{
    sip400_hp_err e;
    size_t nl = strlen(name);
    while (sip400_hp_param_next(p, &pos, end, false, out, &e)) {
        if (out->name.len != nl)
            continue;
        bool same = true;
        for (size_t k = 0; k < nl && same; k++)
            same = lower(p[out->name.off + k]) == lower((uint8_t)name[k]);
        if (same)
            return true;
    }
    return false;
}

bool sip400_hp_token_list(const uint8_t *p, uint32_t off, uint32_t end, bool allow_empty, sip400_hp_err *e)
{
    e->st = SIP400_HV_OK;
    uint32_t i = sip400_hp_skip_lws(p, off, end);
    if (i >= end) {
        if (!allow_empty)
            set_err(e, SIP400_HV_EMPTY, off, 0);
        return allow_empty;
    }
    uint32_t prev_comma = UINT32_MAX;
    for (;;) {
        uint32_t s = sip400_hp_skip_lws(p, i, end);
        if (s >= end || p[s] == ',') {
            /* ",,", a leading ',' or a trailing ',' */
            uint32_t a = prev_comma != UINT32_MAX ? prev_comma : s;
            uint32_t b = s < end ? s + 1 : (prev_comma != UINT32_MAX ? prev_comma + 1 : s);
            set_err(e, SIP400_HV_EMPTY_ELEMENT, a, b - a);
            return false;
        }
        uint32_t te = sip400_hp_token_end(p, s, end);
        uint32_t k = sip400_hp_skip_lws(p, te, end);
        if (te == s || (k < end && p[k] != ',')) {
            uint32_t c = te == s ? s : te;
            while (c < end && p[c] != ',')
                c++;
            set_err(e, SIP400_HV_BAD_CHAR, s, sip400_hp_trim_end(p, s, c) - s);
            return false;
        }
        if (k >= end)
            return true;
        prev_comma = k;
        i = k + 1;
    }
}

bool sip400_hp_token_params(const uint8_t *p, uint32_t off, uint32_t end, sip400_span *tok, sip400_hp_err *e)
{
    e->st = SIP400_HV_OK;
    uint32_t s = sip400_hp_skip_lws(p, off, end);
    tok->off = s;
    tok->len = 0;
    if (s >= end) {
        set_err(e, SIP400_HV_EMPTY, off, 0);
        return false;
    }
    uint32_t te = sip400_hp_token_end(p, s, end);
    tok->len = te - s;
    if (te == s) {
        uint32_t c = param_stop(p, s, end);
        set_err(e, SIP400_HV_BAD_CHAR, s, sip400_hp_trim_end(p, s, c) - s);
        return false;
    }
    return sip400_hp_params_ok(p, te, end, false, e);
}

/* Bytes that end the unquoted run of the element scan in sip400_hp_addr_next */
static const uint8_t addr_stop[256] = { ['"'] = 1, ['<'] = 1, [':'] = 1, [';'] = 1, [','] = 1 };

/* cls: SIP400_BC_* classes that bytes of [pos, end) may have (a superset is fine) */
static inline uint32_t addr_next(const uint8_t *p, uint32_t pos, uint32_t end, bool list, uint16_t cls,
                                 sip400_hp_addr *a)
{
    bool bslash = (cls & SIP400_BC_BSLASH) != 0;
    bool dquote = (cls & SIP400_BC_DQUOTE) != 0;
    bool comma = list && (cls & SIP400_BC_COMMA);
    memset(a, 0, sizeof *a);
    uint32_t s = sip400_hp_skip_lws(p, pos, end);
    a->all.off = s;
    a->display.off = a->uri.off = a->params.off = s;
    if (s >= end)
        return end;
    bool quoted = false, started = false;
    uint32_t qopen = s, lt = end, stop = end;
    uint32_t first_qend = 0; /* just past a quoted string that opens the element */
    uint32_t i = s;
    for (;;) {
        /* runs of other bytes by table, quoted strings with memchr */
        while (i < end && !addr_stop[p[i]])
            i++;
        if (i >= end)
            break;
        uint8_t c = p[i];
        if (c == '"') {
            bool closed;
            uint32_t k = quoted_end(p, i, end, bslash, &closed);
            if (!closed) {
                quoted = true;
                qopen = i;
                break;
            }
            if (i == s)
                first_qend = k;
            i = k;
            continue;
        }
        if (c == '<') {
            lt = i;
            break;
        } else if (c == ':') {
            started = true;
        } else if (started && (c == ';' || (c == ',' && list))) {
            stop = i;
            break;
        }
        i++;
    }
    if (quoted) {
        a->unterminated_quote = true;
        a->quote_off = qopen;
        a->all.len = sip400_hp_trim_end(p, s, end) - s;
        a->uri = a->all;
        return end;
    }
    uint32_t k;
    if (lt < end) {
        uint32_t de = sip400_hp_trim_end(p, s, lt);
        a->display.len = de - s;
        a->display_quoted = a->display.len && p[s] == '"';
        a->display_one_quoted = first_qend != 0 && first_qend == de;
        const uint8_t *gtp = lt + 1 < end ? memchr(p + lt + 1, '>', end - lt - 1) : NULL;
        if (!gtp) {
            a->unterminated_angle = true;
            a->uri.off = lt + 1;
            a->uri.len = end - lt - 1;
            a->all.len = sip400_hp_trim_end(p, s, end) - s;
            return end;
        }
        uint32_t gt = (uint32_t)(gtp - p);
        a->bracketed = true;
        a->angle.off = lt;
        a->angle.len = gt + 1 - lt;
        a->uri.off = lt + 1;
        a->uri.len = gt - lt - 1;
        k = gt + 1;
        a->params.off = sip400_hp_skip_lws(p, k, end);
    } else {
        uint32_t ue = sip400_hp_trim_end(p, s, stop);
        a->uri.len = ue - s;
        k = stop;
        a->params.off = k;
    }
    /* header parameters run to the next comma outside quotes (list) or the end */
    if (k < end && !(list && p[k] == ',')) {
        while (k < end) {
            /* memchr to the next ',' (list mode) and to a '"' before it */
            const uint8_t *cm = comma ? memchr(p + k, ',', end - k) : NULL;
            uint32_t to = cm ? (uint32_t)(cm - p) : end;
            const uint8_t *dq = dquote ? memchr(p + k, '"', to - k) : NULL;
            if (!dq) {
                k = to;
                break;
            }
            k = (uint32_t)(dq - p);
            bool closed;
            uint32_t q = quoted_end(p, k, end, bslash, &closed);
            if (!closed) {
                a->unterminated_quote = true;
                a->quote_off = k;
            }
            k = q;
        }
    }
    if (a->params.off > k)
        a->params.off = k;
    a->params.len = sip400_hp_trim_end(p, a->params.off, k) - a->params.off;
    a->all.len = sip400_hp_trim_end(p, s, k) - s;
    return k;
}

uint32_t sip400_hp_addr_next(const uint8_t *p, uint32_t pos, uint32_t end, bool list, sip400_hp_addr *a)
{
    return addr_next(p, pos, end, list, 0xffff, a);
}

uint32_t sip400_hp_addr_next_cls(const uint8_t *p, uint32_t pos, uint32_t end, bool list, uint16_t cls,
                                 sip400_hp_addr *a)
{
    return addr_next(p, pos, end, list, cls, a);
}

/* ---- SIP-date ---- */

static const char *const wkdays[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const months[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static int name_index(const uint8_t *p, const char *const *names, int n)
{
    for (int i = 0; i < n; i++) {
        if (memcmp(p, names[i], 3) == 0)
            return i;
    }
    return -1;
}

static bool digits(const uint8_t *p, uint32_t n, uint32_t *v)
{
    *v = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (!is_digit(p[i]))
            return false;
        *v = *v * 10 + (uint32_t)(p[i] - '0');
    }
    return true;
}

/* day of week (0 = Sunday) of a Gregorian date */
static int weekday(uint32_t y, uint32_t m, uint32_t d)
{
    static const int t[12] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };
    if (m < 3)
        y -= 1;
    return (int)((y + y / 4 - y / 100 + y / 400 + (uint32_t)t[m - 1] + d) % 7);
}

bool sip400_hp_date(const uint8_t *p, uint32_t off, uint32_t end, sip400_hp_err *e, const char **why)
{
    /* Sat, 13 Nov 2010 23:29:00 GMT
     * 0123456789012345678901234567 8 */
    e->st = SIP400_HV_OK;
    uint32_t n = end - off;
    const uint8_t *d = p + off;
    *why = NULL;
    if (n == 0) {
        set_err(e, SIP400_HV_EMPTY, off, 0);
        *why = "is empty";
        return false;
    }
    bool shape = n == 29 && d[3] == ',' && d[4] == ' ' && d[7] == ' ' && d[11] == ' ' && d[16] == ' ' &&
                 d[19] == ':' && d[22] == ':' && d[25] == ' ';
    if (!shape) {
        set_err(e, SIP400_HV_BAD_CHAR, off, n);
        if (n > 25 && d[n - 4] == ' ' && !(d[n - 3] == 'G' && d[n - 2] == 'M' && d[n - 1] == 'T'))
            *why = "is not in RFC 1123 form and its time zone is not GMT";
        else
            *why = "is not in RFC 1123 form `wkday, DD Mon YYYY HH:MM:SS GMT`";
        return false;
    }
    int wd = name_index(d, wkdays, 7);
    if (wd < 0) {
        set_err(e, SIP400_HV_BAD_CHAR, off, 3);
        *why = "has an unknown weekday (Mon..Sun, case-sensitive)";
        return false;
    }
    uint32_t day, year, hh, mm, ss;
    int mon = name_index(d + 8, months, 12);
    if (!digits(d + 5, 2, &day) || day < 1 || day > 31) {
        set_err(e, SIP400_HV_BAD_CHAR, off + 5, 2);
        *why = "has an invalid day (two digits, 01..31)";
        return false;
    }
    if (mon < 0) {
        set_err(e, SIP400_HV_BAD_CHAR, off + 8, 3);
        *why = "has an unknown month (Jan..Dec, case-sensitive)";
        return false;
    }
    if (!digits(d + 12, 4, &year)) {
        set_err(e, SIP400_HV_BAD_CHAR, off + 12, 4);
        *why = "has an invalid year (four digits)";
        return false;
    }
    static const uint8_t mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day > mdays[mon] || (mon == 1 && day == 29 && !leap)) {
        set_err(e, SIP400_HV_BAD_CHAR, off + 5, 10);
        *why = "names a day that does not exist";
        return false;
    }
    if (!digits(d + 17, 2, &hh) || !digits(d + 20, 2, &mm) || !digits(d + 23, 2, &ss) || hh > 23 || mm > 59 ||
        ss > 60) {
        set_err(e, SIP400_HV_BAD_CHAR, off + 17, 8);
        *why = "has an invalid time (HH:MM:SS, 24-hour)";
        return false;
    }
    if (memcmp(d + 26, "GMT", 3) != 0) {
        set_err(e, SIP400_HV_BAD_CHAR, off + 26, 3);
        *why = "has a time zone other than GMT (SIP dates are always GMT)";
        return false;
    }
    if (year >= 1583 && weekday(year, (uint32_t)mon + 1, day) != wd) {
        set_err(e, SIP400_HV_BAD_CHAR, off, 3);
        *why = "has a weekday that does not match the date";
        return false;
    }
    return true;
}

uint32_t sip400_hp_utf8_invalid(const uint8_t *p, uint32_t off, uint32_t end, uint32_t *len)
{
    uint32_t i = off;
    while (i < end) {
        uint8_t c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        uint32_t need;
        uint8_t lo = 0x80, hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            need = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            need = 2;
            if (c == 0xe0)
                lo = 0xa0;
            else if (c == 0xed)
                hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            need = 3;
            if (c == 0xf0)
                lo = 0x90;
            else if (c == 0xf4)
                hi = 0x8f;
        } else {
            *len = 1;
            return i;
        }
        for (uint32_t k = 1; k <= need; k++) {
            uint8_t cc = i + k < end ? p[i + k] : 0;
            uint8_t l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xbf;
            if (i + k >= end || cc < l || cc > h) {
                *len = k;
                return i;
            }
        }
        i += need + 1;
    }
    *len = 0;
    return UINT32_MAX;
}
