/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The sip400 engine: diagnoses one raw SIP message.  Plain C11, no libwireshark:
 * the unit tests, the fuzzer and the micro-benchmark link it directly.
 */
#ifndef SIP400_ENGINE_H
#define SIP400_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "history.h"
#include "msg.h"
#include "sdp.h"
#include "uri.h"
#include "via.h"

typedef enum {
    SIP400_TRANSPORT_UNKNOWN = 0,
    SIP400_TRANSPORT_UDP,
    SIP400_TRANSPORT_TCP,
    SIP400_TRANSPORT_TLS,
    SIP400_TRANSPORT_WS,
    SIP400_TRANSPORT_WSS,
    SIP400_TRANSPORT_SCTP
} sip400_transport;

const char *sip400_transport_name(sip400_transport t); /* "UDP", ... */
bool sip400_transport_is_stream(sip400_transport t);

typedef enum {
    SIP400_NUMBER_POLICY_ANY = 0, /* flag only what is broken for everyone */
    SIP400_NUMBER_POLICY_NATIONAL,
    SIP400_NUMBER_POLICY_E164
} sip400_number_policy;

/* User preferences that change the diagnosis. */
typedef struct {
    uint32_t disabled_groups;      /* bit (group - 'A') set: group off */
    sip400_number_policy number_policy;
    char country_code[8];          /* default country code, digits ("49"), "" = unknown */
    char trunk_prefix[8];          /* national trunk prefix ("0") */
    char intl_prefix[8];           /* international dialling prefix ("00") */
} sip400_prefs;

void sip400_prefs_default(sip400_prefs *p);

/* Packet context: what the bytes alone do not tell. */
typedef struct {
    sip400_transport transport;
    sip400_addr src, dst;
    uint16_t src_port, dst_port;
    uint32_t frame;
    double time;             /* capture time, seconds since the epoch; 0: unknown */
    bool ip_fragmented;      /* the datagram was IP-fragmented */
    const sip400_prefs *prefs; /* NULL: defaults */
    sip400_history *history; /* requests seen earlier in the capture; NULL: history rules skipped */
} sip400_ctx;

/* URIs remembered per analysis (sip400_uri_cached) */
#define SIP400_URI_CACHE 8

/* Bounds on per-message output */
#define SIP400_MAX_FINDINGS 32
#define SIP400_TEXT_MAX 200
#define SIP400_HEADER_NAME_MAX 32

typedef struct {
    sip400_cause cause;
    sip400_level level;      /* the catalog level unless the rule refines it */
    uint32_t offset, length; /* offending bytes, relative to the message start */
    char header[SIP400_HEADER_NAME_MAX]; /* "" when the finding is not about a header */
    char explanation[SIP400_TEXT_MAX];
    char fix[SIP400_TEXT_MAX];
} sip400_finding;

typedef struct {
    sip400_msg msg;          /* the message view the rules ran on */
    uint32_t nfindings;      /* stored findings */
    uint32_t nfindings_dropped; /* findings past SIP400_MAX_FINDINGS */
    sip400_finding findings[SIP400_MAX_FINDINGS];

    /* scratch shared by the rule groups of one analysis, so that each rule
     * group does not parse the same bytes again: the last SDP parsed
     * (sip400_sdp_cached) and the last URIs parsed (sip400_uri_cached) */
    const uint8_t *sdp_p;
    uint32_t sdp_off, sdp_len;
    sip400_sdp sdp;
    const uint8_t *uri_p;
    uint32_t nuri, uri_next;
    sip400_span uri_span[SIP400_URI_CACHE];
    sip400_uri uri[SIP400_URI_CACHE];
    bool via_done;           /* via holds the parsed top Via (sip400_via_cached) */
    sip400_top_via via;
} sip400_result;

/* Diagnose one message: data[0..len) holds exactly one SIP message (callers on
 * stream transports frame it first with sip400_stream_frame_len()).  Never reads
 * outside data[0..len); work is linear in len. */
void sip400_analyze(const uint8_t *data, uint32_t len, const sip400_ctx *ctx, sip400_result *out);

/* ---- for rule implementations ---- */

/* Append a finding with the catalog level and default fix; returns NULL when the
 * cause's group is disabled or the finding cap is reached (then it is counted). */
sip400_finding *sip400_add(sip400_result *r, const sip400_ctx *ctx, sip400_cause cause,
                           uint32_t off, uint32_t len, const char *header);
/* Formatted explanation / fix of a finding (no-op on NULL). */
void sip400_explain(sip400_finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sip400_set_fix(sip400_finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Quote message bytes for a text: escapes non-printable bytes as \xHH and cuts
 * long values with "...".  Always NUL-terminates dst (cap >= 8). */
void sip400_quote(char *dst, size_t cap, const uint8_t *p, uint32_t len);
/* sip400_sdp_parse() of m's bytes [off, off+len), parsed once per analysis:
 * the rules that look at the same SDP share one parse.  Valid until the next
 * call with other bytes. */
const sip400_sdp *sip400_sdp_cached(sip400_result *r, const sip400_msg *m, uint32_t off, uint32_t len);
/* sip400_uri_parse() of span s of m, remembered for the analysis (the last
 * SIP400_URI_CACHE URIs): From, To, Contact and the Request-URI are read by
 * several rule groups.  Valid until SIP400_URI_CACHE further calls. */
const sip400_uri *sip400_uri_cached(sip400_result *r, const sip400_msg *m, sip400_span s);
/* The top Via of r->msg, parsed on first use (the transport rules, then the
 * transaction table); v->h is NULL when the message has no Via. */
const sip400_top_via *sip400_via_cached(sip400_result *r);
/* Whether the message already has a finding with this cause. */
bool sip400_has(const sip400_result *r, sip400_cause cause);

/* Rule groups: each takes the message view and appends findings. */
typedef void (*sip400_rule_fn)(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r);
void sip400_rules_start(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r);     /* A */
void sip400_rules_headers(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r);   /* B, C */
void sip400_rules_uri(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r);       /* D */
void sip400_rules_number(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r);    /* E */
void sip400_rules_transport(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r); /* F */
void sip400_rules_body(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r);      /* G */
void sip400_rules_auth(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r);      /* H */
void sip400_rules_dialog(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r);    /* I */
void sip400_rules_size(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r);      /* J */

#endif
