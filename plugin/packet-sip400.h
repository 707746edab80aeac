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

/* One SIP message of a frame, diagnosed on the first pass. */
typedef struct {
    guint32 start;          /* offset of the message in its data source */
    guint32 length;         /* framed length */
    gboolean frame_ds;      /* the data source is the frame itself (else reassembled/decrypted) */
    gboolean from_data;     /* found as undissected payload, not by the SIP dissector */
    guint8 transport;       /* sip400_transport */
    struct sip400_txn_note *txn; /* transaction link and verdict (packet-sip400-txn.c), NULL: none */
    /* start line, Call-ID, endpoints (packet-sip400-stats.c), kept only when
     * the frame's bytes cannot give it again (!frame_ds); else NULL */
    const struct sip400_msg_summary *summary;
    guint32 nfindings;
    guint32 ndropped;       /* findings past the per-message cap */
    sip400_cached_finding *findings;
} sip400_cached_msg;

/* Everything sip400 knows about a frame after the first pass. */
typedef struct {
    guint32 nmsgs;
    sip400_cached_msg *msgs;
} sip400_frame_data;

#endif
