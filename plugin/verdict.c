/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The verdict on a 400 (see verdict.h): the server's words, the server family,
 * and their combination with the request's own findings.
 */
#include "verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "rules_util.h"

/* ---- names ---- */

static const char *const family_names[SIP400_FAMILY_COUNT] = {
    "unknown", "kamailio", "opensips", "pjsip", "sofia", "resiprocate", "jain-sip", "avm",
};
/* as the evidence line says it */
static const char *const family_titles[SIP400_FAMILY_COUNT] = {
    "the server", "Kamailio", "OpenSIPS", "pjsip", "sofia-sip", "reSIProcate", "JAIN-SIP", "AVM FRITZ!OS",
};

const char *sip400_family_name(sip400_server_family f)
{
    return (unsigned)f < SIP400_FAMILY_COUNT ? family_names[f] : "unknown";
}

const char *sip400_confidence_name(sip400_confidence c)
{
    switch (c) {
    case SIP400_CONFIDENCE_HIGH: return "high";
    case SIP400_CONFIDENCE_MEDIUM: return "medium";
    case SIP400_CONFIDENCE_LOW: break;
    }
    return "low";
}

/* ---- the reason-phrase table (CAUSES.md "Reading the server's answer") ---- */

#define F(x) (1u << SIP400_FAMILY_##x)

/* In a pattern, "anything in between" (a literal '*' is part of some phrases) */
#define GAP "\x01"

typedef struct {
    const char *pat;  /* lower case; one GAP = anything in between */
    const char *ids;  /* space-separated cause ids or "group.*"; "" = no weight */
    unsigned hint;    /* families known to emit these words */
    const char *hdr;  /* the header the words name (findings on it explain them); NULL: none */
} phrase;

static const phrase phrases[] = {
    { "missing required header in request", "hdr.missing.*", F(KAMAILIO), NULL },
    { "transaction tuple incomplete", "hdr.missing.*", F(KAMAILIO), NULL },
    { "missing mandatory header field", "hdr.missing.*", F(RESIPROCATE), NULL },
    { "missing a required header", "hdr.missing.*", F(JAIN_SIP), NULL },
    { "message doesn't have callid", "hdr.missing.call_id", F(OPENSIPS), NULL },
    { "call-id header not found", "hdr.missing.call_id", F(KAMAILIO), NULL },
    { "to header not found", "hdr.missing.to", F(KAMAILIO), NULL },
    { "cseq header not found", "hdr.missing.cseq", F(KAMAILIO), NULL },
    { "missing contact header", "hdr.missing.contact", 0, NULL },
    { "bad/missing contact header", "hdr.missing.contact", F(PJSIP), NULL },
    { "contact header is mandatory", "hdr.missing.contact", F(JAIN_SIP), NULL },
    { "refer-to missing", "hdr.missing.refer_to", 0, NULL },
    { "event header missing", "hdr.missing.event", F(SOFIA), NULL },
    { "no subscription-state header", "hdr.missing.subscription_state", F(SOFIA), NULL },
    { "missing content-type", "body.content_type.missing", F(SOFIA), NULL },
    { "bad request uri", "ruri.*", F(KAMAILIO), NULL },
    { "failed to parse r-uri", "ruri.*", 0, NULL },
    { "invalid domain for r-uri", "ruri.invalid_host ruri.*", F(OPENSIPS), NULL },
    { "invalid username for r-uri", "ruri.user_invalid_chars ruri.bad_escape ruri.*", F(OPENSIPS), NULL },
    { "uri is formatted incorrectly", "ruri.*", 0, NULL },
    { "version not supported", "start.sip_version_unsupported", 0, NULL },
    { "malformed request line", "start.malformed_request_line", F(RESIPROCATE), NULL },
    { "header line, no colon", "hdr.line_no_colon nat.sip_alg_mangling body.missing_blank_line", F(AVM), NULL },
    { "illegal" GAP "header line", "hdr.line_no_colon nat.sip_alg_mangling body.missing_blank_line", F(AVM), NULL },
    { "bad via header", "via.malformed", F(SOFIA), "Via" },
    { "malformed topmost via header", "via.malformed", F(RESIPROCATE), "Via" },
    { "transport missmatch in topmost via", "transport.via_mismatch", F(KAMAILIO), "Via" },
    { "unsupported transport in topmost via", "transport.via_mismatch", F(KAMAILIO), "Via" },
    { "retransmission with different cseq", "via.branch.reused_different_cseq", F(PJSIP), NULL },
    { "cseq method does not match", "hdr.cseq.method_mismatch", F(KAMAILIO), "CSeq" },
    { "method mismatch btw request line and cseq", "hdr.cseq.method_mismatch", F(RESIPROCATE), "CSeq" },
    { "cseq method mismatch with", "hdr.cseq.method_mismatch", F(JAIN_SIP), "CSeq" },
    { "missing method in cseq", "hdr.cseq.missing_method", F(KAMAILIO), "CSeq" },
    { "missing number in cseq", "hdr.cseq.invalid_number", F(KAMAILIO), "CSeq" },
    { "cseq number is illegal", "hdr.cseq.invalid_number", F(KAMAILIO), "CSeq" },
    { "malformed cseq header", "hdr.cseq.invalid_number", F(RESIPROCATE), "CSeq" },
    { "bad cseq header", "hdr.cseq.invalid_number", F(SOFIA), "CSeq" },
    { "invalid cseq number", "hdr.cseq.invalid_number", F(KAMAILIO), "CSeq" },
    { "content-length mis-match", "body.content_length.mismatch", F(KAMAILIO), "Content-Length" },
    { "larger than datagram", "body.content_length.mismatch", F(RESIPROCATE), NULL },
    { "invalid body - content length", "body.content_length.mismatch", F(OPENSIPS), NULL },
    { "content-length failure", "body.content_length.invalid body.content_length.multiple", F(KAMAILIO), "Content-Length" },
    { "malformed content-length", "body.content_length.invalid body.content_length.multiple", F(RESIPROCATE), "Content-Length" },
    { "bad content-length header", "body.content_length.invalid body.content_length.multiple", F(SOFIA), "Content-Length" },
    { "content-length body failure", "body.missing_blank_line", F(KAMAILIO), NULL },
    { "bad expires header", "hdr.expires_invalid", F(KAMAILIO) | F(SOFIA), "Expires" },
    { "expires value is illegal", "hdr.expires_invalid", F(KAMAILIO), "Expires" },
    { "missing number in expires", "hdr.expires_invalid", F(KAMAILIO), "Expires" },
    { "expires parse error", "hdr.expires_invalid", F(KAMAILIO), "Expires" },
    { "invalid expires param", "hdr.expires_invalid", 0, "Expires" },
    { "session-expires invalid syntax", "hdr.session_timer_invalid", 0, "Session-Expires" },
    { "bad session-expires header", "hdr.session_timer_invalid", F(SOFIA), "Session-Expires" },
    { "min-se invalid syntax", "hdr.session_timer_invalid", 0, "Min-SE" },
    { "bad min-se header", "hdr.session_timer_invalid", F(SOFIA), "Min-SE" },
    { "bad proxy require header", "hdr.proxy_require_malformed", F(KAMAILIO), "Proxy-Require" },
    { "bad content-type header", "hdr.content_type_malformed", F(SOFIA), "Content-Type" },
    { "bad record-route header", "hdr.route_malformed", F(SOFIA), "Record-Route" },
    { "garbage route header", "hdr.route_malformed", F(RESIPROCATE), "Route" },
    { "bad to header", "uri.to_invalid hdr.duplicate_single_value hdr.unterminated_quote uri.missing_scheme", F(SOFIA), "To" },
    { "invalid to header", "uri.to_invalid hdr.duplicate_single_value hdr.unterminated_quote uri.missing_scheme", F(KAMAILIO), "To" },
    /* Kamailio 5.6 sanity spells it so */
    { "ivalid to header", "uri.to_invalid hdr.duplicate_single_value hdr.unterminated_quote uri.missing_scheme",
      F(KAMAILIO), "To" },
    { "malformed to:", "uri.to_invalid hdr.duplicate_single_value hdr.unterminated_quote uri.missing_scheme", F(RESIPROCATE), "To" },
    { "bad from header", "uri.from_invalid hdr.duplicate_single_value hdr.unterminated_quote uri.missing_scheme", F(SOFIA), "From" },
    { "invalid from header", "uri.from_invalid hdr.duplicate_single_value hdr.unterminated_quote uri.missing_scheme", F(KAMAILIO), "From" },
    { "malformed from", "uri.from_invalid hdr.duplicate_single_value hdr.unterminated_quote uri.missing_scheme", F(RESIPROCATE), "From" },
    { "bad call-id header", "encoding.callid_invalid hdr.duplicate_single_value", F(SOFIA), "Call-ID" },
    { "bad contact header", "uri.contact_invalid uri.missing_scheme", F(KAMAILIO) | F(SOFIA), "Contact" },
    { "bad contact uri", "uri.contact_invalid uri.missing_scheme", F(KAMAILIO), "Contact" },
    { "invalid contact header", "uri.contact_invalid", 0, "Contact" },
    { "contact parse error", "uri.contact_invalid", F(KAMAILIO), "Contact" },
    { "malformed contact", "uri.contact_invalid", F(RESIPROCATE), "Contact" },
    { "* used in contact", "uri.contact_star_misuse", F(KAMAILIO), "Contact" },
    { "invalid use of 'contact: *'", "uri.contact_star_misuse", F(RESIPROCATE), "Contact" },
    { "q param", "uri.contact_q_invalid", F(KAMAILIO), "Contact" },
    { "q parameter", "uri.contact_q_invalid", F(KAMAILIO), "Contact" },
    { "contact/received too long", "uri.contact_too_long", F(KAMAILIO), "Contact" },
    { "callid too long", "size.call_id_too_long", F(KAMAILIO), "Call-ID" },
    { "error while parsing aor", "uri.register_aor_invalid", F(KAMAILIO), NULL },
    { "error while unescaping username", "uri.register_aor_invalid", F(KAMAILIO), NULL },
    /* Kamailio registrar words CAUSES.md does not list yet (leads for the catalog) */
    { "no username in to uri", "uri.register_aor_invalid", F(KAMAILIO), "To" },
    { "address of record too long", "uri.register_aor_invalid", F(KAMAILIO), NULL },
    /* Kamailio sanity: header section does not parse */
    { "bad headers", "hdr.* uri.from_invalid uri.to_invalid", F(KAMAILIO), NULL },
    { "registration requests can't have to: tags", "dialog.register_with_to_tag", F(RESIPROCATE), NULL },
    { "many from tag params", "dialog.tag.duplicate", F(KAMAILIO), "From" },
    { "many to tag params", "dialog.tag.duplicate", F(KAMAILIO), "To" },
    { "bad auth header", "auth.malformed_header", F(KAMAILIO), "Authorization" },
    { "invalid auth header", "auth.malformed_header", F(RESIPROCATE), "Authorization" },
    { "bad auth credentials", "auth.missing_digest_param", F(KAMAILIO), "Authorization" },
    { "auth empty", "auth.empty_value", F(KAMAILIO), "Authorization" },
    { "pjmedia_sdp_", "body.sdp.malformed", F(PJSIP), NULL },
    { "invalid sdp", "body.sdp.malformed", 0, NULL },
    { "bad session description", "body.sdp.malformed", F(SOFIA), NULL },
    { "failed to parse sdp", "body.sdp.malformed", 0, NULL },
    { "bad sdp", "body.sdp.malformed", 0, NULL },
    { "tls with an ip-address in your contact", "transport.tls_ip_contact", F(RESIPROCATE), NULL },
    { "invalid phone number", "number.*", 0, NULL },
    { "phone number", "number.*", 0, NULL },
    { "invalid number", "number.*", 0, NULL },
    { "number format", "number.*", 0, NULL },
    { "e.164", "number.*", 0, NULL },
    { "e164", "number.*", 0, NULL },
    { "address incomplete", "number.*", 0, NULL },
    { "digits", "number.*", 0, NULL },
    { "illegal chars in header value", "hdr.illegal_chars", 0, NULL },
    { "bad request", "", 0, NULL }, /* plain: no weight */
};
#define NPHRASES (sizeof phrases / sizeof phrases[0])

/* JAIN-SIP names the missing header: "Missing a required header : Call-ID" */
static const struct {
    const char *name;
    sip400_cause cause;
} missing_names[] = {
    { "via", SIP400_HDR_MISSING_VIA },         { "from", SIP400_HDR_MISSING_FROM },
    { "to", SIP400_HDR_MISSING_TO },           { "call-id", SIP400_HDR_MISSING_CALL_ID },
    { "cseq", SIP400_HDR_MISSING_CSEQ },       { "max-forwards", SIP400_HDR_MISSING_MAX_FORWARDS },
    { "contact", SIP400_HDR_MISSING_CONTACT }, { "content-length", SIP400_HDR_MISSING_CONTENT_LENGTH },
    { "event", SIP400_HDR_MISSING_EVENT },     { "subscription-state", SIP400_HDR_MISSING_SUBSCRIPTION_STATE },
    { "refer-to", SIP400_HDR_MISSING_REFER_TO },
};

/* ---- small string helpers (all bounded by the buffers) ---- */

__attribute__((format(printf, 3, 4))) static void appendf(char *dst, size_t cap, const char *fmt, ...)
{
    size_t n = strlen(dst);
    if (n + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst + n, cap - n, fmt, ap);
    va_end(ap);
}

static uint8_t lower(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

/* Text source: lower-cased copy of a span (bounded). */
#define SRC_MAX 256
typedef struct {
    char low[SRC_MAX];
    uint32_t len;
    const char *label; /* "" for the reason phrase, else the header name */
    sip400_span span;  /* in the message */
    bool indexed;      /* pairs is set (src_index) */
    uint64_t pairs[16]; /* a 1024-bit set of the adjacent byte pairs of low */
} text_src;

static void src_init(text_src *s, const sip400_msg *m, sip400_span sp, const char *label)
{
    s->len = sp.len < SRC_MAX - 1 ? sp.len : SRC_MAX - 1;
    for (uint32_t i = 0; i < s->len; i++)
        s->low[i] = (char)lower(m->p[sp.off + i]);
    s->low[s->len] = '\0';
    s->label = label;
    s->span = sp;
    s->indexed = false;
}

static uint32_t pair_bit(uint8_t a, uint8_t b)
{
    return ((uint32_t)a * 31u + b) & 1023u;
}

/* Fill the pair set of a source that the phrase table is matched against:
 * a phrase whose first two bytes are not a pair of the source is not in it,
 * and most of the table is absent from any one server text. */
static void src_index(text_src *s)
{
    memset(s->pairs, 0, sizeof s->pairs);
    for (uint32_t i = 0; i + 1 < s->len; i++) {
        uint32_t b = pair_bit((uint8_t)s->low[i], (uint8_t)s->low[i + 1]);
        s->pairs[b >> 6] |= 1ull << (b & 63);
    }
    s->indexed = true;
}

static bool contains(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

/* Find needle in s->low[from..len); returns the offset or -1.  Candidates
 * by memchr of the first byte: every phrase of the table is tried on every
 * source, most of them absent. */
static int32_t find_from(const text_src *s, uint32_t from, const char *needle, uint32_t nlen)
{
    if (nlen == 0 || nlen > s->len)
        return -1;
    if (s->indexed && nlen >= 2) {
        uint32_t b = pair_bit((uint8_t)needle[0], (uint8_t)needle[1]);
        if (!(s->pairs[b >> 6] & (1ull << (b & 63))))
            return -1;
    }
    uint32_t last = s->len - nlen; /* last possible start */
    for (uint32_t i = from; i <= last; i++) {
        const char *hit = memchr(s->low + i, needle[0], last - i + 1);
        if (!hit)
            return -1;
        i = (uint32_t)(hit - s->low);
        if (memcmp(s->low + i + 1, needle + 1, nlen - 1) == 0)
            return (int32_t)i;
    }
    return -1;
}

/* ---- reading the server's words ---- */

typedef struct {
    uint16_t phrase;
    uint16_t src;
    uint32_t start, end; /* in the source's lower-case copy */
} match;

#define MAX_SOURCES 8
#define MAX_MATCHES 16

static void add_named(sip400_server_words *w, sip400_cause c)
{
    for (uint32_t i = 0; i < w->nnamed; i++) {
        if (w->named[i] == c)
            return;
    }
    if (w->nnamed < SIP400_NAMED_MAX)
        w->named[w->nnamed++] = c;
}

static void add_prefix(sip400_server_words *w, const char *p, size_t n)
{
    if (n >= sizeof w->prefix[0])
        return;
    for (uint32_t i = 0; i < w->nprefix; i++) {
        if (strlen(w->prefix[i]) == n && memcmp(w->prefix[i], p, n) == 0)
            return;
    }
    if (w->nprefix < SIP400_NAMED_PREFIX_MAX) {
        memcpy(w->prefix[w->nprefix], p, n);
        w->prefix[w->nprefix][n] = '\0';
        w->nprefix++;
    }
}

/* Iterate the ids of a phrase: returns the next id (pointer, length) or 0. */
static size_t next_id(const char **cur, const char **id)
{
    const char *p = *cur;
    while (*p == ' ')
        p++;
    size_t n = strcspn(p, " ");
    *id = p;
    *cur = p + n;
    return n;
}

static sip400_cause missing_header_cause(const text_src *s, uint32_t pos)
{
    while (pos < s->len && (s->low[pos] == ' ' || s->low[pos] == ':'))
        pos++;
    uint32_t e = pos;
    while (e < s->len && ((s->low[e] >= 'a' && s->low[e] <= 'z') || s->low[e] == '-'))
        e++;
    for (size_t i = 0; i < sizeof missing_names / sizeof missing_names[0]; i++) {
        if (strlen(missing_names[i].name) == e - pos && memcmp(missing_names[i].name, s->low + pos, e - pos) == 0)
            return missing_names[i].cause;
    }
    return SIP400_CAUSE_COUNT;
}

static void quote_span(char *dst, size_t cap, const sip400_msg *m, sip400_span s)
{
    sip400_quote(dst, cap, m->p + s.off, s.len);
}

/* Join the quoted values of every header with this id ("; "-separated). */
static void join_headers(const sip400_msg *m, sip400_hid id, const char *label, char *dst, size_t cap)
{
    for (uint32_t i = 0; i < m->nhdr; i++) {
        const sip400_hdr *h = &m->hdr[i];
        if (h->id != id)
            continue;
        char q[SIP400_WORDS_MAX];
        quote_span(q, sizeof q, m, sip400_hdr_value(h));
        if (dst[0])
            appendf(dst, cap, "; ");
        if (label)
            appendf(dst, cap, "%s: %s", label, q);
        else
            appendf(dst, cap, "%s", q);
    }
}

static bool to_tag(const sip400_msg *m, text_src *tag)
{
    const sip400_hdr *h = sip400_msg_first(m, SIP400_H_TO);
    if (!h)
        return false;
    sip400_span uri, rest;
    bool br = false;
    if (!sip400_nameaddr_uri(m, sip400_hdr_value(h), &uri, &br, &rest))
        return false;
    sip400_span v;
    if (!sip400_param_find(m, rest, "tag", &v))
        return false;
    src_init(tag, m, v, "To tag");
    return true;
}

/* "(2/SL)", "(7/TM)": SER/Kamailio/OpenSIPS error replies */
static bool ser_suffix(const text_src *s)
{
    for (uint32_t i = 0; i + 5 <= s->len; i++) {
        if (s->low[i] != '(')
            continue;
        uint32_t j = i + 1;
        while (j < s->len && s->low[j] >= '0' && s->low[j] <= '9')
            j++;
        if (j == i + 1 || j + 4 > s->len || s->low[j] != '/')
            continue;
        if ((memcmp(s->low + j + 1, "sl)", 3) == 0) || (memcmp(s->low + j + 1, "tm)", 3) == 0))
            return true;
    }
    return false;
}

/* "bad <word> header" as the whole reason phrase: sofia-sip's style */
static bool sofia_style(const text_src *r)
{
    if (r->len < 12 || memcmp(r->low, "bad ", 4) != 0 || memcmp(r->low + r->len - 7, " header", 7) != 0)
        return false;
    for (uint32_t i = 4; i < r->len - 7; i++) {
        if (r->low[i] == ' ')
            return false;
    }
    return true;
}

static void set_family(sip400_server_words *w, sip400_server_family f, const char *why_label, const char *why)
{
    w->family = f;
    w->family_why[0] = '\0';
    appendf(w->family_why, sizeof w->family_why, "%s%s", why_label, why);
}

static void fingerprint(const sip400_msg *m, sip400_server_words *w, const text_src *src, uint32_t nsrc,
                        const text_src *reason, unsigned hints)
{
    /* 1. Server / User-Agent */
    const sip400_hdr *h = sip400_msg_first(m, SIP400_H_SERVER);
    const char *hname = "Server: ";
    if (!h) {
        h = sip400_msg_first(m, SIP400_H_USER_AGENT);
        hname = "User-Agent: ";
    }
    if (h) {
        text_src a;
        src_init(&a, m, sip400_hdr_value(h), hname);
        static const struct {
            const char *word;
            sip400_server_family f;
        } agents[] = {
            { "kamailio", SIP400_FAMILY_KAMAILIO },   { "openser", SIP400_FAMILY_KAMAILIO },
            { "opensips", SIP400_FAMILY_OPENSIPS },   { "pjsip", SIP400_FAMILY_PJSIP },
            { "pjproject", SIP400_FAMILY_PJSIP },     { "asterisk", SIP400_FAMILY_PJSIP },
            { "sofia", SIP400_FAMILY_SOFIA },         { "freeswitch", SIP400_FAMILY_SOFIA },
            { "drachtio", SIP400_FAMILY_SOFIA },      { "resiprocate", SIP400_FAMILY_RESIPROCATE },
            { "repro", SIP400_FAMILY_RESIPROCATE },   { "jain-sip", SIP400_FAMILY_JAIN_SIP },
            { "jain sip", SIP400_FAMILY_JAIN_SIP },   { "nist-sip", SIP400_FAMILY_JAIN_SIP },
            { "fritz", SIP400_FAMILY_AVM },           { "avm", SIP400_FAMILY_AVM },
        };
        for (size_t i = 0; i < sizeof agents / sizeof agents[0]; i++) {
            if (contains(a.low, agents[i].word)) {
                set_family(w, agents[i].f, hname, w->agent);
                return;
            }
        }
    }
    /* 2. marks in the words */
    for (uint32_t i = 0; i < nsrc; i++) {
        if (ser_suffix(&src[i])) {
            set_family(w, SIP400_FAMILY_KAMAILIO, "", "(N/SL)-style reason suffix");
            return;
        }
    }
    if (sip400_msg_first(m, SIP400_H_P_REGISTRAR_ERROR)) {
        set_family(w, SIP400_FAMILY_KAMAILIO, "", "P-Registrar-Error header (Kamailio/OpenSIPS registrar)");
        return;
    }
    for (uint32_t i = 0; i < nsrc; i++) {
        if (strcmp(src[i].label, "Warning") == 0 &&
            (contains(src[i].low, "(pj") || contains(src[i].low, "pjmedia") || contains(src[i].low, "pjsip"))) {
            set_family(w, SIP400_FAMILY_PJSIP, "", "Warning with a PJ error code");
            return;
        }
    }
    text_src tag;
    bool have_tag = to_tag(m, &tag);
    if (have_tag && strcmp(tag.low, "badrequest") == 0 && contains(reason->low, "illegal") &&
        contains(reason->low, "header line")) {
        set_family(w, SIP400_FAMILY_AVM, "", "To tag \"badrequest\" and \"Illegal ... header line\"");
        return;
    }
    if (contains(reason->low, "bad request (") && have_tag && strcmp(tag.low, "badreq") == 0) {
        set_family(w, SIP400_FAMILY_JAIN_SIP, "", "\"Bad Request (...)\" with To tag \"badreq\"");
        return;
    }
    if (contains(reason->low, "bad request(")) {
        set_family(w, SIP400_FAMILY_RESIPROCATE, "", "\"Bad Request(...)\" without a space");
        return;
    }
    if (sofia_style(reason)) {
        set_family(w, SIP400_FAMILY_SOFIA, "", "\"Bad <Name> Header\" reason phrase");
        return;
    }
    /* 3. the table's emitters, when they agree on one family */
    if (hints && (hints & (hints - 1)) == 0) {
        for (int f = 1; f < SIP400_FAMILY_COUNT; f++) {
            if (hints == (1u << f)) {
                set_family(w, (sip400_server_family)f, "", "reason-phrase wording");
                return;
            }
        }
    }
    w->family = SIP400_FAMILY_UNKNOWN;
    w->family_why[0] = '\0';
}

/* The phrase table's order (longest pattern first, stable), pattern lengths
 * and GAP positions: constant, computed on first use instead of on every 400
 * (the engine runs single-threaded). */
typedef struct {
    uint16_t order[NPHRASES];
    uint32_t len[NPHRASES];
    int16_t gap[NPHRASES]; /* offset of GAP in the pattern, -1: none */
} phrase_index;

static const phrase_index *phrase_index_get(void)
{
    static phrase_index ix;
    static bool ready;
    if (ready)
        return &ix;
    for (size_t i = 0; i < NPHRASES; i++) {
        const char *star = strchr(phrases[i].pat, GAP[0]);
        ix.order[i] = (uint16_t)i;
        ix.len[i] = (uint32_t)strlen(phrases[i].pat);
        ix.gap[i] = star ? (int16_t)(star - phrases[i].pat) : -1;
    }
    for (size_t i = 1; i < NPHRASES; i++) {
        uint16_t x = ix.order[i];
        size_t j = i;
        while (j > 0 && ix.len[ix.order[j - 1]] < ix.len[x]) {
            ix.order[j] = ix.order[j - 1];
            j--;
        }
        ix.order[j] = x;
    }
    ready = true;
    return &ix;
}

void sip400_server_words_read(const sip400_msg *m, sip400_server_words *w)
{
    memset(w, 0, sizeof *w);
    if (m->kind == SIP400_START_RESPONSE)
        quote_span(w->reason, sizeof w->reason, m, m->reason);
    join_headers(m, SIP400_H_WARNING, NULL, w->warning, sizeof w->warning);
    join_headers(m, SIP400_H_P_REGISTRAR_ERROR, "P-Registrar-Error", w->detail, sizeof w->detail);
    join_headers(m, SIP400_H_REASON, "Reason", w->detail, sizeof w->detail);
    const sip400_hdr *ag = sip400_msg_first(m, SIP400_H_SERVER);
    if (!ag)
        ag = sip400_msg_first(m, SIP400_H_USER_AGENT);
    if (ag)
        quote_span(w->agent, sizeof w->agent, m, sip400_hdr_value(ag));

    /* sources: reason phrase, then Warning, P-Registrar-Error, Reason headers */
    text_src s[MAX_SOURCES];
    uint32_t ns = 0;
    sip400_span rs = m->kind == SIP400_START_RESPONSE ? m->reason : (sip400_span){ 0, 0 };
    src_init(&s[ns++], m, rs, "");
    for (uint32_t i = 0; i < m->nhdr && ns < MAX_SOURCES; i++) {
        const sip400_hdr *h = &m->hdr[i];
        if (h->id == SIP400_H_WARNING || h->id == SIP400_H_P_REGISTRAR_ERROR || h->id == SIP400_H_REASON)
            src_init(&s[ns++], m, sip400_hdr_value(h), sip400_header_name((sip400_hid)h->id));
    }
    for (uint32_t i = 0; i < ns; i++)
        src_index(&s[i]);

    /* patterns longest first */
    const phrase_index *ix = phrase_index_get();
    const uint16_t *order = ix->order;
    const uint32_t *plen = ix->len;

    match mt[MAX_MATCHES];
    uint32_t nm = 0;
    for (uint32_t si = 0; si < ns; si++) {
        bool used[SRC_MAX] = { false };
        const text_src *t = &s[si];
        for (size_t oi = 0; oi < NPHRASES && nm < MAX_MATCHES; oi++) {
            const phrase *ph = &phrases[order[oi]];
            const char *star = ix->gap[order[oi]] >= 0 ? ph->pat + ix->gap[order[oi]] : NULL;
            uint32_t from = 0;
            while (nm < MAX_MATCHES) {
                int32_t a, e;
                if (star) {
                    uint32_t la = (uint32_t)(star - ph->pat), lb = plen[order[oi]] - la - 1;
                    a = find_from(t, from, ph->pat, la);
                    if (a < 0)
                        break;
                    int32_t b = find_from(t, (uint32_t)a + la, star + 1, lb);
                    if (b < 0)
                        break;
                    e = b + (int32_t)lb;
                } else {
                    uint32_t l = (uint32_t)plen[order[oi]];
                    a = find_from(t, from, ph->pat, l);
                    if (a < 0)
                        break;
                    e = a + (int32_t)l;
                }
                bool overlap = false;
                for (int32_t k = a; k < e && !overlap; k++)
                    overlap = used[k];
                if (!overlap) {
                    for (int32_t k = a; k < e; k++)
                        used[k] = true;
                    mt[nm++] = (match){ order[oi], (uint16_t)si, (uint32_t)a, (uint32_t)e };
                }
                from = (uint32_t)a + 1;
                if (star)
                    break;
            }
        }
    }
    /* most specific (longest pattern) first, stable */
    for (uint32_t i = 1; i < nm; i++) {
        match x = mt[i];
        uint32_t j = i;
        while (j > 0 && plen[mt[j - 1].phrase] < plen[x.phrase]) {
            mt[j] = mt[j - 1];
            j--;
        }
        mt[j] = x;
    }

    unsigned hints = 0;
    bool any_weight = false, first_weighted = true;
    for (uint32_t i = 0; i < nm; i++) {
        const phrase *ph = &phrases[mt[i].phrase];
        const text_src *t = &s[mt[i].src];
        if (!ph->ids[0])
            continue;
        hints |= ph->hint;
        any_weight = true;
        if (ph->hdr && !w->header[0])
            snprintf(w->header, sizeof w->header, "%s", ph->hdr); /* the most specific words that name one */
        const char *cur = ph->ids, *id;
        size_t n;
        uint32_t nids = 0;
        bool concrete_first = false;
        sip400_cause first = SIP400_CAUSE_COUNT;
        while ((n = next_id(&cur, &id)) > 0) {
            if (n >= 2 && id[n - 1] == '*' && id[n - 2] == '.') {
                add_prefix(w, id, n - 1);
                /* JAIN-SIP style: the missing header is named after the words */
                if (strncmp(id, "hdr.missing.", n - 1) == 0) {
                    sip400_cause c = missing_header_cause(t, mt[i].end);
                    if (c != SIP400_CAUSE_COUNT) {
                        add_named(w, c);
                        if (nids == 0) {
                            first = c;
                            concrete_first = true;
                        }
                    }
                }
            } else {
                sip400_cause c = sip400_cause_by_id(id, n);
                if (c != SIP400_CAUSE_COUNT) {
                    add_named(w, c);
                    if (nids == 0) {
                        first = c;
                        concrete_first = true;
                    }
                }
            }
            nids++;
        }
        if (first_weighted) {
            first_weighted = false;
            /* the text that matched, as the server sent it */
            char q[SIP400_WORDS_MAX];
            quote_span(q, sizeof q, m, t->span);
            w->matched[0] = '\0';
            if (t->label[0])
                appendf(w->matched, sizeof w->matched, "%s: %s", t->label, q);
            else
                appendf(w->matched, sizeof w->matched, "%s", q);
            if (concrete_first) {
                w->primary_valid = true;
                w->primary = first;
                w->primary_unique = nids == 1;
            }
        } else if (w->primary_valid && w->primary_unique) {
            /* several matches: unique only when they all name the same cause */
            const char *c2 = ph->ids, *id2;
            size_t n2 = next_id(&c2, &id2);
            if (nids != 1 || sip400_cause_by_id(id2, n2) != w->primary)
                w->primary_unique = false;
        }
    }
    w->generic = !any_weight && nm > 0;
    if (!any_weight)
        snprintf(w->matched, sizeof w->matched, "%s", w->reason);

    fingerprint(m, w, s, ns, &s[0], hints);
}

bool sip400_server_words_name(const sip400_server_words *w, sip400_cause c)
{
    if ((unsigned)c >= SIP400_CAUSE_COUNT)
        return false;
    for (uint32_t i = 0; i < w->nnamed; i++) {
        if (w->named[i] == c)
            return true;
    }
    const char *id = sip400_causes[c].id;
    for (uint32_t i = 0; i < w->nprefix; i++) {
        if (strncmp(id, w->prefix[i], strlen(w->prefix[i])) == 0)
            return true;
    }
    return false;
}

/* ---- the verdict ---- */

static char lower_c(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool ieq(const char *a, const char *b)
{
    while (*a && *b && lower_c(*a) == lower_c(*b))
        a++, b++;
    return *a == *b;
}

/* Whether cause id `id` names header word `w` ("cseq", "content_length",
 * "to") as one of its components (split at '.' and '_'). */
static bool id_names(const char *id, const char *w, size_t n)
{
    for (const char *p = id; (p = strstr(p, w)) != NULL; p++) {
        bool start = p == id || p[-1] == '.' || p[-1] == '_';
        bool end = p[n] == '\0' || p[n] == '.' || p[n] == '_';
        if (start && end)
            return true;
    }
    return false;
}

/* Whether a finding is about header hdr: its own header name, else what its
 * cause id names (hdr.cseq.missing_method, uri.to_invalid, body.content_length.*). */
static bool finding_on(const sip400_vfinding *f, const char *hdr)
{
    if (f->header && f->header[0])
        return ieq(f->header, hdr) || (ieq(hdr, "Authorization") && ieq(f->header, "Proxy-Authorization"));
    char w[32], nw[32];
    size_t n = 0, k = 0;
    for (const char *c = hdr; *c && n + 1 < sizeof w; c++) {
        w[n++] = *c == '-' ? '_' : lower_c(*c);
        if (*c != '-')
            nw[k++] = lower_c(*c);
    }
    w[n] = nw[k] = '\0';
    const char *id = sip400_causes[f->cause].id;
    if (ieq(hdr, "Authorization"))
        return strncmp(id, "auth.", 5) == 0;
    return id_names(id, w, n) || (k != n && id_names(id, nw, k));
}

static void add_candidate(sip400_verdict *v, sip400_cause c)
{
    if (c == v->cause || (unsigned)c >= SIP400_CAUSE_COUNT)
        return;
    for (uint32_t i = 0; i < v->ncandidates; i++) {
        if (v->candidates[i] == c)
            return;
    }
    if (v->ncandidates < SIP400_CANDIDATES_MAX)
        v->candidates[v->ncandidates++] = c;
}

/* Rank of a named cause: its position in the server's list (most specific first). */
static uint32_t named_rank(const sip400_server_words *w, sip400_cause c)
{
    for (uint32_t i = 0; i < w->nnamed; i++) {
        if (w->named[i] == c)
            return i;
    }
    return SIP400_NAMED_MAX; /* named by family only */
}

static const char *who(const sip400_server_words *w)
{
    return family_titles[(unsigned)w->family < SIP400_FAMILY_COUNT ? w->family : 0];
}

static void say_finding(char *dst, size_t cap, const sip400_vfinding *f)
{
    appendf(dst, cap, "%s (%s)", sip400_causes[f->cause].id, sip400_level_severity(f->level));
    if (f->explanation && f->explanation[0])
        appendf(dst, cap, ": %s", f->explanation);
}

static void server_said(char *dst, size_t cap, const sip400_server_words *w)
{
    appendf(dst, cap, "%s says \"%s\"", who(w), w->matched[0] ? w->matched : w->reason);
    /* the other words, when the match came from elsewhere or there is more */
    if (w->matched[0] && strcmp(w->matched, w->reason) != 0)
        appendf(dst, cap, " (reason phrase \"%s\")", w->reason);
    else if (w->warning[0] && !w->nnamed && !w->nprefix)
        appendf(dst, cap, " (Warning: %s)", w->warning);
}

static void family_list(char *dst, size_t cap, const sip400_server_words *w)
{
    for (uint32_t i = 0; i < w->nprefix; i++)
        appendf(dst, cap, "%s%s*", i ? ", " : "", w->prefix[i]);
}

/* Step 1b: the server's words name a header and the request has findings on
 * it: the most serious one is the verdict (sofia-sip's "Bad CSeq Header" to
 * `CSeq: 7` is hdr.cseq.missing_method, not the invalid_number the words
 * suggest). */
static bool on_header(sip400_verdict *v, const sip400_vfinding *req, uint32_t nreq)
{
    const sip400_server_words *w = &v->words;
    const sip400_vfinding *best = NULL;
    for (uint32_t i = 0; i < nreq; i++) {
        if (finding_on(&req[i], w->header) && (!best || req[i].level < best->level))
            best = &req[i];
    }
    if (!best)
        return false;
    v->cause = best->cause;
    v->confidence = best->level <= SIP400_LEVEL_L ? SIP400_CONFIDENCE_HIGH : SIP400_CONFIDENCE_MEDIUM;
    server_said(v->evidence, sizeof v->evidence, w);
    appendf(v->evidence, sizeof v->evidence, ", which names the %s header, and the request shows ", w->header);
    say_finding(v->evidence, sizeof v->evidence, best);
    for (uint32_t i = 0; i < nreq; i++) {
        if (finding_on(&req[i], w->header))
            add_candidate(v, req[i].cause);
    }
    for (uint32_t i = 0; i < nreq; i++) {
        if (req[i].level <= SIP400_LEVEL_L)
            add_candidate(v, req[i].cause);
    }
    return true;
}

void sip400_verdict_make(const sip400_vfinding *req, uint32_t nreq, bool request_seen, const sip400_msg *resp,
                         sip400_verdict *v)
{
    memset(v, 0, sizeof *v);
    sip400_server_words_read(resp, &v->words);
    const sip400_server_words *w = &v->words;
    v->request_seen = request_seen;
    if (!request_seen)
        nreq = 0;
    bool server_names = w->nnamed || w->nprefix;

    /* 1. a request finding the server's words name */
    const sip400_vfinding *best = NULL;
    for (uint32_t i = 0; i < nreq; i++) {
        const sip400_vfinding *f = &req[i];
        /* a note-level finding counts when the server names it (ruri.unknown_scheme:
         * RFC 3261 says 416, Kamailio says "400 Bad Request URI") */
        if (!sip400_server_words_name(w, f->cause))
            continue;
        /* words that name a header count only for findings on that header
         * (a finding that names no header of its own is taken at its cause) */
        if (w->header[0] && f->header && f->header[0] && !finding_on(f, w->header))
            continue;
        if (!best || f->level < best->level ||
            (f->level == best->level && named_rank(w, f->cause) < named_rank(w, best->cause)))
            best = f;
    }
    if (best) {
        v->cause = best->cause;
        v->confidence = best->level <= SIP400_LEVEL_L ? SIP400_CONFIDENCE_HIGH : SIP400_CONFIDENCE_MEDIUM;
        server_said(v->evidence, sizeof v->evidence, w);
        appendf(v->evidence, sizeof v->evidence, " and the request shows ");
        say_finding(v->evidence, sizeof v->evidence, best);
        for (uint32_t i = 0; i < nreq; i++) {
            if (sip400_server_words_name(w, req[i].cause))
                add_candidate(v, req[i].cause);
        }
        for (uint32_t i = 0; i < nreq; i++) {
            if (req[i].level <= SIP400_LEVEL_L)
                add_candidate(v, req[i].cause);
        }
        return;
    }

    /* 1b. the words name a header: the request's finding on it, whatever cause */
    if (w->header[0] && on_header(v, req, nreq))
        return;

    /* the request's most serious finding (a note only when there is nothing
     * else: outcome.unexplained is for a request without any finding) */
    const sip400_vfinding *top = NULL;
    uint32_t ntop = 0;
    for (uint32_t i = 0; i < nreq; i++) {
        if (!top || req[i].level < top->level) {
            top = &req[i];
            ntop = 1;
        } else if (req[i].level == top->level) {
            ntop++;
        }
    }

    /* 2. the server names a cause the request's findings do not show */
    if (server_names) {
        v->server_only = request_seen && (w->primary_valid || !top);
        if (w->primary_valid) {
            v->cause = w->primary;
            v->confidence = w->primary_unique ? SIP400_CONFIDENCE_MEDIUM : SIP400_CONFIDENCE_LOW;
        } else if (top) {
            /* only a family ("Bad Request URI") the request does not show:
             * its own most serious finding, low confidence */
            v->cause = top->cause;
            v->confidence = SIP400_CONFIDENCE_LOW;
            if (w->nprefix)
                snprintf(v->candidate_family, sizeof v->candidate_family, "%.*s*",
                         (int)(sizeof v->candidate_family - 2), w->prefix[0]);
        } else {
            v->cause = SIP400_OUTCOME_UNEXPLAINED;
            v->confidence = SIP400_CONFIDENCE_LOW;
            char fam[sizeof v->candidate_family + 8] = "";
            if (w->nprefix)
                snprintf(fam, sizeof fam, "%s*", w->prefix[0]);
            snprintf(v->candidate_family, sizeof v->candidate_family, "%s", fam);
        }
        if (!request_seen)
            appendf(v->evidence, sizeof v->evidence, "request not in the capture; ");
        server_said(v->evidence, sizeof v->evidence, w);
        appendf(v->evidence, sizeof v->evidence, " (");
        if (w->nnamed)
            appendf(v->evidence, sizeof v->evidence, "%s", sip400_causes[w->named[0]].id);
        else
            family_list(v->evidence, sizeof v->evidence, w);
        appendf(v->evidence, sizeof v->evidence, ")");
        if (request_seen) {
            appendf(v->evidence, sizeof v->evidence,
                    ", which the request's own findings do not show: the server may be stricter than the catalog (a lead)");
            if (top) {
                appendf(v->evidence, sizeof v->evidence, "; the request shows ");
                say_finding(v->evidence, sizeof v->evidence, top);
            }
        }
        for (uint32_t i = 0; i < w->nnamed; i++)
            add_candidate(v, w->named[i]);
        for (uint32_t i = 0; i < nreq; i++) {
            if (req[i].level <= SIP400_LEVEL_L)
                add_candidate(v, req[i].cause);
        }
        return;
    }

    /* 3. the server's words name nothing: the request's own findings */
    if (top) {
        /* words that name nothing confirm nothing: medium at best */
        v->cause = top->cause;
        v->confidence = top->level <= SIP400_LEVEL_L ? SIP400_CONFIDENCE_MEDIUM : SIP400_CONFIDENCE_LOW;
        appendf(v->evidence, sizeof v->evidence, "the request shows ");
        say_finding(v->evidence, sizeof v->evidence, top);
        if (ntop > 1)
            appendf(v->evidence, sizeof v->evidence, " (and %u more of that level)", ntop - 1);
        appendf(v->evidence, sizeof v->evidence, "; ");
        server_said(v->evidence, sizeof v->evidence, w);
        appendf(v->evidence, sizeof v->evidence, ", which names no cause");
        for (uint32_t i = 0; i < nreq; i++) {
            if (req[i].level <= SIP400_LEVEL_L || req[i].level == top->level)
                add_candidate(v, req[i].cause);
        }
        return;
    }

    /* 4. nothing explains it: say so, never guess */
    v->cause = SIP400_OUTCOME_UNEXPLAINED;
    v->confidence = SIP400_CONFIDENCE_LOW;
    appendf(v->evidence, sizeof v->evidence, "%s; ",
            request_seen ? "the request shows no defect" : "request not in the capture");
    server_said(v->evidence, sizeof v->evidence, w);
    if (request_seen)
        appendf(v->evidence, sizeof v->evidence, ": the server may be stricter than the catalog, read its logs");
}

void sip400_verdict_weaken(sip400_verdict *v, const char *how)
{
    if (!v->request_seen)
        return;
    if (v->confidence > SIP400_CONFIDENCE_LOW)
        v->confidence = (sip400_confidence)(v->confidence - 1);
    appendf(v->evidence, sizeof v->evidence, " [request matched by %s only: the 400 carries no Via branch or CSeq]",
            how);
}
