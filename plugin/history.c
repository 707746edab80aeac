/* SPDX-License-Identifier: GPL-2.0-or-later
 * Bounded per-capture request history (see history.h). */
#include "history.h"

#include <stdlib.h>
#include <string.h>

/* The key as two halves: 20-byte slots instead of 24 (the table has two
 * slots per remembered request and is all resident once the capture has
 * filled it). */
typedef struct {
    uint32_t key_lo, key_hi; /* key 0: empty slot */
    sip400_history_rec rec;
} slot;

static inline uint64_t slot_key(const slot *s)
{
    return (uint64_t)s->key_hi << 32 | s->key_lo;
}

_Static_assert(sizeof(slot) == 20, "history slot packing");

static inline void slot_set_key(slot *s, uint64_t key)
{
    s->key_lo = (uint32_t)key;
    s->key_hi = (uint32_t)(key >> 32);
}

struct sip400_history {
    uint32_t capacity; /* keys kept */
    uint32_t mask;     /* table size - 1 (size: power of two >= 2 * capacity) */
    uint32_t count;
    uint32_t head;     /* ring index of the oldest key */
    uint64_t evicted;
    slot *table;
    uint64_t *ring;    /* keys in insertion order, count of them from head */
};

uint64_t sip400_history_key(const uint8_t *branch, uint32_t branch_len, const uint8_t *method,
                            uint32_t method_len)
{
    uint64_t h = 0xcbf29ce484222325ull;
    h = sip400_hash_bytes(h, method, method_len);
    h = sip400_hash_bytes(h, branch, branch_len);
    /* final mix, then keep 0 free for empty slots */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h ? h : 1;
}

uint32_t sip400_history_hash32(const uint8_t *p, uint32_t len)
{
    uint64_t h = sip400_hash_bytes(0x84222325cbf29ce4ull, p, len);
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return (uint32_t)h;
}

sip400_history *sip400_history_new(uint32_t capacity)
{
    if (capacity == 0)
        capacity = SIP400_HISTORY_DEFAULT_CAP;
    if (capacity > SIP400_HISTORY_MAX_CAP)
        capacity = SIP400_HISTORY_MAX_CAP;
    uint32_t size = 2;
    while (size < 2 * capacity)
        size <<= 1;
    sip400_history *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->table = calloc(size, sizeof *h->table);
    h->ring = calloc(capacity, sizeof *h->ring);
    if (!h->table || !h->ring) {
        sip400_history_free(h);
        return NULL;
    }
    h->capacity = capacity;
    h->mask = size - 1;
    return h;
}

void sip400_history_free(sip400_history *h)
{
    if (!h)
        return;
    free(h->table);
    free(h->ring);
    free(h);
}

void sip400_history_reset(sip400_history *h)
{
    if (!h)
        return;
    memset(h->table, 0, ((size_t)h->mask + 1) * sizeof *h->table);
    h->count = 0;
    h->head = 0;
    h->evicted = 0;
}

uint32_t sip400_history_capacity(const sip400_history *h)
{
    return h ? h->capacity : 0;
}

uint32_t sip400_history_count(const sip400_history *h)
{
    return h ? h->count : 0;
}

uint64_t sip400_history_evicted(const sip400_history *h)
{
    return h ? h->evicted : 0;
}

/* Slot holding key, or the empty slot where it would go.  The table is never
 * more than half full, so the probe ends. */
static uint32_t find_slot(const sip400_history *h, uint64_t key)
{
    uint32_t i = (uint32_t)(key ^ (key >> 32)) & h->mask;
    while (slot_key(&h->table[i]) && slot_key(&h->table[i]) != key)
        i = (i + 1) & h->mask;
    return i;
}

bool sip400_history_get(const sip400_history *h, uint64_t key, sip400_history_rec *out)
{
    if (!h || !key)
        return false;
    uint32_t i = find_slot(h, key);
    if (!slot_key(&h->table[i]))
        return false;
    if (out)
        *out = h->table[i].rec;
    return true;
}

/* Remove a key (linear probing: shift the following cluster back). */
static void remove_key(sip400_history *h, uint64_t key)
{
    uint32_t i = find_slot(h, key);
    if (!slot_key(&h->table[i]))
        return;
    uint32_t j = i;
    for (;;) {
        slot_set_key(&h->table[i], 0);
        for (;;) {
            j = (j + 1) & h->mask;
            if (!slot_key(&h->table[j]))
                return;
            uint32_t home = (uint32_t)(slot_key(&h->table[j]) ^ (slot_key(&h->table[j]) >> 32)) & h->mask;
            /* move j back to i unless its home lies cyclically in (i, j] */
            bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays)
                break;
        }
        h->table[i] = h->table[j];
        i = j;
    }
}

void sip400_history_put(sip400_history *h, uint64_t key, const sip400_history_rec *rec)
{
    if (!h || !key || !rec)
        return;
    uint32_t i = find_slot(h, key);
    if (slot_key(&h->table[i])) {
        h->table[i].rec = *rec;
        return;
    }
    if (h->count == h->capacity) {
        /* evict the oldest key; its ring place becomes the newest */
        remove_key(h, h->ring[h->head]);
        h->ring[h->head] = key;
        h->head = (h->head + 1) % h->capacity;
        h->evicted++;
        i = find_slot(h, key); /* the removal may have moved the cluster */
    } else {
        h->ring[(h->head + h->count) % h->capacity] = key;
        h->count++;
    }
    slot_set_key(&h->table[i], key);
    h->table[i].rec = *rec;
}
