/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Glue for transactions and verdicts (epan side of txn.c and verdict.c):
 * the per-capture transaction table, the per-message notes cached on the first
 * pass, and their rendering (request_frame / response_frame / outcome on
 * requests and responses, the verdict on a 400) on every pass.
 *
 * What each pass can show:
 *  - first pass (one-pass tshark, the GUI while it reads the file): a response
 *    knows its request (it came earlier), so a 400 shows request_frame and its
 *    verdict; a request does not know its answer yet: no outcome.
 *  - later passes (tshark -2, the GUI when a packet is selected, taps that
 *    re-dissect): the whole capture was read, so requests also show
 *    response_frame and outcome (answered_400, answered_other, unanswered).
 */
#ifndef PACKET_SIP400_TXN_H
#define PACKET_SIP400_TXN_H

#include <epan/expert.h>
#include <epan/packet.h>

#include "packet-sip400.h"

/* Transactions remembered per capture; a new request evicts the oldest. */
#define SIP400_GLUE_TXN_CAP 16384u

/* Registration: fields and expert infos on proto_sip400; ei_causes is the
 * per-cause expert array (outcome.* items use it). */
void sip400_txn_glue_register(int proto, expert_field *ei_causes);
/* Init routine (new capture): (re)create and empty the table. */
void sip400_txn_glue_init(void);
/* Cleanup routine: free the table. */
void sip400_txn_glue_cleanup(void);

/* First pass: feed one diagnosed message (cm already holds its cached
 * findings; index: its position among the frame's diagnosed messages) and
 * keep its transaction note in cm (note, again, status, rec, ext->verdict). */
void sip400_txn_glue_feed(sip400_result *res, const sip400_ctx *ctx, sip400_cached_msg *cm, packet_info *pinfo,
                          guint32 index);

/* Whether the message deserves a "SIP 400 Diagnosis" subtree even without
 * findings: a 400, or (once the capture was read) a request answered by a 400. */
gboolean sip400_txn_glue_wants_tree(const sip400_cached_msg *cm, packet_info *pinfo);

/* Every pass: add the correlation and verdict items under the message's
 * subtree st (ti: its top item; off/len: the message bytes in mtvb). */
void sip400_txn_glue_render(const sip400_cached_msg *cm, proto_item *ti, proto_tree *st, tvbuff_t *mtvb, gint off,
                            gint len, packet_info *pinfo);

/* Read-only view of a note for taps and reports (packet-sip400-stats.c).
 * Counters of the transaction grow while the capture is read; on later passes
 * they are final. */
typedef struct {
    gboolean is_request;      /* else a response */
    gboolean again;           /* a retransmitted request / a repeated final response */
    int status;               /* response: status code */
    const void *txn;          /* identity of the transaction; NULL: the request is not in the capture */
    const sip400_cached_msg *req_msg; /* the request's first copy (NULL: not in the capture) */
    const struct sip400_msg_summary *req_summary; /* its summary; set once a 400 or a response with
                                                   * findings answered it (NULL before) */
    guint32 req_frame, req_count;
    guint32 prov_frame, final_frame; /* 0: none (yet) */
    int prov_status, final_status;
    /* the verdict of this 400, or (request) of the first 400 answering it */
    gboolean has_verdict;
    guint16 verdict_cause;
    guint8 confidence;        /* sip400_confidence */
    guint8 family;            /* sip400_server_family */
    gboolean server_only;
    const char *evidence, *reason, *warning, *detail, *agent; /* NULL when absent */
} sip400_txn_view;

/* Fill *v from a message's note; FALSE (and *v zeroed) when it has none. */
gboolean sip400_txn_glue_view(const sip400_cached_msg *cm, sip400_txn_view *v);

#endif
