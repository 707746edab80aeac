/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A small bounded SDP parser (RFC 4566 / RFC 8866 line syntax) and the helpers
 * that locate SDP in a SIP message (plain body or a part of a multipart body).
 *
 * One pass over the lines, no allocation: everything is an offset into the
 * caller's buffer.  Offsets are absolute in that buffer, so with the message
 * bytes (m->p) they are message offsets, ready for findings.  Used by the body
 * rules (group G) and the NAT rules (c=/o= addresses).
 */
#ifndef SIP400_SDP_H
#define SIP400_SDP_H

#include <stdbool.h>
#include <stdint.h>

#include "msg.h"

/* Problems found in an SDP.  The first group breaks the grammar or trips
 * mainstream parsers (pjmedia, sofia-sip): body.sdp.malformed.  The last three
 * are line-format risks: body.sdp.line_format. */
typedef enum {
    SIP400_SDP_E_NONE = 0,
    SIP400_SDP_E_BAD_LINE,     /* a line that is not "<letter>=<value>" */
    SIP400_SDP_E_EMPTY_LINE,   /* an empty line before the end of the SDP */
    SIP400_SDP_E_UNKNOWN_TYPE, /* a type letter RFC 4566 does not define */
    SIP400_SDP_E_FIRST_NOT_V,  /* the first line is not v= */
    SIP400_SDP_E_VERSION,      /* v= other than 0 */
    SIP400_SDP_E_ORDER,        /* v= o= s= t= out of order, repeated, or after m= */
    SIP400_SDP_E_NO_ORIGIN,    /* no o= line */
    SIP400_SDP_E_NO_NAME,      /* no s= line */
    SIP400_SDP_E_NO_TIME,      /* no t= line */
    SIP400_SDP_E_ORIGIN,       /* o= not "user id version IN IP4|IP6 addr" */
    SIP400_SDP_E_EMPTY_NAME,   /* "s=" with nothing after it */
    SIP400_SDP_E_CONN,         /* c= not "IN IP4|IP6 addr" */
    SIP400_SDP_E_BANDWIDTH,    /* b= not "type:digits" */
    SIP400_SDP_E_TIME,         /* t= not two decimal numbers */
    SIP400_SDP_E_ATTRIBUTE,    /* a= without an attribute name */
    SIP400_SDP_E_MEDIA,        /* m= without media type or protocol */
    SIP400_SDP_E_PORT,         /* m= port not a decimal number (["/" count] allowed) */
    SIP400_SDP_E_NO_FORMATS,   /* m= with a non-zero port and no formats */
    SIP400_SDP_E_PT_RANGE,     /* RTP payload type above 127 */
    SIP400_SDP_E_NO_RTPMAP,    /* dynamic payload type (96-127) without a=rtpmap */
    SIP400_SDP_E_NO_CONN,      /* active m= without c= in the media or the session */
    SIP400_SDP_W_BARE_LF,      /* lines ending in LF instead of CRLF */
    SIP400_SDP_W_TRAILING_WS,  /* spaces or tabs before the line end */
    SIP400_SDP_W_NO_FINAL_EOL, /* last line without a line ending */
    SIP400_SDP_ISSUE_COUNT
} sip400_sdp_issue_kind;

/* Short text for an issue kind ("m= port is not a number"). */
const char *sip400_sdp_issue_text(sip400_sdp_issue_kind k);
/* Whether the kind is a line-format risk (body.sdp.line_format) rather than malformed. */
bool sip400_sdp_issue_is_format(sip400_sdp_issue_kind k);

typedef struct {
    sip400_sdp_issue_kind kind;
    uint32_t off, len;  /* the bytes concerned (often one line or one field) */
    uint32_t line_off, line_len; /* the whole line, without its EOL */
} sip400_sdp_issue;

/* An address of an o= or c= line. */
typedef struct {
    char type;          /* 'o' or 'c' */
    int16_t media;      /* -1 session level, else index of the m= section */
    uint8_t family;     /* from the addrtype field: 4 (IP4), 6 (IP6), 0 other */
    bool is_ip;         /* the text is an IP literal of that family, bytes in ip[] */
    uint8_t ip[16];     /* network order, IPv4 in the first 4 bytes */
    uint32_t line_off, line_len; /* the whole line, without EOL */
    uint32_t addr_off, addr_len; /* the address text, without a "/ttl" suffix */
} sip400_sdp_addr;

/* One m= section. */
typedef struct {
    uint32_t line_off, line_len;   /* the m= line */
    uint32_t media_off, media_len; /* "audio" */
    uint32_t port_off, port_len;   /* port digits (without "/count") */
    uint32_t proto_off, proto_len; /* "RTP/AVP" */
    uint32_t fmt_off, fmt_len;     /* the format list, may be empty */
    uint32_t port;                 /* valid when port_ok (may exceed 65535: RFC 4566 does not bound it) */
    bool port_ok;
    bool rtp;                      /* the protocol carries RTP ("RTP/AVP", "UDP/TLS/RTP/SAVPF") */
    bool has_conn;                 /* a c= line inside this section */
    uint32_t nfmt;
    uint32_t dyn_pt;               /* bit (pt - 96): dynamic payload types in the format list */
    uint32_t dyn_rtpmap;           /* bit (pt - 96): a=rtpmap lines in this section */
} sip400_sdp_media;

#define SIP400_SDP_MAX_MEDIA 16
#define SIP400_SDP_MAX_ADDRS 16
#define SIP400_SDP_MAX_ISSUES 8

typedef struct {
    uint32_t off, len;      /* the SDP text parsed */
    uint32_t nlines;        /* non-empty lines */
    bool has_session_conn;  /* c= before the first m= */
    bool has_origin, has_name, has_time;
    uint32_t origin_line_off, origin_line_len; /* the o= line (when has_origin) */

    uint32_t nmedia;        /* m= lines seen */
    uint32_t nmedia_stored; /* of those, stored in media[] */
    sip400_sdp_media media[SIP400_SDP_MAX_MEDIA];

    uint32_t naddr;         /* stored o=/c= addresses, in order of appearance */
    uint32_t naddr_total;
    sip400_sdp_addr addr[SIP400_SDP_MAX_ADDRS];

    uint32_t nissues;       /* stored issues, in order of appearance */
    uint32_t nissues_total;
    sip400_sdp_issue issues[SIP400_SDP_MAX_ISSUES];

    /* line-format counters (each kind is stored as an issue once) */
    uint32_t n_bare_lf, n_trailing_ws;
} sip400_sdp;

/* Parse the SDP at p[off, off+len).  Never reads outside that range; work is
 * linear in len.  Leading empty lines are skipped, trailing ones allowed. */
void sip400_sdp_parse(const uint8_t *p, uint32_t off, uint32_t len, sip400_sdp *out);

/* First issue that makes the SDP malformed (not a line-format risk), or NULL. */
const sip400_sdp_issue *sip400_sdp_first_error(const sip400_sdp *s);

/* Whether a text looks like SDP at all: its first non-empty line is "<a-z>=". */
bool sip400_sdp_looks_like(const uint8_t *p, uint32_t off, uint32_t len);

/* ---- locating bodies in a SIP message ---- */

/* A parsed Content-Type value: "type/subtype *(;param)". */
typedef struct {
    bool ok;                      /* type "/" subtype found */
    uint32_t type_off, type_len;
    uint32_t sub_off, sub_len;
    uint32_t params_off, params_len; /* after the first ';' (may be empty) */
} sip400_ctype;

/* Parse the Content-Type span of a message (header value or a multipart part header). */
void sip400_ctype_parse(const sip400_msg *m, uint32_t off, uint32_t len, sip400_ctype *ct);
/* Case-insensitive check of type and subtype ("application", "sdp"); subtype NULL: any. */
bool sip400_ctype_is(const sip400_msg *m, const sip400_ctype *ct, const char *type, const char *subtype);

/* The body the receiver sees: from body_off, bounded by a valid Content-Length. */
sip400_span sip400_body_effective(const sip400_msg *m);
/* Whether a span holds nothing but CR, LF, SP and HT. */
bool sip400_span_blank(const sip400_msg *m, sip400_span s);
/* The body carries a Content-Encoding other than identity (then its bytes are not text). */
bool sip400_body_encoded(const sip400_msg *m);

/* The SDP texts of a message, as message spans: the body when it is labelled
 * application/sdp (or unlabelled and starting with "v="), or the application/sdp
 * parts of a multipart body.  Returns how many were stored (at most max);
 * empty and encoded bodies give none. */
uint32_t sip400_sdp_locate(const sip400_msg *m, sip400_span *out, uint32_t max);

/* Multipart helpers (RFC 2046) on a message body. */
typedef struct {
    uint32_t off, len;          /* the part, between its delimiters (headers + body) */
    uint32_t body_off, body_len;/* the part body after its empty line */
    bool have_blank_line;       /* the part separates headers and body */
    sip400_ctype ctype;         /* the part's Content-Type (ok=false: none, text/plain) */
} sip400_mpart;

#define SIP400_MAX_MPARTS 16

typedef struct {
    bool has_boundary;          /* boundary parameter present and non-empty */
    uint32_t boundary_off, boundary_len; /* its value, quotes removed */
    uint32_t bparam_off, bparam_len;     /* the parameter as written (for highlighting) */
    uint32_t ndelim;            /* delimiter lines found */
    bool closed;                /* close-delimiter "--boundary--" found */
    uint32_t nparts;            /* stored parts */
    sip400_mpart parts[SIP400_MAX_MPARTS];
} sip400_multipart;

/* Split a multipart body: ct is the parsed Content-Type, body the body span. */
void sip400_multipart_parse(const sip400_msg *m, const sip400_ctype *ct, sip400_span body, sip400_multipart *mp);

#endif
