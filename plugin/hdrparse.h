/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Header-value grammar helpers (RFC 3261 25.1 and friends) for the header
 * syntax rules: LWS, tokens, quoted strings with escapes, generic parameters,
 * token lists, delta-seconds, name-addr / addr-spec elements of address lists,
 * SIP-date and UTF-8.  Every function works on the message bytes p with
 * absolute offsets [off, end) and never reads at or past end; every loop
 * advances at least one byte per iteration.  No allocation, no recursion.
 */
#ifndef SIP400_HDRPARSE_H
#define SIP400_HDRPARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "msg.h"

/* LWS as it appears in a scanned value: SP, HT and the CR/LF of folded lines. */
static inline bool sip400_hp_is_lws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The three scanners below are inline: the rules call them for every
 * parameter and list element. */
static inline uint32_t sip400_hp_skip_lws(const uint8_t *p, uint32_t pos, uint32_t end)
{
    while (pos < end && sip400_hp_is_lws(p[pos]))
        pos++;
    return pos;
}
/* end moved back over trailing LWS (not before start) */
static inline uint32_t sip400_hp_trim_end(const uint8_t *p, uint32_t start, uint32_t end)
{
    while (end > start && sip400_hp_is_lws(p[end - 1]))
        end--;
    return end;
}
/* s without its leading and trailing LWS (both ends taken from the original span) */
static inline sip400_span sip400_hp_trim(const uint8_t *p, sip400_span s)
{
    uint32_t end = s.off + s.len;
    uint32_t off = sip400_hp_skip_lws(p, s.off, end);
    return (sip400_span){ off, sip400_hp_trim_end(p, off, end) - off };
}
/* first offset in [pos, end) that is not a token character */
static inline uint32_t sip400_hp_token_end(const uint8_t *p, uint32_t pos, uint32_t end)
{
    while (pos < end && sip400_is_token_char(p[pos]))
        pos++;
    return pos;
}
/* p[pos] is '"': offset just past the closing quote, or end when unterminated
 * (*closed tells which).  Backslash escapes the next byte. */
uint32_t sip400_hp_quoted_end(const uint8_t *p, uint32_t pos, uint32_t end, bool *closed);
/* The same for bytes whose SIP400_BC_* classes are among cls (a superset such
 * as the header line's cls is fine): no backslash search without SIP400_BC_BSLASH. */
uint32_t sip400_hp_quoted_end_cls(const uint8_t *p, uint32_t pos, uint32_t end, uint16_t cls, bool *closed);

/* What a grammar check found wrong, with the bytes concerned. */
typedef enum {
    SIP400_HV_OK = 0,
    SIP400_HV_EMPTY,              /* no value at all */
    SIP400_HV_EMPTY_ELEMENT,      /* ",," or a leading/trailing comma in a list */
    SIP400_HV_BAD_CHAR,           /* a character the grammar does not allow here */
    SIP400_HV_EMPTY_PARAM,        /* ";;" or a trailing ";" */
    SIP400_HV_BAD_PARAM_NAME,     /* parameter name not a token */
    SIP400_HV_BAD_PARAM_VALUE,    /* value not token / host / quoted-string */
    SIP400_HV_MISSING_VALUE,      /* "name=" with nothing after it */
    SIP400_HV_UNTERMINATED_QUOTE,
    SIP400_HV_NOT_DIGITS,
    SIP400_HV_TOO_BIG,
    SIP400_HV_LIST                /* several comma-separated values where one is allowed */
} sip400_hv_status;

typedef struct {
    sip400_hv_status st;
    uint32_t off, len; /* bytes concerned (absolute) */
} sip400_hp_err;

/* Short text for a status ("empty parameter"). */
const char *sip400_hv_status_text(sip400_hv_status st);

/* delta-seconds = 1*DIGIT, value <= 2^32-1, at [off, end) (trimmed by the caller). */
sip400_hv_status sip400_hp_delta_seconds(const uint8_t *p, uint32_t off, uint32_t end, uint64_t *value);

/* One generic parameter: token [ EQUAL gen-value ]. */
typedef struct {
    uint32_t off;          /* the ';' */
    sip400_span name;
    bool has_value;
    sip400_span value;     /* quotes included when quoted */
} sip400_hp_param;

/* Iterate *( SEMI generic-param ) from *pos (at a ';' or LWS before it) to end.
 * Returns true and fills *out for each parameter; returns false at the end of
 * the list or on an error (e->st != OK).  A value may be a token, a quoted
 * string, a bracketed IPv6 reference or a bare IPv6/host with ':' in it.
 * With need_value, a parameter without "=value" is an error. */
bool sip400_hp_param_next(const uint8_t *p, uint32_t *pos, uint32_t end, bool need_value, sip400_hp_param *out,
                          sip400_hp_err *e);

/* Validate a whole parameter list; find a parameter by name (case-insensitive). */
bool sip400_hp_params_ok(const uint8_t *p, uint32_t pos, uint32_t end, bool need_value, sip400_hp_err *e);
bool sip400_hp_params_find(const uint8_t *p, uint32_t pos, uint32_t end, const char *name, sip400_hp_param *out);

/* token *( COMMA token ) over [off, end); allow_empty: an empty value is fine. */
bool sip400_hp_token_list(const uint8_t *p, uint32_t off, uint32_t end, bool allow_empty, sip400_hp_err *e);

/* "token *(SEMI generic-param)" (Event, Content-Disposition, Subscription-State...);
 * *tok receives the leading token. */
bool sip400_hp_token_params(const uint8_t *p, uint32_t off, uint32_t end, sip400_span *tok, sip400_hp_err *e);

/* One element of an address header (From, To, Contact, Route, P-Asserted-Identity...):
 *   [display-name] "<" URI ">" *(SEMI param)  |  addr-spec *(SEMI param)
 * In list mode a comma ends the element only once an address has started
 * (after "<...>" or a "scheme:"), so an unquoted display name with a comma
 * ("Bell, Alexander <sip:...>") stays one element. */
typedef struct {
    sip400_span all;        /* element, trimmed */
    sip400_span display;    /* display name, trimmed, quotes included; len 0 if none */
    bool display_quoted;
    bool display_one_quoted;/* the display name is one closed quoted string */
    bool bracketed;         /* "<" URI ">" form */
    bool unterminated_angle;/* "<" without ">" */
    bool unterminated_quote;
    uint32_t quote_off;     /* the opening '"' when unterminated */
    sip400_span angle;      /* "<" .. ">" inclusive when bracketed */
    sip400_span uri;        /* inside the brackets (untrimmed) or the addr-spec */
    sip400_span params;     /* from the first ';' after the URI to the element end; len 0 if none */
} sip400_hp_addr;

/* Parse the element starting at pos (LWS skipped); returns the offset where it
 * ends (a ',' in list mode, or end).  Always returns a value > pos when pos < end. */
uint32_t sip400_hp_addr_next(const uint8_t *p, uint32_t pos, uint32_t end, bool list, sip400_hp_addr *a);
/* The same result for bytes whose SIP400_BC_* classes are among cls (a superset
 * such as the header line's cls is fine): skips the searches for '"', '\\' and
 * ',' that cannot succeed. */
uint32_t sip400_hp_addr_next_cls(const uint8_t *p, uint32_t pos, uint32_t end, bool list, uint16_t cls,
                                 sip400_hp_addr *a);

/* SIP-date (RFC 1123, GMT): "Sat, 13 Nov 2010 23:29:00 GMT".  On failure *why
 * names the problem and e->off/len the field. */
bool sip400_hp_date(const uint8_t *p, uint32_t off, uint32_t end, sip400_hp_err *e, const char **why);

/* Offset of the first byte of an invalid UTF-8 sequence in [off, end), or
 * UINT32_MAX; *len receives the bytes of the bad sequence. */
uint32_t sip400_hp_utf8_invalid(const uint8_t *p, uint32_t off, uint32_t end, uint32_t *len);

#endif
