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
 * time -- is taken once per message on the first pass (sip400_msg_summary).
 */
#ifndef PACKET_SIP400_STATS_H
#define PACKET_SIP400_STATS_H

#include <epan/packet.h>

#include "packet-sip400.h"

/* One diagnosed message as the report needs it (file scope, first pass).
 * Strings are quoted for display (non-printable bytes as \xHH), never NULL. */
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

/* First pass: summarise message number `index` of the frame (m: its view). */
const sip400_msg_summary *sip400_stats_summarize(const sip400_msg *m, const sip400_ctx *ctx, packet_info *pinfo,
                                                 guint32 index);

/* proto_register_sip400: register the "sip400" tap. */
void sip400_stats_register_tap(void);

/* Every pass: hand the frame's cache to the tap listeners. */
void sip400_stats_queue(packet_info *pinfo, const sip400_frame_data *fd);

/* Tap plugin entry (plugin.c): the stats tree and the report. */
void sip400_stats_register_listeners(void);

#endif
