/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Transaction correlation table (see txn.h).
 */
#include "txn.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rules_util.h"

#define SIP400_TXN_MAX_CAP (1u << 22)

const char *sip400_txn_event_name(sip400_txn_event e)
{
    switch (e) {
    case SIP400_TXN_IGNORED: return "ignored";
    case SIP400_TXN_REQUEST: return "request";
    case SIP400_TXN_RETRANSMISSION: return "retransmission";
    case SIP400_TXN_ACK: return "ack";
    case SIP400_TXN_PROVISIONAL: return "provisional";
    case SIP400_TXN_FINAL: return "final";
    case SIP400_TXN_FINAL_AGAIN: return "final_again";
    case SIP400_TXN_ORPHAN: return "orphan";
    }
    return "?";
}

const char *sip400_txn_link_name(sip400_txn_link l)
{
    switch (l) {
    case SIP400_LINK_NONE: return "";
    case SIP400_LINK_BRANCH: return "branch";
    case SIP400_LINK_CALLID_CSEQ: return "callid_cseq";
    case SIP400_LINK_CALLID_TAG: return "callid_tag";
    case SIP400_LINK_ADDRESSES: return "addresses";
    }
    return "";
}

/* ---- keys ---- */

static bool is_ws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Copy a span into a bounded, NUL-terminated buffer; returns the full length. */
static uint32_t copy_span(const sip400_msg *m, sip400_span s, char *dst, uint32_t cap)
{
    uint32_t n = s.len < cap - 1 ? s.len : cap - 1;
    if (n)
        memcpy(dst, m->p + s.off, n);
    dst[n] = '\0';
    return s.len;
}

/* Next run of non-whitespace bytes in [*pos, end). */
static sip400_span next_word(const sip400_msg *m, uint32_t *pos, uint32_t end)
{
    uint32_t i = *pos;
    while (i < end && is_ws(m->p[i]))
        i++;
    sip400_span w = { i, 0 };
    while (i < end && !is_ws(m->p[i]))
        i++;
    w.len = i - w.off;
    *pos = i;
    return w;
}

static uint64_t key_hash(const uint8_t *cid, uint32_t ncid, const uint8_t *num, uint32_t nnum,
                         const uint8_t *method, uint32_t nmethod)
{
    uint64_t h = 14695981039346656037ull;
    h = sip400_hash_bytes(h, cid, ncid);
    h = sip400_hash_bytes(h, num, nnum);
    h = sip400_hash_bytes(h, method, nmethod);
    return h ^ (h >> 32);
}

static uint64_t text_hash(const uint8_t *a, uint32_t na, const uint8_t *b, uint32_t nb)
{
    uint64_t h = 14695981039346656037ull;
    h = sip400_hash_bytes(h, a, na);
    h = sip400_hash_bytes(h, b, nb);
    h ^= h >> 32;
    return h ? h : 1; /* 0 means "no such part" */
}

/* The From tag, when the From header has one. */
static sip400_span from_tag(const sip400_msg *m)
{
    sip400_span uri, rest, v = { 0, 0 };
    bool br = false;
    const sip400_hdr *h = sip400_msg_first(m, SIP400_H_FROM);
    if (h && !(h->flags & SIP400_HF_NO_COLON) && sip400_nameaddr_uri(m, sip400_hdr_value(h), &uri, &br, &rest) &&
        sip400_param_find(m, rest, "tag", &v))
        return v;
    return (sip400_span){ 0, 0 };
}

bool sip400_txn_key_from_msg(const sip400_msg *m, const sip400_top_via *via, sip400_txn_key *k)
{
    sip400_span cid = { 0, 0 }, num = { 0, 0 }, method = { 0, 0 }, branch = { 0, 0 }, sent_by = { 0, 0 };

    const sip400_hdr *h = sip400_msg_first(m, SIP400_H_CALL_ID);
    if (h)
        cid = sip400_hdr_value(h);

    h = sip400_msg_first(m, SIP400_H_CSEQ);
    k->has_cseq = h != NULL;
    if (h) {
        uint32_t pos = h->value_off, end = h->value_off + h->value_len;
        num = next_word(m, &pos, end);
        method = next_word(m, &pos, end);
    }

    sip400_top_via local;
    if (!via) {
        sip400_top_via_parse(m, &local);
        via = &local;
    }
    if (via->h && via->has_branch && via->branch.has_value) {
        branch = via->branch.value;
        /* sent-by: host [":" port] as written */
        uint32_t e = via->has_port ? via->port.off + via->port.len : via->host.off + via->host.len;
        if (via->host.len && e >= via->host.off)
            sent_by = (sip400_span){ via->host.off, e - via->host.off };
    }

    if (cid.len == 0 && branch.len == 0)
        return false;
    sip400_span tag = from_tag(m);
    k->callid_len = copy_span(m, cid, k->callid, sizeof k->callid);
    k->num_len = copy_span(m, num, k->num, sizeof k->num);
    k->method_len = copy_span(m, method, k->method, sizeof k->method);
    k->branch_len = copy_span(m, branch, k->branch, sizeof k->branch);
    k->sent_by_len = copy_span(m, sent_by, k->sent_by, sizeof k->sent_by);
    k->tag_len = copy_span(m, tag, k->tag, sizeof k->tag);
    k->hash = key_hash(m->p + cid.off, cid.len, m->p + num.off, num.len, m->p + method.off, method.len);
    k->branch_hash = branch.len ? text_hash(m->p + branch.off, branch.len, m->p + sent_by.off, sent_by.len) : 0;
    k->callid_hash = cid.len ? text_hash(m->p + cid.off, cid.len, NULL, 0) : 0;
    return true;
}

static bool part_eq(const char *a, uint32_t alen, const char *b, uint32_t blen, uint32_t cap)
{
    if (alen != blen)
        return false;
    uint32_t n = alen < cap - 1 ? alen : cap - 1;
    return memcmp(a, b, n) == 0;
}

/* Same Call-ID and CSeq number; method compared separately (ACK -> INVITE). */
static bool dialog_part_eq(const sip400_txn_key *a, const sip400_txn_key *b)
{
    return part_eq(a->callid, a->callid_len, b->callid, b->callid_len, SIP400_TXN_CALLID_MAX) &&
           part_eq(a->num, a->num_len, b->num, b->num_len, SIP400_TXN_NUM_MAX);
}

static bool method_is(const sip400_txn_key *k, const char *lit)
{
    size_t n = strlen(lit);
    return k->method_len == n && memcmp(k->method, lit, n) == 0;
}

static bool branch_eq(const sip400_txn_key *a, const sip400_txn_key *b)
{
    return part_eq(a->branch, a->branch_len, b->branch, b->branch_len, SIP400_TXN_BRANCH_MAX);
}

static bool callid_eq(const sip400_txn_key *a, const sip400_txn_key *b)
{
    return a->callid_hash == b->callid_hash && part_eq(a->callid, a->callid_len, b->callid, b->callid_len, SIP400_TXN_CALLID_MAX);
}

static bool method_eq(const sip400_txn_key *a, const sip400_txn_key *b)
{
    return part_eq(a->method, a->method_len, b->method, b->method_len, SIP400_TXN_METHOD_MAX);
}

static bool num_eq(const sip400_txn_key *a, const sip400_txn_key *b)
{
    return part_eq(a->num, a->num_len, b->num, b->num_len, SIP400_TXN_NUM_MAX);
}

/* sent-by hosts compare case-insensitively (RFC 3261 19.1.4 for hosts) */
static bool sent_by_eq(const sip400_txn_key *a, const sip400_txn_key *b)
{
    if (a->sent_by_len != b->sent_by_len)
        return false;
    uint32_t n = a->sent_by_len < SIP400_TXN_SENT_BY_MAX - 1 ? a->sent_by_len : SIP400_TXN_SENT_BY_MAX - 1;
    return sip400_mem_ieq((const uint8_t *)a->sent_by, b->sent_by, n);
}

static bool tag_eq(const sip400_txn_key *a, const sip400_txn_key *b)
{
    return part_eq(a->tag, a->tag_len, b->tag, b->tag_len, SIP400_TXN_TAG_MAX);
}

/* ---- addresses ---- */

typedef enum { ADDR_UNKNOWN, ADDR_SAME, ADDR_DIFFERENT } addr_cmp;

static addr_cmp addr_compare(const sip400_addr *a, const sip400_addr *b)
{
    if (a->family == 0 || b->family == 0)
        return ADDR_UNKNOWN;
    if (a->family != b->family)
        return ADDR_DIFFERENT;
    size_t n = a->family == 4 ? 4 : 16;
    return memcmp(a->addr, b->addr, n) == 0 ? ADDR_SAME : ADDR_DIFFERENT;
}

/* A retransmission comes from the same socket to the same socket. */
static bool same_endpoints(const sip400_txn *t, const sip400_ctx *ctx)
{
    if (!ctx)
        return true;
    if (addr_compare(&t->src, &ctx->src) == ADDR_DIFFERENT || addr_compare(&t->dst, &ctx->dst) == ADDR_DIFFERENT)
        return false;
    if (t->src.family && ctx->src.family && (t->src_port != ctx->src_port || t->dst_port != ctx->dst_port))
        return false;
    return true;
}

/* A response travels from the request's destination back to its source
 * (ports may differ: UDP answers go to the Via port). */
static addr_cmp reverse_path(const sip400_txn *t, const sip400_ctx *ctx)
{
    if (!ctx)
        return ADDR_UNKNOWN;
    addr_cmp a = addr_compare(&t->dst, &ctx->src), b = addr_compare(&t->src, &ctx->dst);
    if (a == ADDR_DIFFERENT || b == ADDR_DIFFERENT)
        return ADDR_DIFFERENT;
    if (a == ADDR_SAME && b == ADDR_SAME)
        return ADDR_SAME;
    return ADDR_UNKNOWN;
}


/* ---- the table ---- */

bool sip400_txn_table_init(sip400_txn_table *t, uint32_t cap)
{
    memset(t, 0, sizeof *t);
    if (cap == 0)
        cap = 1;
    if (cap > SIP400_TXN_MAX_CAP)
        cap = SIP400_TXN_MAX_CAP;
    uint32_t nb = 1;
    while (nb < 2 * cap)
        nb <<= 1;
    t->slots = calloc(cap, sizeof *t->slots);
    t->buckets = malloc((size_t)nb * SIP400_TXN_NIX * sizeof *t->buckets);
    if (!t->slots || !t->buckets) {
        sip400_txn_table_free(t);
        return false;
    }
    t->cap = cap;
    t->nbuckets = nb;
    /* the slots come zeroed from calloc: writing them again would make all
     * of them resident (7 MB at the glue's 16384) before any is used */
    for (uint32_t i = 0; i < nb * SIP400_TXN_NIX; i++)
        t->buckets[i] = -1;
    return true;
}

void sip400_txn_table_free(sip400_txn_table *t)
{
    free(t->slots);
    free(t->buckets);
    memset(t, 0, sizeof *t);
}

void sip400_txn_table_reset(sip400_txn_table *t)
{
    if (!t->slots)
        return;
    /* slots fill in ring order from 0: only the first `created` were written */
    uint64_t used = t->created < t->cap ? t->created : t->cap;
    memset(t->slots, 0, (size_t)used * sizeof *t->slots);
    for (uint32_t i = 0; i < t->nbuckets * SIP400_TXN_NIX; i++)
        t->buckets[i] = -1;
    t->head = 0;
    t->live = 0;
    t->created = t->evicted = t->orphans = 0;
    t->last_link = SIP400_LINK_NONE;
}

/* The key hash an index files a transaction under (0: not in that index). */
static uint64_t ix_hash(const sip400_txn_key *k, sip400_txn_ix ix)
{
    switch (ix) {
    case SIP400_TXN_IX_CSEQ: return k->hash;
    case SIP400_TXN_IX_BRANCH: return k->branch_hash;
    case SIP400_TXN_IX_CALLID: return k->callid_hash;
    case SIP400_TXN_NIX: break;
    }
    return 0;
}

static int32_t *bucket_of(const sip400_txn_table *t, sip400_txn_ix ix, uint64_t hash)
{
    return &t->buckets[(size_t)ix * t->nbuckets + ((uint32_t)(hash ^ (hash >> 32)) & (t->nbuckets - 1))];
}

static void unlink_slot(sip400_txn_table *t, uint32_t idx)
{
    sip400_txn *e = &t->slots[idx];
    for (int ix = 0; ix < SIP400_TXN_NIX; ix++) {
        if (e->next[ix] == -2)
            continue;
        int32_t *link = bucket_of(t, (sip400_txn_ix)ix, ix_hash(&e->key, (sip400_txn_ix)ix));
        for (uint32_t steps = 0; *link >= 0 && steps < t->cap; steps++) {
            if ((uint32_t)*link == idx) {
                *link = e->next[ix];
                break;
            }
            link = &t->slots[*link].next[ix];
        }
    }
}

static void part_copy(char *dst, const char *src, uint32_t len, uint32_t cap)
{
    uint32_t n = len < cap - 1 ? len : cap - 1;
    memcpy(dst, src, n + 1); /* with its NUL */
}

static void key_copy(sip400_txn_key *d, const sip400_txn_key *s)
{
    d->hash = s->hash;
    d->branch_hash = s->branch_hash;
    d->callid_hash = s->callid_hash;
    d->callid_len = s->callid_len;
    d->num_len = s->num_len;
    d->method_len = s->method_len;
    d->branch_len = s->branch_len;
    d->sent_by_len = s->sent_by_len;
    d->tag_len = s->tag_len;
    d->has_cseq = s->has_cseq;
    part_copy(d->num, s->num, s->num_len, sizeof d->num);
    part_copy(d->method, s->method, s->method_len, sizeof d->method);
    part_copy(d->callid, s->callid, s->callid_len, sizeof d->callid);
    part_copy(d->branch, s->branch, s->branch_len, sizeof d->branch);
    part_copy(d->sent_by, s->sent_by, s->sent_by_len, sizeof d->sent_by);
    part_copy(d->tag, s->tag, s->tag_len, sizeof d->tag);
}

static sip400_txn *create(sip400_txn_table *t, const sip400_msg *m, const sip400_txn_key *k, const sip400_ctx *ctx)
{
    uint32_t idx = t->head;
    sip400_txn *e = &t->slots[idx];
    if (e->used) { /* the ring is full: this slot holds the oldest */
        unlink_slot(t, idx);
        t->evicted++;
        t->live--;
    }
    /* the fields, and of each key part the bytes up to its NUL: not the
     * whole entry twice (a memset, then a copy of the key) */
    memset(e, 0, offsetof(sip400_txn, key));
    memset(&e->src, 0, offsetof(sip400_txn, req_method) - offsetof(sip400_txn, src));
    key_copy(&e->key, k);
    copy_span(m, m->method, e->req_method, sizeof e->req_method);
    if (ctx) {
        e->src = ctx->src;
        e->dst = ctx->dst;
        e->src_port = ctx->src_port;
        e->dst_port = ctx->dst_port;
        e->transport = (uint8_t)ctx->transport;
        e->time = ctx->time;
        e->req_frame = e->req_last_frame = ctx->frame;
    }
    e->req_count = 1;
    e->seq = ++t->created;
    e->used = true;
    for (int ix = 0; ix < SIP400_TXN_NIX; ix++) {
        uint64_t h = ix_hash(k, (sip400_txn_ix)ix);
        if (ix != SIP400_TXN_IX_CSEQ && h == 0) {
            e->next[ix] = -2;
            continue;
        }
        int32_t *b = bucket_of(t, (sip400_txn_ix)ix, h);
        e->next[ix] = *b;
        *b = (int32_t)idx;
    }
    t->head = (idx + 1) % t->cap;
    t->live++;
    return e;
}

/* Walk the chain of a hash in one index (bounded by the table size). */
#define FOR_CHAIN(t, ix, hash, e)                                                                \
    for (int32_t i_ = *bucket_of((t), (ix), (hash)), n_ = 0;                                     \
         i_ >= 0 && (uint32_t)n_ < (t)->cap && ((e) = &(t)->slots[i_], 1); i_ = (e)->next[(ix)], n_++)

static sip400_txn *find_request(sip400_txn_table *t, const sip400_txn_key *k, const sip400_ctx *ctx)
{
    sip400_txn *e, *best = NULL;
    FOR_CHAIN(t, SIP400_TXN_IX_CSEQ, k->hash, e) {
        if (e->key.hash != k->hash || !dialog_part_eq(&e->key, k) || !method_eq(&e->key, k))
            continue;
        if (!branch_eq(&e->key, k) || !same_endpoints(e, ctx))
            continue;
        if (!best || e->seq > best->seq)
            best = e;
    }
    return best;
}

static sip400_txn *find_for_ack(sip400_txn_table *t, const sip400_txn_key *k)
{
    static const char invite[] = "INVITE";
    uint64_t h = key_hash((const uint8_t *)k->callid, k->callid_len < SIP400_TXN_CALLID_MAX ? k->callid_len : 0,
                          (const uint8_t *)k->num, k->num_len < SIP400_TXN_NUM_MAX ? k->num_len : 0,
                          (const uint8_t *)invite, 6);
    if (k->callid_len >= SIP400_TXN_CALLID_MAX || k->num_len >= SIP400_TXN_NUM_MAX)
        return NULL; /* truncated key parts: cannot rebuild the INVITE hash */
    sip400_txn *e, *best = NULL;
    FOR_CHAIN(t, SIP400_TXN_IX_CSEQ, h, e) {
        if (e->key.hash != h || !dialog_part_eq(&e->key, k) || !method_is(&e->key, invite))
            continue;
        /* non-2xx ACK: same branch as the INVITE; 2xx ACK: a new branch */
        bool ok = k->branch_len == 0 || e->key.branch_len == 0 || branch_eq(&e->key, k) ||
                  (e->final_status >= 200 && e->final_status < 300);
        if (ok && (!best || e->seq > best->seq))
            best = e;
    }
    return best;
}

/* Better of two candidates: higher score, then the newer one. */
static void keep_best(sip400_txn **best, int *best_score, sip400_txn *e, int score)
{
    if (score > *best_score || (score == *best_score && e->seq > (*best)->seq)) {
        *best = e;
        *best_score = score;
    }
}

/* A weak link may reach e: still open, recent enough, on the reverse path. */
static bool weak_ok(const sip400_txn *e, const sip400_ctx *ctx)
{
    if (e->final_frame)
        return false; /* never a second answer through a weak key */
    if (ctx && ctx->time > 0 && e->time > 0 &&
        (ctx->time < e->time || ctx->time - e->time > SIP400_TXN_WEAK_WINDOW))
        return false;
    return reverse_path(e, ctx) != ADDR_DIFFERENT;
}

/* 1. top-Via branch + sent-by (+ CSeq method; the number and an open
 * transaction preferred: a reused branch keeps its transactions apart) */
static sip400_txn *by_branch(sip400_txn_table *t, const sip400_txn_key *k, const sip400_ctx *ctx)
{
    sip400_txn *e, *best = NULL;
    int best_score = -1;
    FOR_CHAIN(t, SIP400_TXN_IX_BRANCH, k->branch_hash, e) {
        if (e->key.branch_hash != k->branch_hash || !branch_eq(&e->key, k) || !sent_by_eq(&e->key, k))
            continue;
        if ((k->method_len && !method_eq(&e->key, k)) || (k->callid_len && !callid_eq(&e->key, k)))
            continue;
        addr_cmp path = reverse_path(e, ctx);
        if (path == ADDR_DIFFERENT)
            continue;
        int score = (k->num_len && num_eq(&e->key, k) ? 4 : 0) + (e->final_frame ? 0 : 2) + (path == ADDR_SAME);
        keep_best(&best, &best_score, e, score);
    }
    return best;
}

/* 2. Call-ID + CSeq as written (a differing branch: another hop) */
static sip400_txn *by_cseq(sip400_txn_table *t, const sip400_txn_key *k, const sip400_ctx *ctx)
{
    sip400_txn *e, *best = NULL;
    int best_score = -1;
    FOR_CHAIN(t, SIP400_TXN_IX_CSEQ, k->hash, e) {
        if (e->key.hash != k->hash || !dialog_part_eq(&e->key, k) || !method_eq(&e->key, k))
            continue;
        bool both_branch = e->key.branch_len && k->branch_len;
        if (both_branch && !branch_eq(&e->key, k))
            continue; /* another hop or another transaction */
        addr_cmp path = reverse_path(e, ctx);
        int score = (both_branch ? 4 : 0) + (path == ADDR_SAME ? 2 : path == ADDR_UNKNOWN ? 1 : 0);
        keep_best(&best, &best_score, e, score);
    }
    return best;
}

/* 3. Call-ID + From tag, to an open transaction (weak) */
static sip400_txn *by_tag(sip400_txn_table *t, const sip400_txn_key *k, const sip400_ctx *ctx)
{
    sip400_txn *e, *best = NULL;
    int best_score = -1;
    FOR_CHAIN(t, SIP400_TXN_IX_CALLID, k->callid_hash, e) {
        if (e->key.callid_hash != k->callid_hash || !callid_eq(&e->key, k) || !tag_eq(&e->key, k))
            continue;
        if ((k->method_len && !method_eq(&e->key, k)) || !weak_ok(e, ctx))
            continue;
        keep_best(&best, &best_score, e, reverse_path(e, ctx) == ADDR_SAME);
    }
    return best;
}

/* 4. the addresses alone: the nearest earlier open request of the client the
 * response goes to, from the server it comes from (weak).  On TCP/TLS the
 * response uses the request's connection: the port pair reversed. */
static sip400_txn *by_addresses(sip400_txn_table *t, const sip400_txn_key *k, const sip400_ctx *ctx)
{
    if (!ctx || !ctx->src.family || !ctx->dst.family)
        return NULL;
    uint32_t n = t->live < SIP400_TXN_ADDR_LOOKBACK ? t->live : SIP400_TXN_ADDR_LOOKBACK;
    for (uint32_t i = 1; i <= n; i++) {
        sip400_txn *e = &t->slots[(t->head + t->cap - i) % t->cap];
        if (!e->used)
            break;
        if (ctx->time > 0 && e->time > 0 && ctx->time - e->time > SIP400_TXN_WEAK_WINDOW)
            break; /* older ones are older still */
        if (reverse_path(e, ctx) != ADDR_SAME || !weak_ok(e, ctx) || e->transport != (uint8_t)ctx->transport ||
            ctx->src_port != e->dst_port)
            continue;
        if (sip400_transport_is_stream(ctx->transport) && ctx->dst_port != e->src_port)
            continue;
        /* what the response does carry must not contradict the request */
        if ((k && k->callid_len && !callid_eq(&e->key, k)) || (k && k->branch_len && !branch_eq(&e->key, k)))
            continue;
        if (method_is(&e->key, "ACK"))
            continue;
        return e;
    }
    return NULL;
}

static sip400_txn *find_for_response(sip400_txn_table *t, const sip400_txn_key *k, const sip400_ctx *ctx)
{
    sip400_txn *e = NULL;
    if (k && k->branch_len && (e = by_branch(t, k, ctx)) != NULL) {
        t->last_link = SIP400_LINK_BRANCH;
        return e;
    }
    if (k && k->callid_len && k->has_cseq && (e = by_cseq(t, k, ctx)) != NULL) {
        t->last_link = SIP400_LINK_CALLID_CSEQ;
        return e;
    }
    if (k && k->callid_len && k->tag_len && !k->has_cseq && (e = by_tag(t, k, ctx)) != NULL) {
        t->last_link = SIP400_LINK_CALLID_TAG;
        return e;
    }
    /* the addresses only when the response has none of the keys above */
    bool keyless = !k || (!k->branch_len && !(k->callid_len && (k->has_cseq || k->tag_len)));
    if (keyless && (e = by_addresses(t, k, ctx)) != NULL) {
        t->last_link = SIP400_LINK_ADDRESSES;
        return e;
    }
    return NULL;
}

static sip400_txn_event answer(sip400_txn *e, const sip400_msg *m, uint32_t frame)
{
    if (m->status < 200) {
        if (e->prov_frame == 0) {
            e->prov_frame = frame;
            e->prov_status = m->status;
        }
        return SIP400_TXN_PROVISIONAL;
    }
    if (e->final_frame == 0) {
        e->final_frame = frame;
        e->final_status = m->status;
        e->final_count = 1;
        return SIP400_TXN_FINAL;
    }
    e->final_count++;
    return SIP400_TXN_FINAL_AGAIN;
}

sip400_txn_event sip400_txn_feed(sip400_txn_table *t, const sip400_msg *m, const sip400_top_via *via,
                                 const sip400_ctx *ctx, sip400_txn **out)
{
    *out = NULL;
    t->last_link = SIP400_LINK_NONE;
    if (!t->slots || (m->kind != SIP400_START_REQUEST && m->kind != SIP400_START_RESPONSE))
        return SIP400_TXN_IGNORED;
    sip400_txn_key k;
    bool keyed = sip400_txn_key_from_msg(m, via, &k);
    uint32_t frame = ctx ? ctx->frame : 0;

    if (m->kind == SIP400_START_REQUEST) {
        if (!keyed)
            return SIP400_TXN_IGNORED;
        if (sip400_span_eq(m, m->method, "ACK")) {
            sip400_txn *inv = find_for_ack(t, &k);
            if (inv && inv->ack_frame == 0)
                inv->ack_frame = frame;
            *out = inv;
            return SIP400_TXN_ACK;
        }
        sip400_txn *e = find_request(t, &k, ctx);
        if (e) {
            e->req_last_frame = frame;
            e->req_count++;
            *out = e;
            return SIP400_TXN_RETRANSMISSION;
        }
        *out = create(t, m, &k, ctx);
        return SIP400_TXN_REQUEST;
    }

    sip400_txn *e = find_for_response(t, keyed ? &k : NULL, ctx);
    if (!e) {
        t->orphans++;
        return SIP400_TXN_ORPHAN;
    }
    *out = e;
    return answer(e, m, frame);
}
