/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The top Via of a message, parsed once (RFC 3261 20.42, 25.1):
 *   via-parm = sent-protocol LWS sent-by *( SEMI via-params )
 * with its transport, sent-by host and port, and the branch, received and rport
 * parameters.  Read by the transport rules (group F) and by the transaction
 * table (branch + sent-by, RFC 3261 17.1.3 / 17.2.3).  Plus the IP-literal and
 * port helpers the sent-by and the URI hosts share.
 */
#ifndef SIP400_VIA_H
#define SIP400_VIA_H

#include <stdbool.h>
#include <stdint.h>

#include "hdrparse.h"
#include "msg.h"

typedef struct {
    const sip400_hdr *h;
    sip400_span elem;
    bool ok;                /* sent-protocol LWS sent-by *( SEMI via-params ) */
    bool ipv6_unbracketed;  /* reported by rules_uri.c */
    bool other_issue;       /* a defect another rule reports (";;", open quote) */
    uint32_t bad_off, bad_len;
    const char *why;
    sip400_span transport;
    sip400_span host, port;
    bool has_port;
    uint32_t portnum;       /* valid when has_port */
    bool has_branch;
    sip400_hp_param branch;
    bool has_received, has_rport;
    sip400_hp_param received, rport;
    bool host_is_ip;        /* when ok: the sent-by host is an IP literal, */
    sip400_addr host_addr;  /* this one (host_ip() once for all the rules) */
} sip400_top_via;

/* Parse the top Via (first element of the first Via header) into *v.  Returns
 * false when the message has no Via header (or only one without a colon);
 * otherwise true, with v->ok telling whether the element follows the grammar
 * (v->why and v->bad_off/bad_len say what is wrong when not).  Never reads
 * outside the message; linear in the element's length. */
bool sip400_top_via_parse(const sip400_msg *m, sip400_top_via *v);

/* IP literal (dotted quad, [IPv6] or bare IPv6) to bytes; false for a name. */
bool sip400_host_ip(const sip400_msg *m, sip400_span host, sip400_addr *out);
/* 1-5 digits, value 0..65535. */
bool sip400_parse_port(const sip400_msg *m, sip400_span s, uint32_t *port);

#endif
