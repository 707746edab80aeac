/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The verdict on a 400: which cause is most likely, how sure, and why.
 * Engine level (plain C11, no libwireshark).
 *
 * Inputs: the findings of the request the 400 answers (when the capture has
 * it) and the 400 itself.  The server's words -- status-line reason phrase,
 * Warning, P-Registrar-Error and Reason headers -- are matched, lower-cased and
 * longest first, against the reason-phrase table of CAUSES.md ("Reading the
 * server's answer"); the Server/User-Agent headers and a few other marks give
 * the server family.  Then:
 *  - a request finding the server's words name  -> that cause, high confidence
 *    (medium for a P- or note-level finding);
 *  - the words name a header ("Bad CSeq Header", "Invalid From Header") ->
 *    the request's most serious finding on that header, whichever cause it is;
 *  - the server names a cause the request's findings do not show -> that
 *    cause with medium (one cause named) or low (several) confidence, and the
 *    evidence says so (the server is stricter than the catalog); when the
 *    server only names a family ("Bad Request URI": ruri.*) the verdict is
 *    outcome.unexplained with that family as the candidate;
 *  - the server's words name nothing ("Bad Request") -> the request's most
 *    serious finding, medium confidence, the others as candidates;
 *  - the server names only a family the request does not show -> the
 *    request's most serious finding, low confidence;
 *  - the request shows no defect at all -> outcome.unexplained: never a guess.
 */
#ifndef SIP400_VERDICT_H
#define SIP400_VERDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog.h"
#include "msg.h"

typedef enum {
    SIP400_FAMILY_UNKNOWN = 0,
    SIP400_FAMILY_KAMAILIO,
    SIP400_FAMILY_OPENSIPS,
    SIP400_FAMILY_PJSIP,
    SIP400_FAMILY_SOFIA,
    SIP400_FAMILY_RESIPROCATE,
    SIP400_FAMILY_JAIN_SIP,
    SIP400_FAMILY_AVM,
    SIP400_FAMILY_COUNT
} sip400_server_family;

/* "kamailio", "opensips", "pjsip", "sofia", "resiprocate", "jain-sip", "avm", "unknown" */
const char *sip400_family_name(sip400_server_family f);

typedef enum {
    SIP400_CONFIDENCE_LOW = 0,
    SIP400_CONFIDENCE_MEDIUM,
    SIP400_CONFIDENCE_HIGH
} sip400_confidence;

/* "low", "medium", "high" */
const char *sip400_confidence_name(sip400_confidence c);

#define SIP400_WORDS_MAX 160        /* each quoted server text */
#define SIP400_VERDICT_TEXT_MAX 400 /* evidence line */
#define SIP400_NAMED_MAX 12         /* causes the server's words name */
#define SIP400_NAMED_PREFIX_MAX 4   /* families ("ruri.") they name */
#define SIP400_CANDIDATES_MAX 8

/* What the server said, read from one response. */
typedef struct {
    char reason[SIP400_WORDS_MAX];   /* status-line reason phrase (quoted) */
    char warning[SIP400_WORDS_MAX];  /* Warning header value(s), "; "-joined */
    char detail[SIP400_WORDS_MAX];   /* "P-Registrar-Error: ..." / "Reason: ..." */
    char agent[SIP400_WORDS_MAX];    /* Server (else User-Agent) value */
    sip400_server_family family;
    char family_why[SIP400_WORDS_MAX]; /* what gave the family away */

    /* the reason-phrase table */
    uint32_t nnamed;
    sip400_cause named[SIP400_NAMED_MAX];  /* concrete causes, most specific match first */
    uint32_t nprefix;
    char prefix[SIP400_NAMED_PREFIX_MAX][16]; /* "ruri." etc. */
    bool primary_valid;              /* the longest match names a concrete cause first */
    sip400_cause primary;
    bool primary_unique;             /* ... and nothing else */
    bool generic;                    /* only "bad request" (no weight) */
    char matched[SIP400_WORDS_MAX];  /* the server text that matched (quoted, as sent) */
    char header[32];                 /* the header the words name ("CSeq" for "Bad CSeq Header"); "" */
} sip400_server_words;

/* Read the server's words of a response.  Never reads outside the message. */
void sip400_server_words_read(const sip400_msg *resp, sip400_server_words *w);

/* Whether the server's words name this cause (directly or by family). */
bool sip400_server_words_name(const sip400_server_words *w, sip400_cause c);

/* One finding of the request, as the verdict needs it. */
typedef struct {
    sip400_cause cause;
    sip400_level level;
    const char *explanation; /* may be NULL */
    const char *header;      /* the header the finding is about; NULL or "": none */
} sip400_vfinding;

typedef struct {
    sip400_cause cause;            /* a catalog cause, or SIP400_OUTCOME_UNEXPLAINED */
    sip400_confidence confidence;
    char evidence[SIP400_VERDICT_TEXT_MAX];
    uint32_t ncandidates;
    sip400_cause candidates[SIP400_CANDIDATES_MAX]; /* other causes worth checking */
    char candidate_family[16];     /* "ruri.*" when the server named only a family; "" */
    bool request_seen;
    bool server_only;              /* the server names a cause the request's findings do not show */
    sip400_server_words words;
} sip400_verdict;

/* Judge a 400 (any response works; the rules are those of a 400).
 * req/nreq: the request's findings in engine order; request_seen false when the
 * capture has no request for this response. */
void sip400_verdict_make(const sip400_vfinding *req, uint32_t nreq, bool request_seen, const sip400_msg *resp,
                         sip400_verdict *out);

/* The response was linked to its request by a weak key (how: "Call-ID and
 * From tag", "addresses"): one step less confidence, and the evidence says so. */
void sip400_verdict_weaken(sip400_verdict *v, const char *how);

#endif
