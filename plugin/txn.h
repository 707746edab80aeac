/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Transaction correlation: links every request of a capture to its responses.
 * Engine level (plain C11, no libwireshark): it reads the engine's own message
 * view, so it also works for requests Wireshark could not decode as SIP.
 *
 * A request is keyed by what a response can carry back (RFC 3261 8.2.6.2:
 * From, Call-ID, CSeq and Via are copied into every response), each part
 * indexed on its own, so that a 400 that leaves some out is still linked:
 *  - top-Via branch + sent-by (+ CSeq method when the response has a CSeq):
 *    RFC 3261 17.1.3 client matching; the strongest key;
 *  - Call-ID + CSeq number and method, as written (a 400 copies them even
 *    when they are broken), the branch telling hops apart when both have one;
 *  - Call-ID + From tag (weak): a 400 without Via and CSeq;
 *  - addresses (weak): a 400 with none of those, from the request's
 *    destination to its source (same transport; on TCP/TLS the same
 *    connection, i.e. the same port pair) to the nearest earlier request of
 *    that client that has no final response yet.
 * Weak links only reach requests without a final response, within the life of
 * a transaction (SIP400_TXN_WEAK_WINDOW: 64*T1 = 32 s, RFC 3261 17.1.1.2).
 *  - a request with the same Call-ID, CSeq, branch and addresses as a known
 *    one is a retransmission (same transaction);
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

/* Seconds a weak link may span: 64*T1, the life of a non-INVITE client
 * transaction (Timer F) and of an unanswered INVITE (Timer B), RFC 3261 17.1. */
#define SIP400_TXN_WEAK_WINDOW 32.0
/* Transactions the address link looks back over (newest first). */
#define SIP400_TXN_ADDR_LOOKBACK 256u
#define SIP400_TXN_SENT_BY_MAX 64u
#define SIP400_TXN_TAG_MAX 64u

/* Each part is kept NUL-terminated (its first SIP400_TXN_*_MAX - 1 bytes);
 * the bytes after the NUL are undefined.  The hashes cover the full texts. */
typedef struct {
    uint64_t hash;           /* Call-ID, CSeq number and CSeq method */
    uint64_t branch_hash;    /* top-Via branch and sent-by (0: no branch) */
    uint64_t callid_hash;    /* Call-ID alone (0: no Call-ID) */
    uint32_t callid_len, num_len, method_len, branch_len, sent_by_len, tag_len; /* full lengths */
    bool has_cseq;           /* the message has a CSeq header */
    char num[SIP400_TXN_NUM_MAX];
    char method[SIP400_TXN_METHOD_MAX];
    char callid[SIP400_TXN_CALLID_MAX];
    char branch[SIP400_TXN_BRANCH_MAX];
    char sent_by[SIP400_TXN_SENT_BY_MAX];
    char tag[SIP400_TXN_TAG_MAX]; /* From tag */
} sip400_txn_key;

/* Extract the key of a message (request or response); via: its parsed top Via
 * (NULL: parsed here).  Returns false when the message has neither a Call-ID
 * nor a top-Via branch (nothing to correlate on but the addresses). */
bool sip400_txn_key_from_msg(const sip400_msg *m, const sip400_top_via *via, sip400_txn_key *k);

/* How a response was linked to its request, strongest first. */
typedef enum {
    SIP400_LINK_NONE = 0,
    SIP400_LINK_BRANCH,      /* top-Via branch + sent-by */
    SIP400_LINK_CALLID_CSEQ, /* Call-ID + CSeq */
    SIP400_LINK_CALLID_TAG,  /* Call-ID + From tag (weak) */
    SIP400_LINK_ADDRESSES    /* reverse path to an open request (weak) */
} sip400_txn_link;

/* "branch", "callid_cseq", "callid_tag", "addresses" ("" for NONE) */
const char *sip400_txn_link_name(sip400_txn_link l);
static inline bool sip400_txn_link_weak(sip400_txn_link l)
{
    return l == SIP400_LINK_CALLID_TAG || l == SIP400_LINK_ADDRESSES;
}

/* What a chain walk reads comes first: the chain link and creation order,
 * then the key's hash and lengths, in the entry's first cache line. */
typedef enum { SIP400_TXN_IX_CSEQ = 0, SIP400_TXN_IX_BRANCH, SIP400_TXN_IX_CALLID, SIP400_TXN_NIX } sip400_txn_ix;

typedef struct {
    int32_t next[SIP400_TXN_NIX]; /* hash chain per index (-2: not in that index) */
    bool used;
    uint64_t seq;             /* creation order (1, 2, ...) */
    sip400_txn_key key;
    sip400_addr src, dst;     /* of the first request copy */
    uint16_t src_port, dst_port;
    uint8_t transport;        /* sip400_transport */
    double time;              /* of the first copy (0: unknown) */
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
    int32_t *buckets;         /* SIP400_TXN_NIX * nbuckets heads of hash chains, -1: empty */
    uint32_t cap, nbuckets;
    uint32_t head;            /* next slot to fill (holds the oldest when full) */
    uint32_t live;            /* transactions held */
    uint64_t created, evicted, orphans;
    sip400_txn_link last_link; /* how the last response fed was linked */
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

/* Feed one diagnosed message (via: its parsed top Via, NULL: parsed here; ctx:
 * its frame, time and addresses).  *out receives the transaction the message
 * belongs to (NULL for IGNORED, ORPHAN and unmatched ACKs); the pointer is
 * valid until the next feed.  For a response, t->last_link tells how it was
 * linked.  Work is bounded by the message length and the table size. */
sip400_txn_event sip400_txn_feed(sip400_txn_table *t, const sip400_msg *m, const sip400_top_via *via,
                                 const sip400_ctx *ctx, sip400_txn **out);

#endif
