/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Per-capture history of recent requests, for the rules that need more than one
 * message (via.branch.reused_different_cseq).  Engine level: plain C11, no
 * libwireshark.
 *
 * A bounded table keyed by the top-Via branch and the request method (a 64-bit
 * hash of both: the table never stores packet text), remembering the CSeq
 * number, a hash of the Call-ID and the frame of the latest request seen with
 * that key.  Open addressing (linear probing, at most half full) plus a ring of
 * keys in insertion order: when the table holds `capacity` keys, inserting a new
 * one evicts the oldest.  Memory is allocated once by sip400_history_new (about
 * 56 bytes per entry of capacity); lookups and inserts never allocate and take
 * constant expected time.
 *
 * The glue keeps one history per capture with SIP400_HISTORY_DEFAULT_CAP
 * entries: the last 65536 distinct transactions (about 3.5 MiB).  A branch
 * reused after that many newer transactions is not detected.
 */
#ifndef SIP400_HISTORY_H
#define SIP400_HISTORY_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define SIP400_HISTORY_DEFAULT_CAP 65536u
#define SIP400_HISTORY_MAX_CAP (1u << 24)

typedef struct sip400_history sip400_history;

/* What the history remembers of a request. */
typedef struct {
    uint32_t cseq;        /* CSeq number */
    uint32_t frame;       /* frame of the request */
    uint32_t callid_hash; /* hash of the Call-ID value (sip400_history_hash32) */
} sip400_history_rec;

/* capacity: entries kept (1..SIP400_HISTORY_MAX_CAP; 0 gives the default).
 * Returns NULL when out of memory. */
sip400_history *sip400_history_new(uint32_t capacity);
void sip400_history_free(sip400_history *h); /* NULL: no-op */
void sip400_history_reset(sip400_history *h); /* forget everything, keep the memory */

uint32_t sip400_history_capacity(const sip400_history *h);
uint32_t sip400_history_count(const sip400_history *h);
uint64_t sip400_history_evicted(const sip400_history *h); /* keys evicted so far */

/* Key of a transaction: top-Via branch and request method (case-sensitive). */
uint64_t sip400_history_key(const uint8_t *branch, uint32_t branch_len, const uint8_t *method,
                            uint32_t method_len);
/* 32-bit hash of some bytes, e.g. the Call-ID. */
uint32_t sip400_history_hash32(const uint8_t *p, uint32_t len);

/* Look a key up; true and *out filled when present. */
bool sip400_history_get(const sip400_history *h, uint64_t key, sip400_history_rec *out);
/* Insert a key or replace its record (the key keeps its place in the eviction
 * order).  A new key evicts the oldest one when the table is full. */
void sip400_history_put(sip400_history *h, uint64_t key, const sip400_history_rec *rec);

/* Hash of some bytes, eight at a time (branches and Call-IDs are 20 to 60
 * bytes: a byte loop cost more than the table); the length is mixed in, so
 * "AB" + "C" and "A" + "BC" differ without a separator.  Shared by the
 * history and the transaction table (txn.c); only their buckets depend on it. */
static inline uint64_t sip400_hash_bytes(uint64_t h, const uint8_t *p, uint32_t n)
{
    const uint64_t mul = 0x9e3779b97f4a7c15ull;
    h = (h ^ n) * mul;
    uint32_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * mul;
        h ^= h >> 29;
    }
    if (i < n) {
        uint64_t w = 0;
        memcpy(&w, p + i, n - i);
        h = (h ^ w) * mul;
        h ^= h >> 29;
    }
    return h;
}

#endif
