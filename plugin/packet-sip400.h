/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Glue between Wireshark (epan) and the sip400 engine.  Only the glue files
 * include epan headers; the engine (engine.h and the rules) does not.
 */
#ifndef PACKET_SIP400_H
#define PACKET_SIP400_H

#include <epan/packet.h>

#include "engine.h"

void proto_register_sip400(void);
void proto_reg_handoff_sip400(void);

/* One finding as cached after the first pass (file scope). */
typedef struct {
    guint16 cause;       /* sip400_cause */
    guint8 level;        /* sip400_level */
    guint32 offset;      /* absolute offset in the message's data source */
    guint32 length;
    const char *header;  /* static (catalog header name) or file-scope copy */
    const char *explanation;
    const char *fix;
} sip400_cached_finding;

/* What few messages need beyond sip400_cached_msg (file scope). */
typedef struct {
    struct sip400_txn_rec *rec; /* its transaction, once a tree or report can show it
                                 * (packet-sip400-txn.c); NULL: none */
    guint32 ndropped;       /* findings past the per-message cap */
    sip400_cached_finding *findings; /* nfindings of them */
    const struct sip400_cached_verdict *verdict; /* a 400: its verdict (packet-sip400-txn.c) */
    /* start line, Call-ID, endpoints (packet-sip400-stats.c), kept only when
     * the frame's bytes cannot give it again (!frame_ds) */
    const struct sip400_msg_summary *summary;
} sip400_msg_ext;

/* Transaction role of a message (packet-sip400-txn.c) */
enum { SIP400_NOTE_NONE = 0, SIP400_NOTE_REQUEST, SIP400_NOTE_RESPONSE };

/* One SIP message of a frame, diagnosed on the first pass: 24 bytes per
 * message for the whole capture, the rest in ext when there is any. */
typedef struct {
    guint32 start;          /* offset of the message in its data source */
    guint32 length;         /* framed length */
    guint16 status;         /* response status (transaction note) */
    guint8 nfindings;       /* <= SIP400_MAX_FINDINGS */
    guint8 frame_nmsgs;     /* on the frame's first message: messages diagnosed in the frame */
    guint8 transport;       /* sip400_transport */
    guint8 note;            /* SIP400_NOTE_*: what the message is in its transaction */
    unsigned frame_ds : 1;  /* the data source is the frame itself (else reassembled/decrypted) */
    unsigned from_data : 1; /* found as undissected payload, not by the SIP dissector */
    unsigned again : 1;     /* a retransmitted request, or a repeated final response */
    unsigned link : 3;      /* a response: how it was linked to its request (sip400_txn_link) */
    sip400_msg_ext *ext;    /* NULL: no findings, transaction record, verdict or summary kept */
} sip400_cached_msg;

static inline const sip400_cached_finding *sip400_cm_findings(const sip400_cached_msg *cm)
{
    return cm->ext ? cm->ext->findings : NULL;
}
static inline guint32 sip400_cm_dropped(const sip400_cached_msg *cm)
{
    return cm->ext ? cm->ext->ndropped : 0;
}
/* The message's ext, allocated (file scope) on first use. */
sip400_msg_ext *sip400_cm_ext(sip400_cached_msg *cm);

/* Everything sip400 knows about a frame after the first pass. */
typedef struct {
    guint32 nmsgs;
    sip400_cached_msg *msgs;
} sip400_frame_data;

#endif
