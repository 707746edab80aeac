/* SPDX-License-Identifier: GPL-2.0-or-later
 * Groups B (mandatory headers) and C (header syntax). */
#include "rules_util.h"
#include "hdrparse.h"

#include <string.h>

/* A header line that looks like an SDP line ("v=0", "o=..."): a body that
 * started without the empty line; reported by the body rules instead. */
bool sip400_line_looks_like_sdp(const sip400_msg *m, const sip400_hdr *h)
{
    return h->line_len >= 2 && m->p[h->line_off] >= 'a' && m->p[h->line_off] <= 'z' &&
           m->p[h->line_off + 1] == '=';
}

/* Header lines the scanner could not name although parsers that unfold first
 * accept them: "Name CRLF SP : value" (the colon on a continuation line, legal
 * after unfolding, RFC 3261 7.3.1) and a first header line with leading
 * whitespace (sofia accepts it).  Returns the name (a token) or len 0. */
static sip400_span salvage_name_other(const sip400_msg *m, const sip400_hdr *h)
{
    sip400_span s = { h->line_off, 0 };
    const uint8_t *p = m->p;
    uint32_t i = h->line_off, end = h->line_off + h->line_len;
    if (h->flags & SIP400_HF_NO_COLON) {
        if (!(h->flags & SIP400_HF_FOLDED))
            return s;
    } else if (p[i] != ' ' && p[i] != '\t') {
        return s;
    }
    while (i < end && (p[i] == ' ' || p[i] == '\t'))
        i++;
    uint32_t te = sip400_hp_token_end(p, i, end);
    uint32_t k = sip400_hp_skip_lws(p, te, end);
    if (te == i || k >= end || p[k] != ':')
        return s;
    s.off = i;
    s.len = te - i;
    return s;
}

/* inline: called for every header line, and most have a known name */
static inline sip400_span salvage_name(const sip400_msg *m, const sip400_hdr *h)
{
    if (h->id != SIP400_H_OTHER || h->line_len == 0)
        return (sip400_span){ h->line_off, 0 };
    return salvage_name_other(m, h);
}

static const char compact_letters[SIP400_H_COUNT] = {
    0,
#define SIP400_H_COMPACT_LETTER(sym, name, compact) compact,
    SIP400_HEADERS(SIP400_H_COMPACT_LETTER)
#undef SIP400_H_COMPACT_LETTER
};

/* lengths of the long names, known at compile time */
static const uint8_t name_lens[SIP400_H_COUNT] = {
    0,
#define SIP400_H_NAME_LEN(sym, name, compact) (uint8_t)(sizeof name - 1),
    SIP400_HEADERS(SIP400_H_NAME_LEN)
#undef SIP400_H_NAME_LEN
};

static sip400_hid lookup_name(const sip400_msg *m, sip400_span n)
{
    for (int k = 1; k < SIP400_H_COUNT; k++) {
        if ((n.len == name_lens[k] && sip400_mem_ieq(m->p + n.off, sip400_header_name((sip400_hid)k), n.len)) ||
            (n.len == 1 && compact_letters[k] && (m->p[n.off] | 0x20) == compact_letters[k]))
            return (sip400_hid)k;
    }
    return SIP400_H_OTHER;
}

/* the lines salvage_name names id (only lines with an unknown name) */
static uint32_t hcount_salvaged(const sip400_msg *m, sip400_hid id)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < m->nhdr; i++) {
        sip400_span s = salvage_name(m, &m->hdr[i]);
        if (s.len && lookup_name(m, s) == id)
            n++;
    }
    return n;
}

/* m->count[id] plus the salvaged lines with that name (inline: called for
 * every mandatory header, and the count is almost always known) */
static inline uint32_t hcount(const sip400_msg *m, sip400_hid id)
{
    uint32_t n = m->count[id];
    if (n || m->nhdr_other == 0)
        return n;
    return hcount_salvaged(m, id);
}

/* ---- B. mandatory headers ---- */

static void missing(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, sip400_cause cause,
                    sip400_hid id, const char *why)
{
    char q[48];
    sip400_finding *f = sip400_add(r, ctx, cause, m->line.off, m->line.len, sip400_header_name(id));
    if (m->kind == SIP400_START_REQUEST)
        sip400_explain(f, "%s request has no %s header%s", SIP400_Q(q, m, m->method.off, m->method.len),
                       sip400_header_name(id), why);
    else
        sip400_explain(f, "message has no %s header%s", sip400_header_name(id), why);
}

/* A method name with its length known at compile time. */
typedef struct {
    const char *s;
    uint32_t n;
} mname;
#define MNAME(lit) { lit, (uint32_t)(sizeof lit - 1) }

static bool method_in(const sip400_msg *m, const mname *list, size_t n)
{
    if (m->kind != SIP400_START_REQUEST)
        return false;
    for (size_t k = 0; k < n; k++) {
        if (m->method.len == list[k].n && memcmp(m->p + m->method.off, list[k].s, list[k].n) == 0)
            return true;
    }
    return false;
}

static void check_mandatory(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    if (m->kind == SIP400_START_INVALID)
        return;
    if (!hcount(m, SIP400_H_VIA))
        missing(m, ctx, r, SIP400_HDR_MISSING_VIA, SIP400_H_VIA, " (no server can route a reply)");
    if (!hcount(m, SIP400_H_FROM))
        missing(m, ctx, r, SIP400_HDR_MISSING_FROM, SIP400_H_FROM, "");
    if (!hcount(m, SIP400_H_TO))
        missing(m, ctx, r, SIP400_HDR_MISSING_TO, SIP400_H_TO, "");
    const sip400_hdr *cid = sip400_msg_first(m, SIP400_H_CALL_ID);
    if (!cid) {
        if (!hcount(m, SIP400_H_CALL_ID))
            missing(m, ctx, r, SIP400_HDR_MISSING_CALL_ID, SIP400_H_CALL_ID, "");
    } else if (cid->value_len == 0) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_HDR_MISSING_CALL_ID, cid->line_off, cid->line_len, "Call-ID");
        sip400_explain(f, "Call-ID header is empty (counts as missing)");
    }
    if (!hcount(m, SIP400_H_CSEQ))
        missing(m, ctx, r, SIP400_HDR_MISSING_CSEQ, SIP400_H_CSEQ, "");
    if (!hcount(m, SIP400_H_CONTENT_LENGTH) && sip400_transport_is_stream(ctx ? ctx->transport : SIP400_TRANSPORT_UNKNOWN)) {
        char t[16];
        snprintf(t, sizeof t, "%s", sip400_transport_name(ctx->transport));
        sip400_finding *f = sip400_add(r, ctx, SIP400_HDR_MISSING_CONTENT_LENGTH, m->line.off, m->line.len, "Content-Length");
        sip400_explain(f, "no Content-Length on %s: the receiver cannot tell where this message ends", t);
    }
    if (m->kind != SIP400_START_REQUEST)
        return;
    static const mname contact_methods[] = { MNAME("INVITE"), MNAME("SUBSCRIBE"), MNAME("NOTIFY"), MNAME("REFER"),
                                             MNAME("UPDATE") };
    static const mname event_methods[] = { MNAME("SUBSCRIBE"), MNAME("PUBLISH"), MNAME("NOTIFY") };
    /* the method first where the header is usually absent: hcount() walks
     * all lines when the count is 0 */
    if (!hcount(m, SIP400_H_MAX_FORWARDS))
        missing(m, ctx, r, SIP400_HDR_MISSING_MAX_FORWARDS, SIP400_H_MAX_FORWARDS, " (strict stacks such as JAIN-SIP and OpenSIPS reject it)");
    if (!hcount(m, SIP400_H_CONTACT) && method_in(m, contact_methods, sizeof contact_methods / sizeof contact_methods[0]))
        missing(m, ctx, r, SIP400_HDR_MISSING_CONTACT, SIP400_H_CONTACT, " (mandatory for dialog-creating and target-refresh requests)");
    if (method_in(m, event_methods, sizeof event_methods / sizeof event_methods[0]) && !hcount(m, SIP400_H_EVENT))
        missing(m, ctx, r, SIP400_HDR_MISSING_EVENT, SIP400_H_EVENT, "");
    if (sip400_method_is(m, "NOTIFY") && !hcount(m, SIP400_H_SUBSCRIPTION_STATE))
        missing(m, ctx, r, SIP400_HDR_MISSING_SUBSCRIPTION_STATE, SIP400_H_SUBSCRIPTION_STATE, "");
    if (sip400_method_is(m, "REFER") && !hcount(m, SIP400_H_REFER_TO))
        missing(m, ctx, r, SIP400_HDR_MISSING_REFER_TO, SIP400_H_REFER_TO, "");
}

/* ---- C. header syntax ---- */

/* At most this many findings of one cause per message: a message with
 * thousands of bad lines must not crowd out the other groups' findings. */
#define HDR_CAP 3

/* The group C causes, first to last in causes.def: hadd counts only these
 * (a smaller array to clear per message). */
#define HDR_SEEN_FIRST SIP400_HDR_LINE_NO_COLON
#define HDR_SEEN_N ((uint32_t)SIP400_HDR_MAX_FORWARDS_ZERO - (uint32_t)HDR_SEEN_FIRST + 1)

typedef struct {
    const sip400_msg *m;
    const sip400_ctx *ctx;
    sip400_result *r;
    bool capped; /* some cause went over HDR_CAP */
    uint16_t seen[HDR_SEEN_N]; /* by cause - HDR_SEEN_FIRST */
} hctx;

static sip400_finding *hadd(hctx *c, sip400_cause cause, uint32_t off, uint32_t len, const char *header)
{
    uint32_t k = (uint32_t)cause - (uint32_t)HDR_SEEN_FIRST;
    if (k >= HDR_SEEN_N)
        return sip400_add(c->r, c->ctx, cause, off, len, header); /* not a group C cause: not capped */
    if (c->seen[k] < UINT16_MAX)
        c->seen[k]++;
    if (c->seen[k] > HDR_CAP) {
        c->capped = true;
        return NULL;
    }
    return sip400_add(c->r, c->ctx, cause, off, len, header);
}

/* "(and N more)" on the last finding of a capped cause */
static void note_capped(hctx *c)
{
    if (!c->capped)
        return;
    for (uint32_t k = 0; k < HDR_SEEN_N; k++) {
        if (c->seen[k] <= HDR_CAP)
            continue;
        for (uint32_t i = c->r->nfindings; i-- > 0;) {
            sip400_finding *f = &c->r->findings[i];
            if (f->cause != (sip400_cause)(k + (uint32_t)HDR_SEEN_FIRST))
                continue;
            char more[40];
            int n = snprintf(more, sizeof more, " (and %u more)", (unsigned)(c->seen[k] - HDR_CAP));
            size_t el = strlen(f->explanation);
            if (n > 0 && (size_t)n < sizeof f->explanation) {
                if (el + (size_t)n >= sizeof f->explanation)
                    el = sizeof f->explanation - 1 - (size_t)n;
                memcpy(f->explanation + el, more, (size_t)n + 1);
            }
            break;
        }
    }
}

/* A small byte buffer to build suggested values from message bytes. */
typedef struct {
    uint8_t b[192];
    uint32_t n;
} bbuf;

static void bb_put(bbuf *b, const uint8_t *p, uint32_t n)
{
    uint32_t room = (uint32_t)sizeof b->b - b->n;
    if (n > room)
        n = room;
    memcpy(b->b + b->n, p, n);
    b->n += n;
}

static void bb_str(bbuf *b, const char *s)
{
    bb_put(b, (const uint8_t *)s, (uint32_t)strlen(s));
}

/* message bytes with every folded line break (CR/LF plus the WSP around it) as one SP */
static void bb_unfold(bbuf *b, const uint8_t *p, uint32_t off, uint32_t end)
{
    for (uint32_t i = off; i < end && b->n < sizeof b->b; i++) {
        if (p[i] == '\r' || p[i] == '\n') {
            while (b->n && (b->b[b->n - 1] == ' ' || b->b[b->n - 1] == '\t'))
                b->n--;
            while (i + 1 < end && sip400_hp_is_lws(p[i + 1]))
                i++;
            b->b[b->n++] = ' ';
            continue;
        }
        b->b[b->n++] = p[i];
    }
}

static const char *bb_quote(const bbuf *b, char *dst, size_t cap)
{
    sip400_quote(dst, cap, b->b, b->n);
    return dst;
}

/* The header's name for a finding: canonical for known headers, else as written. */
static const char *hname(const sip400_msg *m, const sip400_hdr *h, char *buf, size_t cap)
{
    if (h->id != SIP400_H_OTHER)
        return sip400_header_name((sip400_hid)h->id);
    sip400_span sn = salvage_name(m, h);
    if (sn.len && lookup_name(m, sn) != SIP400_H_OTHER)
        return sip400_header_name(lookup_name(m, sn));
    if (sn.len)
        sip400_quote(buf, cap, m->p + sn.off, sn.len);
    else
        sip400_quote(buf, cap, m->p + h->line_off, h->name_len);
    return buf;
}

static bool name_ieq(const sip400_msg *m, const sip400_hdr *h, const char *lit)
{
    sip400_span s = { h->line_off, h->name_len };
    return sip400_span_ieq(m, s, lit);
}

static bool is_request_method(const sip400_msg *m, const char *const *list)
{
    for (; *list; list++) {
        if (sip400_method_is(m, *list))
            return true;
    }
    return false;
}

/* ---- line endings, folding, names, characters ---- */

static void check_line_endings(hctx *c)
{
    const sip400_msg *m = c->m;
    const uint8_t *p = m->p;
    char q[64];
    if (m->n_bare_lf) {
        uint32_t lf = m->first_bare_lf, ls = lf;
        while (ls > m->lead_len && p[ls - 1] != '\n')
            ls--;
        sip400_finding *f = hadd(c, SIP400_HDR_LINE_ENDINGS, ls, lf + 1 - ls, "");
        uint32_t total = m->n_bare_lf + m->n_crlf;
        if (m->n_crlf == 0)
            sip400_explain(f, "all %u line endings of the start line and headers are bare LF without CR: CRLF is "
                              "required, and strict parsers or Content-Length arithmetic break", total);
        else
            sip400_explain(f, "mixed line endings: %u of %u lines end with a bare LF, the first is `%s`",
                           m->n_bare_lf, total, SIP400_Q(q, m, ls, lf - ls));
        sip400_set_fix(f, "end every line of the start line and headers with CRLF (\\r\\n)");
    }
    /* a CR not followed by LF: the scanner keeps it inside the line.  Every
     * line up to hdr_end is the start line or a stored header line (with its
     * continuation lines) unless lines were dropped over SIP400_MAX_HEADERS,
     * and their byte classes are known; an EOL's CR is always followed by LF.
     * So without a CR in those classes there is no bare CR (exact). */
    if (m->nhdr_total == m->nhdr && !((m->cls_start | m->cls_hdrs) & SIP400_BC_CR))
        return;
    uint32_t end = m->hdr_end < m->len ? m->hdr_end : m->len;
    const uint8_t *cr = end > m->lead_len ? memchr(p + m->lead_len, '\r', end - m->lead_len) : NULL;
    while (cr) {
        uint32_t i = (uint32_t)(cr - p);
        if (i + 1 < m->len && p[i + 1] != '\n') {
            uint32_t ls = i;
            while (ls > m->lead_len && p[ls - 1] != '\n')
                ls--;
            sip400_finding *f = hadd(c, SIP400_HDR_LINE_ENDINGS, i, 1, "");
            sip400_explain(f, "bare CR (not followed by LF) inside `%s`: some parsers end the line there, others do not",
                           SIP400_Q(q, m, ls, i - ls));
            sip400_set_fix(f, "end every line with CRLF (\\r\\n) and send no other CR");
            return;
        }
        cr = i + 1 < end ? memchr(p + i + 1, '\r', end - i - 1) : NULL;
    }
}

static void check_folding(hctx *c, const sip400_hdr *h)
{
    const sip400_msg *m = c->m;
    if (!(h->flags & SIP400_HF_FOLDED) || (h->flags & SIP400_HF_NO_COLON))
        return;
    char hb[32], q[128];
    uint32_t lines = 1;
    for (uint32_t i = h->line_off; i < h->line_off + h->line_len; i++)
        lines += m->p[i] == '\n';
    const char *name = hname(m, h, hb, sizeof hb);
    sip400_finding *f = hadd(c, SIP400_HDR_FOLDING, h->line_off, h->line_len, name);
    if (!f)
        return;
    sip400_explain(f, "%s header is folded over %u lines (legal, but weak parsers such as chan_sip outside pedantic "
                      "mode read only the first line)", name, lines);
    bbuf b = { .n = 0 };
    bb_str(&b, name);
    bb_str(&b, ": ");
    bb_unfold(&b, m->p, h->value_off, h->value_off + h->value_len);
    sip400_set_fix(f, "send the header on one line: `%s`", bb_quote(&b, q, sizeof q));
}

static void check_name(hctx *c, const sip400_hdr *h)
{
    const sip400_msg *m = c->m;
    const uint8_t *p = m->p;
    char q[80], q2[80];
    /* The scanner matched a known name exactly (letters, digits and '-'):
     * nothing below can fire. */
    if (h->id != SIP400_H_OTHER)
        return;
    if ((h->flags & SIP400_HF_NO_COLON) || sip400_line_looks_like_sdp(m, h))
        return;
    if (h->name_len == 0) {
        sip400_finding *f = hadd(c, SIP400_HDR_NAME_INVALID, h->line_off, h->line_len, "");
        sip400_explain(f, "header line `%s` has no name before the colon", SIP400_Q(q, m, h->line_off, h->line_len));
        sip400_set_fix(f, "write `Name: value`, or remove the line");
        return;
    }
    uint32_t bad = UINT32_MAX;
    for (uint32_t i = h->line_off; i < h->line_off + h->name_len; i++) {
        uint8_t ch = p[i];
        /* 8-bit and NUL bytes: encoding.non_ascii_in_tokens / encoding.nul_bytes */
        if (ch != 0 && ch < 0x80 && !sip400_is_token_char(ch)) {
            bad = i;
            break;
        }
    }
    sip400_span sn = salvage_name(m, h);
    if (sn.len) {
        /* only the first header line can get here: a later one is a continuation */
        sip400_hid id = lookup_name(m, sn);
        sip400_finding *f = hadd(c, SIP400_HDR_NAME_INVALID, h->line_off, h->name_len,
                                 id != SIP400_H_OTHER ? sip400_header_name(id) : "");
        sip400_explain(f, "first header line `%s` starts with whitespace: strictly it continues the start line, so "
                          "strict parsers see no %s header (sofia accepts it)",
                       SIP400_Q(q, m, h->line_off, h->name_len),
                       id != SIP400_H_OTHER ? sip400_header_name(id) : SIP400_Q(q2, m, sn.off, sn.len));
        sip400_set_fix(f, "start the header line with its name: `%s:`", SIP400_Q(q2, m, sn.off, sn.len));
        return;
    }
    if (bad != UINT32_MAX) {
        sip400_finding *f = hadd(c, SIP400_HDR_NAME_INVALID, h->line_off, h->name_len, "");
        if (!f)
            return;
        char what[16];
        uint8_t ch = p[bad];
        if (ch == ' ' || ch == '\t')
            snprintf(what, sizeof what, "%s", ch == ' ' ? "a space" : "a tab");
        else if (ch < 0x20 || ch == 0x7f)
            snprintf(what, sizeof what, "byte \\x%02x", ch);
        else
            snprintf(what, sizeof what, "`%c`", ch);
        sip400_explain(f, "header name `%s` contains %s: a header name must be a token",
                       SIP400_Q(q, m, h->line_off, h->name_len), what);
        /* suggest the name with '-' for whitespace; a known header when that is one */
        bbuf b = { .n = 0 };
        for (uint32_t i = h->line_off; i < h->line_off + h->name_len; i++) {
            uint8_t x = p[i];
            if (x == ' ' || x == '\t') {
                if (b.n && b.b[b.n - 1] != '-')
                    bb_str(&b, "-");
            } else if (sip400_is_token_char(x)) {
                bb_put(&b, &x, 1);
            }
        }
        const char *known = NULL;
        for (int k = 1; k < SIP400_H_COUNT && b.n; k++) {
            const char *nm = sip400_header_name((sip400_hid)k);
            if (strlen(nm) == b.n) {
                bool same = true;
                for (uint32_t j = 0; j < b.n && same; j++)
                    same = (b.b[j] | 0x20) == ((uint8_t)nm[j] | 0x20);
                if (same)
                    known = nm;
            }
        }
        if (known)
            sip400_set_fix(f, "did you mean `%s:`? send the header as `%s: %s`", known, known,
                           SIP400_Q(q2, m, h->value_off, h->value_len));
        else if (b.n)
            sip400_set_fix(f, "use a token as name, e.g. `%s`", bb_quote(&b, q2, 48));
        return;
    }
    if (h->name_len > 64) {
        sip400_finding *f = hadd(c, SIP400_HDR_NAME_INVALID, h->line_off, h->name_len, "");
        sip400_explain(f, "header name `%s` is %u characters long; pjsip rejects names over 64",
                       SIP400_Q(q, m, h->line_off, h->name_len), h->name_len);
        sip400_set_fix(f, "use a header name of at most 64 characters");
    }
}

static void check_value_chars(hctx *c, const sip400_hdr *h)
{
    const sip400_msg *m = c->m;
    const uint8_t *p = m->p;
    char hb[32], q[80];
    if ((h->flags & SIP400_HF_NO_COLON) || !(h->cls & (SIP400_BC_CTL | SIP400_BC_8BIT)))
        return;
    uint32_t end = h->value_off + h->value_len;
    bool quoted = false;
    for (uint32_t i = h->value_off; i < end; i++) {
        uint8_t ch = p[i];
        if (ch == '"') {
            quoted = !quoted;
            continue;
        }
        if (quoted && ch == '\\' && i + 1 < end && p[i + 1] != '\r' && p[i + 1] != '\n') {
            i++; /* quoted-pair: "\" may escape any byte but CR and LF, CTLs included */
            continue;
        }
        if (ch >= 0x20 && ch != 0x7f)
            continue;
        if (ch == '\t' || ch == '\n' || ch == 0)
            continue; /* HT is fine, LF ends folded lines, NUL is encoding.nul_bytes */
        if (ch == '\r')
            continue; /* CRLF of folding; a bare CR is hdr.line_endings */
        const char *name = hname(m, h, hb, sizeof hb);
        sip400_finding *f = hadd(c, SIP400_HDR_ILLEGAL_CHARS, i, 1, name);
        sip400_explain(f, "%s value contains control character \\x%02x: `%s`", name, ch,
                       SIP400_Q(q, m, h->value_off, h->value_len));
        sip400_set_fix(f, "remove the control character from the %s value (only HT and printable text are allowed)",
                       name);
        return;
    }
    uint32_t blen;
    uint32_t bad = sip400_hp_utf8_invalid(p, h->value_off, end, &blen);
    if (bad != UINT32_MAX) {
        const char *name = hname(m, h, hb, sizeof hb);
        sip400_finding *f = hadd(c, SIP400_HDR_ILLEGAL_CHARS, bad, blen, name);
        sip400_explain(f, "%s value is not valid UTF-8 at byte \\x%02x (Latin-1 or another 8-bit charset?): `%s`",
                       name, p[bad], SIP400_Q(q, m, h->value_off, h->value_len));
        sip400_set_fix(f, "encode the %s value in UTF-8, or use ASCII only", name);
    }
}

static void check_compact(hctx *c, const sip400_hdr *h)
{
    const sip400_msg *m = c->m;
    char q[96];
    if (!(h->flags & SIP400_HF_COMPACT))
        return;
    uint8_t letter = (uint8_t)(m->p[h->line_off] | 0x20);
    if (strchr("imlcfktv", letter))
        return;
    const char *name = sip400_header_name((sip400_hid)h->id);
    sip400_finding *f = hadd(c, SIP400_HDR_COMPACT_FORM_UNSUPPORTED, h->line_off, h->name_len, name);
    sip400_explain(f, "compact form `%c` of %s: pjsip's core parser maps only i m l c f k t v, so a peer may see no "
                      "%s header at all", (char)m->p[h->line_off], name, name);
    sip400_set_fix(f, "send the long name: `%s: %s`", name, SIP400_Q(q, m, h->value_off, h->value_len));
}

/* ---- single-value headers ---- */

static void check_duplicates(hctx *c)
{
    static const sip400_hid single[] = { SIP400_H_FROM, SIP400_H_TO, SIP400_H_CALL_ID, SIP400_H_CSEQ,
                                         SIP400_H_MAX_FORWARDS, SIP400_H_CONTENT_TYPE };
    /* Content-Length: body.content_length.multiple */
    const sip400_msg *m = c->m;
    char q1[56], q2[56];
    /* counts 0 and 1 OR to at most 1 */
    if ((m->count[SIP400_H_FROM] | m->count[SIP400_H_TO] | m->count[SIP400_H_CALL_ID] | m->count[SIP400_H_CSEQ] |
         m->count[SIP400_H_MAX_FORWARDS] | m->count[SIP400_H_CONTENT_TYPE]) < 2)
        return;
    for (size_t k = 0; k < sizeof single / sizeof single[0]; k++) {
        sip400_hid id = single[k];
        if (m->count[id] < 2)
            continue;
        const sip400_hdr *first = sip400_msg_first(m, id), *second = NULL;
        bool compact_mix = false;
        for (uint32_t i = (uint32_t)m->first[id] + 1; i < m->nhdr; i++) {
            if (m->hdr[i].id == id) {
                second = &m->hdr[i];
                break;
            }
        }
        if (!first || !second)
            continue;
        compact_mix = ((first->flags ^ second->flags) & SIP400_HF_COMPACT) != 0;
        const char *name = sip400_header_name(id);
        sip400_finding *f = hadd(c, SIP400_HDR_DUPLICATE_SINGLE_VALUE, second->line_off, second->line_len, name);
        sip400_explain(f, "%s appears %u times%s: `%s` and `%s` (a single-value header)", name, m->count[id],
                       compact_mix ? " (long and compact form)" : "",
                       SIP400_Q(q1, m, first->line_off, first->line_len),
                       SIP400_Q(q2, m, second->line_off, second->line_len));
        sip400_set_fix(f, "send one %s header: keep `%s` and remove the others", name,
                       SIP400_Q(q1, m, first->line_off, first->line_len));
    }
}

/* ---- quoted strings and parameters ---- */

/* Headers whose grammar has quoted strings (display names, parameter values,
 * warn-text).  Free-text headers (Subject, User-Agent comments, Call-ID words)
 * may carry a lone '"'; Authorization is group H. */
static bool has_quoted_grammar(const sip400_msg *m, const sip400_hdr *h)
{
    switch ((sip400_hid)h->id) {
    case SIP400_H_VIA: case SIP400_H_FROM: case SIP400_H_TO: case SIP400_H_CONTACT:
    case SIP400_H_ROUTE: case SIP400_H_RECORD_ROUTE: case SIP400_H_REFER_TO: case SIP400_H_REFERRED_BY:
    case SIP400_H_P_ASSERTED_IDENTITY: case SIP400_H_P_PREFERRED_IDENTITY: case SIP400_H_PATH:
    case SIP400_H_CONTENT_TYPE: case SIP400_H_CONTENT_DISPOSITION: case SIP400_H_ACCEPT: case SIP400_H_EVENT:
    case SIP400_H_SUBSCRIPTION_STATE: case SIP400_H_WARNING: case SIP400_H_REASON: case SIP400_H_ALERT_INFO:
    case SIP400_H_ACCEPT_CONTACT: case SIP400_H_REJECT_CONTACT: case SIP400_H_SESSION_EXPIRES: case SIP400_H_MIN_SE:
        return true;
    case SIP400_H_OTHER: {
        static const char *const names[] = { "Reply-To", "Call-Info", "Error-Info", "Diversion", "Remote-Party-ID",
                                             "History-Info", "P-Called-Party-ID", "Service-Route", NULL };
        for (const char *const *n = names; *n; n++) {
            if (name_ieq(m, h, *n))
                return true;
        }
        return false;
    }
    default:
        return false;
    }
}

/* The first '"' outside < > in [i, end) that opens a quoted string without
 * its closing quote, or UINT32_MAX.  Jumps with memchr from quote to quote
 * (a '<' before the next quote skips to its '>'). */
static uint32_t unterminated_quote(const uint8_t *p, uint32_t i, uint32_t end, uint16_t cls, uint32_t *qend0)
{
    uint32_t start = i;
    while (i < end) {
        const uint8_t *dq = memchr(p + i, '"', end - i);
        if (!dq)
            return UINT32_MAX;
        uint32_t d = (uint32_t)(dq - p);
        const uint8_t *lt = d > i ? memchr(p + i, '<', d - i) : NULL;
        if (lt) {
            uint32_t l = (uint32_t)(lt - p);
            const uint8_t *gt = memchr(lt + 1, '>', end - l - 1);
            if (!gt)
                return UINT32_MAX; /* inside < > up to the end */
            i = (uint32_t)(gt - p) + 1;
            continue;
        }
        bool closed;
        uint32_t qe = sip400_hp_quoted_end_cls(p, d, end, cls, &closed);
        if (!closed)
            return d;
        if (d == start)
            *qend0 = qe;
        i = qe;
    }
    return UINT32_MAX;
}

/* Returns false (and reports) when the value has an unterminated quoted string.
 * *qend0 receives the end of a closed quoted string that opens the value (the
 * first byte at value_off), when the walk met one; it is left alone otherwise. */
static bool check_quotes(hctx *c, const sip400_hdr *h, uint32_t *qend0)
{
    const sip400_msg *m = c->m;
    const uint8_t *p = m->p;
    if ((h->flags & SIP400_HF_NO_COLON) || !(h->cls & SIP400_BC_DQUOTE) || !has_quoted_grammar(m, h))
        return true;
    uint32_t end = h->value_off + h->value_len;
    uint32_t i = unterminated_quote(p, h->value_off, end, h->cls, qend0);
    if (i == UINT32_MAX)
        return true;
    char hb[32], q[72], q2[120];
    const char *name = hname(m, h, hb, sizeof hb);
    sip400_finding *f = hadd(c, SIP400_HDR_UNTERMINATED_QUOTE, i, end - i, name);
    bool escaped_last = false;
    for (uint32_t k = i + 1; k + 1 < end; k++) {
        if (p[k] == '\\') {
            escaped_last = p[k + 1] == '"';
            k++;
        }
    }
    bool c_escaped = i > h->value_off && p[i - 1] == '\\';
    if (c_escaped)
        sip400_explain(f, "%s value writes `\\\"` outside a quoted string (a C/JSON escaping bug): the "
                          "second `\\\"` escapes the closing quote, so the string never ends: `%s`",
                       name, SIP400_Q(q, m, h->value_off, end - h->value_off));
    else
        sip400_explain(f, "%s value opens a quoted string that is never closed%s: `%s`", name,
                       escaped_last ? " (its `\\\"` is an escaped quote, not the end)" : "",
                       SIP400_Q(q, m, i, end - i));
    /* name-addr: close the display name before '<' */
    const uint8_t *lt = memchr(p + i, '<', end - i);
    if (c_escaped) {
        bbuf b = { .n = 0 };
        bb_put(&b, p + h->line_off, h->name_len);
        bb_str(&b, ": ");
        for (uint32_t k = h->value_off; k < end; k++) {
            if (p[k] == '\\' && k + 1 < end && p[k + 1] == '"')
                continue;
            bb_put(&b, p + k, 1);
        }
        sip400_set_fix(f, "send the quotes without backslashes: `%s`", bb_quote(&b, q2, sizeof q2));
    } else if (lt) {
        uint32_t l = (uint32_t)(lt - p);
        bbuf b = { .n = 0 };
        bb_put(&b, p + h->line_off, h->name_len);
        bb_str(&b, ": ");
        uint32_t de = sip400_hp_trim_end(p, i, l);
        bb_put(&b, p + i, de - i);
        bb_str(&b, "\" ");
        bb_put(&b, p + l, end - l);
        sip400_set_fix(f, "close the quoted display name: `%s`", bb_quote(&b, q2, sizeof q2));
    } else {
        sip400_set_fix(f, "close the quoted string with `\"` and escape inner quotes as `\\\"`");
    }
    return false;
}

/* Whether some sep byte in [s, end) is followed, after optional LWS, by another
 * ';' or ',', a '>' or the end.  Inline: the empty-parameter prefilter calls it
 * for most Via, From, To and Contact values. */
static inline bool sep_run_possible(const uint8_t *p, uint32_t s, uint32_t end, uint8_t sep)
{
    const uint8_t *q = memchr(p + s, sep, end - s);
    while (q) {
        uint32_t n = sip400_hp_skip_lws(p, (uint32_t)(q - p) + 1, end);
        if (n >= end || p[n] == ';' || p[n] == ',' || p[n] == '>')
            return true;
        q = memchr(p + n, sep, end - n);
    }
    return false;
}

/* ";;", ",,", ";," or a trailing ';' / ',' (Via, Contact, To, From):
 * the state machine, for values that passed the prefilter below */
static void empty_params_scan(hctx *c, const sip400_hdr *h)
{
    const sip400_msg *m = c->m;
    const uint8_t *p = m->p;
    uint32_t s = h->value_off, end = s + h->value_len;
    bool quoted = false, angle = false, content = false;
    uint32_t run_start = 0, run_end = 0, run_n = 0, user_end = 0;
    bool run_comma = false, at_close = false;
    uint32_t i;
    for (i = s; i < end; i++) {
        uint8_t ch = p[i];
        if (quoted) {
            if (ch == '\\' && i + 1 < end)
                i++;
            else if (ch == '"')
                quoted = false;
            continue;
        }
        if (i < user_end)
            continue; /* the user part of a bracketed URI may contain ';' ',' '?' */
        if (sip400_hp_is_lws(ch))
            continue;
        if (ch == ';' || (ch == ',' && !angle)) {
            if (run_n == 0) {
                run_start = i;
                run_comma = false;
            }
            run_n++;
            run_end = i + 1;
            run_comma = run_comma || ch == ',';
            continue;
        }
        if (run_n >= 2 || (run_n && (!content || ch == '>'))) {
            at_close = ch == '>';
            break;
        }
        run_n = 0;
        content = true;
        if (ch == '"') {
            quoted = true;
        } else if (ch == '<' && !angle) {
            /* once per bracket pair: the ranges scanned below never overlap */
            angle = true;
            const uint8_t *gt = memchr(p + i, '>', end - i);
            uint32_t ge = gt ? (uint32_t)(gt - p) : end;
            for (uint32_t k = ge; k > i + 1; k--) {
                if (p[k - 1] == '@') {
                    user_end = k;
                    break;
                }
            }
        } else if (ch == '>') {
            angle = false;
        }
    }
    bool trailing = i >= end; /* the loop breaks only on a finding */
    if (trailing && run_n == 0)
        return;
    char hb[32], q[64], q2[128];
    const char *name = hname(m, h, hb, sizeof hb);
    sip400_finding *f = hadd(c, SIP400_HDR_EMPTY_PARAMS, run_start, run_end - run_start, name);
    if (!f)
        return;
    const char *what = trailing ? (run_n == 1 ? "a trailing separator" : "empty parameters at the end")
                       : at_close ? "an empty URI parameter before `>`"
                       : !content ? "a leading separator" : "an empty parameter or list element";
    sip400_explain(f, "%s has %s `%s` in `%s`", name, what, SIP400_Q(q, m, run_start, run_end - run_start),
                   SIP400_Q(q2, m, h->value_off, h->value_len));
    bbuf b = { .n = 0 };
    bb_put(&b, p + h->line_off, h->name_len);
    bb_str(&b, ": ");
    bb_unfold(&b, p, s, run_start);
    if (!trailing && !at_close && content)
        bb_str(&b, run_comma ? ", " : ";");
    uint32_t rest = sip400_hp_skip_lws(p, run_end, end);
    bb_unfold(&b, p, rest, end);
    sip400_set_fix(f, "remove the empty parameter: `%s`", bb_quote(&b, q2, sizeof q2));
}

static void check_empty_params(hctx *c, const sip400_hdr *h)
{
    const uint8_t *p = c->m->p;
    uint32_t s = h->value_off, end = s + h->value_len;
    /* Exact prefilter.  The state machine reports a run of separators (';',
     * or ',' outside < >) with only LWS between them (quoted strings and the
     * user part of a bracketed URI start only after content, which ends a
     * run) when the run is first in the value, has two separators, or is
     * followed by '>' or the end.  None of these without such raw bytes. */
    if (!(h->cls & (SIP400_BC_SEMI | SIP400_BC_COMMA)))
        return;
    uint32_t first = sip400_hp_skip_lws(p, s, end);
    if ((first < end && (p[first] == ';' || p[first] == ',')) ||
        ((h->cls & SIP400_BC_SEMI) && sep_run_possible(p, s, end, ';')) ||
        ((h->cls & SIP400_BC_COMMA) && sep_run_possible(p, s, end, ',')))
        empty_params_scan(c, h);
}

static void check_cseq(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    const sip400_hdr *h = sip400_msg_first(m, SIP400_H_CSEQ);
    if (!h)
        return;
    char q[64], q2[32];
    const uint8_t *p = m->p;
    uint32_t v = h->value_off, end = h->value_off + h->value_len;
    uint32_t ds = v;
    uint64_t num = 0;
    while (v < end && p[v] >= '0' && p[v] <= '9') {
        if (num < (1ull << 40))
            num = num * 10 + (uint32_t)(p[v] - '0');
        v++;
    }
    uint32_t de = v;
    bool number_ok = de > ds && num < (1ull << 31) && (v == end || p[v] == ' ' || p[v] == '\t' || p[v] == '\r' || p[v] == '\n');
    if (!number_ok) {
        uint32_t bad_end = de;
        while (bad_end < end && p[bad_end] != ' ' && p[bad_end] != '\t')
            bad_end++;
        sip400_finding *f;
        if (de == ds) {
            f = sip400_add(r, ctx, SIP400_HDR_CSEQ_INVALID_NUMBER, h->value_len ? h->value_off : h->line_off,
                           h->value_len ? h->value_len : h->line_len, "CSeq");
            sip400_explain(f, "CSeq `%s` does not start with a sequence number", SIP400_Q(q, m, h->value_off, h->value_len));
        } else {
            f = sip400_add(r, ctx, SIP400_HDR_CSEQ_INVALID_NUMBER, ds, bad_end - ds, "CSeq");
            if (num >= (1ull << 31) && bad_end == de)
                sip400_explain(f, "CSeq number %s is not below 2^31 (2147483648)", SIP400_Q(q, m, ds, de - ds));
            else
                sip400_explain(f, "CSeq number `%s` is not a decimal number", SIP400_Q(q, m, ds, bad_end - ds));
        }
        if (m->kind == SIP400_START_REQUEST)
            sip400_set_fix(f, "send `CSeq: 1 %s`", SIP400_Q(q2, m, m->method.off, m->method.len));
        return;
    }
    while (v < end && (p[v] == ' ' || p[v] == '\t' || p[v] == '\r' || p[v] == '\n'))
        v++;
    uint32_t ms = v;
    while (v < end && sip400_is_token_char(p[v]))
        v++;
    uint32_t me = v;
    if (me == ms) {
        sip400_finding *f = sip400_add(r, ctx, SIP400_HDR_CSEQ_MISSING_METHOD, h->line_off, h->line_len, "CSeq");
        sip400_explain(f, "CSeq `%s` has a number but no method (Wireshark 4.0 stops dissecting the message here)",
                       SIP400_Q(q, m, h->value_off, h->value_len));
        if (m->kind == SIP400_START_REQUEST)
            sip400_set_fix(f, "send `CSeq: %s %s`", SIP400_Q(q, m, ds, de - ds),
                           SIP400_Q(q2, m, m->method.off, m->method.len));
        return;
    }
    if (m->kind != SIP400_START_REQUEST)
        return;
    sip400_span meth = { ms, me - ms };
    if (meth.len != m->method.len || memcmp(p + ms, p + m->method.off, meth.len) != 0) {
        char q3[32];
        bool case_only = meth.len == m->method.len;
        for (uint32_t i = 0; case_only && i < meth.len; i++)
            case_only = (p[ms + i] | 0x20) == (p[m->method.off + i] | 0x20);
        SIP400_Q(q, m, ms, me - ms);
        SIP400_Q(q2, m, m->method.off, m->method.len);
        SIP400_Q(q3, m, ds, de - ds);
        sip400_finding *f = sip400_add(r, ctx, SIP400_HDR_CSEQ_METHOD_MISMATCH, ms, me - ms, "CSeq");
        sip400_explain(f, "CSeq method %s does not match request method %s%s", q, q2,
                       case_only ? " (the comparison is case-sensitive)" : "");
        sip400_set_fix(f, "send `CSeq: %s %s`", q3, q2);
    }
}


/* ---- address headers: display names, brackets, Route, P-Asserted-Identity ---- */

typedef enum { ADDR_FROMTO, ADDR_CONTACT, ADDR_ROUTE, ADDR_PAI, ADDR_OTHER } addr_kind;

typedef struct {
    uint32_t total;          /* values over all header lines */
    sip400_scheme sch[2];    /* schemes of the first two */
    sip400_span el[3];       /* first three values */
    const char *name;
} pai_state;

static bool span_is(const sip400_msg *m, uint32_t off, uint32_t len, const char *lit)
{
    sip400_span s = { off, len };
    return sip400_span_ieq(m, s, lit);
}

/* URI parameters that, after an unbracketed URI, silently become header parameters */
static bool is_uri_param(const sip400_msg *m, sip400_span n)
{
    static const char *const names[] = { "transport", "user", "method", "ttl", "maddr", "lr",
                                         "comp", "sigcomp-id", "gr", "ob", NULL };
    for (const char *const *k = names; *k; k++) {
        if (sip400_span_ieq(m, n, *k))
            return true;
    }
    return false;
}

static void check_display(hctx *c, const sip400_hdr *h, const sip400_hp_addr *a, const char *name)
{
    const sip400_msg *m = c->m;
    const uint8_t *p = m->p;
    if (!a->display.len)
        return;
    uint32_t ds = a->display.off, de = ds + a->display.len;
    uint32_t bad = UINT32_MAX;
    if (a->display_one_quoted)
        return; /* sip400_hp_quoted_end would end at de: nothing follows the string */
    if (a->display_quoted) {
        bool closed;
        uint32_t qe = sip400_hp_quoted_end(p, ds, de, &closed);
        if (!closed || qe == de)
            return; /* unterminated: hdr.unterminated_quote */
        bad = sip400_hp_skip_lws(p, qe, de);
    } else {
        for (uint32_t i = ds; i < de; i++) {
            uint8_t ch = p[i];
            /* 8-bit (UTF-8 names) and NUL belong to group J */
            if (ch >= 0x80 || ch == 0 || sip400_hp_is_lws(ch) || sip400_is_token_char(ch))
                continue;
            bad = i;
            break;
        }
        if (bad == UINT32_MAX)
            return;
    }
    char q[64], q2[128];
    sip400_finding *f = hadd(c, SIP400_HDR_DISPLAY_NAME_UNQUOTED_SPECIALS, ds, de - ds, name);
    if (!f)
        return;
    if (a->display_quoted) {
        sip400_explain(f, "%s display name `%s` mixes a quoted string and unquoted text", name,
                       SIP400_Q(q, m, ds, de - ds));
    } else {
        char qc[8];
        sip400_explain(f, "%s display name `%s` contains `%s` and is not quoted: only token characters and spaces "
                          "may stay unquoted (RFC 4475 3.1.2.15)", name, SIP400_Q(q, m, ds, de - ds),
                       SIP400_Q(qc, m, bad, 1));
    }
    bbuf b = { .n = 0 };
    bb_put(&b, p + h->line_off, h->name_len);
    bb_str(&b, ": \"");
    for (uint32_t i = ds; i < de; i++) {
        if (p[i] == '"')
            continue;
        if (p[i] == '\\')
            bb_str(&b, "\\");
        bb_put(&b, p + i, 1);
    }
    bb_str(&b, "\" ");
    uint32_t ae = a->all.off + a->all.len;
    uint32_t from = a->bracketed ? a->angle.off : de;
    bb_unfold(&b, p, from, ae);
    sip400_set_fix(f, "quote the display name: `%s`", bb_quote(&b, q2, sizeof q2));
}

static void check_spaces(hctx *c, const sip400_hp_addr *a, const char *name)
{
    const sip400_msg *m = c->m;
    const uint8_t *p = m->p;
    if (!a->bracketed || a->uri.len == 0)
        return;
    if (!sip400_hp_is_lws(p[a->uri.off]) && !sip400_hp_is_lws(p[a->uri.off + a->uri.len - 1]))
        return;
    uint32_t us = sip400_hp_skip_lws(p, a->uri.off, a->uri.off + a->uri.len);
    uint32_t ue = sip400_hp_trim_end(p, us, a->uri.off + a->uri.len);
    char q[80], q2[80];
    sip400_finding *f = hadd(c, SIP400_HDR_SPACES_IN_ADDR_SPEC, a->angle.off, a->angle.len, name);
    sip400_explain(f, "%s has whitespace inside the angle brackets: `%s` (RFC 4475 3.1.2.14)", name,
                   SIP400_Q(q, m, a->angle.off, a->angle.len));
    sip400_set_fix(f, "write `<%s>` without spaces inside < >", SIP400_Q(q2, m, us, ue - us));
}

/* From/To/Contact in addr-spec form with '?' or URI parameters */
static void check_addr_spec(hctx *c, const sip400_hdr *h, const sip400_hp_addr *a, const char *name)
{
    const sip400_msg *m = c->m;
    const uint8_t *p = m->p;
    char q[80], q2[128];
    if (a->bracketed || a->unterminated_angle || a->uri.len == 0)
        return;
    const uint8_t *qm = memchr(p + a->uri.off, '?', a->uri.len);
    if (!qm && a->params.len) {
        /* a '?' in an unquoted parameter value also ends the URI for strict parsers */
        for (uint32_t i = a->params.off; i < a->params.off + a->params.len; i++) {
            if (p[i] == '"')
                break;
            if (p[i] == '?') {
                qm = p + i;
                break;
            }
        }
    }
    if (qm) {
        sip400_finding *f = hadd(c, SIP400_HDR_ADDR_SPEC_NEEDS_BRACKETS, a->all.off, a->all.len, name);
        sip400_explain(f, "%s URI `%s` has `?headers` but is not in < >: the header part cannot be parsed "
                          "(RFC 4475 3.1.2.13)", name, SIP400_Q(q, m, a->all.off, a->all.len));
        bbuf b = { .n = 0 };
        bb_put(&b, p + h->line_off, h->name_len);
        bb_str(&b, ": <");
        bb_unfold(&b, p, a->uri.off, a->params.len ? a->params.off + a->params.len : a->uri.off + a->uri.len);
        bb_str(&b, ">");
        sip400_set_fix(f, "wrap the URI in angle brackets: `%s`", bb_quote(&b, q2, sizeof q2));
        return;
    }
    if (!a->params.len)
        return;
    /* ;transport=, ;user=, ;lr... after an unbracketed URI are header parameters */
    uint32_t pos = a->params.off, pe = a->params.off + a->params.len;
    sip400_hp_param prm;
    sip400_hp_err e;
    uint32_t first = UINT32_MAX, last = 0;
    bbuf inner = { .n = 0 }, outer = { .n = 0 };
    while (sip400_hp_param_next(p, &pos, pe, false, &prm, &e)) {
        uint32_t pend = prm.has_value ? prm.value.off + prm.value.len : prm.name.off + prm.name.len;
        bbuf *dst = &outer;
        if (is_uri_param(m, prm.name)) {
            if (first == UINT32_MAX)
                first = prm.off;
            last = pend;
            dst = &inner;
        }
        bb_str(dst, ";");
        bb_unfold(dst, p, prm.name.off, pend);
    }
    if (first == UINT32_MAX)
        return;
    sip400_finding *f = hadd(c, SIP400_HDR_ADDR_SPEC_NEEDS_BRACKETS, first, last - first, name);
    if (!f)
        return;
    f->level = SIP400_LEVEL_P; /* legal, but the parameter changes meaning */
    sip400_explain(f, "`%s` follows a URI without < >, so it is a %s header parameter, not a URI parameter: `%s`",
                   SIP400_Q(q, m, first, last - first), name, SIP400_Q(q2, m, a->all.off, a->all.len));
    bbuf b = { .n = 0 };
    bb_put(&b, p + h->line_off, h->name_len);
    bb_str(&b, ": <");
    bb_put(&b, p + a->uri.off, a->uri.len);
    bb_put(&b, inner.b, inner.n);
    bb_str(&b, ">");
    bb_put(&b, outer.b, outer.n);
    sip400_set_fix(f, "put URI parameters inside angle brackets: `%s`", bb_quote(&b, q2, sizeof q2));
}

static bool expires_strict(const sip400_msg *m)
{
    static const char *const strict[] = { "REGISTER", "SUBSCRIBE", "PUBLISH", NULL };
    return is_request_method(m, strict);
}

/* delta-seconds of Expires or of a Contact ;expires parameter */
static void check_expires_value(hctx *c, uint32_t off, uint32_t len, uint32_t hl_off, uint32_t hl_len,
                                bool param)
{
    const sip400_msg *m = c->m;
    const uint8_t *p = m->p;
    uint64_t v;
    sip400_hv_status st = sip400_hp_delta_seconds(p, off, off + len, &v);
    if (st == SIP400_HV_OK)
        return;
    const char *what = param ? "Contact expires parameter" : "Expires";
    char q[64];
    sip400_finding *f = hadd(c, SIP400_HDR_EXPIRES_INVALID, len ? off : hl_off, len ? len : hl_len,
                             param ? "Contact" : "Expires");
    if (!f)
        return;
    /* an RFC 2543 date: sofia still accepts it, Kamailio does not */
    bool date = len > 12 && memchr(p + off, ',', len) && memchr(p + off, ':', len);
    if (!expires_strict(m) || date)
        f->level = SIP400_LEVEL_L; /* registrars and presence servers parse it; others often ignore it */
    if (st == SIP400_HV_EMPTY)
        sip400_explain(f, "%s is empty", what);
    else if (date)
        sip400_explain(f, "%s `%s` is a date (RFC 2543): RFC 3261 allows only delta-seconds; Kamailio answers 400 "
                          "Bad Expires Header, sofia accepts it",
                       what, SIP400_Q(q, m, off, len));
    else if (st == SIP400_HV_TOO_BIG)
        sip400_explain(f, "%s %s is above 4294967295 (2^32-1)", what, SIP400_Q(q, m, off, len));
    else
        sip400_explain(f, "%s `%s` is not a number of seconds (Kamailio: 400 Bad Expires Header)", what,
                       SIP400_Q(q, m, off, len));
    sip400_set_fix(f, "%s", param ? "send `;expires=3600` (seconds, 0..4294967295)"
                                  : "send `Expires: 3600` (seconds, 0..4294967295)");
}

static void check_route_elem(hctx *c, const sip400_hp_addr *a, const char *name)
{
    const sip400_msg *m = c->m;
    const uint8_t *p = m->p;
    char q[80], q2[128];
    sip400_finding *f;
    if (a->unterminated_angle) {
        f = hadd(c, SIP400_HDR_ROUTE_MALFORMED, a->all.off, a->all.len, name);
        sip400_explain(f, "%s value `%s` opens `<` without a closing `>`", name, SIP400_Q(q, m, a->all.off, a->all.len));
        sip400_set_fix(f, "send `%s: <sip:proxy.example.com;lr>`", name);
        return;
    }
    if (!a->bracketed) {
        f = hadd(c, SIP400_HDR_ROUTE_MALFORMED, a->all.off, a->all.len, name);
        sip400_explain(f, "%s value `%s` is not a name-addr: a route URI must be in < > (repro: Garbage Route Header)",
                       name, SIP400_Q(q, m, a->all.off, a->all.len));
        bbuf b = { .n = 0 };
        bb_str(&b, name);
        bb_str(&b, ": <");
        bb_unfold(&b, p, a->all.off, a->all.off + a->all.len);
        if (!sip400_hp_params_find(p, a->params.off, a->params.off + a->params.len, "lr", &(sip400_hp_param){ 0 }))
            bb_str(&b, ";lr");
        bb_str(&b, ">");
        sip400_set_fix(f, "send `%s`", bb_quote(&b, q2, sizeof q2));
        return;
    }
    uint32_t us = sip400_hp_skip_lws(p, a->uri.off, a->uri.off + a->uri.len);
    uint32_t ue = sip400_hp_trim_end(p, us, a->uri.off + a->uri.len);
    sip400_span us_span = { us, ue - us };
    sip400_uri u;
    u = *sip400_uri_cached(c->r, m, us_span);
    if (u.scheme != SIP400_SCHEME_SIP && u.scheme != SIP400_SCHEME_SIPS) {
        f = hadd(c, SIP400_HDR_ROUTE_MALFORMED, us, ue - us, name);
        sip400_explain(f, "%s URI `%s` is not a sip: or sips: URI", name, SIP400_Q(q, m, us, ue - us));
        sip400_set_fix(f, "send `%s: <sip:proxy.example.com;lr>`", name);
        return;
    }
    sip400_uri_issues is;
    sip400_uri_validate(m, &u, &is);
    for (uint32_t k = 0; k < is.n; k++) {
        sip400_uri_problem w = is.v[k].what;
        if (w == SIP400_UP_WHITESPACE || w == SIP400_UP_EMPTY_HOST || w == SIP400_UP_INVALID_PORT ||
            w == SIP400_UP_IPV6_UNBRACKETED || w == SIP400_UP_MISSING_USER || w == SIP400_UP_MISSING_AT) {
            f = hadd(c, SIP400_HDR_ROUTE_MALFORMED, us, ue - us, name);
            sip400_explain(f, "%s URI `%s` does not parse: %s", name, SIP400_Q(q, m, us, ue - us),
                           sip400_uri_problem_text(w));
            sip400_set_fix(f, "send `%s: <sip:proxy.example.com;lr>` with a valid host", name);
            return;
        }
    }
    sip400_hp_err e;
    if (a->params.len && !sip400_hp_params_ok(p, a->params.off, a->params.off + a->params.len, false, &e)) {
        f = hadd(c, SIP400_HDR_ROUTE_MALFORMED, e.off, e.len, name);
        sip400_explain(f, "%s parameters after `>` are malformed (%s): `%s`", name, sip400_hv_status_text(e.st),
                       SIP400_Q(q, m, a->all.off, a->all.len));
        sip400_set_fix(f, "send `;name=value` parameters after the `>`, or none");
        return;
    }
    sip400_span v;
    if (sip400_param_find(m, u.params, "lr", &v))
        return;
    sip400_hp_param lr;
    bool outside = sip400_hp_params_find(p, a->params.off, a->params.off + a->params.len, "lr", &lr);
    f = hadd(c, SIP400_HDR_ROUTE_MALFORMED, outside ? lr.off : a->angle.off,
             outside ? lr.name.off + lr.name.len - lr.off : a->angle.len, name);
    if (!f)
        return;
    if (outside)
        sip400_explain(f, "%s `;lr` is outside the < >: it is a header parameter, so the URI `%s` has no lr and "
                          "means strict routing", name, SIP400_Q(q, m, us, ue - us));
    else
        sip400_explain(f, "%s URI `%s` has no `;lr`: strict routing (RFC 2543), which RFC 3261 proxies and repro "
                          "reject or mis-route", name, SIP400_Q(q, m, us, ue - us));
    bbuf b = { .n = 0 };
    bb_str(&b, "<");
    bb_put(&b, p + us, ue - us);
    bb_str(&b, ";lr>");
    sip400_set_fix(f, "put `;lr` inside the brackets: `%s`", bb_quote(&b, q2, sizeof q2));
}

static void check_pai_elem(hctx *c, pai_state *ps, const sip400_hp_addr *a, const char *name)
{
    const sip400_msg *m = c->m;
    const uint8_t *p = m->p;
    char q[80];
    uint32_t n = ps->total++;
    if (n < 3)
        ps->el[n] = a->all;
    sip400_finding *f;
    if (a->unterminated_angle) {
        f = hadd(c, SIP400_HDR_PAI_INVALID, a->all.off, a->all.len, name);
        sip400_explain(f, "%s value `%s` opens `<` without a closing `>`", name, SIP400_Q(q, m, a->all.off, a->all.len));
        sip400_set_fix(f, "send `%s: <sip:+15551234567@example.com;user=phone>`", name);
        return;
    }
    uint32_t us = sip400_hp_skip_lws(p, a->uri.off, a->uri.off + a->uri.len);
    uint32_t ue = sip400_hp_trim_end(p, us, a->uri.off + a->uri.len);
    sip400_span s = { us, ue - us };
    sip400_uri u;
    u = *sip400_uri_cached(c->r, m, s);
    if (n < 2)
        ps->sch[n] = u.scheme;
    if (u.scheme != SIP400_SCHEME_SIP && u.scheme != SIP400_SCHEME_SIPS && u.scheme != SIP400_SCHEME_TEL) {
        f = hadd(c, SIP400_HDR_PAI_INVALID, us, ue - us, name);
        sip400_explain(f, "%s URI `%s` is not a sip:, sips: or tel: URI (RFC 3325)", name, SIP400_Q(q, m, us, ue - us));
        sip400_set_fix(f, "send `%s: <sip:user@example.com>` (and optionally one tel: URI)", name);
        return;
    }
    sip400_uri_issues is;
    sip400_uri_validate(m, &u, &is);
    for (uint32_t k = 0; k < is.n; k++) {
        sip400_uri_problem w = is.v[k].what;
        if (w == SIP400_UP_HEADERS || w == SIP400_UP_PASSWORD || w == SIP400_UP_IPV6_PORT_INSIDE ||
            w == SIP400_UP_NON_ASCII || w == SIP400_UP_UNKNOWN_SCHEME)
            continue;
        f = hadd(c, SIP400_HDR_PAI_INVALID, us, ue - us, name);
        sip400_explain(f, "%s URI `%s` does not parse: %s (OpenSIPS and carriers reject or drop the identity)", name,
                       SIP400_Q(q, m, us, ue - us), sip400_uri_problem_text(w));
        sip400_set_fix(f, "send a valid URI: `%s: <sip:user@example.com>`", name);
        return;
    }
}

static void pai_finish(hctx *c, const pai_state *ps)
{
    const sip400_msg *m = c->m;
    char q[64], q2[64];
    if (ps->total > 2) {
        sip400_finding *f = hadd(c, SIP400_HDR_PAI_INVALID, ps->el[2].off, ps->el[2].len, ps->name);
        sip400_explain(f, "%s carries %u identities; RFC 3325 allows at most two (one sip/sips and one tel)", ps->name,
                       ps->total);
        sip400_set_fix(f, "send one sip: or sips: identity and at most one tel: identity");
        return;
    }
    if (ps->total == 2) {
        bool sip0 = ps->sch[0] == SIP400_SCHEME_SIP || ps->sch[0] == SIP400_SCHEME_SIPS;
        bool sip1 = ps->sch[1] == SIP400_SCHEME_SIP || ps->sch[1] == SIP400_SCHEME_SIPS;
        bool tel0 = ps->sch[0] == SIP400_SCHEME_TEL, tel1 = ps->sch[1] == SIP400_SCHEME_TEL;
        if ((sip0 && tel1) || (tel0 && sip1))
            return;
        if (!(sip0 || tel0) || !(sip1 || tel1))
            return; /* already reported as unparsable */
        sip400_finding *f = hadd(c, SIP400_HDR_PAI_INVALID, ps->el[1].off, ps->el[1].len, ps->name);
        sip400_explain(f, "%s has two %s identities `%s` and `%s`; two values must be one sip/sips and one tel URI",
                       ps->name, sip0 ? "sip/sips" : "tel", SIP400_Q(q, m, ps->el[0].off, ps->el[0].len),
                       SIP400_Q(q2, m, ps->el[1].off, ps->el[1].len));
        sip400_set_fix(f, "keep one %s identity", sip0 ? "sip/sips" : "tel");
    }
}

/* Whether [s, end) (LWS skipped) is one element `"display" <uri>` or
 * `<uri>` with optional header parameters, on which check_display, check_spaces
 * and check_addr_spec report nothing: the display name, if any, is one closed
 * quoted string followed only by LWS, and the URI in < > neither starts nor ends
 * with LWS.  Without a ',' in the line (cls) the value is one element, and
 * sip400_hp_addr_next's params run to the end.  With no_params, also no
 * parameters after the '>'.  The common From, To and Contact shapes. */
static bool plain_name_addr(const uint8_t *p, uint32_t s, uint32_t end, uint16_t cls, bool no_params,
                            uint32_t known_off, uint32_t known_qend)
{
    if (s >= end || (cls & SIP400_BC_COMMA))
        return false;
    uint32_t lt = s;
    if (p[s] == '"') {
        /* the quote walk may have found its end already (known_qend, from known_off) */
        bool closed = true;
        uint32_t qe = known_qend && known_off == s ? known_qend : sip400_hp_quoted_end_cls(p, s, end, cls, &closed);
        if (!closed)
            return false;
        lt = sip400_hp_skip_lws(p, qe, end);
    }
    if (lt >= end || p[lt] != '<')
        return false;
    const uint8_t *gtp = memchr(p + lt + 1, '>', end - lt - 1);
    if (!gtp)
        return false;
    uint32_t gt = (uint32_t)(gtp - p);
    if (gt > lt + 1 && (sip400_hp_is_lws(p[lt + 1]) || sip400_hp_is_lws(p[gt - 1])))
        return false;
    return !no_params || sip400_hp_skip_lws(p, gt + 1, end) >= end;
}

static void check_addresses(hctx *c, const sip400_hdr *h, pai_state *pai)
{
    const sip400_msg *m = c->m;
    const uint8_t *p = m->p;
    addr_kind kind;
    switch ((sip400_hid)h->id) {
    case SIP400_H_FROM: case SIP400_H_TO: kind = ADDR_FROMTO; break;
    case SIP400_H_CONTACT: kind = ADDR_CONTACT; break;
    case SIP400_H_ROUTE: case SIP400_H_RECORD_ROUTE: kind = ADDR_ROUTE; break;
    case SIP400_H_P_ASSERTED_IDENTITY: case SIP400_H_P_PREFERRED_IDENTITY: kind = ADDR_PAI; break;
    default: kind = ADDR_OTHER; break;
    }
    const char *name = sip400_header_name((sip400_hid)h->id);
    uint32_t pos = h->value_off, end = h->value_off + h->value_len;
    char q[64], q2[64];
    if (pos >= end) {
        /* empty From/To/Contact: group D; Route and PAI are ours */
        sip400_cause cause = kind == ADDR_ROUTE ? SIP400_HDR_ROUTE_MALFORMED
                             : kind == ADDR_PAI ? SIP400_HDR_PAI_INVALID : SIP400_CAUSE_COUNT;
        if (cause != SIP400_CAUSE_COUNT) {
            sip400_finding *f = hadd(c, cause, h->line_off, h->line_len, name);
            sip400_explain(f, "%s header is empty", name);
        }
        return;
    }
    /* of the first element, what the second one's checks read */
    struct {
        sip400_span all, uri;
        bool bracketed;
    } first = { { 0, 0 }, { 0, 0 }, false };
    uint32_t idx = 0;
    while (pos < end) {
        sip400_hp_addr a;
        uint32_t next = sip400_hp_addr_next_cls(p, pos, end, kind != ADDR_OTHER, h->cls, &a);
        if (a.all.len == 0) {
            /* ",," in Contact/From/To is hdr.empty_params */
            if (kind == ADDR_ROUTE || kind == ADDR_PAI) {
                uint32_t at = next < end ? next : (pos > h->value_off ? pos - 1 : pos);
                sip400_finding *f = hadd(c, kind == ADDR_ROUTE ? SIP400_HDR_ROUTE_MALFORMED : SIP400_HDR_PAI_INVALID,
                                         at, 1, name);
                sip400_explain(f, "%s has an empty element (`,,` or a leading/trailing comma): `%s`", name,
                               SIP400_Q(q, m, h->value_off, h->value_len));
                sip400_set_fix(f, "remove the extra comma");
            }
        } else if (kind == ADDR_CONTACT && a.all.len == 1 && p[a.all.off] == '*') {
            /* Contact: * (uri.contact_star_misuse judges where it is allowed) */
        } else {
            check_display(c, h, &a, name);
            check_spaces(c, &a, name);
            if (kind == ADDR_FROMTO && idx == 1) {
                bool address = a.bracketed || a.unterminated_angle || memchr(p + a.all.off, ':', a.all.len);
                if (address) {
                    sip400_finding *f = hadd(c, SIP400_HDR_DUPLICATE_SINGLE_VALUE, a.all.off, a.all.len, name);
                    sip400_explain(f, "%s carries two addresses in one value: `%s` and `%s` (a single-value header)",
                                   name, SIP400_Q(q, m, first.all.off, first.all.len),
                                   SIP400_Q(q2, m, a.all.off, a.all.len));
                    sip400_set_fix(f, "send one address: `%s: %s`", name,
                                   SIP400_Q(q, m, first.all.off, first.all.len));
                } else if (!first.bracketed) {
                    uint32_t e2 = a.all.off + a.all.len;
                    sip400_finding *f = hadd(c, SIP400_HDR_ADDR_SPEC_NEEDS_BRACKETS, first.all.off,
                                             e2 - first.all.off, name);
                    sip400_explain(f, "%s URI `%s` contains `,` but is not in < >: parsers split it into two values",
                                   name, SIP400_Q(q, m, first.all.off, e2 - first.all.off));
                    sip400_set_fix(f, "wrap the URI in angle brackets: `<%s>`",
                                   SIP400_Q(q2, m, first.uri.off, e2 - first.uri.off));
                }
            }
            if ((kind == ADDR_FROMTO && idx == 0) || kind == ADDR_CONTACT)
                check_addr_spec(c, h, &a, name);
            if (kind == ADDR_CONTACT) {
                sip400_hp_param prm;
                if (a.params.len &&
                    sip400_hp_params_find(p, a.params.off, a.params.off + a.params.len, "expires", &prm)) {
                    uint32_t vo = prm.has_value ? prm.value.off : prm.name.off + prm.name.len;
                    check_expires_value(c, vo, prm.has_value ? prm.value.len : 0, prm.off,
                                        prm.name.off + prm.name.len - prm.off, true);
                }
            } else if (kind == ADDR_ROUTE) {
                check_route_elem(c, &a, name);
            } else if (kind == ADDR_PAI) {
                check_pai_elem(c, pai, &a, name);
            }
            if (idx == 0) {
                first.all = a.all;
                first.uri = a.uri;
                first.bracketed = a.bracketed;
            }
        }
        idx++;
        if (next >= end)
            break;
        pos = next + 1; /* the comma */
        if (sip400_hp_skip_lws(p, pos, end) >= end && (kind == ADDR_ROUTE || kind == ADDR_PAI)) {
            sip400_finding *f = hadd(c, kind == ADDR_ROUTE ? SIP400_HDR_ROUTE_MALFORMED : SIP400_HDR_PAI_INVALID,
                                     next, 1, name);
            sip400_explain(f, "%s ends with a comma: `%s`", name, SIP400_Q(q, m, h->value_off, h->value_len));
            sip400_set_fix(f, "remove the trailing comma");
        }
    }
}

/* ---- value grammars of single headers ---- */

static void check_session_timer(hctx *c, const sip400_hdr *h)
{
    const sip400_msg *m = c->m;
    const uint8_t *p = m->p;
    const char *name = sip400_header_name((sip400_hid)h->id);
    bool se = h->id == SIP400_H_SESSION_EXPIRES;
    uint32_t vo = h->value_off, end = vo + h->value_len, k = vo;
    char q[72];
    while (k < end && p[k] >= '0' && p[k] <= '9')
        k++;
    uint64_t v;
    sip400_hv_status st = sip400_hp_delta_seconds(p, vo, k, &v);
    sip400_hp_err e = { SIP400_HV_OK, 0, 0 };
    const char *why = NULL;
    if (st == SIP400_HV_EMPTY) {
        e.off = vo;
        e.len = h->value_len;
        why = h->value_len ? "does not start with a number of seconds" : "is empty";
    } else if (st == SIP400_HV_TOO_BIG) {
        e.off = vo;
        e.len = k - vo;
        why = "is above 4294967295 seconds";
    } else {
        sip400_hp_param prm;
        uint32_t pos = k;
        while (sip400_hp_param_next(p, &pos, end, false, &prm, &e)) {
            if (se && sip400_span_ieq(m, prm.name, "refresher") &&
                !(prm.has_value && (sip400_span_ieq(m, prm.value, "uac") || sip400_span_ieq(m, prm.value, "uas")))) {
                e.off = prm.off;
                e.len = (prm.has_value ? prm.value.off + prm.value.len : prm.name.off + prm.name.len) - prm.off;
                why = "has a refresher other than uac or uas";
                break;
            }
        }
        if (!why && e.st != SIP400_HV_OK)
            why = e.off == k && e.st == SIP400_HV_BAD_CHAR ? "has text right after the number"
                                                            : sip400_hv_status_text(e.st);
    }
    if (!why)
        return;
    sip400_finding *f = hadd(c, SIP400_HDR_SESSION_TIMER_INVALID, e.len ? e.off : h->line_off,
                             e.len ? e.len : h->line_len, name);
    sip400_explain(f, "%s `%s` %s (chan_sip: 400 %s Invalid Syntax; sofia: Bad %s Header)", name,
                   SIP400_Q(q, m, h->value_off, h->value_len), why, name, name);
    sip400_set_fix(f, "%s", se ? "send `Session-Expires: 1800;refresher=uac` (seconds; refresher uac or uas)"
                               : "send `Min-SE: 90` (seconds)");
}

/* a suggested list value: the tokens of the value joined with ", " */
static void bb_token_list(bbuf *b, const uint8_t *p, uint32_t off, uint32_t end)
{
    uint32_t i = off;
    while (i < end) {
        while (i < end && !sip400_is_token_char(p[i]))
            i++;
        uint32_t s = i;
        while (i < end && sip400_is_token_char(p[i]))
            i++;
        if (i > s) {
            if (b->n && b->b[b->n - 1] != ' ')
                bb_str(b, ", ");
            bb_put(b, p + s, i - s);
        }
    }
}

static void report_grammar(hctx *c, sip400_cause cause, const sip400_hdr *h, const sip400_hp_err *e,
                           const char *expect, const char *server, const char *why, const char *fix)
{
    const sip400_msg *m = c->m;
    char q[64], q2[64];
    const char *name = sip400_header_name((sip400_hid)h->id);
    bool whole = e->st == SIP400_HV_EMPTY;
    sip400_finding *f = hadd(c, cause, whole ? h->line_off : e->off, whole ? h->line_len : e->len, name);
    if (!f)
        return;
    if (whole)
        sip400_explain(f, "%s is empty; it must be %s%s", name, expect, server);
    else
        sip400_explain(f, "%s value `%s`: %s `%s`; it must be %s%s", name, SIP400_Q(q, m, h->value_off, h->value_len),
                       why ? why : sip400_hv_status_text(e->st), SIP400_Q(q2, m, e->off, e->len), expect, server);
    if (fix)
        sip400_set_fix(f, "%s", fix);
}

static void check_token_list(hctx *c, const sip400_hdr *h, sip400_cause cause, bool allow_empty)
{
    const sip400_msg *m = c->m;
    sip400_hp_err e;
    if (sip400_hp_token_list(m->p, h->value_off, h->value_off + h->value_len, allow_empty, &e))
        return;
    const char *name = sip400_header_name((sip400_hid)h->id);
    char srv[48];
    if (cause == SIP400_HDR_PROXY_REQUIRE_MALFORMED)
        snprintf(srv, sizeof srv, " (Kamailio: 400 Bad Proxy Require Header)");
    else
        snprintf(srv, sizeof srv, " (sofia: 400 Bad %s Header)", name);
    uint32_t before = c->r->nfindings;
    report_grammar(c, cause, h, &e, "a comma-separated list of tokens", srv, NULL, NULL);
    if (c->r->nfindings == before)
        return;
    sip400_finding *f = &c->r->findings[c->r->nfindings - 1];
    bbuf b = { .n = 0 };
    bb_token_list(&b, m->p, h->value_off, h->value_off + h->value_len);
    char q[96];
    if (b.n)
        sip400_set_fix(f, "send `%s: %s`", name, bb_quote(&b, q, sizeof q));
    else
        sip400_set_fix(f, "send a comma-separated list of option tags, or remove the %s header", name);
}

static void check_ua_essential(hctx *c, const sip400_hdr *h)
{
    const sip400_msg *m = c->m;
    const uint8_t *p = m->p;
    const char *name = sip400_header_name((sip400_hid)h->id);
    uint32_t vo = h->value_off, end = vo + h->value_len;
    sip400_hp_err e = { SIP400_HV_OK, 0, 0 };
    sip400_span tok;
    const char *expect = NULL, *why = NULL, *fix = NULL;
    switch ((sip400_hid)h->id) {
    case SIP400_H_SUPPORTED:
        check_token_list(c, h, SIP400_HDR_UA_ESSENTIAL_MALFORMED, true);
        return;
    case SIP400_H_REQUIRE:
    case SIP400_H_CONTENT_ENCODING:
        check_token_list(c, h, SIP400_HDR_UA_ESSENTIAL_MALFORMED, false);
        return;
    case SIP400_H_CONTENT_DISPOSITION:
        expect = "`type *(;param)`, e.g. `session`";
        fix = "send e.g. `Content-Disposition: session;handling=required`";
        sip400_hp_token_params(p, vo, end, &tok, &e);
        break;
    case SIP400_H_EVENT:
        expect = "`package[.template] *(;param)`, e.g. `presence` or `refer;id=3`";
        fix = "send e.g. `Event: presence` or `Event: refer;id=93809824`";
        if (sip400_hp_token_params(p, vo, end, &tok, &e)) {
            /* event-type = token-nodot *("." token-nodot) */
            for (uint32_t i = tok.off; i < tok.off + tok.len; i++) {
                bool edge = i == tok.off || i + 1 == tok.off + tok.len;
                if (p[i] == '.' && (edge || p[i + 1] == '.')) {
                    e.st = SIP400_HV_BAD_CHAR;
                    e.off = tok.off;
                    e.len = tok.len;
                    why = "empty part between dots in the event package";
                    break;
                }
            }
        }
        break;
    case SIP400_H_SUBSCRIPTION_STATE:
        expect = "`active|pending|terminated *(;param)` with numeric expires/retry-after";
        fix = "send e.g. `Subscription-State: active;expires=600` or `terminated;reason=timeout`";
        if (sip400_hp_token_params(p, vo, end, &tok, &e)) {
            sip400_hp_param prm;
            uint32_t pos = tok.off + tok.len;
            while (sip400_hp_param_next(p, &pos, end, false, &prm, &e)) {
                if (!sip400_span_ieq(m, prm.name, "expires") && !sip400_span_ieq(m, prm.name, "retry-after"))
                    continue;
                uint64_t v;
                if (!prm.has_value ||
                    sip400_hp_delta_seconds(p, prm.value.off, prm.value.off + prm.value.len, &v) != SIP400_HV_OK) {
                    e.st = SIP400_HV_BAD_PARAM_VALUE;
                    e.off = prm.off;
                    e.len = (prm.has_value ? prm.value.off + prm.value.len : prm.name.off + prm.name.len) - prm.off;
                    why = "not a number of seconds";
                    break;
                }
            }
        }
        break;
    case SIP400_H_RSEQ: {
        expect = "a number 1..4294967295";
        fix = "send `RSeq: <number>` (e.g. `RSeq: 988789`), one higher in every reliable provisional response";
        uint64_t v;
        sip400_hv_status st = sip400_hp_delta_seconds(p, vo, end, &v);
        if (st != SIP400_HV_OK) {
            e.st = st;
            e.off = vo;
            e.len = h->value_len;
        }
        break;
    }
    case SIP400_H_RACK: {
        /* response-num LWS CSeq-num LWS Method */
        expect = "`<RSeq> <CSeq number> <method>`, e.g. `776656 1 INVITE`";
        why = "not three fields";
        fix = "send `RAck: <RSeq of the provisional response> <its CSeq number> <its CSeq method>`, e.g. "
              "`RAck: 776656 1 INVITE`";
        uint32_t i = vo;
        for (int field = 0; field < 3 && e.st == SIP400_HV_OK; field++) {
            uint32_t s = i;
            if (field < 2) {
                while (i < end && p[i] >= '0' && p[i] <= '9')
                    i++;
            } else {
                i = sip400_hp_token_end(p, i, end);
            }
            uint64_t v = 0;
            bool ok = i > s && (field == 2 || sip400_hp_delta_seconds(p, s, i, &v) == SIP400_HV_OK);
            uint32_t n = sip400_hp_skip_lws(p, i, end);
            if (!ok || (field < 2 && (n == i || n >= end)) || (field == 2 && n < end)) {
                e.st = h->value_len ? SIP400_HV_BAD_CHAR : SIP400_HV_EMPTY;
                e.off = vo;
                e.len = h->value_len;
            }
            i = n;
        }
        break;
    }
    case SIP400_H_SIP_ETAG:
    case SIP400_H_SIP_IF_MATCH:
        expect = "one token";
        fix = "send the entity-tag exactly as received in SIP-ETag (a token, no quotes or spaces)";
        if (h->value_len == 0) {
            e.st = SIP400_HV_EMPTY;
        } else if (sip400_hp_token_end(p, vo, end) != end) {
            e.st = SIP400_HV_BAD_CHAR;
            e.off = vo;
            e.len = h->value_len;
        }
        break;
    default:
        return;
    }
    if (e.st == SIP400_HV_OK)
        return;
    char srv[48];
    snprintf(srv, sizeof srv, " (sofia: 400 Bad %s Header)", name);
    report_grammar(c, SIP400_HDR_UA_ESSENTIAL_MALFORMED, h, &e, expect, srv, why, fix);
}

static void check_content_type(hctx *c, const sip400_hdr *h)
{
    const sip400_msg *m = c->m;
    const uint8_t *p = m->p;
    uint32_t s = h->value_off, end = s + h->value_len;
    char q[72];
    const char *why = NULL;
    uint32_t bo = s, bl = h->value_len;
    /* several types: a comma outside quoted strings */
    for (uint32_t i = s; i < end; i++) {
        if (p[i] == '"') {
            bool closed;
            i = sip400_hp_quoted_end(p, i, end, &closed) - 1;
        } else if (p[i] == ',') {
            why = "lists several media types (Content-Type takes exactly one)";
            break;
        }
    }
    uint32_t te = sip400_hp_token_end(p, s, end);
    uint32_t sl = sip400_hp_skip_lws(p, te, end);
    uint32_t ss = sl < end ? sip400_hp_skip_lws(p, sl + 1, end) : end;
    uint32_t se = sip400_hp_token_end(p, ss, end);
    sip400_hp_err e;
    if (why) {
    } else if (h->value_len == 0) {
        why = "is empty";
        bo = h->line_off;
        bl = h->line_len;
    } else if (te == s) {
        why = "does not start with a media type";
    } else if (sl >= end || p[sl] != '/') {
        why = "has no `/` between type and subtype";
    } else if (se == ss) {
        why = "has no subtype after `/`";
    } else if (memchr(p + s, '*', te - s) || memchr(p + ss, '*', se - ss)) {
        why = "uses a wildcard `*`, which only Accept allows";
    } else if (!sip400_hp_params_ok(p, se, end, true, &e)) {
        why = sip400_hv_status_text(e.st);
        bo = e.off;
        bl = e.len;
    }
    if (!why)
        return;
    sip400_finding *f = hadd(c, SIP400_HDR_CONTENT_TYPE_MALFORMED, bo, bl, "Content-Type");
    if (!f)
        return;
    sip400_explain(f, "Content-Type `%s` %s (sofia: 400 Bad Content-Type Header)", SIP400_Q(q, m, s, h->value_len),
                   why);
    bool sdp = span_is(m, s, h->value_len, "sdp") ||
               (m->body_len >= 3 && m->p[m->body_off] == 'v' && m->p[m->body_off + 1] == '=' &&
                m->p[m->body_off + 2] == '0');
    if (sdp)
        sip400_set_fix(f, "send `Content-Type: application/sdp`");
}

static void check_alert_info(hctx *c, const sip400_hdr *h)
{
    const sip400_msg *m = c->m;
    const uint8_t *p = m->p;
    uint32_t pos = h->value_off, end = pos + h->value_len;
    char q[80];
    const char *why = NULL;
    sip400_span bad = { h->line_off, h->line_len };
    if (pos >= end)
        why = "is empty";
    while (!why && pos < end) {
        sip400_hp_addr a;
        uint32_t next = sip400_hp_addr_next(p, pos, end, true, &a);
        bad = a.all;
        sip400_hp_err e;
        if (a.all.len == 0) {
            why = "has an empty element";
            bad.off = next < end ? next : pos;
            bad.len = 1;
        } else if (!a.bracketed) {
            why = a.unterminated_angle ? "opens `<` without `>`" : "is not a URI in < >";
        } else {
            sip400_span us = { sip400_hp_skip_lws(p, a.uri.off, a.uri.off + a.uri.len), 0 };
            us.len = sip400_hp_trim_end(p, us.off, a.uri.off + a.uri.len) - us.off;
            sip400_uri u;
            u = *sip400_uri_cached(c->r, m, us);
            if (u.scheme == SIP400_SCHEME_NONE)
                why = "has a URI without scheme (an absoluteURI such as `http://...` is required)";
            else if (a.params.len && !sip400_hp_params_ok(p, a.params.off, a.params.off + a.params.len, false, &e))
                why = "has malformed parameters after `>`";
            else if (a.display.len)
                why = "has text before `<`";
        }
        if (next >= end)
            break;
        pos = next + 1;
    }
    if (!why)
        return;
    sip400_finding *f = hadd(c, SIP400_HDR_ALERT_INFO_MALFORMED, bad.off, bad.len, "Alert-Info");
    sip400_explain(f, "Alert-Info `%s` %s; sofia-sip stops parsing the following headers",
                   SIP400_Q(q, m, h->value_off, h->value_len), why);
    if (why && !strncmp(why, "is not a URI", 12) && bad.len && memchr(p + bad.off, '=', bad.len))
        sip400_set_fix(f, "send `Alert-Info: <http://127.0.0.1>;%s` (the parameter after a URI)",
                       SIP400_Q(q, m, bad.off, bad.len));
    else
        sip400_set_fix(f, "send `Alert-Info: <http://example.com/ring.wav>` or `<urn:alert:service:normal>`");
}

static void check_max_forwards(hctx *c)
{
    const sip400_msg *m = c->m;
    const sip400_hdr *h = sip400_msg_first(m, SIP400_H_MAX_FORWARDS);
    if (!h || (h->flags & SIP400_HF_NO_COLON))
        return;
    char q[48];
    uint64_t v;
    sip400_hv_status st = sip400_hp_delta_seconds(m->p, h->value_off, h->value_off + h->value_len, &v);
    if (st != SIP400_HV_OK || v > 255) {
        sip400_finding *f = hadd(c, SIP400_HDR_MAX_FORWARDS_INVALID, h->value_len ? h->value_off : h->line_off,
                                 h->value_len ? h->value_len : h->line_len, "Max-Forwards");
        if (st == SIP400_HV_EMPTY)
            sip400_explain(f, "Max-Forwards is empty");
        else if (st == SIP400_HV_OK || st == SIP400_HV_TOO_BIG)
            sip400_explain(f, "Max-Forwards %s is above 255", SIP400_Q(q, m, h->value_off, h->value_len));
        else
            sip400_explain(f, "Max-Forwards `%s` is not a number", SIP400_Q(q, m, h->value_off, h->value_len));
        return;
    }
    if (v == 0 && m->kind == SIP400_START_REQUEST) {
        sip400_finding *f = hadd(c, SIP400_HDR_MAX_FORWARDS_ZERO, h->value_off, h->value_len, "Max-Forwards");
        sip400_explain(f, "Max-Forwards is 0: a proxy answers 483 Too Many Hops instead of forwarding (a routing "
                          "loop, or the sender started with 0)");
    }
}

static void check_subscribe_expires(hctx *c)
{
    const sip400_msg *m = c->m;
    if (!sip400_method_is(m, "SUBSCRIBE"))
        return;
    const sip400_hdr *ex = sip400_msg_first(m, SIP400_H_EXPIRES), *to = sip400_msg_first(m, SIP400_H_TO);
    if (!ex || !to)
        return;
    uint64_t v;
    if (sip400_hp_delta_seconds(m->p, ex->value_off, ex->value_off + ex->value_len, &v) != SIP400_HV_OK || v != 0)
        return;
    sip400_hp_addr a;
    sip400_hp_param prm;
    sip400_hp_addr_next(m->p, to->value_off, to->value_off + to->value_len, false, &a);
    if (sip400_hp_params_find(m->p, a.params.off, a.params.off + a.params.len, "tag", &prm))
        return;
    sip400_finding *f = hadd(c, SIP400_HDR_EXPIRES_ZERO_INITIAL_SUBSCRIBE, ex->value_off, ex->value_len, "Expires");
    sip400_explain(f, "initial SUBSCRIBE (To has no tag) with Expires: 0: a legal one-time fetch (RFC 6665), but "
                      "Asterisk answers 400");
    sip400_set_fix(f, "subscribe with a positive Expires (e.g. `Expires: 3600`) and unsubscribe later, if the "
                      "server is Asterisk");
}

static void check_path(hctx *c, const sip400_hdr *h)
{
    const sip400_msg *m = c->m;
    char q[32];
    if (m->kind != SIP400_START_REQUEST || sip400_method_is(m, "REGISTER"))
        return;
    sip400_finding *f = hadd(c, SIP400_HDR_PATH_IN_NON_REGISTER, h->line_off, h->line_len, "Path");
    sip400_explain(f, "Path header in %s request: Path (RFC 3327) belongs to REGISTER only (OpenSIPS: PATH header "
                      "supported only for REGISTERs)", SIP400_Q(q, m, m->method.off, m->method.len));
    sip400_set_fix(f, "remove Path from %s; use Route / Record-Route outside REGISTER", q);
}

static void check_lines(hctx *c)
{
    const sip400_msg *m = c->m;
    char q[96];
    if (m->nhdr_no_colon == 0)
        return;
    for (uint32_t i = 0; i < m->nhdr; i++) {
        const sip400_hdr *h = &m->hdr[i];
        if (!(h->flags & SIP400_HF_NO_COLON) || sip400_line_looks_like_sdp(m, h))
            continue;
        sip400_span sn = salvage_name(m, h);
        if (sn.len) {
            /* "Name CRLF SP : value": legal once unfolded, a trap for line-based parsers */
            char hb[32];
            const char *name = lookup_name(m, sn) != SIP400_H_OTHER ? sip400_header_name(lookup_name(m, sn))
                                                                     : SIP400_Q(hb, m, sn.off, sn.len);
            sip400_finding *f = hadd(c, SIP400_HDR_FOLDING, h->line_off, h->line_len, name);
            sip400_explain(f, "header name `%s` and its colon are on different lines (legal once unfolded, but "
                              "line-based parsers see a line without colon)", name);
            bbuf b = { .n = 0 };
            bb_unfold(&b, m->p, h->line_off, h->line_off + h->line_len);
            sip400_set_fix(f, "send the header on one line: `%s`", bb_quote(&b, q, sizeof q));
            continue;
        }
        sip400_finding *f = hadd(c, SIP400_HDR_LINE_NO_COLON, h->line_off, h->line_len, "");
        sip400_explain(f, "header line %u `%s` has no colon (SIP ALG damage, a wrapped line, or a missing empty line before the body)",
                       i + 1, SIP400_Q(q, m, h->line_off, h->line_len));
    }
}

static void check_header_syntax(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    hctx c;
    c.m = m;
    c.ctx = ctx;
    c.r = r;
    c.capped = false;
    memset(c.seen, 0, sizeof c.seen);
    check_lines(&c);
    if (m->kind == SIP400_START_INVALID) {
        note_capped(&c);
        return;
    }
    check_line_endings(&c);
    pai_state pai[2]; /* sch[] and el[] are read only below total */
    pai[0].total = pai[1].total = 0;
    pai[0].name = "P-Asserted-Identity";
    pai[1].name = "P-Preferred-Identity";
    for (uint32_t i = 0; i < m->nhdr; i++) {
        const sip400_hdr *h = &m->hdr[i];
        if (h->flags & SIP400_HF_NO_COLON)
            continue;
        uint32_t qend0 = 0; /* see check_quotes */
        /* Most lines are a known header in long form on one line without
         * control, 8-bit or quote bytes: none of these five checks applies. */
        if (h->id == SIP400_H_OTHER || (h->flags & (SIP400_HF_FOLDED | SIP400_HF_COMPACT)) ||
            (h->cls & (SIP400_BC_CTL | SIP400_BC_8BIT | SIP400_BC_DQUOTE))) {
            check_name(&c, h);
            check_value_chars(&c, h);
            check_folding(&c, h);
            check_compact(&c, h);
            if (!check_quotes(&c, h, &qend0))
                continue;
        }
        switch ((sip400_hid)h->id) {
        case SIP400_H_VIA:
            check_empty_params(&c, h);
            break;
        case SIP400_H_FROM: case SIP400_H_TO: case SIP400_H_CONTACT: {
            check_empty_params(&c, h);
            /* From/To, and Contact without header parameters: nothing to
             * report on the usual shapes (see plain_name_addr) */
            uint32_t ve = h->value_off + h->value_len;
            if (!plain_name_addr(m->p, sip400_hp_skip_lws(m->p, h->value_off, ve), ve, h->cls,
                                 h->id == SIP400_H_CONTACT, h->value_off, qend0))
                check_addresses(&c, h, NULL);
            break;
        }
        case SIP400_H_ROUTE: case SIP400_H_RECORD_ROUTE: case SIP400_H_REFER_TO: case SIP400_H_REFERRED_BY:
            check_addresses(&c, h, NULL);
            break;
        case SIP400_H_P_ASSERTED_IDENTITY:
            check_addresses(&c, h, &pai[0]);
            break;
        case SIP400_H_P_PREFERRED_IDENTITY:
            check_addresses(&c, h, &pai[1]);
            break;
        case SIP400_H_EXPIRES:
            check_expires_value(&c, h->value_off, h->value_len, h->line_off, h->line_len, false);
            break;
        case SIP400_H_SESSION_EXPIRES: case SIP400_H_MIN_SE:
            check_session_timer(&c, h);
            break;
        case SIP400_H_PROXY_REQUIRE:
            check_token_list(&c, h, SIP400_HDR_PROXY_REQUIRE_MALFORMED, false);
            break;
        case SIP400_H_SUPPORTED: case SIP400_H_REQUIRE: case SIP400_H_CONTENT_ENCODING:
        case SIP400_H_CONTENT_DISPOSITION: case SIP400_H_EVENT: case SIP400_H_SUBSCRIPTION_STATE:
        case SIP400_H_RSEQ: case SIP400_H_RACK: case SIP400_H_SIP_ETAG: case SIP400_H_SIP_IF_MATCH:
            check_ua_essential(&c, h);
            break;
        case SIP400_H_CONTENT_TYPE:
            check_content_type(&c, h);
            break;
        case SIP400_H_ALERT_INFO:
            check_alert_info(&c, h);
            break;
        case SIP400_H_PATH:
            check_path(&c, h);
            break;
        case SIP400_H_DATE: {
            sip400_hp_err e;
            const char *why;
            if (!sip400_hp_date(m->p, h->value_off, h->value_off + h->value_len, &e, &why)) {
                char q[64];
                sip400_finding *f = hadd(&c, SIP400_HDR_DATE_INVALID, h->value_len ? e.off : h->line_off,
                                         h->value_len ? e.len : h->line_len, "Date");
                sip400_explain(f, "Date `%s` %s (RFC 4475 3.1.2.12)", SIP400_Q(q, m, h->value_off, h->value_len), why);
                sip400_set_fix(f, "send `Date: Sat, 13 Nov 2010 23:29:00 GMT` (RFC 1123 format, time in GMT)");
            }
            break;
        }
        default:
            break;
        }
    }
    if (pai[0].total >= 2)
        pai_finish(&c, &pai[0]);
    if (pai[1].total >= 2)
        pai_finish(&c, &pai[1]);
    check_duplicates(&c);
    check_max_forwards(&c);
    check_subscribe_expires(&c);
    note_capped(&c);
}

void sip400_rules_headers(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    check_mandatory(m, ctx, r);
    check_header_syntax(m, ctx, r);
    check_cseq(m, ctx, r);
}
