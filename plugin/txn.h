/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Transaction correlation: links every request of a capture to its responses.
 * Engine level (plain C11, no libwireshark): it reads the engine's own message
 * view, so it also works for requests Wireshark could not decode as SIP.
 *
 * Key: Call-ID + CSeq number + CSeq method, as written (a 400 copies them from
 * the request, even when they are broken), plus the top-Via branch when both
 * messages carry one, plus the addresses (a response travels back from the
 * request's destination to its source) as a tie-breaker between hops.
 *  - a request with the same key, branch and addresses as a known one is a
 *    retransmission (same transaction);
 *  - ACK is no transaction of its own: it is recorded on the INVITE it
 *    acknowledges and never expects a response; CANCEL is its own transaction
 *    (its CSeq method differs from the INVITE's);
 *  - the first final response (>= 200) of a transaction is its answer, later
 *    ones are counted as retransmissions; the first provisional is kept too.
 *
 * Bounded: the table holds at most `cap` transactions (allocated once by
 * sip400_txn_table_init); a new request evicts the oldest transaction.  A
 * response whose transaction was evicted (or whose request is not in the
 * capture) is an orphan.  No allocation after init.
 */
#ifndef SIP400_TXN_H
#define SIP400_TXN_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"
#include "msg.h"

/* Transactions one table remembers (the glue uses one table per capture). */
#define SIP400_TXN_DEFAULT_CAP 8192u
/* Bytes of each key part kept for comparison; the hash covers the full text. */
#define SIP400_TXN_CALLID_MAX 128u
#define SIP400_TXN_NUM_MAX 24u
#define SIP400_TXN_METHOD_MAX 32u
#define SIP400_TXN_BRANCH_MAX 96u

/* Each part is kept NUL-terminated (its first SIP400_TXN_*_MAX - 1 bytes);
 * the bytes after the NUL are undefined. */
typedef struct {
    uint64_t hash;           /* over the full Call-ID, CSeq number and CSeq method */
    uint32_t callid_len, num_len, method_len, branch_len; /* full lengths */
    char num[SIP400_TXN_NUM_MAX];
    char method[SIP400_TXN_METHOD_MAX];
    char callid[SIP400_TXN_CALLID_MAX];
    char branch[SIP400_TXN_BRANCH_MAX];
} sip400_txn_key;

/* Extract the key of a message (request or response).  Returns false when the
 * message has neither a Call-ID nor a top-Via branch (nothing to correlate on). */
bool sip400_txn_key_from_msg(const sip400_msg *m, sip400_txn_key *k);

/* What a chain walk reads comes first: the chain link and creation order,
 * then the key's hash and lengths, in the entry's first cache line. */
typedef struct {
    int32_t next;             /* hash chain */
    bool used;
    uint64_t seq;             /* creation order (1, 2, ...) */
    sip400_txn_key key;
    sip400_addr src, dst;     /* of the first request copy */
    uint16_t src_port, dst_port;
    uint32_t req_frame;       /* first copy of the request */
    uint32_t req_last_frame;  /* latest copy (retransmission) */
    uint32_t req_count;       /* copies seen: 1 + retransmissions */
    uint32_t prov_frame;      /* first provisional response, 0: none */
    int prov_status;
    uint32_t final_frame;     /* first final response, 0: none */
    int final_status;
    uint32_t final_count;     /* final responses seen: 1 + retransmissions */
    uint32_t ack_frame;       /* INVITE: first ACK seen, 0: none */
    void *user;               /* the caller's record for this transaction */
    char req_method[SIP400_TXN_METHOD_MAX]; /* request-line method ("" if none) */
} sip400_txn;

typedef struct {
    sip400_txn *slots;        /* cap entries, a ring in creation order */
    int32_t *buckets;         /* nbuckets heads of hash chains, -1: empty */
    uint32_t cap, nbuckets;
    uint32_t head;            /* next slot to fill (holds the oldest when full) */
    uint32_t live;            /* transactions held */
    uint64_t created, evicted, orphans;
} sip400_txn_table;

typedef enum {
    SIP400_TXN_IGNORED = 0,     /* neither request nor response, or no key */
    SIP400_TXN_REQUEST,         /* a new transaction */
    SIP400_TXN_RETRANSMISSION,  /* another copy of a known request */
    SIP400_TXN_ACK,             /* ACK (recorded on its INVITE when found) */
    SIP400_TXN_PROVISIONAL,     /* 1xx of a known transaction */
    SIP400_TXN_FINAL,           /* the first final response of a known transaction */
    SIP400_TXN_FINAL_AGAIN,     /* a later final response (retransmitted 400, forked 200) */
    SIP400_TXN_ORPHAN           /* a response whose request is not known */
} sip400_txn_event;

const char *sip400_txn_event_name(sip400_txn_event e);

/* Allocate a table of cap transactions (cap >= 1); false when out of memory. */
bool sip400_txn_table_init(sip400_txn_table *t, uint32_t cap);
void sip400_txn_table_free(sip400_txn_table *t);
/* Forget every transaction (new capture); keeps the memory. */
void sip400_txn_table_reset(sip400_txn_table *t);

/* Feed one diagnosed message (ctx: its frame and addresses).  *out receives the
 * transaction the message belongs to (NULL for IGNORED, ORPHAN and unmatched
 * ACKs); the pointer is valid until the next feed.  Work is bounded by the
 * message length and the table size. */
sip400_txn_event sip400_txn_feed(sip400_txn_table *t, const sip400_msg *m, const sip400_ctx *ctx,
                                 sip400_txn **out);

#endif
