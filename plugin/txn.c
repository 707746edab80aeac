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

/* sip400_param_find(m, [pos, end), "branch", v) for parameters without '"' or
 * '\\' (the header line's byte classes tell): each parameter then ends at the
 * next ';', found with memchr instead of a byte loop. */
static bool find_branch_plain(const sip400_msg *m, uint32_t pos, uint32_t end, sip400_span *v)
{
    const uint8_t *p = m->p;
    while (pos < end) {
        while (pos < end && (p[pos] == ';' || p[pos] == ' ' || p[pos] == '\t'))
            pos++;
        uint32_t s = pos;
        const uint8_t *q = s < end ? memchr(p + s, ';', end - s) : NULL;
        uint32_t e = q ? (uint32_t)(q - p) : end;
        pos = e;
        if (e - s < 6 || !sip400_mem_ieq(p + s, "branch", 6))
            continue;
        const uint8_t *eqp = memchr(p + s, '=', e - s);
        uint32_t eq = eqp ? (uint32_t)(eqp - p) : e;
        uint32_t ne = eq;
        while (ne > s && (p[ne - 1] == ' ' || p[ne - 1] == '\t'))
            ne--;
        if (ne - s != 6)
            continue;
        if (eq < e) {
            uint32_t a = eq + 1;
            while (a < e && (p[a] == ' ' || p[a] == '\t'))
                a++;
            uint32_t b = e;
            while (b > a && (p[b - 1] == ' ' || p[b - 1] == '\t'))
                b--;
            *v = (sip400_span){ a, b - a };
        } else {
            *v = (sip400_span){ e, 0 };
        }
        return true;
    }
    return false;
}

bool sip400_txn_key_from_msg(const sip400_msg *m, sip400_txn_key *k)
{
    sip400_span cid = { 0, 0 }, num = { 0, 0 }, method = { 0, 0 }, branch = { 0, 0 };

    const sip400_hdr *h = sip400_msg_first(m, SIP400_H_CALL_ID);
    if (h)
        cid = sip400_hdr_value(h);

    h = sip400_msg_first(m, SIP400_H_CSEQ);
    if (h) {
        uint32_t pos = h->value_off, end = h->value_off + h->value_len;
        num = next_word(m, &pos, end);
        method = next_word(m, &pos, end);
    }

    h = sip400_msg_first(m, SIP400_H_VIA);
    if (h && (h->cls & SIP400_BC_SEMI)) { /* no ';' in the line: no branch parameter */
        /* top Via: the first element of the first Via header */
        sip400_span el = { 0, 0 };
        sip400_split_list(m, sip400_hdr_value(h), &el, 1, NULL);
        const uint8_t *semi = el.len ? memchr(m->p + el.off, ';', el.len) : NULL;
        if (semi) {
            uint32_t i = (uint32_t)(semi - m->p), end = el.off + el.len;
            sip400_span params = { i + 1, end - i - 1 };
            sip400_span v;
            bool found = h->cls & (SIP400_BC_DQUOTE | SIP400_BC_BSLASH)
                             ? sip400_param_find(m, params, "branch", &v)
                             : find_branch_plain(m, params.off, end, &v);
            if (found)
                branch = v;
        }
    }

    if (cid.len == 0 && branch.len == 0)
        return false;
    k->callid_len = copy_span(m, cid, k->callid, sizeof k->callid);
    k->num_len = copy_span(m, num, k->num, sizeof k->num);
    k->method_len = copy_span(m, method, k->method, sizeof k->method);
    k->branch_len = copy_span(m, branch, k->branch, sizeof k->branch);
    k->hash = key_hash(m->p + cid.off, cid.len, m->p + num.off, num.len, m->p + method.off, method.len);
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
    t->buckets = malloc((size_t)nb * sizeof *t->buckets);
    if (!t->slots || !t->buckets) {
        sip400_txn_table_free(t);
        return false;
    }
    t->cap = cap;
    t->nbuckets = nb;
    /* the slots come zeroed from calloc: writing them again would make all
     * of them resident (7 MB at the glue's 16384) before any is used */
    for (uint32_t i = 0; i < nb; i++)
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
    for (uint32_t i = 0; i < t->nbuckets; i++)
        t->buckets[i] = -1;
    t->head = 0;
    t->live = 0;
    t->created = t->evicted = t->orphans = 0;
}

static uint32_t bucket_of(const sip400_txn_table *t, uint64_t hash)
{
    return (uint32_t)(hash ^ (hash >> 32)) & (t->nbuckets - 1);
}

static void unlink_slot(sip400_txn_table *t, uint32_t idx)
{
    int32_t *link = &t->buckets[bucket_of(t, t->slots[idx].key.hash)];
    for (uint32_t steps = 0; *link >= 0 && steps < t->cap; steps++) {
        if ((uint32_t)*link == idx) {
            *link = t->slots[idx].next;
            return;
        }
        link = &t->slots[*link].next;
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
    d->callid_len = s->callid_len;
    d->num_len = s->num_len;
    d->method_len = s->method_len;
    d->branch_len = s->branch_len;
    part_copy(d->num, s->num, s->num_len, sizeof d->num);
    part_copy(d->method, s->method, s->method_len, sizeof d->method);
    part_copy(d->callid, s->callid, s->callid_len, sizeof d->callid);
    part_copy(d->branch, s->branch, s->branch_len, sizeof d->branch);
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
     * whole 430-byte entry twice (a memset, then a copy of the key) */
    memset(e, 0, offsetof(sip400_txn, key));
    memset(&e->src, 0, offsetof(sip400_txn, req_method) - offsetof(sip400_txn, src));
    key_copy(&e->key, k);
    copy_span(m, m->method, e->req_method, sizeof e->req_method);
    if (ctx) {
        e->src = ctx->src;
        e->dst = ctx->dst;
        e->src_port = ctx->src_port;
        e->dst_port = ctx->dst_port;
        e->req_frame = e->req_last_frame = ctx->frame;
    }
    e->req_count = 1;
    e->seq = ++t->created;
    e->used = true;
    uint32_t b = bucket_of(t, k->hash);
    e->next = t->buckets[b];
    t->buckets[b] = (int32_t)idx;
    t->head = (idx + 1) % t->cap;
    t->live++;
    return e;
}

/* Walk the chain of a hash (bounded by the table size). */
#define FOR_CHAIN(t, hash, e)                                                                    \
    for (int32_t i_ = (t)->buckets[bucket_of((t), (hash))], n_ = 0;                             \
         i_ >= 0 && (uint32_t)n_ < (t)->cap && ((e) = &(t)->slots[i_], 1); i_ = (e)->next, n_++)

static sip400_txn *find_request(sip400_txn_table *t, const sip400_txn_key *k, const sip400_ctx *ctx)
{
    sip400_txn *e, *best = NULL;
    FOR_CHAIN(t, k->hash, e) {
        if (e->key.hash != k->hash || !dialog_part_eq(&e->key, k) ||
            !part_eq(e->key.method, e->key.method_len, k->method, k->method_len, SIP400_TXN_METHOD_MAX))
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
    FOR_CHAIN(t, h, e) {
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

static sip400_txn *find_for_response(sip400_txn_table *t, const sip400_txn_key *k, const sip400_ctx *ctx)
{
    sip400_txn *e, *best = NULL;
    int best_score = -1;
    FOR_CHAIN(t, k->hash, e) {
        if (e->key.hash != k->hash || !dialog_part_eq(&e->key, k) ||
            !part_eq(e->key.method, e->key.method_len, k->method, k->method_len, SIP400_TXN_METHOD_MAX))
            continue;
        bool both_branch = e->key.branch_len && k->branch_len;
        if (both_branch && !branch_eq(&e->key, k))
            continue; /* another hop or another transaction */
        addr_cmp path = reverse_path(e, ctx);
        int score = (both_branch ? 4 : 0) + (path == ADDR_SAME ? 2 : path == ADDR_UNKNOWN ? 1 : 0);
        if (score > best_score || (score == best_score && e->seq > best->seq)) {
            best = e;
            best_score = score;
        }
    }
    return best;
}

sip400_txn_event sip400_txn_feed(sip400_txn_table *t, const sip400_msg *m, const sip400_ctx *ctx,
                                 sip400_txn **out)
{
    *out = NULL;
    if (!t->slots || (m->kind != SIP400_START_REQUEST && m->kind != SIP400_START_RESPONSE))
        return SIP400_TXN_IGNORED;
    sip400_txn_key k;
    if (!sip400_txn_key_from_msg(m, &k)) {
        if (m->kind == SIP400_START_RESPONSE) {
            t->orphans++;
            return SIP400_TXN_ORPHAN;
        }
        return SIP400_TXN_IGNORED;
    }
    uint32_t frame = ctx ? ctx->frame : 0;

    if (m->kind == SIP400_START_REQUEST) {
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

    sip400_txn *e = find_for_response(t, &k, ctx);
    if (!e) {
        t->orphans++;
        return SIP400_TXN_ORPHAN;
    }
    *out = e;
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
