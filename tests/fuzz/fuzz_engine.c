/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * libFuzzer target over the sip400 engine (no libwireshark).
 *
 * Every input is used the way the plugin uses packet bytes:
 *   1. as one UDP datagram: sip400_analyze() on all of it;
 *   2. as a TCP stream: framed with sip400_stream_frame_len() message after
 *      message (as the glue does), each message copied into a buffer of exactly
 *      its size so that ASan sees any read past the framed length;
 *   3. through the helpers the glue and the rules call directly
 *      (sip400_looks_like_sip, URI / name-addr / list / parameter parsers).
 * After each analysis the result's invariants are checked (findings inside the
 * message, capped, strings terminated, catalog ids valid); a violation aborts.
 *
 * Build: see tests/fuzz/CMakeLists.txt (clang -fsanitize=fuzzer,address,undefined).
 * Without libFuzzer, standalone_main.c replays files through the same function.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "uri.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Streams are framed into at most this many messages per input (the glue caps
 * messages per frame the same way). */
#define FUZZ_MAX_STREAM_MSGS 64

static void check_failed(const char *what, uint32_t a, uint32_t b)
{
    fprintf(stderr, "sip400 fuzz invariant violated: %s (%u, %u)\n", what, a, b);
    abort();
}

/* Texts go into FT_STRING tree items: terminated, no control bytes (packet
 * bytes are quoted as \xHH), valid UTF-8 */
static void check_str(const char *s, size_t cap, const char *what)
{
    const char *nul = memchr(s, '\0', cap);
    if (!nul)
        check_failed(what, 0, (uint32_t)cap);
    const uint8_t *p = (const uint8_t *)s, *end = (const uint8_t *)nul;
    while (p < end) {
        uint8_t c = *p;
        if (c < 0x20 || c == 0x7f)
            check_failed("control byte in a text", c, (uint32_t)(p - (const uint8_t *)s));
        uint32_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
        if (n == 0 || (uint32_t)(end - p) < n)
            check_failed("text not valid UTF-8", c, (uint32_t)(p - (const uint8_t *)s));
        for (uint32_t k = 1; k < n; k++) {
            if ((p[k] & 0xc0) != 0x80)
                check_failed("text not valid UTF-8", p[k], (uint32_t)(p - (const uint8_t *)s));
        }
        p += n;
    }
}

static void check_result(const sip400_result *r, uint32_t len)
{
    const sip400_msg *m = &r->msg;
    if (m->len != len)
        check_failed("msg.len", m->len, len);
    if (m->nhdr > SIP400_MAX_HEADERS || m->nhdr > m->nhdr_total)
        check_failed("nhdr", m->nhdr, m->nhdr_total);
    for (uint32_t i = 0; i < m->nhdr; i++) {
        const sip400_hdr *h = &m->hdr[i];
        if (h->line_off > len || h->line_len > len - h->line_off)
            check_failed("header line outside message", h->line_off, h->line_len);
        if (h->value_off > len || h->value_len > len - h->value_off)
            check_failed("header value outside message", h->value_off, h->value_len);
        if (h->id >= SIP400_H_COUNT)
            check_failed("header id", h->id, SIP400_H_COUNT);
    }
    for (int id = 0; id < SIP400_H_COUNT; id++) {
        if (m->first[id] >= 0 && (uint32_t)m->first[id] >= m->nhdr)
            check_failed("first[] index", (uint32_t)m->first[id], m->nhdr);
    }
    if (m->body_off > len || m->body_len > len - m->body_off)
        check_failed("body outside message", m->body_off, m->body_len);
    if (m->line.off > len || m->line.len > len - m->line.off)
        check_failed("start line outside message", m->line.off, m->line.len);
    if (r->nfindings > SIP400_MAX_FINDINGS)
        check_failed("nfindings above cap", r->nfindings, SIP400_MAX_FINDINGS);
    for (uint32_t i = 0; i < r->nfindings; i++) {
        const sip400_finding *f = &r->findings[i];
        if ((unsigned)f->cause >= SIP400_CAUSE_COUNT)
            check_failed("cause id", (uint32_t)f->cause, SIP400_CAUSE_COUNT);
        if ((unsigned)f->level > SIP400_LEVEL_N)
            check_failed("level", (uint32_t)f->level, SIP400_LEVEL_N);
        if (f->offset > len || f->length > len - f->offset)
            check_failed("finding outside message", f->offset, f->length);
        check_str(f->header, sizeof f->header, "header not terminated");
        check_str(f->explanation, sizeof f->explanation, "explanation not terminated");
        check_str(f->fix, sizeof f->fix, "fix not terminated");
        if (!f->explanation[0] || !f->fix[0])
            check_failed("empty explanation or fix", i, (uint32_t)f->cause);
    }
}

static void addr4(sip400_addr *a, uint8_t last)
{
    memset(a, 0, sizeof *a);
    a->family = 4;
    a->addr[0] = 198;
    a->addr[1] = 51;
    a->addr[2] = 100;
    a->addr[3] = last;
}

static void addr6(sip400_addr *a, uint8_t last)
{
    memset(a, 0, sizeof *a);
    a->family = 6;
    a->addr[0] = 0x20;
    a->addr[1] = 0x01;
    a->addr[2] = 0x0d;
    a->addr[3] = 0xb8;
    a->addr[15] = last;
}

/* Exercise the parsers the rules share on the whole input as one span. */
static void fuzz_helpers(const uint8_t *data, uint32_t len, sip400_msg *m)
{
    /* a view over the raw bytes: only p and len are used by these helpers */
    m->p = data;
    m->len = len;
    sip400_span all = { 0, len };

    sip400_uri u;
    sip400_uri_issues is;
    sip400_uri_parse(m, all, &u);
    sip400_uri_validate(m, &u, &is);
    if (is.n > SIP400_URI_MAX_ISSUES)
        check_failed("uri issues", is.n, SIP400_URI_MAX_ISSUES);
    for (uint32_t i = 0; i < is.n; i++) {
        /* a one-byte mark just past an empty part ("sip:bob@" has an empty
         * host at the end) may touch the end: callers clamp through sip400_add */
        if (is.v[i].off > len || is.v[i].len > len - is.v[i].off + 1)
            check_failed("uri issue outside input", is.v[i].off, is.v[i].len);
        (void)sip400_uri_problem_text(is.v[i].what);
    }
    bool valid;
    (void)sip400_host_classify(m, u.host, &valid);

    sip400_span uri, rest, value;
    bool bracketed;
    if (sip400_nameaddr_uri(m, all, &uri, &bracketed, &rest)) {
        if (uri.off > len || uri.len > len - uri.off)
            check_failed("name-addr uri outside input", uri.off, uri.len);
        if (rest.off > len || rest.len > len - rest.off)
            check_failed("name-addr rest outside input", rest.off, rest.len);
        (void)sip400_param_find(m, rest, "tag", &value);
    }
    (void)sip400_param_find(m, all, "branch", &value);

    sip400_span parts[16];
    uint32_t total = 0;
    uint32_t n = sip400_split_list(m, all, parts, 16, &total);
    if (n > 16 || n > total)
        check_failed("split_list count", n, total);
    for (uint32_t i = 0; i < n; i++) {
        if (parts[i].off > len || parts[i].len > len - parts[i].off)
            check_failed("list element outside input", parts[i].off, parts[i].len);
    }

    uint8_t a[16];
    (void)sip400_parse_ipv4(data, len < 64 ? len : 64, a);
    (void)sip400_parse_ipv6(data, len < 64 ? len : 64, a);
    (void)sip400_looks_like_sip(data, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sip400_result *r; /* ~20 KiB: keep it off the stack, reuse it */
    static sip400_prefs prefs[3];
    static int init;
    if (!init) {
        r = malloc(sizeof *r);
        if (!r)
            abort();
        for (int i = 0; i < 3; i++)
            sip400_prefs_default(&prefs[i]);
        prefs[1].number_policy = SIP400_NUMBER_POLICY_NATIONAL;
        strcpy(prefs[1].country_code, "49");
        prefs[2].number_policy = SIP400_NUMBER_POLICY_E164;
        strcpy(prefs[2].country_code, "1");
        strcpy(prefs[2].intl_prefix, "011");
        init = 1;
    }
    /* the glue never passes more than SIP400_MAX_MESSAGE (256 KiB) */
    if (size > 256u * 1024u)
        return 0;
    uint32_t len = (uint32_t)size;

    /* 1. one UDP datagram */
    sip400_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.transport = SIP400_TRANSPORT_UDP;
    addr4(&ctx.src, 1);
    addr4(&ctx.dst, 2);
    ctx.src_port = 5060;
    ctx.dst_port = 5060;
    ctx.frame = 1;
    ctx.ip_fragmented = len > 1400;
    ctx.prefs = &prefs[len % 3];
    sip400_analyze(data, len, &ctx, r);
    check_result(r, len);

    /* 2. a TCP stream, framed message by message; each message in its own
     * exactly-sized buffer */
    ctx.transport = (len & 1) ? SIP400_TRANSPORT_TLS : SIP400_TRANSPORT_TCP;
    addr6(&ctx.src, 1);
    addr6(&ctx.dst, 2);
    ctx.src_port = 40000;
    ctx.dst_port = 5061;
    ctx.ip_fragmented = false;
    ctx.prefs = NULL;
    uint32_t pos = 0;
    for (int k = 0; k < FUZZ_MAX_STREAM_MSGS && pos < len; k++) {
        uint32_t n = sip400_stream_frame_len(data + pos, len - pos);
        if (n == 0 || n > len - pos)
            check_failed("stream_frame_len", n, len - pos);
        uint8_t *copy = malloc(n);
        if (!copy)
            abort();
        memcpy(copy, data + pos, n);
        ctx.frame = (uint32_t)k + 2;
        sip400_analyze(copy, n, &ctx, r);
        check_result(r, n);
        free(copy);
        pos += n;
    }

    /* 3. the shared parsers on the raw input */
    fuzz_helpers(data, len, &r->msg);
    return 0;
}
