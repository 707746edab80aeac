/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The message view: one bounded pass over the raw bytes of a SIP message
 * (start line, an index of the header lines with offsets, the body).
 * Zero-copy: every field is an offset and a length into the message bytes.
 */
#ifndef SIP400_MSG_H
#define SIP400_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Headers indexed by the scanner.  Long and compact forms map to one id. */
#define SIP400_HEADERS(X)                                        \
    X(VIA, "Via", 'v')                                           \
    X(FROM, "From", 'f')                                         \
    X(TO, "To", 't')                                             \
    X(CALL_ID, "Call-ID", 'i')                                   \
    X(CSEQ, "CSeq", 0)                                           \
    X(MAX_FORWARDS, "Max-Forwards", 0)                           \
    X(CONTACT, "Contact", 'm')                                   \
    X(CONTENT_LENGTH, "Content-Length", 'l')                     \
    X(CONTENT_TYPE, "Content-Type", 'c')                         \
    X(CONTENT_ENCODING, "Content-Encoding", 'e')                 \
    X(SUBJECT, "Subject", 's')                                   \
    X(SUPPORTED, "Supported", 'k')                               \
    X(EVENT, "Event", 'o')                                       \
    X(REFER_TO, "Refer-To", 'r')                                 \
    X(REFERRED_BY, "Referred-By", 'b')                           \
    X(ACCEPT_CONTACT, "Accept-Contact", 'a')                     \
    X(REJECT_CONTACT, "Reject-Contact", 'j')                     \
    X(REQUEST_DISPOSITION, "Request-Disposition", 'd')           \
    X(SESSION_EXPIRES, "Session-Expires", 'x')                   \
    X(ALLOW_EVENTS, "Allow-Events", 'u')                         \
    X(IDENTITY, "Identity", 'y')                                 \
    X(SUBSCRIPTION_STATE, "Subscription-State", 0)               \
    X(REQUIRE, "Require", 0)                                     \
    X(PROXY_REQUIRE, "Proxy-Require", 0)                         \
    X(EXPIRES, "Expires", 0)                                     \
    X(MIN_SE, "Min-SE", 0)                                       \
    X(ROUTE, "Route", 0)                                         \
    X(RECORD_ROUTE, "Record-Route", 0)                           \
    X(AUTHORIZATION, "Authorization", 0)                         \
    X(PROXY_AUTHORIZATION, "Proxy-Authorization", 0)             \
    X(P_ASSERTED_IDENTITY, "P-Asserted-Identity", 0)             \
    X(P_PREFERRED_IDENTITY, "P-Preferred-Identity", 0)           \
    X(PATH, "Path", 0)                                           \
    X(DATE, "Date", 0)                                           \
    X(ALERT_INFO, "Alert-Info", 0)                               \
    X(ACCEPT, "Accept", 0)                                       \
    X(CONTENT_DISPOSITION, "Content-Disposition", 0)             \
    X(RACK, "RAck", 0)                                           \
    X(RSEQ, "RSeq", 0)                                           \
    X(SIP_ETAG, "SIP-ETag", 0)                                   \
    X(SIP_IF_MATCH, "SIP-If-Match", 0)                           \
    X(WARNING, "Warning", 0)                                     \
    X(SERVER, "Server", 0)                                       \
    X(USER_AGENT, "User-Agent", 0)                               \
    X(REASON, "Reason", 0)                                       \
    X(P_REGISTRAR_ERROR, "P-Registrar-Error", 0)                 \
    X(WWW_AUTHENTICATE, "WWW-Authenticate", 0)                   \
    X(PROXY_AUTHENTICATE, "Proxy-Authenticate", 0)

typedef enum {
    SIP400_H_OTHER = 0,
#define SIP400_H_ENUM(sym, name, compact) SIP400_H_##sym,
    SIP400_HEADERS(SIP400_H_ENUM)
#undef SIP400_H_ENUM
    SIP400_H_COUNT
} sip400_hid;

/* Canonical (long) name of a header id; "" for SIP400_H_OTHER. */
const char *sip400_header_name(sip400_hid id);

/* Header-line flags */
#define SIP400_HF_NO_COLON   0x01u /* line without ':' (not a continuation) */
#define SIP400_HF_FOLDED     0x02u /* value continues on following lines */
#define SIP400_HF_COMPACT    0x04u /* compact (one-letter) name */
#define SIP400_HF_WS_NAME    0x08u /* whitespace between name and ':' */

/* Byte classes present in a header line (name, value and continuation lines,
 * without the final EOL): the OR of the classes of its bytes.  A rule whose
 * finding needs a byte of some class skips its loop when the class is absent,
 * so a header value is not walked once per rule (bench/README.md). */
#define SIP400_BC_CTL    0x0001u /* control byte other than HT, CR, LF (NUL included), or DEL */
#define SIP400_BC_8BIT   0x0002u /* byte >= 0x80 */
#define SIP400_BC_NUL    0x0004u /* NUL */
#define SIP400_BC_CR     0x0008u /* CR (folding or a bare CR) */
#define SIP400_BC_LF     0x0010u /* LF (folding) */
#define SIP400_BC_DQUOTE 0x0020u /* '"' */
#define SIP400_BC_BSLASH 0x0040u /* '\\' */
#define SIP400_BC_SEMI   0x0080u /* ';' */
#define SIP400_BC_COMMA  0x0100u /* ',' */
#define SIP400_BC_ANGLE  0x0200u /* '<' or '>' */
#define SIP400_BC_PCT    0x0400u /* '%' */
#define SIP400_BC_WSP    0x0800u /* SP or HT */

/* An IP address (packet context, IP literals in headers). */
typedef struct {
    uint8_t family;    /* 0 unknown, 4, 6 */
    uint8_t addr[16];  /* network order; IPv4 in the first 4 bytes */
} sip400_addr;

typedef struct {
    uint32_t line_off;  /* first byte of the header line (the name) */
    uint32_t line_len;  /* up to the end of its last continuation line, without EOL */
    uint32_t name_len;  /* name at line_off, without trailing whitespace */
    uint32_t value_off; /* value, leading and trailing whitespace trimmed */
    uint32_t value_len; /* may contain folded EOL+WSP sequences */
    uint16_t id;        /* sip400_hid */
    uint16_t cls;       /* SIP400_BC_* of the line's bytes */
    uint8_t flags;
} sip400_hdr;

typedef enum {
    SIP400_START_INVALID = 0, /* neither a request line nor a status line */
    SIP400_START_REQUEST,
    SIP400_START_RESPONSE
} sip400_start_kind;

typedef struct {
    uint32_t off, len;
} sip400_span;

/* Stored header lines; later lines are only counted (bounded work). */
#define SIP400_MAX_HEADERS 256

typedef struct {
    const uint8_t *p; /* message bytes */
    uint32_t len;     /* bytes that belong to this message */

    uint32_t lead_len;         /* bytes before the start line */
    uint32_t lead_garbage_len; /* of those, bytes other than CR/LF */

    sip400_start_kind kind;
    sip400_span line;    /* whole start line, without EOL */
    uint32_t nfields;    /* SP/HT-separated fields in the start line */
    sip400_span method;  /* request: first field */
    sip400_span ruri;    /* request: second field (first URI token) */
    sip400_span version; /* request: last field; response: first */
    sip400_span reason;  /* response: reason phrase */
    int status;          /* response: status code, else 0 */

    sip400_hdr hdr[SIP400_MAX_HEADERS];
    uint32_t nhdr;       /* stored */
    uint32_t nhdr_total; /* seen, including those past SIP400_MAX_HEADERS */
    int16_t first[SIP400_H_COUNT]; /* index of first occurrence or -1 */
    uint16_t count[SIP400_H_COUNT];

    bool have_blank_line; /* headers end with an empty line */
    uint32_t hdr_end;     /* offset just past the header section (incl. empty line) */
    uint32_t body_off, body_len;

    uint16_t cls_start; /* SIP400_BC_* of the start line */
    uint16_t cls_hdrs;  /* SIP400_BC_* of all stored header lines */

    /* line endings of the start line and header section */
    uint32_t n_crlf, n_bare_lf;
    uint32_t first_bare_lf; /* offset of the first bare LF (valid if n_bare_lf) */

    /* stored header lines of some kinds: a rule that looks for one kind skips
     * its walk over all lines when there is none */
    uint32_t nhdr_no_colon; /* with SIP400_HF_NO_COLON */
    uint32_t nhdr_other;    /* id SIP400_H_OTHER (those without colon included) */
    uint32_t nhdr_folded;   /* with SIP400_HF_FOLDED */
} sip400_msg;

/* Scan one message of at most len bytes.  Never reads past data+len. */
void sip400_msg_scan(sip400_msg *m, const uint8_t *data, uint32_t len);

/* Length of the first message in data on a stream transport: header section plus
 * Content-Length (when valid), bounded by len.  Returns len when the headers do
 * not end inside the buffer. */
uint32_t sip400_stream_frame_len(const uint8_t *data, uint32_t len);

/* Whether a payload that no SIP dissector claimed looks like a SIP message:
 * its first line names SIP/x.y or starts with a known SIP method and a space. */
bool sip400_looks_like_sip(const uint8_t *data, uint32_t len);

/* Header helpers */
static inline const sip400_hdr *sip400_msg_first(const sip400_msg *m, sip400_hid id)
{
    return m->first[id] >= 0 ? &m->hdr[m->first[id]] : NULL;
}
/* n bytes at a equal b, ASCII case-insensitively */
bool sip400_mem_ieq(const uint8_t *a, const char *b, size_t n);
/* Inline so that strlen() of a literal folds to a constant (the rules compare
 * spans with literals everywhere). */
static inline bool sip400_span_eq(const sip400_msg *m, sip400_span s, const char *lit)
{
    size_t n = strlen(lit);
    return s.len == n && memcmp(m->p + s.off, lit, n) == 0;
}
static inline bool sip400_span_ieq(const sip400_msg *m, sip400_span s, const char *lit)
{
    size_t n = strlen(lit);
    return s.len == n && sip400_mem_ieq(m->p + s.off, lit, n);
}

/* Byte classes */
extern const uint8_t sip400_token_chars[256];
/* RFC 3261 token character (a table lookup: the rules call this per byte) */
static inline bool sip400_is_token_char(uint8_t c)
{
    return sip400_token_chars[c] != 0;
}
/* SIP400_BC_* of the bytes [off, off + len) */
uint16_t sip400_byte_classes(const uint8_t *p, uint32_t off, uint32_t len);

/* Offset of the first byte c in p[i, n), or n.  With SSE2 (every x86-64)
 * sixteen-byte compares inline: on short lines a call to memchr() per search
 * costs more (callgrind, engine_bench).  Loads stay inside [i, n); the last
 * bytes (fewer than sixteen) go to memchr(). */
static inline uint32_t sip400_find_byte(const uint8_t *p, uint32_t i, uint32_t n, uint8_t c)
{
#if defined(__SSE2__)
    const __m128i k = _mm_set1_epi8((char)c);
    for (; n - i >= 16; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, k));
        if (mask)
            return i + (uint32_t)__builtin_ctz(mask);
    }
    for (; i < n; i++) { /* fewer than sixteen bytes: no call */
        if (p[i] == c)
            return i;
    }
    return n;
#else
    const uint8_t *q = i < n ? (const uint8_t *)memchr(p + i, c, n - i) : NULL;
    return q ? (uint32_t)(q - p) : n;
#endif
}

#endif
