/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * SIP, SIPS and tel URI parsing (RFC 3261 19.1, RFC 3966, RFC 5118) on spans of
 * a message, and a validator shared by the Request-URI rules (group A) and the
 * header-URI rules (group D).
 */
#ifndef SIP400_URI_H
#define SIP400_URI_H

#include <stdbool.h>
#include <stdint.h>

#include "msg.h"

typedef enum {
    SIP400_SCHEME_NONE = 0, /* no "scheme:" at all */
    SIP400_SCHEME_SIP,
    SIP400_SCHEME_SIPS,
    SIP400_SCHEME_TEL,
    SIP400_SCHEME_OTHER
} sip400_scheme;

typedef enum {
    SIP400_HOST_NONE = 0,
    SIP400_HOST_NAME,
    SIP400_HOST_IPV4,
    SIP400_HOST_IPV6 /* bracketed reference */
} sip400_host_kind;

typedef struct {
    sip400_span all;      /* the whole URI */
    sip400_scheme scheme;
    sip400_span scheme_s; /* without ':' */
    bool has_at;          /* userinfo present (sip/sips) */
    uint32_t n_at;        /* '@' characters before the headers part */
    sip400_span user;     /* sip/sips: user; tel: the telephone-subscriber number */
    bool has_password;
    sip400_span password;
    sip400_span host;     /* brackets included for IPv6 */
    bool has_port;
    sip400_span port;     /* digits after ':' (may be empty or not digits) */
    sip400_span params;   /* ";..." up to '?' or end, without the first ';' */
    bool has_headers;
    sip400_span headers;  /* after '?' */
} sip400_uri;

/* Split a URI span into its parts.  Tolerant: never fails, the validator judges. */
void sip400_uri_parse(const sip400_msg *m, sip400_span s, sip400_uri *u);

/* Problems the validator can find in a URI.  Offsets point at the first byte
 * concerned (absolute message offsets). */
typedef enum {
    SIP400_UP_NONE = 0,
    SIP400_UP_MISSING_SCHEME,
    SIP400_UP_UNKNOWN_SCHEME,
    SIP400_UP_WHITESPACE,        /* SP/HT/CTL inside */
    SIP400_UP_MISSING_USER,      /* "@" with empty user */
    SIP400_UP_MISSING_AT,        /* user and host not joined by "@" */
    SIP400_UP_EMPTY_HOST,
    SIP400_UP_INVALID_HOST,
    SIP400_UP_IPV6_UNBRACKETED,
    SIP400_UP_IPV6_PORT_INSIDE,
    SIP400_UP_INVALID_PORT,
    SIP400_UP_BAD_ESCAPE,
    SIP400_UP_USER_INVALID_CHARS,
    SIP400_UP_USER_SECOND_AT,
    SIP400_UP_NON_ASCII,
    SIP400_UP_HEADERS,           /* ?headers present */
    SIP400_UP_PASSWORD,          /* user:password@ */
    SIP400_UP_COUNT
} sip400_uri_problem;

/* Why a host is not a hostname, IPv4 address or IPv6 reference. */
typedef enum {
    SIP400_HP_NONE = 0,
    SIP400_HP_BAD_CHAR,    /* a byte outside ALPHA DIGIT "-" "." (e.g. '%', '/', '!') */
    SIP400_HP_UNDERSCORE,  /* '_' (common in internal names, not RFC 3261) */
    SIP400_HP_LABEL_DASH,  /* a label starts or ends with '-' */
    SIP400_HP_EMPTY_LABEL, /* "..", or a leading '.' */
    SIP400_HP_TOO_LONG,    /* label > 63 or name > 255 bytes */
    SIP400_HP_NUMERIC,     /* digits and dots but not a dotted quad ("12345", "1.2.3") */
    SIP400_HP_IPV4_OCTET,  /* dotted quad with an octet > 255 or > 3 digits */
    SIP400_HP_IPV6_SYNTAX, /* '[' ... without ']' or not an IPv6 address inside */
    SIP400_HP_NON_ASCII    /* 8-bit bytes (raw UTF-8 instead of punycode) */
} sip400_host_problem;

typedef struct {
    sip400_uri_problem what;
    uint32_t off, len; /* bytes concerned */
    uint8_t detail;    /* SIP400_UP_INVALID_HOST: a sip400_host_problem */
} sip400_uri_issue;

#define SIP400_URI_MAX_ISSUES SIP400_UP_COUNT

typedef struct {
    uint32_t n;
    sip400_uri_issue v[SIP400_URI_MAX_ISSUES];
} sip400_uri_issues;

/* Validate a parsed URI; appends issues in the order above (at most one per kind). */
void sip400_uri_validate(const sip400_msg *m, const sip400_uri *u, sip400_uri_issues *out);
/* The same for a URI inside a span whose bytes have only the SIP400_BC_*
 * classes bc (e.g. the header line's cls): a class absent from bc is not
 * looked for byte by byte.  Same issues as sip400_uri_validate(), except that
 * SIP400_UP_USER_INVALID_CHARS is looked for only when user_chars is true. */
void sip400_uri_validate_bc(const sip400_msg *m, const sip400_uri *u, uint16_t bc, bool user_chars,
                            sip400_uri_issues *out);
bool sip400_uri_issues_has(const sip400_uri_issues *is, sip400_uri_problem what);
/* Short human name of a problem ("missing user part before '@'"). */
const char *sip400_uri_problem_text(sip400_uri_problem what);

/* Host classification helpers */
sip400_host_kind sip400_host_classify(const sip400_msg *m, sip400_span host, bool *valid);
/* Same, with the reason a host is invalid (SIP400_HP_NONE when valid). */
sip400_host_kind sip400_host_check(const sip400_msg *m, sip400_span host, sip400_host_problem *why);
const char *sip400_host_problem_text(sip400_host_problem why);
/* Problems every mainstream parser rejects (not '_' or a dash at a label edge,
 * which lenient stacks accept): what makes a header URI "not parse". */
bool sip400_host_problem_is_hard(sip400_host_problem why);
/* Parse dotted IPv4 / bracketed or bare IPv6 text into bytes; false if not an address. */
bool sip400_parse_ipv4(const uint8_t *p, uint32_t n, uint8_t out[4]);
bool sip400_parse_ipv6(const uint8_t *p, uint32_t n, uint8_t out[16]);

/* Find a parameter (case-insensitive name) in a ";a=b;c" list span; returns true and
 * its value span (empty when the parameter has no "=") when present. */
bool sip400_param_find(const sip400_msg *m, sip400_span params, const char *name, sip400_span *value);

/* Locate the URI inside a name-addr / addr-spec header value (From, To, Contact,
 * Route...): the part inside <> when present (the first '<' outside a quoted
 * display name), else the addr-spec up to the first ';' (header parameters).  *bracketed tells which form was used; *rest is what
 * follows the URI (header parameters).  Returns false when no URI can be found
 * (e.g. unterminated '<'). */
bool sip400_nameaddr_uri(const sip400_msg *m, sip400_span value, sip400_span *uri,
                         bool *bracketed, sip400_span *rest);

/* Split a comma-separated header value into elements, ignoring commas inside
 * quoted strings and <...>.  Returns the number of elements stored (at most max);
 * *total counts all (total NULL: the walk stops after max elements).  Empty
 * elements are kept (length 0) so callers can flag ",,". */
uint32_t sip400_split_list(const sip400_msg *m, sip400_span value, sip400_span *out, uint32_t max,
                           uint32_t *total);

#endif
