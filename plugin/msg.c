/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "msg.h"

#include <string.h>
#include <threads.h>

static const char *const header_names[SIP400_H_COUNT] = {
    "",
#define SIP400_H_NAME(sym, name, compact) name,
    SIP400_HEADERS(SIP400_H_NAME)
#undef SIP400_H_NAME
};

static const uint8_t header_name_len[SIP400_H_COUNT] = {
    0,
#define SIP400_H_LEN(sym, name, compact) (uint8_t)(sizeof(name) - 1),
    SIP400_HEADERS(SIP400_H_LEN)
#undef SIP400_H_LEN
};

static const char header_compact[SIP400_H_COUNT] = {
    0,
#define SIP400_H_COMPACT(sym, name, compact) compact,
    SIP400_HEADERS(SIP400_H_COMPACT)
#undef SIP400_H_COMPACT
};

const char *sip400_header_name(sip400_hid id)
{
    return (unsigned)id < SIP400_H_COUNT ? header_names[id] : "";
}

static inline uint8_t lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c | 0x20) : c;
}

static inline uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint32_t load32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* lower() of eight bytes at once: bit 7 of a byte of is_upper is set for
 * 'A'..'Z' (the two additions cannot carry into the next byte), shifted to
 * 0x20 */
static inline uint64_t lower8(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u;
    uint64_t h = x & (0x7f * ones);
    uint64_t ge_a = h + (0x80 - 'A') * ones;       /* bit 7: h >= 'A' */
    uint64_t gt_z = h + (0x80 - 'Z' - 1) * ones;   /* bit 7: h > 'Z' */
    uint64_t is_upper = ge_a & ~gt_z & ~x & (0x80 * ones);
    return x | (is_upper >> 2);
}

static bool ieq_n(const uint8_t *a, const char *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (lower(a[i]) != lower((uint8_t)b[i]))
            return false;
    }
    return true;
}

/* lower() as a table, for the byte tail of sip400_mem_ieq */
static const uint8_t lower_tab[256] = {
#define L4(c) (c), (c) + 1, (c) + 2, (c) + 3
#define L16(c) L4(c), L4((c) + 4), L4((c) + 8), L4((c) + 12)
    L16(0x00), L16(0x10), L16(0x20), L16(0x30),
    0x40, L4(0x61), L4(0x65), L4(0x69), 0x6d, 0x6e, 0x6f, /* 'A'..'O' -> 'a'..'o' */
    L4(0x70), L4(0x74), 0x78, 0x79, 0x7a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, /* 'P'..'Z' -> 'p'..'z' */
    L16(0x60), L16(0x70), L16(0x80), L16(0x90), L16(0xa0), L16(0xb0),
    L16(0xc0), L16(0xd0), L16(0xe0), L16(0xf0),
#undef L4
#undef L16
};

bool sip400_mem_ieq(const uint8_t *a, const char *b, size_t n)
{
    /* the rules compare spans with literals all the time: words of eight
     * bytes, then the tail by table (no call, few registers) */
    const uint8_t *bb = (const uint8_t *)b;
    size_t i = 0;
    for (; n - i >= 8; i += 8) {
        if (lower8(load64(a + i)) != lower8(load64(bb + i)))
            return false;
    }
    for (; i < n; i++) {
        if (lower_tab[a[i]] != lower_tab[bb[i]])
            return false;
    }
    return true;
}

/* RFC 3261 token characters: alphanum and - . ! % * _ + ` ' ~ (a table: the
 * rules call this for every byte of methods, parameter names and tokens) */
const uint8_t sip400_token_chars[256] = {
    /*       0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f */
    /* 0x */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 1x */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    /* 2x */ 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0, /*  ! % ' * + - . */
    /* 3x */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, /* 0-9 */
    /* 4x */ 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* A-O */
    /* 5x */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, /* P-Z _ */
    /* 6x */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* ` a-o */
    /* 7x */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, /* p-z ~ */
    /* 0x80-0xff: 0 */
};

/* ':', a class of the scanner's own above the sixteen SIP400_BC_* bits: a
 * header line without one has no colon to search for */
#define BC_COLON 0x10000u

/* SIP400_BC_* of each byte value (msg.h), and BC_COLON */
#define CT SIP400_BC_CTL
#define HI SIP400_BC_8BIT
#define NU SIP400_BC_NUL
#define CR SIP400_BC_CR
#define LF SIP400_BC_LF
#define DQ SIP400_BC_DQUOTE
#define BS SIP400_BC_BSLASH
#define SC SIP400_BC_SEMI
#define CM SIP400_BC_COMMA
#define AN SIP400_BC_ANGLE
#define PC SIP400_BC_PCT
#define WS SIP400_BC_WSP
#define CO BC_COLON
#define HI16 HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI, HI
static const uint32_t byte_class[256] = { /* 32-bit: OR straight from memory */
    /*       0      1   2   3   4   5   6   7   8   9   a   b   c   d   e   f */
    /* 0x */ CT|NU, CT, CT, CT, CT, CT, CT, CT, CT, WS, LF, CT, CT, CR, CT, CT,
    /* 1x */ CT,    CT, CT, CT, CT, CT, CT, CT, CT, CT, CT, CT, CT, CT, CT, CT,
    /* 2x */ WS,    0,  DQ, 0,  0,  PC, 0,  0,  0,  0,  0,  0,  CM, 0,  0,  0,
    /* 3x */ 0,     0,  0,  0,  0,  0,  0,  0,  0,  0,  CO, SC, AN, 0,  AN, 0,
    /* 4x */ 0,     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    /* 5x */ 0,     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  BS, 0,  0,  0,
    /* 6x */ 0,     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    /* 7x */ 0,     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  CT,
    HI16, HI16, HI16, HI16, HI16, HI16, HI16, HI16,
};
#undef CT
#undef HI
#undef NU
#undef CR
#undef LF
#undef DQ
#undef BS
#undef SC
#undef CM
#undef AN
#undef PC
#undef WS
#undef CO
#undef HI16

/* SP or HT, by the class table (one load and test per byte in the trims) */
static inline bool wsp_byte(uint8_t c)
{
    return (byte_class[c] & SIP400_BC_WSP) != 0;
}

/* Forced inline: GCC keeps one out-of-line copy otherwise, and the scanner
 * calls it for every header line (-0.3% engine instructions). */
__attribute__((always_inline)) static inline uint32_t byte_classes(const uint8_t *p, uint32_t off, uint32_t len)
{
    /* sixteen lookups per step into two accumulators, then eight, then the
     * bytes: -50% instructions against four per step (callgrind), the 32-bit
     * table ORs straight from memory */
    const uint8_t *q = p + off;
    uint32_t a = 0, b = 0;
    for (uint32_t n = len / 16; n; n--, q += 16) {
        a |= byte_class[q[0]] | byte_class[q[1]] | byte_class[q[2]] | byte_class[q[3]] |
             byte_class[q[4]] | byte_class[q[5]] | byte_class[q[6]] | byte_class[q[7]];
        b |= byte_class[q[8]] | byte_class[q[9]] | byte_class[q[10]] | byte_class[q[11]] |
             byte_class[q[12]] | byte_class[q[13]] | byte_class[q[14]] | byte_class[q[15]];
    }
    if (len & 8) {
        a |= byte_class[q[0]] | byte_class[q[1]] | byte_class[q[2]] | byte_class[q[3]];
        b |= byte_class[q[4]] | byte_class[q[5]] | byte_class[q[6]] | byte_class[q[7]];
        q += 8;
    }
    for (uint32_t n = len % 8; n; n--, q++)
        a |= byte_class[*q];
    return a | b;
}

uint16_t sip400_byte_classes(const uint8_t *p, uint32_t off, uint32_t len)
{
    return (uint16_t)byte_classes(p, off, len);
}

/* Header-name lookup: a hash of (length, first and last letter) into a small
 * open-addressing table, built once.  A linear walk over the ~50 names cost
 * about 3% of the engine's instructions.  A candidate is compared a word at a
 * time: (byte | mask) == lower-case name, where the mask is 0x20 on letters
 * (exactly the two cases match) and 0 on '-' (exact). */
#define NAME_SLOTS 256u
#define NAME_MAX_LEN 24u /* longest name (20) rounded up to whole words */
static uint8_t name_slot[NAME_SLOTS]; /* header id, 0: empty */
static uint8_t name_lc[SIP400_H_COUNT][NAME_MAX_LEN];   /* lower-case name */
static uint8_t name_mask[SIP400_H_COUNT][NAME_MAX_LEN]; /* 0x20 on letters */
static uint8_t compact_id[256]; /* header id of a compact-form letter (either case), 0: none */
static once_flag name_slot_once = ONCE_FLAG_INIT;
_Static_assert(SIP400_H_COUNT < NAME_SLOTS && SIP400_H_COUNT <= 256, "header ids fit the name table");

/* Case-insensitive for letters (c | 0x20); other bytes may share a slot with
 * letters, the compare decides. */
static uint32_t name_hash(const uint8_t *name, uint32_t len)
{
    return (len * 31u + (name[0] | 0x20u) * 7u + (name[len - 1] | 0x20u)) % NAME_SLOTS;
}

static void build_name_slots(void)
{
    for (int i = 1; i < SIP400_H_COUNT; i++) {
        uint32_t h = name_hash((const uint8_t *)header_names[i], header_name_len[i]);
        while (name_slot[h])
            h = (h + 1) % NAME_SLOTS; /* fewer ids than slots: ends */
        name_slot[h] = (uint8_t)i;
        for (uint32_t k = 0; k < header_name_len[i] && k < NAME_MAX_LEN; k++) {
            uint8_t c = (uint8_t)header_names[i][k];
            bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            name_lc[i][k] = lower(c);
            name_mask[i][k] = letter ? 0x20 : 0;
        }
        /* the id of that compact letter, either case (a header without a
         * compact form has none: a NUL name byte is no header) */
        uint8_t cc = (uint8_t)header_compact[i];
        if (cc && !compact_id[cc]) {
            compact_id[cc] = (uint8_t)i;
            compact_id[cc & ~0x20u] = (uint8_t)i;
        }
    }
}

static inline uint16_t load16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* name[0, len) is the name of header id i, ASCII case-insensitively; len is
 * that name's length (2..20).  Reads only name[0, len): the last word of a
 * name overlaps the one before it. */
static bool name_is(const uint8_t *name, uint32_t len, int i)
{
    const uint8_t *lc = name_lc[i], *mk = name_mask[i];
    if (len >= 8) {
        for (uint32_t k = 0; k + 8 < len; k += 8) {
            if ((load64(name + k) | load64(mk + k)) != load64(lc + k))
                return false;
        }
        uint32_t t = len - 8;
        return (load64(name + t) | load64(mk + t)) == load64(lc + t);
    }
    if (len >= 4) {
        uint32_t t = len - 4;
        return (load32(name) | load32(mk)) == load32(lc) && (load32(name + t) | load32(mk + t)) == load32(lc + t);
    }
    uint32_t t = len - 2;
    return (uint16_t)(load16(name) | load16(mk)) == load16(lc) &&
           (uint16_t)(load16(name + t) | load16(mk + t)) == load16(lc + t);
}

/* Needs build_name_slots() done (sip400_msg_scan). */
static sip400_hid lookup_header(const uint8_t *name, uint32_t len, bool *compact)
{
    *compact = false;
    if (len == 1) {
        int i = compact_id[name[0]];
        *compact = i != 0;
        return (sip400_hid)i;
    }
    if (len < 2 || len > NAME_MAX_LEN)
        return SIP400_H_OTHER; /* no known name is that long */
    /* at most NAME_SLOTS probes; in practice one or two */
    for (uint32_t h = name_hash(name, len), n = 0; n < NAME_SLOTS && name_slot[h]; h = (h + 1) % NAME_SLOTS, n++) {
        int i = name_slot[h];
        if (header_name_len[i] == len && name_is(name, len, i))
            return (sip400_hid)i;
    }
    return SIP400_H_OTHER;
}

static inline bool is_wsp(uint8_t c)
{
    return c == ' ' || c == '\t';
}

/* End of the line starting at pos: returns the offset of the next line and
 * sets *eol to the offset of the line terminator (or len); counts the
 * terminator. */
static inline uint32_t next_line(sip400_msg *m, uint32_t pos, uint32_t *eol)
{
    uint32_t at = sip400_find_byte(m->p, pos, m->len, '\n');
    if (at == m->len) {
        *eol = m->len; /* end of data, no terminator */
        return m->len;
    }
    if (at > pos && m->p[at - 1] == '\r') {
        *eol = at - 1;
        m->n_crlf++;
    } else {
        *eol = at;
        if (m->n_bare_lf == 0)
            m->first_bare_lf = at;
        m->n_bare_lf++;
    }
    return at + 1;
}

static const char *const known_methods[] = {
    "INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "INFO", "PRACK",
    "SUBSCRIBE", "NOTIFY", "UPDATE", "MESSAGE", "REFER", "PUBLISH",
};

/* Skip bytes before the start line: CR/LF, then a short run of garbage
 * (BOM, keepalive leftovers) when a known method or "SIP/2.0 " follows. */
static void skip_lead(sip400_msg *m)
{
    uint32_t pos = 0;
    while (pos < m->len && (m->p[pos] == '\r' || m->p[pos] == '\n'))
        pos++;
    m->lead_len = pos;
    if (pos >= m->len)
        return;
    uint8_t c = m->p[pos];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
        return; /* looks like a start line already */
    /* Look for a start line within the next few bytes. */
    uint32_t limit = m->len - pos < 16 ? m->len - pos : 16;
    for (uint32_t g = 1; g <= limit; g++) {
        uint32_t at = pos + g;
        uint32_t rest = m->len - at;
        if (rest >= 8 && memcmp(m->p + at, "SIP/2.0 ", 8) == 0)
            goto found;
        for (size_t k = 0; k < sizeof known_methods / sizeof known_methods[0]; k++) {
            size_t n = strlen(known_methods[k]);
            if (rest > n && memcmp(m->p + at, known_methods[k], n) == 0 && m->p[at + n] == ' ')
                goto found;
        }
        continue;
    found:
        m->lead_len = at;
        m->lead_garbage_len = g;
        return;
    }
}

static void parse_start_line(sip400_msg *m, uint32_t off, uint32_t eol)
{
    sip400_span f[4] = { { 0, 0 } };
    uint32_t nf = 0;
    uint32_t pos = off;
    m->line.off = off;
    m->line.len = eol - off;
    /* fields separated by runs of SP/HT; remember the first three and the last */
    sip400_span last = { 0, 0 };
    /* a field ends at the next SP or HT: memchr for both, HT rarely present */
    const uint8_t *p = m->p;
    const uint8_t *tab = memchr(p + off, '\t', eol - off);
    uint32_t ht = tab ? (uint32_t)(tab - p) : eol; /* next HT at or after pos, or eol */
    while (pos < eol) {
        while (pos < eol && is_wsp(p[pos]))
            pos++;
        if (pos >= eol)
            break;
        uint32_t s = pos;
        if (ht < pos) {
            tab = memchr(p + pos, '\t', eol - pos);
            ht = tab ? (uint32_t)(tab - p) : eol;
        }
        const uint8_t *sp = memchr(p + pos, ' ', ht - pos);
        pos = sp ? (uint32_t)(sp - p) : ht;
        last.off = s;
        last.len = pos - s;
        if (nf < 3)
            f[nf] = last;
        nf++;
    }
    m->nfields = nf;
    if (nf == 0)
        return;
    const uint8_t *p0 = m->p + f[0].off;
    if (f[0].len >= 4 && ieq_n(p0, "SIP/", 4)) {
        /* status line: SIP/2.0 SP 3DIGIT SP reason */
        if (nf >= 2 && f[1].len == 3) {
            const uint8_t *d = m->p + f[1].off;
            if (d[0] >= '1' && d[0] <= '6' && d[1] >= '0' && d[1] <= '9' && d[2] >= '0' && d[2] <= '9') {
                m->kind = SIP400_START_RESPONSE;
                m->version = f[0];
                m->status = (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0');
                uint32_t r = f[1].off + 3;
                while (r < eol && is_wsp(m->p[r]))
                    r++;
                m->reason.off = r;
                m->reason.len = eol - r;
            }
        }
        return;
    }
    /* request: method SP Request-URI SP SIP-Version */
    for (uint32_t i = 0; i < f[0].len; i++) {
        if (!sip400_is_token_char(p0[i]))
            return;
    }
    if (nf < 2)
        return;
    bool versioned = nf >= 3 && last.len >= 4 && ieq_n(m->p + last.off, "SIP/", 4);
    bool uri_like = memchr(m->p + f[1].off, ':', f[1].len) != NULL;
    if (!versioned && !uri_like)
        return;
    m->kind = SIP400_START_REQUEST;
    m->method = f[0];
    m->ruri.off = f[1].off;
    if (versioned) {
        m->version = last;
        /* the Request-URI runs to the end of the field before the version */
        uint32_t e = last.off;
        while (e > f[1].off && is_wsp(m->p[e - 1]))
            e--;
        m->ruri.len = e - f[1].off;
    } else {
        /* no version: the URI is everything after the method */
        uint32_t e = eol;
        while (e > f[1].off && is_wsp(m->p[e - 1]))
            e--;
        m->ruri.len = e - f[1].off;
    }
}

static void add_header(sip400_msg *m, uint32_t off, uint32_t eol)
{
    m->nhdr_total++;
    if (m->nhdr >= SIP400_MAX_HEADERS)
        return;
    sip400_hdr *h = &m->hdr[m->nhdr];
    memset(h, 0, sizeof *h);
    h->line_off = off;
    h->line_len = eol - off;
    uint32_t cls = byte_classes(m->p, off, eol - off); /* inline: no call per line */
    h->cls = (uint16_t)cls;
    m->cls_hdrs |= h->cls;
    if (!(cls & BC_COLON)) {
        h->flags = SIP400_HF_NO_COLON;
        h->value_off = eol;
        m->nhdr_no_colon++;
        m->nhdr_other++;
        m->nhdr++;
        return;
    }
    /* the line has a ':': the search ends at it, before eol */
    uint32_t c = sip400_find_byte(m->p, off, m->len, ':');
    uint32_t ne = c;
    while (ne > off && wsp_byte(m->p[ne - 1]))
        ne--;
    if (ne != c)
        h->flags |= SIP400_HF_WS_NAME;
    h->name_len = ne - off;
    bool compact;
    h->id = (uint16_t)lookup_header(m->p + off, h->name_len, &compact);
    if (compact)
        h->flags |= SIP400_HF_COMPACT;
    uint32_t v = c + 1;
    while (v < eol && wsp_byte(m->p[v]))
        v++;
    uint32_t ve = eol;
    while (ve > v && wsp_byte(m->p[ve - 1]))
        ve--;
    h->value_off = v;
    h->value_len = ve - v;
    if (h->id != SIP400_H_OTHER) {
        if (m->first[h->id] < 0)
            m->first[h->id] = (int16_t)m->nhdr;
        if (m->count[h->id] < UINT16_MAX)
            m->count[h->id]++;
    } else {
        m->nhdr_other++;
    }
    m->nhdr++;
}

/* A continuation line extends the previous stored header. */
static void continue_header(sip400_msg *m, uint32_t eol)
{
    if (m->nhdr == 0 || m->nhdr_total > m->nhdr)
        return;
    sip400_hdr *h = &m->hdr[m->nhdr - 1];
    if (!(h->flags & SIP400_HF_FOLDED))
        m->nhdr_folded++;
    h->flags |= SIP400_HF_FOLDED;
    uint32_t old_end = h->line_off + h->line_len;
    h->cls |= sip400_byte_classes(m->p, old_end, eol - old_end);
    m->cls_hdrs |= h->cls;
    h->line_len = eol - h->line_off;
    if (h->flags & SIP400_HF_NO_COLON)
        return;
    uint32_t ve = eol;
    while (ve > h->value_off && is_wsp(m->p[ve - 1]))
        ve--;
    if (h->value_len == 0) {
        /* value started on the continuation line */
        uint32_t v = h->value_off;
        while (v < ve && (is_wsp(m->p[v]) || m->p[v] == '\r' || m->p[v] == '\n'))
            v++;
        h->value_off = v;
    }
    h->value_len = ve > h->value_off ? ve - h->value_off : 0;
}

void sip400_msg_scan(sip400_msg *m, const uint8_t *data, uint32_t len)
{
    m->p = data;
    m->len = len;
    m->lead_len = m->lead_garbage_len = 0;
    m->kind = SIP400_START_INVALID;
    m->line = m->method = m->ruri = m->version = m->reason = (sip400_span){ 0, 0 };
    m->nfields = 0;
    m->status = 0;
    m->nhdr = m->nhdr_total = 0;
    m->nhdr_no_colon = m->nhdr_other = m->nhdr_folded = 0;
    memset(m->first, 0xff, sizeof m->first);
    memset(m->count, 0, sizeof m->count);
    m->have_blank_line = false;
    m->n_crlf = m->n_bare_lf = 0;
    m->first_bare_lf = 0;
    m->cls_start = m->cls_hdrs = 0;
    call_once(&name_slot_once, build_name_slots);

    skip_lead(m);
    uint32_t pos = m->lead_len, eol, next;
    if (pos >= len) {
        m->hdr_end = m->body_off = len;
        m->body_len = 0;
        return;
    }
    next = next_line(m, pos, &eol);
    m->cls_start = sip400_byte_classes(m->p, pos, eol - pos);
    parse_start_line(m, pos, eol);
    pos = next;

    /* Each iteration consumes at least one byte: bounded by len. */
    while (pos < len) {
        next = next_line(m, pos, &eol);
        if (eol == pos) {
            m->have_blank_line = next != eol; /* an empty line, not just the end */
            pos = next;
            break;
        }
        if (is_wsp(m->p[pos]) && m->nhdr_total > 0)
            continue_header(m, eol);
        else
            add_header(m, pos, eol);
        pos = next;
    }
    m->hdr_end = pos;
    if (m->have_blank_line) {
        m->body_off = pos;
        m->body_len = len - pos;
    } else {
        m->body_off = len;
        m->body_len = 0;
    }
}

/* Parse a decimal Content-Length value; false when not all digits or too big. */
static bool parse_cl(const uint8_t *p, uint32_t n, uint32_t *out)
{
    uint64_t v = 0;
    uint32_t i = 0;
    while (i < n && is_wsp(p[i]))
        i++;
    uint32_t d0 = i;
    while (i < n && p[i] >= '0' && p[i] <= '9') {
        v = v * 10 + (uint32_t)(p[i] - '0');
        if (v > 0x7fffffffu)
            return false;
        i++;
    }
    if (i == d0)
        return false;
    while (i < n && (is_wsp(p[i]) || p[i] == '\r'))
        i++;
    if (i != n)
        return false;
    *out = (uint32_t)v;
    return true;
}

uint32_t sip400_stream_frame_len(const uint8_t *data, uint32_t len)
{
    uint32_t pos = 0;
    while (pos < len && (data[pos] == '\r' || data[pos] == '\n'))
        pos++;
    bool have_cl = false;
    uint32_t cl = 0;
    bool first = true;
    while (pos < len) {
        const uint8_t *lf = memchr(data + pos, '\n', len - pos);
        if (!lf)
            return len; /* headers do not end here */
        uint32_t at = (uint32_t)(lf - data);
        uint32_t eol = (at > pos && data[at - 1] == '\r') ? at - 1 : at;
        if (eol == pos) {
            uint32_t hdr_end = at + 1;
            if (!have_cl)
                return len;
            return (uint64_t)hdr_end + cl < len ? hdr_end + cl : len;
        }
        if (!first && !have_cl) {
            const uint8_t *colon = memchr(data + pos, ':', eol - pos);
            if (colon) {
                uint32_t ne = (uint32_t)(colon - data);
                while (ne > pos && is_wsp(data[ne - 1]))
                    ne--;
                uint32_t nl = ne - pos;
                if ((nl == 1 && lower(data[pos]) == 'l') ||
                    (nl == 14 && ieq_n(data + pos, "Content-Length", 14))) {
                    uint32_t v = (uint32_t)(colon - data) + 1;
                    have_cl = parse_cl(data + v, eol - v, &cl);
                }
            }
        }
        first = false;
        pos = at + 1;
    }
    return len;
}

bool sip400_looks_like_sip(const uint8_t *data, uint32_t len)
{
    uint32_t pos = 0;
    while (pos < len && (data[pos] == '\r' || data[pos] == '\n'))
        pos++;
    uint32_t n = len - pos < 512 ? len - pos : 512;
    const uint8_t *line = data + pos;
    const uint8_t *lf = memchr(line, '\n', n);
    uint32_t ll = lf ? (uint32_t)(lf - line) : n;
    for (uint32_t i = 0; i + 4 <= ll; i++) {
        if (ieq_n(line + i, "SIP/", 4) && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t'))
            return true;
    }
    for (size_t k = 0; k < sizeof known_methods / sizeof known_methods[0]; k++) {
        size_t mn = strlen(known_methods[k]);
        if (ll > mn && ieq_n(line, known_methods[k], (uint32_t)mn) && (line[mn] == ' ' || line[mn] == '\t'))
            return true;
    }
    return false;
}
