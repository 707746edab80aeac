/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * sip400's own tap ("sip400"), its statistics tree (tshark -z sip400,tree and
 * the GUI's Statistics menu) and the per-incident report
 * (tshark -q -z sip400,report[,md|csv|json][,filter]).
 *
 * The post-dissector queues the frame's first-pass cache (sip400_frame_data)
 * on every pass, so the listeners see the same data in one pass, with -2, with
 * a display filter and with pruned trees.  What the listeners need beyond the
 * findings and the transaction note -- start line, Call-ID, CSeq, endpoints,
 * time -- is a sip400_msg_summary, taken from the message's bytes when a
 * listener shows the message (see below for the few kept from the first
 * pass).
 */
#ifndef PACKET_SIP400_STATS_H
#define PACKET_SIP400_STATS_H

#include <epan/packet.h>

#include "packet-sip400.h"

/* One diagnosed message as the report needs it.  Strings are quoted for
 * display (non-printable bytes as \xHH), never NULL.  Taken when a report
 * row needs it (packet scope); kept for the capture (file scope) only
 * where the frame's bytes cannot give it again: messages in reassembled or
 * decrypted data, and requests whose transaction got a 400 or a response
 * with findings (the report shows the request with that answer). */
typedef struct sip400_msg_summary {
    gboolean is_request;   /* else a response (or an unparsable start line) */
    guint32 frame;
    guint32 index;         /* position among the frame's diagnosed messages */
    nstime_t abs_ts;
    guint8 transport;      /* sip400_transport */
    const char *src, *dst; /* "192.0.2.10:5060", "[2001:db8::1]:5060" */
    const char *method;    /* request-line method; for a response the CSeq method */
    const char *ruri;      /* request: Request-URI as written (may hold spaces) */
    int status;            /* response: status code */
    const char *reason;    /* response: reason phrase */
    const char *call_id;
    const char *cseq;
} sip400_msg_summary;

/* Summarise message number `index` of the frame (m: its view) in scope. */
const sip400_msg_summary *sip400_stats_summarize(wmem_allocator_t *scope, const sip400_msg *m,
                                                 sip400_transport transport, packet_info *pinfo, guint32 index);

/* The raw parts of a summary (endpoints, time, the bytes of its texts) in
 * one g_malloc block: cheaper than a summary, and enough to make it later. */
typedef struct sip400_summary_raw sip400_summary_raw;
sip400_summary_raw *sip400_stats_raw_new(const sip400_msg *m, sip400_transport transport, packet_info *pinfo,
                                         guint32 index);
void sip400_stats_raw_free(sip400_summary_raw *r);
const sip400_msg_summary *sip400_stats_raw_summary(wmem_allocator_t *scope, const sip400_summary_raw *r);

/* Whether a "sip400" tap listener is registered (summaries are wanted). */
gboolean sip400_stats_wanted(void);

/* What the listeners get of each message of a frame: first pass, n entries
 * in packet scope when a listener is registered (else NULL), each set from
 * the engine's view of the message right after its analysis. */
typedef struct sip400_tap_msg sip400_tap_msg;
sip400_tap_msg *sip400_stats_tap_msgs(packet_info *pinfo, guint32 n);
void sip400_stats_tap_msg_set(sip400_tap_msg *tm, const sip400_msg *m, const sip400_cached_msg *cm,
                              packet_info *pinfo);
/* Entry i of an array from sip400_stats_tap_msgs */
sip400_tap_msg *sip400_stats_tap_msg_at(sip400_tap_msg *tms, guint32 i);

/* proto_register_sip400: register the "sip400" tap. */
void sip400_stats_register_tap(void);

/* Every pass: hand the frame's cache to the tap listeners (tvb: the frame).
 * first_pass: the entries set on the first pass; NULL: take them again. */
void sip400_stats_queue(packet_info *pinfo, const sip400_frame_data *fd, tvbuff_t *tvb, sip400_tap_msg *first_pass);

/* Tap plugin entry (plugin.c): the stats tree and the report. */
void sip400_stats_register_listeners(void);

#endif
