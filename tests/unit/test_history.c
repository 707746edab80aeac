/* SPDX-License-Identifier: GPL-2.0-or-later
 * The bounded request history (history.c) and the rule that uses it
 * (via.branch.reused_different_cseq in rules_transport.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "history.h"
#include "check.h"



static uint64_t key_of(uint32_t i)
{
    char b[32];
    int n = snprintf(b, sizeof b, "z9hG4bK%u", i);
    return sip400_history_key((const uint8_t *)b, (uint32_t)n, (const uint8_t *)"INVITE", 6);
}

static void test_table(void)
{
    sip400_history *h = sip400_history_new(4);
    CHECKF(h != NULL, "new");
    if (!h)
        return;
    CHECKF(sip400_history_capacity(h) == 4, "capacity %u", sip400_history_capacity(h));
    sip400_history_rec r = { 0, 0, 0 }, out;
    CHECKF(!sip400_history_get(h, key_of(1), &out), "empty table has no key");
    for (uint32_t i = 1; i <= 4; i++) {
        r.cseq = i;
        r.frame = 10 + i;
        sip400_history_put(h, key_of(i), &r);
    }
    CHECKF(sip400_history_count(h) == 4, "count %u", sip400_history_count(h));
    CHECKF(sip400_history_get(h, key_of(3), &out) && out.cseq == 3 && out.frame == 13, "get 3");
    /* an update keeps the key's place in the eviction order */
    r.cseq = 99;
    sip400_history_put(h, key_of(1), &r);
    CHECKF(sip400_history_count(h) == 4, "update does not grow");
    CHECKF(sip400_history_get(h, key_of(1), &out) && out.cseq == 99, "updated");
    /* the fifth key evicts the oldest (1), the sixth the next (2) */
    r.cseq = 5;
    sip400_history_put(h, key_of(5), &r);
    CHECKF(!sip400_history_get(h, key_of(1), NULL), "oldest evicted");
    CHECKF(sip400_history_get(h, key_of(2), NULL) && sip400_history_get(h, key_of(5), NULL), "others kept");
    r.cseq = 6;
    sip400_history_put(h, key_of(6), &r);
    CHECKF(!sip400_history_get(h, key_of(2), NULL), "second oldest evicted");
    CHECKF(sip400_history_count(h) == 4 && sip400_history_evicted(h) == 2, "count %u evicted %llu",
          sip400_history_count(h), (unsigned long long)sip400_history_evicted(h));
    sip400_history_reset(h);
    CHECKF(sip400_history_count(h) == 0 && !sip400_history_get(h, key_of(6), NULL), "reset");
    sip400_history_free(h);
    sip400_history_free(NULL);

    /* keys differ by method and by the split between method and branch */
    CHECKF(sip400_history_key((const uint8_t *)"z9hG4bKa", 8, (const uint8_t *)"INVITE", 6) !=
              sip400_history_key((const uint8_t *)"z9hG4bKa", 8, (const uint8_t *)"CANCEL", 6),
          "method is part of the key");
    CHECKF(sip400_history_key((const uint8_t *)"b", 1, (const uint8_t *)"A", 1) !=
              sip400_history_key((const uint8_t *)"", 0, (const uint8_t *)"Ab", 2),
          "separator between method and branch");
    sip400_history *d = sip400_history_new(0);
    CHECKF(d && sip400_history_capacity(d) == SIP400_HISTORY_DEFAULT_CAP, "capacity 0 means the default");
    sip400_history_free(d);
}

/* Many more keys than the capacity: exactly the newest `cap` stay, all
 * findable (checks the deletion of linear probing under heavy churn). */
static void test_churn(void)
{
    const uint32_t cap = 257, total = 20000;
    sip400_history *h = sip400_history_new(cap);
    if (!h) {
        CHECKF(0, "new");
        return;
    }
    sip400_history_rec r = { 0, 0, 0 }, out;
    for (uint32_t i = 0; i < total; i++) {
        r.cseq = i;
        sip400_history_put(h, key_of(i), &r);
        if (i % 997 == 0) {
            uint32_t bad = 0;
            uint32_t lo = i + 1 > cap ? i + 1 - cap : 0;
            for (uint32_t k = lo; k <= i; k++)
                bad += !(sip400_history_get(h, key_of(k), &out) && out.cseq == k);
            for (uint32_t k = lo > 300 ? lo - 300 : 0; k < lo; k++)
                bad += sip400_history_get(h, key_of(k), NULL);
            CHECKF(bad == 0, "after %u inserts: %u wrong lookups", i + 1, bad);
        }
    }
    CHECKF(sip400_history_count(h) == cap, "count %u", sip400_history_count(h));
    CHECKF(sip400_history_evicted(h) == total - cap, "evicted %llu", (unsigned long long)sip400_history_evicted(h));
    sip400_history_free(h);
}

/* ---- the rule, through the engine ---- */

#define REQ(method, branch, cseq, cseq_method)                                                   \
    method " sip:bob@example.com SIP/2.0\r\n"                                                    \
    "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=" branch "\r\n"                                   \
    "Max-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=1928301774\r\nTo: <sip:bob@example.com>\r\n" \
    "Call-ID: a84b4c76e66710@pc33.example.com\r\nCSeq: " cseq " " cseq_method "\r\n"              \
    "Contact: <sip:alice@198.51.100.1:5060>\r\nContent-Length: 0\r\n\r\n"

static bool reused(sip400_ctx *ctx, sip400_result *res, uint32_t frame, const char *msg)
{
    ctx->frame = frame;
    sip400_analyze((const uint8_t *)msg, (uint32_t)strlen(msg), ctx, res);
    return sip400_has(res, SIP400_VIA_BRANCH_REUSED_DIFFERENT_CSEQ);
}

static void test_rule(void)
{
    sip400_result *res = malloc(sizeof *res);
    sip400_history *h = sip400_history_new(64);
    if (!res || !h) {
        CHECKF(0, "alloc");
        free(res);
        sip400_history_free(h);
        return;
    }
    sip400_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.transport = SIP400_TRANSPORT_UDP;
    ctx.src.family = ctx.dst.family = 4;
    memcpy(ctx.src.addr, (const uint8_t[]){ 198, 51, 100, 1 }, 4);
    memcpy(ctx.dst.addr, (const uint8_t[]){ 198, 51, 100, 2 }, 4);
    ctx.src_port = ctx.dst_port = 5060;
    ctx.history = h;

    CHECKF(!reused(&ctx, res, 1, REQ("INVITE", "z9hG4bKinv1", "1", "INVITE")), "first INVITE");
    CHECKF(!reused(&ctx, res, 2, REQ("INVITE", "z9hG4bKinv1", "1", "INVITE")), "retransmission");
    CHECKF(!reused(&ctx, res, 3, REQ("CANCEL", "z9hG4bKinv1", "1", "CANCEL")), "CANCEL shares the branch");
    CHECKF(!reused(&ctx, res, 4, REQ("ACK", "z9hG4bKinv1", "1", "ACK")), "ACK for a non-2xx shares the branch");
    CHECKF(reused(&ctx, res, 5, REQ("INVITE", "z9hG4bKinv1", "2", "INVITE")), "INVITE resent with CSeq 2, same branch");
    CHECKF(!reused(&ctx, res, 6, REQ("INVITE", "z9hG4bKinv2", "3", "INVITE")), "new branch");
    /* RFC 2543 branches are not unique by design: not tracked */
    CHECKF(!reused(&ctx, res, 7, REQ("OPTIONS", "0", "1", "OPTIONS")), "2543 branch");
    CHECKF(!reused(&ctx, res, 8, REQ("OPTIONS", "0", "2", "OPTIONS")), "2543 branch reused");
    /* re-dissecting an earlier frame does not compare with a later one */
    CHECKF(!reused(&ctx, res, 1, REQ("INVITE", "z9hG4bKinv2", "1", "INVITE")), "earlier frame");
    /* without a history the rule is skipped */
    ctx.history = NULL;
    CHECKF(!reused(&ctx, res, 9, REQ("INVITE", "z9hG4bKinv1", "7", "INVITE")), "no history");
    ctx.history = h;
    /* the finding points at the branch and names the earlier frame */
    CHECKF(reused(&ctx, res, 10, REQ("INVITE", "z9hG4bKinv1", "8", "INVITE")), "reuse after others");
    for (uint32_t i = 0; i < res->nfindings; i++) {
        const sip400_finding *f = &res->findings[i];
        if (f->cause != SIP400_VIA_BRANCH_REUSED_DIFFERENT_CSEQ)
            continue;
        CHECKF(f->length == 11 && memcmp(res->msg.p + f->offset, "z9hG4bKinv1", 11) == 0, "highlight");
        CHECKF(strstr(f->explanation, "frame 5") && strstr(f->explanation, "CSeq 2"), "explanation: %s", f->explanation);
        CHECKF(f->level == SIP400_LEVEL_C, "level");
    }
    sip400_history_free(h);
    free(res);
}

int main(void)
{
    test_table();
    test_churn();
    test_rule();
    printf("%d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
