/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Hostile messages through the engine (robust.adversarial):
 *   - a 64 KiB message with 10,000 headers (unknown, Via, Contact, no colon,
 *     folded), a line of 1 MiB of ';' in each place a parser loops over
 *     parameters, deep nested quotes and angle brackets, NULs everywhere,
 *     absurd Content-Length values;
 * and for every one of them:
 *   - the result respects its caps (SIP400_MAX_FINDINGS findings, the rest
 *     counted in nfindings_dropped, SIP400_MAX_HEADERS stored headers), every
 *     finding lies inside the message, every text is terminated and printable
 *     (packet bytes escaped);
 *   - work is linear: the same shape at 4x the size takes less than 10x the
 *     time (quadratic would be 16x), and one analysis stays under a second.
 * Then a million transactions that never get a response go through the
 * transaction table and the per-capture request history: each holds at most
 * its cap, evicts the oldest, and the process does not grow beyond the table
 * allocated up front.
 * Each input sits in a buffer of exactly its size, so an ASan build (or
 * valgrind) sees any read past the message.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "history.h"
#include "txn.h"

static int failures, checks;
static sip400_result *res;

#define KIB 1024u
#define MIB (1024u * 1024u)

/* ---- a growable byte buffer ---- */
typedef struct {
    uint8_t *p;
    uint32_t len, cap;
} buf;

static void b_reserve(buf *b, uint32_t extra)
{
    if (b->len + extra <= b->cap)
        return;
    uint32_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra)
        cap *= 2;
    uint8_t *np = realloc(b->p, cap);
    if (!np) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    b->p = np;
    b->cap = cap;
}

static void b_add(buf *b, const void *p, uint32_t n)
{
    b_reserve(b, n);
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void b_str(buf *b, const char *s)
{
    b_add(b, s, (uint32_t)strlen(s));
}

static void b_rep(buf *b, const char *s, uint32_t times)
{
    uint32_t n = (uint32_t)strlen(s);
    b_reserve(b, n * times);
    for (uint32_t i = 0; i < times; i++) {
        memcpy(b->p + b->len, s, n);
        b->len += n;
    }
}

static void b_fill(buf *b, uint8_t c, uint32_t n)
{
    b_reserve(b, n);
    memset(b->p + b->len, c, n);
    b->len += n;
}

static void b_free(buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* ---- checks ---- */

static void fail(const char *name, const char *what, unsigned long a, unsigned long b)
{
    failures++;
    fprintf(stderr, "FAIL %s: %s (%lu, %lu)\n", name, what, a, b);
}

static void check_text(const char *name, const char *s, size_t cap, const char *what)
{
    const char *nul = memchr(s, '\0', cap);
    if (!nul) {
        fail(name, what, 0, cap);
        return;
    }
    const unsigned char *c = (const unsigned char *)s, *end = (const unsigned char *)nul;
    while (c < end) {
        unsigned char u = *c;
        if (u < 0x20 || u == 0x7f) {
            fail(name, "control byte in a text (not escaped)", u, (unsigned long)(c - (const unsigned char *)s));
            return;
        }
        /* tree items need valid UTF-8 */
        size_t n = u < 0x80 ? 1 : (u & 0xe0) == 0xc0 ? 2 : (u & 0xf0) == 0xe0 ? 3 : (u & 0xf8) == 0xf0 ? 4 : 0;
        bool ok = n != 0 && (size_t)(end - c) >= n;
        for (size_t k = 1; ok && k < n; k++)
            ok = (c[k] & 0xc0) == 0x80;
        if (!ok) {
            fail(name, "text not valid UTF-8", u, (unsigned long)(c - (const unsigned char *)s));
            return;
        }
        c += n;
    }
}

static void check_result(const char *name, const sip400_result *r, uint32_t len)
{
    checks++;
    const sip400_msg *m = &r->msg;
    if (m->len != len)
        fail(name, "msg.len", m->len, len);
    if (m->nhdr > SIP400_MAX_HEADERS || m->nhdr > m->nhdr_total)
        fail(name, "stored headers above cap", m->nhdr, m->nhdr_total);
    for (uint32_t i = 0; i < m->nhdr; i++) {
        const sip400_hdr *h = &m->hdr[i];
        if (h->line_off > len || h->line_len > len - h->line_off ||
            h->value_off > len || h->value_len > len - h->value_off) {
            fail(name, "header outside message", h->line_off, h->line_len);
            break;
        }
    }
    if (m->body_off > len || m->body_len > len - m->body_off)
        fail(name, "body outside message", m->body_off, m->body_len);
    if (r->nfindings > SIP400_MAX_FINDINGS)
        fail(name, "findings above cap", r->nfindings, SIP400_MAX_FINDINGS);
    if (r->nfindings_dropped && r->nfindings != SIP400_MAX_FINDINGS)
        fail(name, "findings dropped below the cap", r->nfindings, r->nfindings_dropped);
    for (uint32_t i = 0; i < r->nfindings && i < SIP400_MAX_FINDINGS; i++) {
        const sip400_finding *f = &r->findings[i];
        if ((unsigned)f->cause >= SIP400_CAUSE_COUNT)
            fail(name, "cause id", (unsigned long)f->cause, SIP400_CAUSE_COUNT);
        if (f->offset > len || f->length > len - f->offset)
            fail(name, "finding outside message", f->offset, f->length);
        check_text(name, f->header, sizeof f->header, "header not terminated");
        check_text(name, f->explanation, sizeof f->explanation, "explanation not terminated");
        check_text(name, f->fix, sizeof f->fix, "fix not terminated");
    }
}

/* CPU time of this process: on a loaded machine (parallel ctest) wall time
 * would count other processes' time slices and make the linearity check flaky */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void ctx_for(sip400_ctx *ctx, sip400_transport t)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->transport = t;
    ctx->src.family = ctx->dst.family = 4;
    memcpy(ctx->src.addr, "\xc6\x33\x64\x01", 4);
    memcpy(ctx->dst.addr, "\xc6\x33\x64\x02", 4);
    ctx->src_port = ctx->dst_port = 5060;
    ctx->frame = 1;
}

/* Analyze len bytes from an exactly-sized copy, as UDP and as a TCP stream
 * (framed the way the glue frames it); returns the best time of one UDP
 * analysis over `reps` runs. */
static double run(const char *name, const uint8_t *data, uint32_t len, int reps)
{
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    memcpy(copy, data, len);
    sip400_ctx ctx;
    ctx_for(&ctx, SIP400_TRANSPORT_UDP);
    double best = 1e9;
    for (int i = 0; i < reps; i++) {
        double t0 = now();
        sip400_analyze(copy, len, &ctx, res);
        double dt = now() - t0;
        if (dt < best)
            best = dt;
    }
    check_result(name, res, len);
    if (best > 1.0)
        fail(name, "one analysis took more than a second (ms, bytes)", (unsigned long)(best * 1000), len);

    ctx_for(&ctx, SIP400_TRANSPORT_TCP);
    uint32_t pos = 0;
    for (int k = 0; k < 64 && pos < len; k++) {
        uint32_t n = sip400_stream_frame_len(copy + pos, len - pos);
        if (n == 0 || n > len - pos) {
            fail(name, "stream_frame_len out of range", n, len - pos);
            break;
        }
        sip400_analyze(copy + pos, n, &ctx, res);
        check_result(name, res, n);
        pos += n;
    }
    (void)sip400_looks_like_sip(copy, len);
    free(copy);
    return best;
}

static void report(const char *name, uint32_t len, double secs)
{
    printf("  %-46s %8u B %9.3f ms %8.1f MB/s  findings %2u (+%u more)  headers %u/%u\n", name, len, secs * 1e3,
           secs > 0 ? len / secs / 1e6 : 0.0, res->nfindings, res->nfindings_dropped, res->msg.nhdr,
           res->msg.nhdr_total);
}

/* ---- message shapes: build(b, n) makes a message whose size grows with n ---- */

typedef void (*shape_fn)(buf *b, uint32_t n);

#define RL_INVITE "INVITE sip:bob@example.com SIP/2.0\r\n"
#define BASE "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK776asdhds\r\n" \
             "Max-Forwards: 70\r\nFrom: Alice <sip:alice@example.com>;tag=1928301774\r\n" \
             "To: Bob <sip:bob@example.com>\r\nCall-ID: a84b4c76e66710@pc33.example.com\r\n" \
             "CSeq: 314159 INVITE\r\nContact: <sip:alice@198.51.100.1:5060>\r\n"

static void msg_begin(buf *b)
{
    b_str(b, RL_INVITE BASE);
}

static void msg_end(buf *b)
{
    b_str(b, "Content-Length: 0\r\n\r\n");
}

static void many_unknown(buf *b, uint32_t n)
{
    msg_begin(b);
    b_rep(b, "a:1\r\n", n);
    msg_end(b);
}

static void many_via(buf *b, uint32_t n)
{
    msg_begin(b);
    b_rep(b, "v:SIP/2.0/UDP h;branch=z9hG4bK1;rport\r\n", n);
    msg_end(b);
}

static void many_contact(buf *b, uint32_t n)
{
    msg_begin(b);
    b_rep(b, "m:<sip:a@b>;q=1,\"x\"<sip:c@d>\r\n", n);
    msg_end(b);
}

static void many_no_colon(buf *b, uint32_t n)
{
    msg_begin(b);
    b_rep(b, "garbage\r\n", n);
    msg_end(b);
}

static void many_folded(buf *b, uint32_t n)
{
    msg_begin(b);
    b_str(b, "Subject: x\r\n");
    b_rep(b, " y\r\n", n);
    msg_end(b);
}

static void many_bare_lf(buf *b, uint32_t n)
{
    b_str(b, "INVITE sip:bob@example.com SIP/2.0\n");
    b_rep(b, "X:1\n", n);
    b_str(b, "\n");
}

static void many_duplicates(buf *b, uint32_t n)
{
    b_str(b, RL_INVITE);
    for (uint32_t i = 0; i < n; i++)
        b_str(b, (i & 1) ? "CSeq: 1 BYE\r\n" : "Content-Length: 5\r\n");
    b_str(b, "\r\n");
}

static void semis_ruri(buf *b, uint32_t n)
{
    b_str(b, "INVITE sip:bob@example.com");
    b_fill(b, ';', n);
    b_str(b, " SIP/2.0\r\n" BASE);
    msg_end(b);
}

static void semis_via(buf *b, uint32_t n)
{
    b_str(b, RL_INVITE "Via: SIP/2.0/UDP 198.51.100.1:5060");
    b_fill(b, ';', n);
    b_str(b, "\r\nMax-Forwards: 70\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:b@c>\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n"
             "Contact: <sip:a@b>\r\n");
    msg_end(b);
}

static void semis_from(buf *b, uint32_t n)
{
    b_str(b, RL_INVITE "From: Alice <sip:alice@example.com>");
    b_fill(b, ';', n);
    b_str(b, "\r\n" BASE);
    msg_end(b);
}

static void semis_contact_uri(buf *b, uint32_t n)
{
    b_str(b, RL_INVITE BASE "Contact: <sip:alice@198.51.100.1");
    b_fill(b, ';', n);
    b_str(b, ">\r\n");
    msg_end(b);
}

static void semis_auth(buf *b, uint32_t n)
{
    b_str(b, RL_INVITE BASE "Authorization: Digest username=\"a\"");
    b_rep(b, ",", n / 2);
    b_fill(b, ';', n / 2);
    b_str(b, "\r\n");
    msg_end(b);
}

static void semis_raw(buf *b, uint32_t n)
{
    b_fill(b, ';', n);
}

static void semis_header_line(buf *b, uint32_t n)
{
    msg_begin(b);
    b_fill(b, ';', n);
    b_str(b, "\r\n");
    msg_end(b);
}

static void semis_sdp(buf *b, uint32_t n)
{
    char cl[64];
    uint32_t body = 3 + 2 + (uint32_t)strlen("a=fmtp:0 ") + n + 2;
    snprintf(cl, sizeof cl, "Content-Type: application/sdp\r\nContent-Length: %u\r\n\r\n", body);
    msg_begin(b);
    b_str(b, cl);
    b_str(b, "v=0\r\na=fmtp:0 ");
    b_fill(b, ';', n);
    b_str(b, "\r\n");
}

static void nested_quotes(buf *b, uint32_t n)
{
    b_str(b, RL_INVITE "From: ");
    b_fill(b, '"', n);
    b_str(b, "<sip:alice@example.com>;tag=1\r\nTo: \"");
    b_rep(b, "\\\"", n / 2);
    b_str(b, "\" <sip:bob@example.com>\r\n" BASE);
    msg_end(b);
}

static void nested_angles(buf *b, uint32_t n)
{
    b_str(b, RL_INVITE BASE "Route: ");
    b_fill(b, '<', n);
    b_str(b, "sip:p@example.com");
    b_fill(b, '>', n);
    b_str(b, "\r\nRecord-Route: ");
    b_rep(b, "<\"", n / 2);
    b_str(b, "\r\n");
    msg_end(b);
}

static void nested_mixed(buf *b, uint32_t n)
{
    b_str(b, RL_INVITE BASE "P-Asserted-Identity: ");
    b_rep(b, "\"<\\\">,", n / 4);
    b_str(b, "\r\nRefer-To: ");
    b_rep(b, "<sip:a@b?Replaces=", n / 16);
    b_str(b, "\r\n");
    msg_end(b);
}

static void unbalanced_quote(buf *b, uint32_t n)
{
    b_str(b, RL_INVITE BASE "Contact: \"");
    b_fill(b, 'a', n);
    b_str(b, "\r\n");
    msg_end(b);
}

static void commas(buf *b, uint32_t n)
{
    b_str(b, RL_INVITE BASE "Supported: ");
    b_fill(b, ',', n / 2);
    b_str(b, "\r\nVia: ");
    b_fill(b, ',', n / 2);
    b_str(b, "\r\n");
    msg_end(b);
}

static void nul_filled(buf *b, uint32_t n)
{
    b_fill(b, 0, n);
}

static void nul_interleaved(buf *b, uint32_t n)
{
    static const char base[] = RL_INVITE BASE "Content-Length: 0\r\n\r\n";
    for (uint32_t i = 0; b->len < n; i++) {
        uint8_t pair[2] = { (uint8_t)base[i % (sizeof base - 1)], 0 };
        b_add(b, pair, 2);
    }
}

static void huge_body(buf *b, uint32_t n)
{
    msg_begin(b);
    b_str(b, "Content-Type: application/sdp\r\nContent-Length: 4294967295\r\n\r\n");
    b_rep(b, "m=audio 1 RTP/AVP 0\r\n", n / 21);
}

static const struct {
    const char *name;
    shape_fn fn;
    uint32_t unit; /* n for the "1x" size; the linearity check uses 4x */
} shapes[] = {
    { "10,000 unknown headers (64 KiB)", many_unknown, 10000 },
    { "10,000 Via headers", many_via, 10000 },
    { "10,000 Contact headers", many_contact, 10000 },
    { "10,000 lines without colon", many_no_colon, 10000 },
    { "10,000 continuation lines", many_folded, 10000 },
    { "10,000 headers with bare LF", many_bare_lf, 10000 },
    { "10,000 duplicate CSeq/Content-Length", many_duplicates, 10000 },
    { "1 MiB of ';' in the Request-URI", semis_ruri, MIB },
    { "1 MiB of ';' in Via", semis_via, MIB },
    { "1 MiB of ';' after From", semis_from, MIB },
    { "1 MiB of ';' in the Contact URI", semis_contact_uri, MIB },
    { "1 MiB of ';' and ',' in Authorization", semis_auth, MIB },
    { "1 MiB of ';' alone", semis_raw, MIB },
    { "1 MiB of ';' as a header line", semis_header_line, MIB },
    { "1 MiB of ';' in an SDP line", semis_sdp, MIB },
    { "256 Ki nested quotes", nested_quotes, 256 * KIB },
    { "256 Ki nested angle brackets", nested_angles, 256 * KIB },
    { "256 Ki mixed quotes/brackets/escapes", nested_mixed, 256 * KIB },
    { "unterminated quote of 1 MiB", unbalanced_quote, MIB },
    { "1 MiB of commas in list headers", commas, MIB },
    { "1 MiB of NULs", nul_filled, MIB },
    { "NUL after every byte (256 KiB)", nul_interleaved, 256 * KIB },
    { "Content-Length: 4294967295, 1 MiB body", huge_body, MIB },
};

static void run_shapes(void)
{
    printf("shapes (1x; the 4x size must take < 10x the time):\n");
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        buf small = { 0 }, big = { 0 };
        shapes[i].fn(&small, shapes[i].unit / 4);
        shapes[i].fn(&big, shapes[i].unit);
        double ts = run(shapes[i].name, small.p, small.len, 5);
        double tb = run(shapes[i].name, big.p, big.len, 5);
        report(shapes[i].name, big.len, tb);
        /* ignore timer noise on tiny durations */
        if (tb > 0.002 && tb > 10 * ts)
            fail(shapes[i].name, "not linear: 4x the size took (us) vs (us)", (unsigned long)(tb * 1e6),
                 (unsigned long)(ts * 1e6));
        b_free(&small);
        b_free(&big);
    }
}

/* ---- NULs everywhere: a valid INVITE with a NUL at each position in turn ---- */

static void run_nul_everywhere(void)
{
    static const char base[] = RL_INVITE BASE "Content-Type: application/sdp\r\nContent-Length: 31\r\n\r\n"
                               "v=0\r\nc=IN IP4 198.51.100.1\r\nm=\r\n";
    uint32_t n = (uint32_t)(sizeof base - 1);
    uint8_t *m = malloc(n);
    if (!m)
        exit(2);
    for (uint32_t i = 0; i < n; i++) {
        memcpy(m, base, n);
        m[i] = 0;
        (void)run("NUL at each position", m, n, 1);
        /* and the message cut right after the NUL */
        (void)run("NUL at each position, truncated", m, i + 1, 1);
    }
    printf("  NUL at each of %u positions of an INVITE, whole and truncated: %d checks\n", n, checks);
    free(m);
}

/* ---- Content-Length values no allocation may trust ---- */

static void run_content_lengths(void)
{
    static const char *const values[] = {
        "4294967295", "4294967296", "18446744073709551615", "99999999999999999999999999", "2147483647",
        "2147483648", "-1", "0x10", "1e9", "", " ", "00000000000000000000000000000000000000000001",
        "5, 5", "5 5",
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        buf b = { 0 };
        b_str(&b, RL_INVITE BASE "Content-Type: application/sdp\r\nContent-Length: ");
        b_str(&b, values[i]);
        b_str(&b, "\r\n\r\nv=0\r\n");
        (void)run("Content-Length", b.p, b.len, 1);
        uint32_t framed = sip400_stream_frame_len(b.p, b.len);
        if (framed > b.len)
            fail("Content-Length", "framed past the buffer", framed, b.len);
        /* compact form, and a second message behind it on the stream */
        b_free(&b);
        b_str(&b, RL_INVITE BASE "l: ");
        b_str(&b, values[i]);
        b_str(&b, "\r\n\r\n" RL_INVITE BASE "Content-Length: 0\r\n\r\n");
        (void)run("Content-Length (compact, stream)", b.p, b.len, 1);
        b_free(&b);
    }
    printf("  %zu hostile Content-Length values, long and compact: framing stays inside the data\n",
           sizeof values / sizeof values[0]);
}

/* ---- tiny inputs: every length 0..64 of a valid message ---- */

static void run_prefixes(void)
{
    static const char base[] = RL_INVITE BASE "Content-Length: 0\r\n\r\n";
    for (uint32_t n = 0; n < sizeof base - 1; n++)
        (void)run("prefix", (const uint8_t *)base, n, 1);
    printf("  every prefix of an INVITE (%zu lengths)\n", sizeof base - 1);
}

/* ---- a million requests without responses through the transaction table ---- */

/* Resident set size now (Linux /proc), else the peak from getrusage. */
static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        long size = 0, resident = 0;
        int ok = fscanf(f, "%ld %ld", &size, &resident) == 2;
        fclose(f);
        if (ok)
            return resident * (sysconf(_SC_PAGESIZE) / 1024);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void run_million_transactions(void)
{
    const uint32_t n = 1000000;
    sip400_txn_table t;
    if (!sip400_txn_table_init(&t, SIP400_TXN_DEFAULT_CAP)) {
        fail("txn", "table init", 0, 0);
        return;
    }
    size_t table_bytes = (size_t)t.cap * sizeof(sip400_txn) + (size_t)t.nbuckets * sizeof(int32_t);
    long rss0 = rss_kib();
    static sip400_msg m; /* ~8 KiB */
    sip400_ctx ctx;
    ctx_for(&ctx, SIP400_TRANSPORT_UDP);
    char msg[512];
    uint32_t requests = 0;
    double t0 = now();
    for (uint32_t i = 0; i < n; i++) {
        /* distinct Call-ID, branch and source port per request; mixed methods */
        static const char *const methods[] = { "INVITE", "REGISTER", "OPTIONS", "MESSAGE" };
        const char *meth = methods[i & 3];
        int len = snprintf(msg, sizeof msg,
                           "%s sip:bob@example.com SIP/2.0\r\n"
                           "Via: SIP/2.0/UDP 198.51.100.1:%u;branch=z9hG4bK%08x\r\n"
                           "From: <sip:alice@example.com>;tag=%x\r\nTo: <sip:bob@example.com>\r\n"
                           "Call-ID: %08x-%u@pc33.example.com\r\nCSeq: %u %s\r\nContent-Length: 0\r\n\r\n",
                           meth, 1024 + (i % 60000), i * 2654435761u, i, i, i, i % 1000 + 1, meth);
        sip400_msg_scan(&m, (const uint8_t *)msg, (uint32_t)len);
        ctx.frame = i + 1;
        ctx.src_port = (uint16_t)(1024 + (i % 60000));
        sip400_txn *x = NULL;
        if (sip400_txn_feed(&t, &m, NULL, &ctx, &x) == SIP400_TXN_REQUEST)
            requests++;
        if (t.live > t.cap) {
            fail("txn", "table above its cap", t.live, t.cap);
            break;
        }
    }
    double dt = now() - t0;
    long grow = rss_kib() - rss0;
    printf("  %u requests without response: %u new transactions, %u live (cap %u), %llu evicted, "
           "%.2f s (%.0f/s); table %zu KiB, RSS grew %ld KiB\n",
           n, requests, t.live, t.cap, (unsigned long long)t.evicted, dt, n / dt, table_bytes / 1024, grow);
    if (requests != n)
        fail("txn", "requests not counted as new transactions", requests, n);
    if (t.evicted != (uint64_t)(n - t.cap))
        fail("txn", "evictions", (unsigned long)t.evicted, n - t.cap);
    /* the table is allocated once; nothing else may grow with the number of requests */
    if ((size_t)grow * 1024 > table_bytes + 4u * MIB)
        fail("txn", "memory grew beyond the table (KiB, table KiB)", (unsigned long)grow, table_bytes / 1024);
    sip400_txn_table_free(&t);
}

static void run_million_history(void)
{
    const uint32_t n = 1000000;
    sip400_history *h = sip400_history_new(0);
    if (!h) {
        fail("history", "allocation", 0, 0);
        return;
    }
    uint32_t cap = sip400_history_capacity(h);
    long rss0 = rss_kib();
    char branch[64];
    double t0 = now();
    for (uint32_t i = 0; i < n; i++) {
        int bl = snprintf(branch, sizeof branch, "z9hG4bK%08x%u", i * 2654435761u, i);
        uint64_t key = sip400_history_key((const uint8_t *)branch, (uint32_t)bl, (const uint8_t *)"INVITE", 6);
        sip400_history_rec rec = { i % 1000 + 1, i + 1, sip400_history_hash32((const uint8_t *)branch, (uint32_t)bl) };
        sip400_history_put(h, key, &rec);
        if (sip400_history_count(h) > cap) {
            fail("history", "above its cap", sip400_history_count(h), cap);
            break;
        }
    }
    double dt = now() - t0;
    long grow = rss_kib() - rss0;
    printf("  %u requests into the history: %u kept (cap %u), %llu evicted, %.2f s; RSS grew %ld KiB\n", n,
           sip400_history_count(h), cap, (unsigned long long)sip400_history_evicted(h), dt, grow);
    if (sip400_history_evicted(h) != (uint64_t)(n - cap))
        fail("history", "evictions", (unsigned long)sip400_history_evicted(h), n - cap);
    /* allocated once by sip400_history_new (about 56 bytes an entry) */
    if ((size_t)grow * 1024 > (size_t)cap * 64u + 4u * MIB)
        fail("history", "memory grew beyond the table (KiB)", (unsigned long)grow, cap);
    sip400_history_free(h);
}

int main(void)
{
    res = malloc(sizeof *res);
    if (!res)
        return 2;
    printf("engine limits: %u findings per message (then a count of the rest), %u stored headers\n",
           (unsigned)SIP400_MAX_FINDINGS, (unsigned)SIP400_MAX_HEADERS);
    run_shapes();
    run_nul_everywhere();
    run_content_lengths();
    run_prefixes();
    run_million_transactions();
    run_million_history();
    free(res);
    printf("%d results checked, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
