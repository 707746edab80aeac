/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group E: numbers and dialing (the troubleshooting guide's first step).
 *
 * Where: the Request-URI, To, From and P-Asserted-Identity of requests.
 * Responses echo the request's numbers and are not checked; neither are
 * REGISTER (its URIs are an address of record and a domain), CANCEL and ACK
 * (copies of the INVITE's) nor the To/From of in-dialog requests.  The syntax
 * checks of the Request-URI (raw '#', %20) run on every request, because
 * rules_start.c leaves a raw '#' in a telephone-number user part to
 * number.unescaped_chars.  A number equal to one already checked in the same
 * message (To = Request-URI, P-Asserted-Identity = From) is not reported twice.
 *
 * What is a number: the number of a tel: URI; the user part (up to ';') of a
 * sip/sips URI with user=phone; else a sip/sips user part made of digits,
 * '+', visual separators, '*', '#' and %20 (letters only after a leading
 * "+digit").  Without tel:, user=phone or a leading '+', a number with fewer
 * than 7 digits is an extension or a short code (`sip:1001@pbx`): only what is
 * broken for every server is reported on it.
 *
 * Preferences (sip400_prefs): number_policy
 *  - any (default): only what breaks everywhere: raw '#', '*'/'#' or a '+'
 *    inside a global number, %20, a local tel: number without phone-context,
 *    letters in a global number, a global number of < 3 or > 15 digits, `+0...`,
 *    user=phone misuse;
 *  - national: also the international dialling prefix instead of '+' and
 *    visual separators (digit-only checks of carriers);
 *  - e164: also national-format numbers (trunk prefix, no country code) and any
 *    other number of 7 or more digits that is not +CC...
 * country_code, trunk_prefix and intl_prefix derive the E.164 form that each
 * finding shows ("`0049 30 1234567` -> `+49301234567`") where it can be derived.
 * A raw space in a number breaks the URI itself and is reported by the URI
 * rules (ruri.whitespace, uri.*_invalid); number.whitespace reports %20.
 */
#include "rules_util.h"

#include <string.h>

#define PSTN_MIN_DIGITS 7   /* shorter numbers without +, tel: or user=phone are extensions */
#define E164_MAX_DIGITS 15
#define E164_MIN_DIGITS 3
#define NUM_MAX_DIGITS 40   /* digits kept for the E.164 form */
#define MAX_CHECKED 6       /* numbers remembered per message for de-duplication */

static const sip400_prefs default_prefs = {
    .number_policy = SIP400_NUMBER_POLICY_ANY,
    .country_code = "",
    .trunk_prefix = "0",
    .intl_prefix = "00",
};

static inline bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

static inline bool is_alpha(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool is_hex(uint8_t c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static inline bool is_sep(uint8_t c)
{
    return c == '-' || c == '.' || c == '(' || c == ')';
}

static int hexval(uint8_t c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c - 'A' + 10;
}

/* Telephone keypad: letters of vanity numbers ("+1-800-FLOWERS"). */
static char keypad(uint8_t c)
{
    static const char map[] = "22233344455566677778889999";
    if (c >= 'a' && c <= 'z')
        return map[c - 'a'];
    if (c >= 'A' && c <= 'Z')
        return map[c - 'A'];
    return 0;
}

/* What a number contains.  Offsets are message offsets of the raw bytes (an
 * escape counts from its '%'). */
typedef struct {
    sip400_span num;          /* the number as written (up to ';') */
    bool global;              /* starts with '+' (or %2B) */
    bool is_number;           /* looks like a number at all */
    uint32_t ndigits;
    char digits[NUM_MAX_DIGITS + 1]; /* decimal digits, letters mapped by the keypad */
    bool letters_mapped;      /* digits[] includes keypad-mapped letters */
    uint32_t nletters, letter_off; /* letters (not counting hex in local numbers) */
    uint32_t nsep, sep_off;   /* visual separators */
    uint8_t sep_char;
    uint32_t nws, ws_off, ws_len; /* %20 / %09 */
    bool hash_raw;            /* a raw '#' */
    uint32_t hash_raw_off;
    bool star_hash;           /* '*' or '#' (raw or %23 / %2A) */
    uint32_t star_hash_off, star_hash_len;
    bool plus_inside;         /* '+' after the first character */
    uint32_t plus_off;
    bool other;               /* a character no number has */
} numinfo;

static void analyze_number(const sip400_msg *m, sip400_span s, bool allow_hex, numinfo *n)
{
    const uint8_t *p = m->p;
    memset(n, 0, sizeof *n);
    n->num = s;
    uint32_t end = s.off + s.len;
    bool first = true, digit_after_plus = false;
    for (uint32_t i = s.off; i < end; first = false) {
        uint32_t at = i, w = 1;
        uint8_t c = p[i];
        bool escaped = false;
        if (c == '%' && i + 2 < end && is_hex(p[i + 1]) && is_hex(p[i + 2])) {
            c = (uint8_t)(hexval(p[i + 1]) * 16 + hexval(p[i + 2]));
            w = 3;
            escaped = true;
        }
        i += w;
        if (c == '+') {
            if (first)
                n->global = true;
            else if (!n->plus_inside) {
                n->plus_inside = true;
                n->plus_off = at;
            }
        } else if (is_digit(c)) {
            if (n->global && n->ndigits == 0 && n->nletters == 0 && n->nsep == 0)
                digit_after_plus = true;
            /* this digit and the raw digits that follow: their end first, then
             * one copy of what fits in digits[] */
            uint32_t run = i;
            while (run < end && is_digit(p[run]))
                run++;
            uint32_t nd = n->ndigits, add = 1 + run - i;
            if (nd < NUM_MAX_DIGITS) {
                uint32_t fit = add < NUM_MAX_DIGITS - nd ? add : NUM_MAX_DIGITS - nd;
                n->digits[nd] = (char)c;
                memcpy(n->digits + nd + 1, p + i, fit - 1);
            }
            n->ndigits = nd + add;
            i = run;
        } else if (is_sep(c)) {
            if (!n->nsep++) {
                n->sep_off = at;
                n->sep_char = c;
            }
        } else if ((c == ' ' || c == '\t') && escaped) {
            if (!n->nws++) {
                n->ws_off = at;
                n->ws_len = w;
            }
        } else if (c == '*' || c == '#') {
            if (c == '#' && !escaped && !n->hash_raw) {
                n->hash_raw = true;
                n->hash_raw_off = at;
            }
            if (!n->star_hash) {
                n->star_hash = true;
                n->star_hash_off = at;
                n->star_hash_len = w;
            }
        } else if (is_alpha(c) && n->global) {
            if (!n->nletters++)
                n->letter_off = at;
            if (n->ndigits < NUM_MAX_DIGITS)
                n->digits[n->ndigits] = keypad(c);
            n->ndigits++;
            n->letters_mapped = true;
        } else if (!(allow_hex && is_hex(c))) {
            n->other = true; /* a name, a dial string (p/w), a raw space (the URI rules report it)... */
        }
    }
    n->digits[n->ndigits < NUM_MAX_DIGITS ? n->ndigits : NUM_MAX_DIGITS] = '\0';
    /* letters make a number only after "+digit" */
    n->is_number = !n->other && n->ndigits > n->nletters && (n->nletters == 0 || digit_after_plus);
}

/* rules_start.c's notion of a telephone-number user part (it leaves a raw '#'
 * there to number.unescaped_chars) */
static bool phone_like(const sip400_msg *m, sip400_span user)
{
    uint32_t digits = 0;
    for (uint32_t i = 0; i < user.len; i++) {
        uint8_t c = m->p[user.off + i];
        if (c == ';')
            break;
        if (is_digit(c))
            digits++;
        else if (!c || !strchr("+*#-.()%ABCDabcdpw", c))
            return false;
    }
    return digits > 0;
}

/* A number reference: where it was found and what kind of URI holds it. */
typedef struct {
    const char *where;       /* "Request-URI", "To", ... for texts */
    const char *header;      /* header name for the finding ("" for the Request-URI) */
    const sip400_uri *u;     /* the parsed URI (sip400_uri_cached()) */
    bool tel, user_phone;
    sip400_span user_phone_span; /* the ";user=phone" parameter */
    bool has_context;
    sip400_span context;     /* phone-context value */
    numinfo n;
} numref;

static bool starts_with(const char *digits, const char *prefix)
{
    size_t l = strlen(prefix);
    return l > 0 && strncmp(digits, prefix, l) == 0;
}

/* out = "+" a b c, cut at cap - 1 bytes (no format string: the digits come from the packet) */
static void plus_cat(char *out, size_t cap, const char *a, const char *b, const char *c)
{
    size_t o = 0;
    const char *parts[4] = { "+", a, b, c };
    for (int i = 0; i < 4; i++) {
        for (const char *s = parts[i]; s && *s && o + 1 < cap; s++)
            out[o++] = *s;
    }
    out[o] = '\0';
}

/* Digits that start with the international dialling prefix ("00...") or the
 * national trunk prefix ("0..."): their E.164 form; false for neither. */
static bool dialled_to_e164(const char *d, const sip400_prefs *pr, char *out, size_t cap, bool *partial)
{
    if (starts_with(d, pr->intl_prefix) && d[strlen(pr->intl_prefix)] != '\0') {
        plus_cat(out, cap, d + strlen(pr->intl_prefix), NULL, NULL);
        return true;
    }
    if (starts_with(d, pr->trunk_prefix)) {
        const char *rest = d + strlen(pr->trunk_prefix);
        if (pr->country_code[0]) {
            plus_cat(out, cap, pr->country_code, rest, NULL);
        } else {
            plus_cat(out, cap, "<CC>", rest, NULL);
            *partial = true;
        }
        return true;
    }
    return false;
}

/* The E.164 form of a number where the preferences allow deriving it.
 * *partial: the country code is unknown and shown as "<CC>". */
static bool derive_e164(const sip400_msg *m, const numref *r, const sip400_prefs *pr, char *out, size_t cap,
                        bool *partial)
{
    const numinfo *n = &r->n;
    const char *d = n->digits;
    *partial = false;
    out[0] = '\0';
    if (n->ndigits == 0 || n->ndigits > NUM_MAX_DIGITS)
        return false;
    if (n->global) {
        if (d[0] != '0') {
            plus_cat(out, cap, d, NULL, NULL);
            return true;
        }
        return dialled_to_e164(d, pr, out, cap, partial);
    }
    if (dialled_to_e164(d, pr, out, cap, partial))
        return true;
    if (r->has_context && r->context.len > 1 && m->p[r->context.off] == '+') {
        /* local number in a global context: prefix the context's digits */
        char ctx[NUM_MAX_DIGITS + 1];
        uint32_t k = 0;
        for (uint32_t i = r->context.off + 1; i < r->context.off + r->context.len && k < NUM_MAX_DIGITS; i++) {
            if (is_digit(m->p[i]))
                ctx[k++] = (char)m->p[i];
            else if (!is_sep(m->p[i]))
                return false;
        }
        ctx[k] = '\0';
        plus_cat(out, cap, ctx, d, NULL);
        return true;
    }
    if (pr->country_code[0] && starts_with(d, pr->country_code) && n->ndigits >= 10) {
        plus_cat(out, cap, d, NULL, NULL); /* country code without '+' */
        return true;
    }
    return false;
}

/* " → `+49...`" for explanations, "" when not derivable */
static const char *arrow(char *buf, size_t cap, const char *e164, bool ok)
{
    if (!ok)
        buf[0] = '\0';
    else
        snprintf(buf, cap, " \xe2\x86\x92 `%s`", e164);
    return buf;
}

static const char *policy_name(sip400_number_policy p)
{
    switch (p) {
    case SIP400_NUMBER_POLICY_E164: return "e164";
    case SIP400_NUMBER_POLICY_NATIONAL: return "national";
    default: return "any";
    }
}

/* A telephone-subscriber (RFC 3966) for user=phone: a global number, or local
 * digits (hex, '*', '#', separators) with at least one decimal digit. */
static bool is_telephone_subscriber(const numinfo *n)
{
    return n->is_number;
}

static const char *const tel_params[] = { "phone-context", "isub", "ext", "postd", "isdn-subaddress", NULL };

/* Whether report() can find anything (the conditions of its findings, in its
 * order): most numbers are fine, and report() first quotes the number and
 * derives its E.164 form, which costs more than all the checks. */
static bool may_report(const numref *r, const sip400_prefs *pr, bool syntax_only)
{
    const numinfo *n = &r->n;
    if (n->hash_raw || n->plus_inside || (n->global && n->star_hash) || n->nws ||
        (r->tel && !n->global && !r->has_context))
        return true;
    if (syntax_only)
        return false;
    if (n->global && (n->nletters || (n->ndigits > 0 && n->digits[0] == '0') || n->ndigits > E164_MAX_DIGITS ||
                      n->ndigits < E164_MIN_DIGITS))
        return true;
    return (n->global || n->ndigits >= PSTN_MIN_DIGITS) && pr->number_policy != SIP400_NUMBER_POLICY_ANY;
}

static void report(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *res, numref *r, bool syntax_only)
{
    const sip400_prefs *pr = ctx && ctx->prefs ? ctx->prefs : &default_prefs;
    const numinfo *n = &r->n;
    if (!may_report(r, pr, syntax_only))
        return;
    char q[96], q2[64], e164[NUM_MAX_DIGITS + 16], arr[NUM_MAX_DIGITS + 24];
    sip400_finding *f;
    const char *nq = SIP400_Q(q, m, n->num.off, n->num.len);
    bool partial = false;
    bool derivable = derive_e164(m, r, pr, e164, sizeof e164, &partial);

    /* broken everywhere */
    if (n->hash_raw) {
        f = sip400_add(res, ctx, SIP400_NUMBER_UNESCAPED_CHARS, n->hash_raw_off, 1, r->header);
        sip400_explain(f, "%s number `%s` has a raw '#': in a URI it starts a fragment, so it must be escaped as %%23",
                       r->where, nq);
        sip400_set_fix(f, "escape `#` as `%%23` in the number");
    } else if (n->plus_inside) {
        f = sip400_add(res, ctx, SIP400_NUMBER_UNESCAPED_CHARS, n->plus_off, 1, r->header);
        sip400_explain(f, "%s number `%s` has a '+' inside: '+' may only start a global number", r->where, nq);
        sip400_set_fix(f, "send one leading `+` followed by digits only");
    } else if (n->global && n->star_hash) {
        f = sip400_add(res, ctx, SIP400_NUMBER_UNESCAPED_CHARS, n->star_hash_off, n->star_hash_len, r->header);
        sip400_explain(f, "%s global number `%s` contains `%s`: a global (+) number holds only digits and visual separators (RFC 3966)",
                       r->where, nq, SIP400_Q(q2, m, n->star_hash_off, n->star_hash_len));
        sip400_set_fix(f, "send `*`/`#` service codes as local numbers with `;phone-context=`, not after `+`");
    }
    if (n->nws) {
        f = sip400_add(res, ctx, SIP400_NUMBER_WHITESPACE, n->ws_off, n->ws_len, r->header);
        if (f) {
            f->level = n->ws_len == 3 ? SIP400_LEVEL_L : SIP400_LEVEL_C;
            sip400_explain(f, "%s number `%s` contains %s%s", r->where, nq,
                           n->ws_len == 3 ? "escaped whitespace (%20): digit-only checks reject it" : "whitespace",
                           arrow(arr, sizeof arr, e164, derivable && !n->letters_mapped));
            if (derivable && !partial && !n->letters_mapped)
                sip400_set_fix(f, "send `%s`", e164);
            else
                sip400_set_fix(f, "remove the spaces (and %%20) from the number");
        }
    }
    if (r->tel && !n->global && !r->has_context) {
        f = sip400_add(res, ctx, SIP400_NUMBER_LOCAL_WITHOUT_PHONE_CONTEXT, r->u->all.off, r->u->all.len, r->header);
        sip400_explain(f, "%s `%s` is a local number (no leading +) without ;phone-context: RFC 3966 requires the context%s",
                       r->where, SIP400_Q(q2, m, r->u->all.off, r->u->all.len),
                       arrow(arr, sizeof arr, e164, derivable));
        if (derivable && !partial)
            sip400_set_fix(f, "send `tel:%s`, or add `;phone-context=<domain or +prefix>`", e164);
    }
    if (syntax_only || (r->tel && !n->global && !r->has_context))
        return; /* a local tel: number without context: its finding already asks for the global form */
    if (n->global && n->nletters) {
        f = sip400_add(res, ctx, SIP400_NUMBER_LETTERS, n->letter_off, 1, r->header);
        sip400_explain(f, "%s global number `%s` contains letters (`%c`...): global numbers are digits only%s",
                       r->where, nq, m->p[n->letter_off], arrow(arr, sizeof arr, e164, derivable));
        if (derivable && !partial)
            sip400_set_fix(f, "send the digits of the keypad: `%s`", e164);
        return; /* the length of a vanity number is not meaningful */
    }
    if (n->global && n->ndigits > 0 && n->digits[0] == '0') {
        f = sip400_add(res, ctx, SIP400_NUMBER_INTL_PREFIX, n->num.off, n->num.len, r->header);
        sip400_explain(f, "%s number `%s` has a 0 right after the '+': no country code starts with 0 (a dialling or trunk prefix after +)%s",
                       r->where, nq, arrow(arr, sizeof arr, e164, derivable));
        if (derivable && !partial)
            sip400_set_fix(f, "send `%s`", e164);
        else
            sip400_set_fix(f, "send `+<country code><national number>` without the prefix");
        return;
    }
    if (n->global && (n->ndigits > E164_MAX_DIGITS || n->ndigits < E164_MIN_DIGITS)) {
        f = sip400_add(res, ctx, SIP400_NUMBER_LENGTH, n->num.off, n->num.len, r->header);
        sip400_explain(f, "%s number `%s` has %u digits after the '+': E.164 numbers have %d to %d", r->where, nq,
                       n->ndigits, E164_MIN_DIGITS, E164_MAX_DIGITS);
        sip400_set_fix(f, "send the complete international number: `+<country code><national number>`, %d digits at most",
                       E164_MAX_DIGITS);
        return;
    }
    bool pstn = n->global || n->ndigits >= PSTN_MIN_DIGITS;
    if (!pstn || pr->number_policy == SIP400_NUMBER_POLICY_ANY)
        return;

    /* national and e164 policies */
    if (n->nsep) {
        f = sip400_add(res, ctx, SIP400_NUMBER_VISUAL_SEPARATORS, n->sep_off, 1, r->header);
        sip400_explain(f, "%s number `%s` contains visual separators (`%c`): carriers check for digits only (policy %s)%s",
                       r->where, nq, n->sep_char, policy_name(pr->number_policy),
                       arrow(arr, sizeof arr, e164, derivable));
        if (derivable && !partial)
            sip400_set_fix(f, "send `%s`", e164);
    }
    if (n->global)
        return;
    size_t il = strlen(pr->intl_prefix), tl = strlen(pr->trunk_prefix);
    if (il && starts_with(n->digits, pr->intl_prefix)) {
        f = sip400_add(res, ctx, SIP400_NUMBER_INTL_PREFIX, n->num.off, n->num.len, r->header);
        sip400_explain(f, "%s number `%s` starts with the international dialling prefix %s instead of '+' (policy %s)%s",
                       r->where, nq, pr->intl_prefix, policy_name(pr->number_policy),
                       arrow(arr, sizeof arr, e164, derivable));
        if (derivable && !partial)
            sip400_set_fix(f, "send `%s`", e164);
        return;
    }
    if (pr->number_policy != SIP400_NUMBER_POLICY_E164)
        return;
    if (tl && starts_with(n->digits, pr->trunk_prefix)) {
        f = sip400_add(res, ctx, SIP400_NUMBER_MISSING_COUNTRY_CODE, n->num.off, n->num.len, r->header);
        sip400_explain(f, "%s number `%s` is in national format (trunk prefix %s, no country code; policy e164)%s",
                       r->where, nq, pr->trunk_prefix, arrow(arr, sizeof arr, e164, derivable));
        if (derivable && !partial)
            sip400_set_fix(f, "send `%s`", e164);
        else if (derivable)
            sip400_set_fix(f, "send `%s` with your country code (preference sip400.country_code derives it)", e164);
        return;
    }
    if (n->ndigits < PSTN_MIN_DIGITS)
        return; /* short codes (112, *97) have no E.164 form */
    f = sip400_add(res, ctx, SIP400_NUMBER_NOT_E164, n->num.off, n->num.len, r->header);
    sip400_explain(f, "%s number `%s` is not in E.164 form `+<country code><number>` (policy e164)%s", r->where, nq,
                   arrow(arr, sizeof arr, e164, derivable));
    if (derivable && !partial)
        sip400_set_fix(f, "send `%s`", e164);
}

/* Classify the URI at s and, when it holds a number, check it. */
static void check_uri(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *res, sip400_span s,
                      const char *where, const char *header, bool syntax_only, sip400_span *checked, uint32_t *nchecked)
{
    const uint8_t *p = m->p;
    /* trim spaces and stray brackets */
    while (s.len && (p[s.off] == ' ' || p[s.off] == '\t' || p[s.off] == '<')) {
        s.off++;
        s.len--;
    }
    while (s.len && (p[s.off + s.len - 1] == ' ' || p[s.off + s.len - 1] == '\t' || p[s.off + s.len - 1] == '>'))
        s.len--;
    if (!s.len)
        return;
    numref r; /* r.n is set by analyze_number() */
    r.where = where;
    r.header = header;
    r.u = sip400_uri_cached(res, m, s);
    r.tel = r.user_phone = r.has_context = false;
    r.user_phone_span = r.context = (sip400_span){ 0, 0 };
    sip400_span v;
    if (r.u->scheme == SIP400_SCHEME_TEL) {
        r.tel = true;
        if (!r.u->user.len)
            return;
        r.has_context = sip400_param_find(m, r.u->params, "phone-context", &r.context);
        analyze_number(m, r.u->user, true, &r.n);
    } else if (r.u->scheme == SIP400_SCHEME_SIP || r.u->scheme == SIP400_SCHEME_SIPS) {
        if (!r.u->has_at || !r.u->user.len)
            return;
        r.user_phone = r.u->params.len && sip400_param_find(m, r.u->params, "user", &v) && sip400_span_ieq(m, v, "phone");
        /* the number ends at the first ';' of the user part (user parameters) */
        sip400_span num = r.u->user;
        const uint8_t *semi = memchr(p + num.off, ';', num.len);
        if (semi) {
            uint32_t i = (uint32_t)(semi - (p + num.off));
            num.len = i;
            sip400_span uparams = { r.u->user.off + i + 1, r.u->user.len - i - 1 };
            r.has_context = sip400_param_find(m, uparams, "phone-context", &r.context);
        }
        if (!num.len)
            return;
        analyze_number(m, num, r.user_phone, &r.n);
        if (r.user_phone) {
            /* the ;user=phone parameter, for highlighting */
            uint32_t end = r.u->params.off + r.u->params.len;
            for (uint32_t i = r.u->params.off; i + 4 <= end; i++) {
                if ((i == r.u->params.off || p[i - 1] == ';') && (p[i] | 0x20) == 'u' && (p[i + 1] | 0x20) == 's' &&
                    (p[i + 2] | 0x20) == 'e' && (p[i + 3] | 0x20) == 'r') {
                    uint32_t e = i;
                    while (e < end && p[e] != ';')
                        e++;
                    r.user_phone_span.off = i;
                    r.user_phone_span.len = e - i;
                    break;
                }
            }
        }
    } else {
        return;
    }
    char q[96], q2[64];
    sip400_finding *f;
    if (r.user_phone && !is_telephone_subscriber(&r.n)) {
        f = sip400_add(res, ctx, SIP400_NUMBER_USER_PHONE_MISUSE, r.u->user.off, r.u->user.len, header);
        sip400_explain(f, "%s `%s` has user=phone, but the user part `%s` is not a telephone number", where,
                       SIP400_Q(q, m, s.off, s.len), SIP400_Q(q2, m, r.u->user.off, r.u->user.len));
        sip400_set_fix(f, "remove `;user=phone`, or send a telephone number as user part (`sip:+4930123456@host;user=phone`)");
        return;
    }
    if (!r.n.is_number) {
        if (r.n.hash_raw && phone_like(m, r.n.num)) {
            f = sip400_add(res, ctx, SIP400_NUMBER_UNESCAPED_CHARS, r.n.hash_raw_off, 1, header);
            sip400_explain(f, "%s user part `%s` has a raw '#': in a URI it starts a fragment, so it must be escaped as %%23",
                           where, SIP400_Q(q, m, r.n.num.off, r.n.num.len));
            sip400_set_fix(f, "escape `#` as `%%23`");
        }
        return;
    }
    /* telephone parameters after the host belong in the user part */
    if (!r.tel && r.u->params.len) {
        for (size_t k = 0; tel_params[k]; k++) {
            sip400_span tv;
            if (!sip400_param_find(m, r.u->params, tel_params[k], &tv))
                continue;
            /* locate the parameter name for highlighting */
            uint32_t from = r.u->params.off, to = tv.len ? tv.off + tv.len : r.u->params.off + r.u->params.len;
            size_t kl = strlen(tel_params[k]);
            uint32_t at = from;
            for (uint32_t i = from; i + kl <= to; i++) {
                if ((i == from || p[i - 1] == ';') && sip400_span_ieq(m, (sip400_span){ i, (uint32_t)kl }, tel_params[k])) {
                    at = i;
                    break;
                }
            }
            f = sip400_add(res, ctx, SIP400_NUMBER_USER_PHONE_MISUSE, at, to - at, header);
            sip400_explain(f, "%s `%s`: the telephone parameter `;%s` follows the host, so it is a URI parameter, not part of the number (RFC 3261 19.1.6)",
                           where, SIP400_Q(q, m, s.off, s.len), tel_params[k]);
            sip400_set_fix(f, "put it in the user part: `sip:%s;%s@host;user=phone`", SIP400_Q(q2, m, r.n.num.off, r.n.num.len),
                           SIP400_Q(q, m, at, to - at));
            break;
        }
    }
    /* a short number without +, tel: or user=phone is an extension */
    bool extension = !r.tel && !r.user_phone && !r.n.global && r.n.ndigits < PSTN_MIN_DIGITS;
    /* de-duplicate: the same number text already checked in this message */
    for (uint32_t i = 0; i < *nchecked; i++) {
        if (checked[i].len == r.n.num.len && memcmp(p + checked[i].off, p + r.n.num.off, r.n.num.len) == 0)
            return;
    }
    if (*nchecked < MAX_CHECKED)
        checked[(*nchecked)++] = r.n.num;
    report(m, ctx, res, &r, syntax_only || extension);
}

static bool has_to_tag(const sip400_msg *m)
{
    const sip400_hdr *to = sip400_msg_first(m, SIP400_H_TO);
    if (!to)
        return false;
    sip400_span uri, rest;
    bool br;
    if (!sip400_nameaddr_uri(m, sip400_hdr_value(to), &uri, &br, &rest))
        return false;
    sip400_span v;
    return sip400_param_find(m, rest, "tag", &v);
}

static void check_header(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, sip400_hid id, bool list,
                         sip400_span *checked, uint32_t *nchecked)
{
    const sip400_hdr *h = sip400_msg_first(m, id);
    if (!h)
        return;
    sip400_span elems[4];
    uint32_t total = 0, n = 1;
    if (list)
        n = sip400_split_list(m, sip400_hdr_value(h), elems, 4, &total);
    else
        elems[0] = sip400_hdr_value(h);
    for (uint32_t i = 0; i < n; i++) {
        sip400_span uri, rest;
        bool br;
        if (!elems[i].len || !sip400_nameaddr_uri(m, elems[i], &uri, &br, &rest))
            continue;
        check_uri(m, ctx, r, uri, sip400_header_name(id), sip400_header_name(id), false, checked, nchecked);
    }
}

void sip400_rules_number(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    if (m->kind != SIP400_START_REQUEST || m->nfields != 3 || !m->ruri.len)
        return;
    sip400_span checked[MAX_CHECKED];
    uint32_t nchecked = 0;
    bool reg = sip400_method_is(m, "REGISTER");
    bool initial = !reg && !sip400_method_is(m, "ACK") && !sip400_method_is(m, "CANCEL") && !has_to_tag(m);
    check_uri(m, ctx, r, m->ruri, "Request-URI", "", !initial || reg, checked, &nchecked);
    if (!initial)
        return;
    check_header(m, ctx, r, SIP400_H_TO, false, checked, &nchecked);
    check_header(m, ctx, r, SIP400_H_FROM, false, checked, &nchecked);
    check_header(m, ctx, r, SIP400_H_P_ASSERTED_IDENTITY, true, checked, &nchecked);
}
