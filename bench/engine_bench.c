/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Engine micro-benchmark: sip400_analyze() on one core over a corpus of
 * real-shaped SIP messages of 500-1,000 bytes (INVITE with SDP, 100/180/200
 * responses, ACK, BYE, REGISTER with and without Digest credentials, 401
 * challenges, OPTIONS; about 5% of them with one catalog defect), each message
 * different (users, tags, branches, Call-IDs, media addresses and ports).
 *
 *   engine_bench [SECONDS] [--pcap FILE] [--groups] [--findings] [--dump]
 *
 * --findings prints how many messages of the corpus have each cause (about
 * 5% carry a defect on purpose; anything else is a false positive to look at).
 * --dump prints every finding of every message in full (offset, length,
 * header, explanation, fix) and exits: diff two builds' dumps to check that an
 * optimisation leaves the findings byte-identical.
 * --groups also times the message scan alone and each rule group on its own
 * (scan + that group, minus the scan), to show where the time goes.
 * With --pcap the corpus is the UDP payloads of a classic pcap file (e.g. the
 * benchmark capture, bench/gen_capture.py) instead.  Prints messages/s, MB/s
 * and the mean message size; the last line is machine-readable:
 *   engine: msgs_per_s=... mb_per_s=... mean_bytes=... findings_per_msg=...
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"

#define CORPUS_MAX 4096

typedef struct {
    uint8_t *p;
    uint32_t len;
    uint8_t src[4], dst[4]; /* IPv4 addresses of the packet (rules compare Via with them) */
    uint16_t sport, dport;
    sip400_transport transport;
} msg_t;

static msg_t corpus[CORPUS_MAX];
static sip400_transport cur_transport = SIP400_TRANSPORT_UDP;
static uint32_t ncorpus;

static void add_from(const char *text, size_t n, const uint8_t src[4], uint16_t sport, const uint8_t dst[4],
                     uint16_t dport)
{
    if (ncorpus >= CORPUS_MAX)
        return;
    memcpy(corpus[ncorpus].src, src, 4);
    memcpy(corpus[ncorpus].dst, dst, 4);
    corpus[ncorpus].sport = sport;
    corpus[ncorpus].transport = cur_transport;
    corpus[ncorpus].dport = dport;
    uint8_t *p = malloc(n ? n : 1);
    if (!p)
        exit(2);
    memcpy(p, text, n);
    corpus[ncorpus].p = p;
    corpus[ncorpus].len = (uint32_t)n;
    ncorpus++;
}

/* CPU time of this process: on a busy machine the wall clock would count
 * other processes' time slices too */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- a built-in corpus shaped like bench/gen_capture.py's traffic ---- */

static uint32_t rng = 12345;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

#define UA_HDRS "User-Agent: Acme-Phone/5.2.1 (build 20240611; fw 3.8)\r\n" \
                "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, NOTIFY, REFER, INFO, UPDATE, PRACK, MESSAGE\r\n" \
                "Supported: replaces, timer, 100rel, path, gruu\r\n"

static int sdp(char *b, size_t cap, const char *user, const char *ip, unsigned port, unsigned sess)
{
    return snprintf(b, cap,
                    "v=0\r\no=%s %u %u IN IP4 %s\r\ns=Acme call\r\nc=IN IP4 %s\r\nt=0 0\r\n"
                    "m=audio %u RTP/AVP 0 8 18 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
                    "a=rtpmap:18 G729/8000\r\na=fmtp:18 annexb=no\r\na=rtpmap:101 telephone-event/8000\r\n"
                    "a=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n",
                    user, sess, sess + 1, ip, ip, port);
}

static const uint8_t proxy_ip[4] = { 192, 0, 2, 10 };
static uint8_t ua_ip[4];
static uint16_t ua_port;

/* a request from the user agent to the proxy */
static void add(const char *text, size_t n)
{
    add_from(text, n, ua_ip, ua_port, proxy_ip, 5060);
}

/* a response from the proxy to the user agent */
static void add_resp(const char *text, size_t n)
{
    add_from(text, n, proxy_ip, 5060, ua_ip, ua_port);
}

static void build_corpus(void)
{
    static char m[4096], body[1024], ip[32], user[32], callee[32];
    for (unsigned i = 0; ncorpus + 8 < CORPUS_MAX && i < 480; i++) {
        unsigned n = rnd() % 40000;
        snprintf(user, sizeof user, "+1555%07u", n);
        snprintf(callee, sizeof callee, "+1555%07u", rnd() % 40000);
        snprintf(ip, sizeof ip, "10.%u.%u.%u", (n >> 16) & 255, (n >> 8) & 255, (n & 255) | 1);
        const char *tr = (i % 3) ? "UDP" : "TCP";
        unsigned port = (i % 3) ? 5060 : 30000 + n % 30000;
        ua_ip[0] = 10;
        ua_ip[1] = (uint8_t)((n >> 16) & 255);
        ua_ip[2] = (uint8_t)((n >> 8) & 255);
        ua_ip[3] = (uint8_t)((n & 255) | 1);
        ua_port = (uint16_t)port;
        cur_transport = (i % 3) ? SIP400_TRANSPORT_UDP : SIP400_TRANSPORT_TCP;
        char via[160], from[160], cid[96];
        snprintf(via, sizeof via, "Via: SIP/2.0/%s %s:%u;branch=z9hG4bK%x%08x;rport\r\n", tr, ip, port, i, rnd());
        snprintf(from, sizeof from, "From: \"User %u\" <sip:%s@example.com>;tag=%x\r\n", n, user, rnd());
        snprintf(cid, sizeof cid, "Call-ID: call%x-%u@%s\r\n", rnd(), i, ip);
        int bl = sdp(body, sizeof body, user, ip, 10000 + 2 * (i % 25000), 1000 + i);
        /* a defect in about 5% of the requests */
        const char *mf = (i % 20 == 7) ? "" : "Max-Forwards: 70\r\n";
        const char *cseq_inv = (i % 20 == 13) ? "CSeq: 1 BYE\r\n" : "CSeq: 1 INVITE\r\n";
        int len;
        /* INVITE with SDP */
        len = snprintf(m, sizeof m,
                       "INVITE sip:%s@example.com SIP/2.0\r\n%s%s%sTo: <sip:%s@example.com>\r\n%s%s"
                       "Contact: <sip:%s@%s:%u;transport=%s>\r\n" UA_HDRS
                       "Session-Expires: 1800;refresher=uac\r\nMin-SE: 90\r\n"
                       "Content-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s",
                       callee, via, mf, from, callee, cid, cseq_inv, user, ip, port, (i % 3) ? "udp" : "tcp", bl, body);
        add(m, (size_t)len);
        /* 180 and 200 with SDP */
        len = snprintf(m, sizeof m,
                       "SIP/2.0 180 Ringing\r\n%sRecord-Route: <sip:192.0.2.10;lr;ftag=c%x>\r\n%sTo: <sip:%s@example.com>;tag=c%x\r\n%sCSeq: 1 INVITE\r\n"
                       "Contact: <sip:%s@198.51.100.%u:5060>\r\nServer: Acme-SBC/7.4.2\r\n"
                       "P-Asserted-Identity: <sip:%s@example.com>\r\n" UA_HDRS
                       "Content-Length: 0\r\n\r\n",
                       via, i, from, callee, i, cid, callee, 1 + i % 250, callee);
        add_resp(m, (size_t)len);
        bl = sdp(body, sizeof body, callee, "198.51.100.7", 20000 + 2 * (i % 20000), 5000 + i);
        len = snprintf(m, sizeof m,
                       "SIP/2.0 200 OK\r\n%s%sTo: <sip:%s@example.com>;tag=c%x\r\n%sCSeq: 1 INVITE\r\n"
                       "Contact: <sip:%s@198.51.100.%u:5060>\r\nServer: Acme-SBC/7.4.2\r\n" UA_HDRS
                       "Content-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s",
                       via, from, callee, i, cid, callee, 1 + i % 250, bl, body);
        add_resp(m, (size_t)len);
        /* ACK, BYE */
        len = snprintf(m, sizeof m,
                       "ACK sip:%s@198.51.100.%u:5060 SIP/2.0\r\n%sRoute: <sip:192.0.2.10;lr;ftag=c%x>\r\nMax-Forwards: 70\r\n%sTo: <sip:%s@example.com>;tag=c%x\r\n"
                       "%sCSeq: 1 ACK\r\nContact: <sip:%s@%s:%u>\r\n" UA_HDRS "Content-Length: 0\r\n\r\n",
                       callee, 1 + i % 250, via, i, from, callee, i, cid, user, ip, port);
        add(m, (size_t)len);
        len = snprintf(m, sizeof m,
                       "BYE sip:%s@198.51.100.%u:5060 SIP/2.0\r\n%sMax-Forwards: 70\r\n%sTo: <sip:%s@example.com>;tag=c%x\r\n"
                       "%sCSeq: 2 BYE\r\nContact: <sip:%s@%s:%u>\r\n" UA_HDRS "Content-Length: 0\r\n\r\n",
                       callee, 1 + i % 250, via, from, callee, i, cid, user, ip, port);
        add(m, (size_t)len);
        /* REGISTER with credentials, 401, OPTIONS */
        len = snprintf(m, sizeof m,
                       "REGISTER sip:example.com SIP/2.0\r\n%s%s%sTo: <sip:%s@example.com>\r\n%sCSeq: 2 REGISTER\r\n"
                       "Contact: <sip:%s@%s:%u;transport=%s>\r\n" UA_HDRS "Expires: 3600\r\n"
                       "Authorization: Digest username=\"%s\", realm=\"example.com\", nonce=\"%08x%08x%08x\", "
                       "uri=\"sip:example.com\", response=\"%08x%08x%08x%08x\", algorithm=MD5, cnonce=\"%08x\", "
                       "qop=auth, nc=00000001\r\nContent-Length: 0\r\n\r\n",
                       via, mf, from, user, cid, user, ip, port, (i % 3) ? "udp" : "tcp", user, rnd(), rnd(), rnd(),
                       rnd(), rnd(), rnd(), rnd(), rnd());
        add(m, (size_t)len);
        len = snprintf(m, sizeof m,
                       "SIP/2.0 401 Unauthorized\r\n%s%sTo: <sip:%s@example.com>;tag=r%x\r\n%sCSeq: 1 REGISTER\r\n"
                       "Server: Acme-SBC/7.4.2\r\nWWW-Authenticate: Digest realm=\"example.com\", "
                       "nonce=\"%08x%08x%08x\", opaque=\"%08x%08x\", algorithm=MD5, qop=\"auth\"\r\n"
                       "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER\r\nSupported: path, gruu, outbound\r\n"
                       "Content-Length: 0\r\n\r\n",
                       via, from, user, i, cid, rnd(), rnd(), rnd(), rnd(), rnd());
        add_resp(m, (size_t)len);
        len = snprintf(m, sizeof m,
                       "OPTIONS sip:example.com SIP/2.0\r\n%s%s%sTo: <sip:example.com>\r\n%sCSeq: 1 OPTIONS\r\n"
                       "Contact: <sip:%s@%s:%u>\r\n" UA_HDRS "Accept: application/sdp\r\nContent-Length: 0\r\n\r\n",
                       via, mf, from, cid, user, ip, port);
        add(m, (size_t)len);
    }
}

/* ---- or: the UDP payloads of a classic pcap (Ethernet / IPv4) ---- */

static int load_pcap(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    uint8_t gh[24], rh[16];
    static uint8_t frame[65536];
    if (fread(gh, 1, 24, f) != 24 || gh[0] != 0xd4 || gh[1] != 0xc3) {
        fprintf(stderr, "%s: not a little-endian classic pcap\n", path);
        fclose(f);
        return -1;
    }
    while (ncorpus < CORPUS_MAX && fread(rh, 1, 16, f) == 16) {
        uint32_t incl = (uint32_t)rh[8] | (uint32_t)rh[9] << 8 | (uint32_t)rh[10] << 16 | (uint32_t)rh[11] << 24;
        if (incl > sizeof frame || fread(frame, 1, incl, f) != incl)
            break;
        if (incl < 14 + 20 + 8 || frame[12] != 0x08 || frame[13] != 0x00 || frame[23] != 17)
            continue;
        uint32_t ihl = (uint32_t)(frame[14] & 15) * 4;
        uint32_t off = 14 + ihl + 8;
        if (off < incl)
            add_from((const char *)frame + off, incl - off, frame + 26, (uint16_t)(frame[14 + ihl] << 8 | frame[15 + ihl]),
                     frame + 30, (uint16_t)(frame[16 + ihl] << 8 | frame[17 + ihl]));
    }
    fclose(f);
    return 0;
}

/* Time `fn` over the corpus for about `secs`; returns seconds per message. */
typedef void (*pass_fn)(const msg_t *msg, const sip400_ctx *ctx, sip400_result *r, sip400_rule_fn group);

static void set_ctx(sip400_ctx *ctx, const msg_t *msg)
{
    memcpy(ctx->src.addr, msg->src, 4);
    memcpy(ctx->dst.addr, msg->dst, 4);
    ctx->src_port = msg->sport;
    ctx->dst_port = msg->dport;
    ctx->transport = msg->transport;
}

static void pass_scan(const msg_t *msg, const sip400_ctx *ctx, sip400_result *r, sip400_rule_fn group)
{
    (void)ctx;
    (void)group;
    r->nfindings = r->nfindings_dropped = 0;
    sip400_msg_scan(&r->msg, msg->p, msg->len);
}

static void pass_group(const msg_t *msg, const sip400_ctx *ctx, sip400_result *r, sip400_rule_fn group)
{
    sip400_ctx c = *ctx;
    set_ctx(&c, msg);
    r->nfindings = r->nfindings_dropped = 0;
    sip400_msg_scan(&r->msg, msg->p, msg->len);
    group(&r->msg, &c, r);
}

static double time_pass(pass_fn fn, sip400_rule_fn group, const sip400_ctx *ctx, sip400_result *r, double secs)
{
    uint64_t n = 0;
    double t0 = now(), t1;
    do {
        for (uint32_t i = 0; i < ncorpus; i++)
            fn(&corpus[i], ctx, r, group);
        n += ncorpus;
        t1 = now();
    } while (t1 - t0 < secs);
    return (t1 - t0) / (double)n;
}

static void breakdown(const sip400_ctx *ctx, sip400_result *r, double secs)
{
    static const struct {
        const char *name;
        sip400_rule_fn fn;
    } groups[] = {
        { "start (A)", sip400_rules_start }, { "headers (B, C)", sip400_rules_headers },
        { "uri (D)", sip400_rules_uri }, { "number (E)", sip400_rules_number },
        { "transport (F)", sip400_rules_transport }, { "body (G)", sip400_rules_body },
        { "auth (H)", sip400_rules_auth }, { "dialog (I)", sip400_rules_dialog }, { "size (J)", sip400_rules_size },
    };
    double scan = time_pass(pass_scan, NULL, ctx, r, secs);
    double total = scan;
    printf("breakdown (us per message):\n  %-16s %6.3f\n", "message scan", scan * 1e6);
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        double t = time_pass(pass_group, groups[g].fn, ctx, r, secs) - scan;
        total += t;
        printf("  %-16s %6.3f\n", groups[g].name, t * 1e6);
    }
    printf("  %-16s %6.3f\n", "sum", total * 1e6);
}

int main(int argc, char **argv)
{
    double secs = 3.0;
    const char *pcap = NULL;
    int groups = 0, list_findings = 0, dump = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--pcap") == 0 && i + 1 < argc)
            pcap = argv[++i];
        else if (strcmp(argv[i], "--groups") == 0)
            groups = 1;
        else if (strcmp(argv[i], "--findings") == 0)
            list_findings = 1;
        else if (strcmp(argv[i], "--dump") == 0)
            dump = 1;
        else
            secs = atof(argv[i]);
    }
    if (pcap ? load_pcap(pcap) != 0 : (build_corpus(), 0))
        return 2;
    if (ncorpus == 0) {
        fprintf(stderr, "empty corpus\n");
        return 2;
    }
    uint64_t bytes_per_pass = 0;
    uint32_t minlen = UINT32_MAX, maxlen = 0;
    for (uint32_t i = 0; i < ncorpus; i++) {
        bytes_per_pass += corpus[i].len;
        if (corpus[i].len < minlen)
            minlen = corpus[i].len;
        if (corpus[i].len > maxlen)
            maxlen = corpus[i].len;
    }
    sip400_result *r = malloc(sizeof *r);
    if (!r)
        return 2;
    sip400_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.transport = SIP400_TRANSPORT_UDP;
    ctx.src.family = ctx.dst.family = 4;
    memcpy(ctx.src.addr, "\x0a\x00\x00\x01", 4);
    memcpy(ctx.dst.addr, "\xc0\x00\x02\x0a", 4);
    ctx.src_port = ctx.dst_port = 5060;

    if (dump) {
        for (uint32_t i = 0; i < ncorpus; i++) {
            set_ctx(&ctx, &corpus[i]);
            sip400_analyze(corpus[i].p, corpus[i].len, &ctx, r);
            for (uint32_t k = 0; k < r->nfindings; k++) {
                const sip400_finding *f = &r->findings[k];
                printf("%u\t%s\t%u\t%u\t%s\t%s\t%s\n", i, sip400_causes[f->cause].id, f->offset, f->length,
                       f->header, f->explanation, f->fix);
            }
        }
        return 0;
    }
    if (list_findings) {
        static uint32_t count[SIP400_CAUSE_COUNT];
        for (uint32_t i = 0; i < ncorpus; i++) {
            set_ctx(&ctx, &corpus[i]);
            sip400_analyze(corpus[i].p, corpus[i].len, &ctx, r);
            for (uint32_t k = 0; k < r->nfindings; k++)
                count[r->findings[k].cause]++;
        }
        for (int c = 0; c < SIP400_CAUSE_COUNT; c++) {
            if (count[c])
                printf("  %6u  %s (%s)\n", count[c], sip400_causes[c].id, sip400_level_severity(sip400_causes[c].level));
        }
    }
    /* warm-up pass, then whole passes until the time is up */
    uint64_t findings = 0, nmsgs = 0, bytes = 0;
    for (uint32_t i = 0; i < ncorpus; i++) {
        set_ctx(&ctx, &corpus[i]);
        sip400_analyze(corpus[i].p, corpus[i].len, &ctx, r);
    }
    double t0 = now(), t1;
    do {
        for (uint32_t i = 0; i < ncorpus; i++) {
            ctx.frame = (uint32_t)nmsgs + i;
            set_ctx(&ctx, &corpus[i]);
            sip400_analyze(corpus[i].p, corpus[i].len, &ctx, r);
            findings += r->nfindings;
        }
        nmsgs += ncorpus;
        bytes += bytes_per_pass;
        t1 = now();
    } while (t1 - t0 < secs);
    double dt = t1 - t0;
    printf("corpus: %u messages (%s), %u-%u bytes, mean %.0f\n", ncorpus, pcap ? pcap : "built-in", minlen, maxlen,
           (double)bytes_per_pass / ncorpus);
    printf("%llu analyses in %.2f s of CPU on one core: %.0f messages/s, %.1f MB/s, %.2f us/message, %.2f findings/message\n",
           (unsigned long long)nmsgs, dt, nmsgs / dt, bytes / dt / 1e6, dt * 1e6 / nmsgs, (double)findings / nmsgs);
    printf("engine: msgs_per_s=%.0f mb_per_s=%.1f mean_bytes=%.0f findings_per_msg=%.3f\n", nmsgs / dt,
           bytes / dt / 1e6, (double)bytes_per_pass / ncorpus, (double)findings / nmsgs);
    if (groups)
        breakdown(&ctx, r, secs / 4 > 0.2 ? secs / 4 : 0.2);
    free(r);
    for (uint32_t i = 0; i < ncorpus; i++)
        free(corpus[i].p);
    return 0;
}
