/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Transactions and verdicts in Wireshark (see packet-sip400-txn.h): feeds the
 * engine's transaction table on the first pass, caches per message what the
 * later passes need, renders request_frame / response_frame / outcome and the
 * verdict of every 400.
 */
#define WS_BUILD_DLL
#include <wireshark.h>

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/proto_data.h>

#include <string.h>

#include "packet-sip400-stats.h"
#include "packet-sip400-txn.h"
#include "txn.h"
#include "verdict.h"

static int hf_request_frame = -1;
static int hf_link = -1;
static int hf_response_frame = -1;
static int hf_outcome = -1;
static int hf_retransmission = -1;
static int hf_verdict = -1;
static int hf_confidence = -1;
static int hf_evidence = -1;
static int hf_candidates = -1;
static int hf_server_only = -1;
static int hf_server_reason = -1;
static int hf_server_warning = -1;
static int hf_server_detail = -1;
static int hf_server_agent = -1;
static int hf_server_family = -1;

static gint ett_verdict = -1;

static expert_field ei_verdict = EI_INIT;
static expert_field *ei_cause; /* per-cause array of packet-sip400.c */

/* One table per capture: emptied by the init routine, freed by the cleanup. */
static sip400_txn_table txn_table;
/* Per slot of the table: the raw summary of its request (first copy), until a
 * 400 or a response with findings needs the request's summary (the report
 * shows the request with that answer) or the slot is reused.  Bounded by the
 * table: summaries are kept for the capture only where they can be used. */
static sip400_summary_raw **pending_raw;

/* The verdict of one 400, as cached after the first pass (file scope). */
typedef struct sip400_cached_verdict {
    guint16 cause;
    guint8 confidence;
    guint8 family;
    gboolean server_only;
    gboolean request_seen;
    guint32 ncand;
    guint16 cand[SIP400_CANDIDATES_MAX];
    const char *cand_family; /* "ruri.*" or NULL */
    const char *evidence;
    const char *reason, *warning, *detail, *agent; /* NULL when absent */
} cached_verdict;

/* One transaction (file scope), shared by all copies of its request and its
 * responses.  Made only for transactions a later pass, the tree or a report
 * can show: the request has findings or was retransmitted, or a 400 or a
 * response with findings answered it (from then on every message of the
 * transaction, and the request's first copy, link to it).  Until then the
 * engine's table slot holds the state and points to the request's first copy. */
typedef struct sip400_txn_rec {
    guint32 req_frame;   /* first copy of the request */
    guint32 req_count;
    guint32 prov_frame;
    int prov_status;
    guint32 final_frame;
    int final_status;
    const sip400_cached_msg *req_msg;           /* the first copy (its findings) */
    const sip400_msg_summary *req_summary;      /* of the first copy, once a 400 or flagged response came */
    const cached_verdict *verdict;              /* of its first 400 */
} txn_rec;

enum { NOTE_REQUEST = SIP400_NOTE_REQUEST, NOTE_RESPONSE = SIP400_NOTE_RESPONSE };

/* A message's transaction note, as kept in its sip400_cached_msg */
typedef struct {
    guint8 kind;
    gboolean again;     /* a retransmitted request, or a repeated final response */
    int status;         /* response status */
    const txn_rec *rec; /* NULL: a response whose request is not in the capture */
    const cached_verdict *verdict; /* 400 only */
} note_t;

/* The note of a message; NULL when it has none (not in a transaction). */
static const note_t *note_of(const sip400_cached_msg *cm, note_t *n)
{
    if (!cm || cm->note == SIP400_NOTE_NONE)
        return NULL;
    n->kind = cm->note;
    n->again = cm->again;
    n->status = cm->status;
    n->rec = cm->ext ? cm->ext->rec : NULL;
    n->verdict = cm->ext ? cm->ext->verdict : NULL;
    return n;
}

/* ---- first pass ---- */

static const char *dup_or_null(const char *s)
{
    return s && s[0] ? wmem_strdup(wmem_file_scope(), s) : NULL;
}

static const cached_verdict *judge(const sip400_msg *m, const txn_rec *rec, sip400_txn_link link)
{
    sip400_vfinding vf[SIP400_MAX_FINDINGS];
    guint32 n = 0;
    const sip400_cached_finding *rf = rec ? sip400_cm_findings(rec->req_msg) : NULL;
    for (guint32 i = 0; rec && i < rec->req_msg->nfindings && n < SIP400_MAX_FINDINGS; i++) {
        vf[n].cause = (sip400_cause)rf[i].cause;
        vf[n].level = (sip400_level)rf[i].level;
        vf[n].explanation = rf[i].explanation;
        vf[n].header = rf[i].header;
        n++;
    }
    sip400_verdict vs;
    sip400_verdict *v = &vs;
    sip400_verdict_make(vf, n, rec != NULL, m, v);
    if (sip400_txn_link_weak(link))
        sip400_verdict_weaken(v, link == SIP400_LINK_ADDRESSES ? "addresses" : "Call-ID and From tag");
    cached_verdict *c = wmem_new0(wmem_file_scope(), cached_verdict);
    c->cause = (guint16)v->cause;
    c->confidence = (guint8)v->confidence;
    c->family = (guint8)v->words.family;
    c->server_only = v->server_only;
    c->request_seen = v->request_seen;
    c->ncand = v->ncandidates;
    for (guint32 i = 0; i < v->ncandidates; i++)
        c->cand[i] = (guint16)v->candidates[i];
    c->cand_family = dup_or_null(v->candidate_family);
    c->evidence = wmem_strdup(wmem_file_scope(), v->evidence);
    c->reason = wmem_strdup(wmem_file_scope(), v->words.reason);
    c->warning = dup_or_null(v->words.warning);
    c->detail = dup_or_null(v->words.detail);
    c->agent = dup_or_null(v->words.agent);
    return c;
}

static void sync_rec(txn_rec *rec, const sip400_txn *t)
{
    rec->req_count = t->req_count;
    rec->prov_frame = t->prov_frame;
    rec->prov_status = t->prov_status;
    rec->final_frame = t->final_frame;
    rec->final_status = t->final_status;
}

static sip400_summary_raw **pending_of(const sip400_txn *t)
{
    return pending_raw && t ? &pending_raw[t - txn_table.slots] : NULL;
}

void sip400_txn_glue_feed(sip400_result *res, const sip400_ctx *ctx, sip400_cached_msg *cm, packet_info *pinfo,
                          guint32 index)
{
    sip400_txn *t = NULL;
    sip400_txn_event ev = sip400_txn_feed(&txn_table, &res->msg, sip400_via_cached(res), ctx, &t);
    if (ev == SIP400_TXN_IGNORED || ev == SIP400_TXN_ACK)
        return;
    gboolean flagged = cm->nfindings || sip400_cm_dropped(cm);
    gboolean wanted; /* this message needs the transaction's record */
    switch (ev) {
    case SIP400_TXN_REQUEST:
        t->user = cm; /* the first copy */
        cm->note = NOTE_REQUEST;
        wanted = flagged;
        if (pending_of(t)) {
            sip400_summary_raw **pr = pending_of(t);
            sip400_stats_raw_free(*pr);
            *pr = sip400_stats_raw_new(&res->msg, ctx->transport, pinfo, index);
        }
        break;
    case SIP400_TXN_RETRANSMISSION:
        cm->note = NOTE_REQUEST;
        cm->again = TRUE;
        wanted = TRUE;
        break;
    case SIP400_TXN_FINAL_AGAIN:
        cm->again = TRUE;
        /* fall through */
    default: /* responses */
        cm->note = NOTE_RESPONSE;
        cm->link = (unsigned)txn_table.last_link & 7u;
        cm->status = (guint16)res->msg.status; /* 3 digits */
        wanted = cm->status == 400 || flagged;
        break;
    }
    sip400_cached_msg *first = t ? (sip400_cached_msg *)t->user : NULL;
    txn_rec *rec = first && first->ext ? first->ext->rec : NULL;
    if (!rec && first && wanted) {
        rec = wmem_new0(wmem_file_scope(), txn_rec);
        rec->req_frame = t->req_frame;
        rec->req_msg = first;
        sip400_cm_ext(first)->rec = rec;
    }
    if (rec)
        sip400_cm_ext(cm)->rec = rec;
    if (rec && t)
        sync_rec(rec, t);
    if (cm->note == NOTE_RESPONSE && rec && !rec->req_summary &&
        (cm->status == 400 || cm->nfindings || sip400_cm_dropped(cm))) {
        sip400_summary_raw **pr = pending_of(t);
        if (pr && *pr) {
            rec->req_summary = sip400_stats_raw_summary(wmem_file_scope(), *pr);
            sip400_stats_raw_free(*pr);
            *pr = NULL;
        }
    }
    if (cm->note == NOTE_RESPONSE && cm->status == 400) {
        const cached_verdict *v = judge(&res->msg, rec, (sip400_txn_link)cm->link);
        sip400_cm_ext(cm)->verdict = v;
        if (rec && !rec->verdict && rec->final_status == 400)
            rec->verdict = v;
    }
}

/* ---- every pass ---- */

typedef enum { OUTCOME_UNKNOWN, OUTCOME_ANSWERED_400, OUTCOME_ANSWERED_OTHER, OUTCOME_UNANSWERED } outcome;

static outcome request_outcome(const note_t *n, packet_info *pinfo, guint32 *resp_frame)
{
    *resp_frame = 0;
    /* the answer is known once the whole capture was read (second pass) */
    if (!n || n->kind != NOTE_REQUEST || !n->rec || !PINFO_FD_VISITED(pinfo))
        return OUTCOME_UNKNOWN;
    const txn_rec *r = n->rec;
    if (r->final_frame) {
        *resp_frame = r->final_frame;
        return r->final_status == 400 ? OUTCOME_ANSWERED_400 : OUTCOME_ANSWERED_OTHER;
    }
    if (r->prov_frame) {
        *resp_frame = r->prov_frame;
        return OUTCOME_ANSWERED_OTHER;
    }
    return OUTCOME_UNANSWERED;
}

gboolean sip400_txn_glue_wants_tree(const sip400_cached_msg *cm, packet_info *pinfo)
{
    note_t nb;
    const note_t *n = note_of(cm, &nb);
    if (!n)
        return FALSE;
    if (n->kind == NOTE_RESPONSE)
        return n->status == 400;
    guint32 rf;
    return request_outcome(n, pinfo, &rf) == OUTCOME_ANSWERED_400;
}

static proto_item *add_gen_string(proto_tree *t, int hf, tvbuff_t *tvb, gint off, gint len, const char *s)
{
    proto_item *it = proto_tree_add_string(t, hf, tvb, off, len, s);
    proto_item_set_generated(it);
    return it;
}

static void render_verdict(const cached_verdict *v, proto_tree *st, tvbuff_t *tvb, gint off, gint len,
                           packet_info *pinfo)
{
    const char *id = sip400_causes[v->cause].id;
    const char *conf = sip400_confidence_name((sip400_confidence)v->confidence);
    proto_item *vi = proto_tree_add_string_format_value(st, hf_verdict, tvb, off, len, id, "%s (%s confidence)", id,
                                                        conf);
    proto_item_set_generated(vi);
    proto_tree *vt = proto_item_add_subtree(vi, ett_verdict);
    add_gen_string(vt, hf_confidence, tvb, off, len, conf);
    add_gen_string(vt, hf_evidence, tvb, off, len, v->evidence);
    for (guint32 i = 0; i < v->ncand; i++)
        add_gen_string(vt, hf_candidates, tvb, off, len, sip400_causes[v->cand[i]].id);
    if (v->cand_family)
        add_gen_string(vt, hf_candidates, tvb, off, len, v->cand_family);
    if (v->server_only) {
        proto_item *b = proto_tree_add_boolean(vt, hf_server_only, tvb, off, len, TRUE);
        proto_item_set_generated(b);
    }
    add_gen_string(vt, hf_server_reason, tvb, off, len, v->reason);
    if (v->warning)
        add_gen_string(vt, hf_server_warning, tvb, off, len, v->warning);
    if (v->detail)
        add_gen_string(vt, hf_server_detail, tvb, off, len, v->detail);
    if (v->agent)
        add_gen_string(vt, hf_server_agent, tvb, off, len, v->agent);
    add_gen_string(vt, hf_server_family, tvb, off, len, sip400_family_name((sip400_server_family)v->family));

    if (v->cause == SIP400_OUTCOME_UNEXPLAINED)
        expert_add_info_format(pinfo, vi, &ei_cause[SIP400_OUTCOME_UNEXPLAINED], "400 not explained: %s",
                               v->evidence);
    else
        expert_add_info_format(pinfo, vi, &ei_verdict, "400 most likely caused by %s (%s confidence): %s", id, conf,
                               v->evidence);
    col_append_fstr(pinfo->cinfo, COL_INFO, " [sip400 verdict: %s]", id);
}

/* The worst finding of the request (for the unanswered evidence). */
static const sip400_cached_finding *worst(const txn_rec *r, guint32 *count)
{
    const sip400_cached_finding *w = NULL;
    *count = 0;
    const sip400_cached_finding *rf = sip400_cm_findings(r->req_msg);
    for (guint32 i = 0; i < r->req_msg->nfindings; i++) {
        const sip400_cached_finding *f = &rf[i];
        if (!w || f->level < w->level) {
            w = f;
            *count = 1;
        } else if (f->level == w->level) {
            (*count)++;
        }
    }
    return w;
}

static void render_unanswered(const note_t *n, proto_item *oi, proto_tree *st, tvbuff_t *tvb, gint off,
                              gint len, packet_info *pinfo)
{
    guint32 nworst = 0;
    const sip400_cached_finding *w = worst(n->rec, &nworst);
    if (!w)
        return;
    sip400_confidence conf = w->level == SIP400_LEVEL_C   ? SIP400_CONFIDENCE_HIGH
                             : w->level == SIP400_LEVEL_L ? SIP400_CONFIDENCE_MEDIUM
                                                          : SIP400_CONFIDENCE_LOW;
    const char *id = sip400_causes[SIP400_OUTCOME_UNANSWERED].id;
    const char *cname = sip400_confidence_name(conf);
    char *ev = wmem_strdup_printf(pinfo->pool,
                                  "no response in the capture to this request (%u cop%s); most serious defect: %s (%s)%s: "
                                  "%s. Kamailio and pjsip silently drop requests they cannot parse",
                                  n->rec->req_count, n->rec->req_count == 1 ? "y" : "ies", sip400_causes[w->cause].id,
                                  sip400_level_severity((sip400_level)w->level),
                                  nworst > 1 ? " and others of that level" : "", w->explanation);
    proto_item *vi = proto_tree_add_string_format_value(st, hf_verdict, tvb, off, len, id, "%s (%s confidence)", id,
                                                        cname);
    proto_item_set_generated(vi);
    proto_tree *vt = proto_item_add_subtree(vi, ett_verdict);
    add_gen_string(vt, hf_confidence, tvb, off, len, cname);
    add_gen_string(vt, hf_evidence, tvb, off, len, ev);
    const sip400_cached_finding *rf = sip400_cm_findings(n->rec->req_msg);
    guint32 nreq = n->rec->req_msg->nfindings;
    for (guint32 i = 0, k = 0; i < nreq && k < SIP400_CANDIDATES_MAX; i++) {
        if (rf[i].level <= SIP400_LEVEL_L) {
            add_gen_string(vt, hf_candidates, tvb, off, len, sip400_causes[rf[i].cause].id);
            k++;
        }
    }
    expert_add_info_format(pinfo, oi, &ei_cause[SIP400_OUTCOME_UNANSWERED],
                           "No response in the capture: request with %u finding%s (most serious: %s) probably dropped",
                           nreq, nreq == 1 ? "" : "s", sip400_causes[w->cause].id);
    col_append_str(pinfo->cinfo, COL_INFO, " [sip400 outcome: unanswered]");
}

void sip400_txn_glue_render(const sip400_cached_msg *cm, proto_item *ti, proto_tree *st, tvbuff_t *tvb, gint off,
                            gint len, packet_info *pinfo)
{
    note_t nb;
    const note_t *n = note_of(cm, &nb);
    guint32 nfindings = cm->nfindings;
    if (!n)
        return;
    if (n->kind == NOTE_RESPONSE) {
        if (n->rec) {
            proto_item *it = proto_tree_add_uint(st, hf_request_frame, tvb, off, len, n->rec->req_frame);
            proto_item_set_generated(it);
            proto_item_append_text(ti, ", request in frame %u", n->rec->req_frame);
            const char *how = sip400_txn_link_name((sip400_txn_link)cm->link);
            if (how[0]) {
                it = proto_tree_add_string(st, hf_link, tvb, off, len, how);
                proto_item_set_generated(it);
                if (sip400_txn_link_weak((sip400_txn_link)cm->link))
                    proto_item_append_text(it, " (weak: the response carries no Via branch or CSeq)");
            }
        }
        if (n->again) {
            proto_item *it = proto_tree_add_boolean(st, hf_retransmission, tvb, off, len, TRUE);
            proto_item_append_text(it, " (the transaction's first final response is in frame %u)",
                                   n->rec ? n->rec->final_frame : 0);
            proto_item_set_generated(it);
        }
        if (n->verdict) {
            proto_item_append_text(ti, ", verdict %s", sip400_causes[n->verdict->cause].id);
            render_verdict(n->verdict, st, tvb, off, len, pinfo);
        }
        return;
    }

    /* a request */
    if (n->again && n->rec) {
        proto_item *it = proto_tree_add_boolean(st, hf_retransmission, tvb, off, len, TRUE);
        proto_item_append_text(it, " (first copy in frame %u)", n->rec->req_frame);
        proto_item_set_generated(it);
    }
    guint32 resp = 0;
    outcome o = request_outcome(n, pinfo, &resp);
    if (o == OUTCOME_UNKNOWN)
        return; /* first pass: the answer is not known yet */
    if (resp) {
        proto_item *it = proto_tree_add_uint(st, hf_response_frame, tvb, off, len, resp);
        proto_item_set_generated(it);
    }
    static const char *const names[] = { "", "answered_400", "answered_other", "unanswered" };
    proto_item *oi = proto_tree_add_string(st, hf_outcome, tvb, off, len, names[o]);
    proto_item_set_generated(oi);
    switch (o) {
    case OUTCOME_ANSWERED_400:
        proto_item_append_text(ti, ", answered with 400 in frame %u", resp);
        if (n->rec->verdict) {
            proto_item_append_text(oi, " (frame %u, verdict %s)", resp, sip400_causes[n->rec->verdict->cause].id);
            expert_add_info_format(pinfo, oi, &ei_cause[SIP400_OUTCOME_ANSWERED_400],
                                   "Answered with 400 in frame %u; verdict: %s (%s confidence)", resp,
                                   sip400_causes[n->rec->verdict->cause].id,
                                   sip400_confidence_name((sip400_confidence)n->rec->verdict->confidence));
        }
        break;
    case OUTCOME_ANSWERED_OTHER:
        proto_item_append_text(oi, " (%d in frame %u)", n->rec->final_frame ? n->rec->final_status : n->rec->prov_status,
                               resp);
        break;
    case OUTCOME_UNANSWERED:
        proto_item_append_text(ti, ", unanswered");
        if (nfindings)
            render_unanswered(n, oi, st, tvb, off, len, pinfo);
        break;
    case OUTCOME_UNKNOWN:
        break;
    }
}

/* ---- taps ---- */

gboolean sip400_txn_glue_view(const sip400_cached_msg *cm, sip400_txn_view *v)
{
    note_t nb;
    const note_t *n = note_of(cm, &nb);
    memset(v, 0, sizeof *v);
    if (!n)
        return FALSE;
    const txn_rec *r = n->rec;
    v->is_request = n->kind == NOTE_REQUEST;
    v->again = n->again;
    v->status = n->status;
    v->txn = r;
    if (r) {
        v->req_msg = r->req_msg;
        v->req_summary = r->req_summary;
        v->req_frame = r->req_frame;
        v->req_count = r->req_count;
        v->prov_frame = r->prov_frame;
        v->prov_status = r->prov_status;
        v->final_frame = r->final_frame;
        v->final_status = r->final_status;
    }
    const cached_verdict *cv = n->kind == NOTE_RESPONSE ? n->verdict : r ? r->verdict : NULL;
    if (cv) {
        v->has_verdict = TRUE;
        v->verdict_cause = cv->cause;
        v->confidence = cv->confidence;
        v->family = cv->family;
        v->server_only = cv->server_only;
        v->evidence = cv->evidence;
        v->reason = cv->reason;
        v->warning = cv->warning;
        v->detail = cv->detail;
        v->agent = cv->agent;
    }
    return TRUE;
}

/* ---- registration ---- */

static void pending_free_all(void)
{
    for (guint32 i = 0; pending_raw && i < txn_table.cap; i++) {
        sip400_stats_raw_free(pending_raw[i]);
        pending_raw[i] = NULL;
    }
}

void sip400_txn_glue_init(void)
{
    pending_free_all();
    if (txn_table.slots)
        sip400_txn_table_reset(&txn_table);
    else if (!sip400_txn_table_init(&txn_table, SIP400_GLUE_TXN_CAP))
        memset(&txn_table, 0, sizeof txn_table); /* out of memory: no correlation */
    if (txn_table.slots && !pending_raw)
        pending_raw = g_new0(sip400_summary_raw *, txn_table.cap);
}

void sip400_txn_glue_cleanup(void)
{
    pending_free_all();
    g_free(pending_raw);
    pending_raw = NULL;
    sip400_txn_table_free(&txn_table);
}

void sip400_txn_glue_register(int proto, expert_field *ei_causes)
{
    static hf_register_info hf[] = {
        { &hf_request_frame,
          { "Request in frame", "sip400.request_frame", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
            "Frame of the request this response answers (Call-ID, CSeq, top-Via branch, addresses)", HFILL } },
        { &hf_link,
          { "Linked by", "sip400.link", FT_STRING, BASE_NONE, NULL, 0x0,
            "How this response was matched to its request: branch (top-Via branch and sent-by), callid_cseq "
            "(Call-ID and CSeq), callid_tag (Call-ID and From tag, weak) or addresses (reverse path to the "
            "client's open request, weak)", HFILL } },
        { &hf_response_frame,
          { "Response in frame", "sip400.response_frame", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
            "Frame of the final response (else the first provisional one) to this request", HFILL } },
        { &hf_outcome,
          { "Outcome", "sip400.outcome", FT_STRING, BASE_NONE, NULL, 0x0,
            "What became of this request in the capture: answered_400, answered_other or unanswered "
            "(known once the whole capture was read: tshark -2 or the GUI)", HFILL } },
        { &hf_retransmission,
          { "Retransmission", "sip400.retransmission", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "Another copy of a request or final response already seen in the capture", HFILL } },
        { &hf_verdict,
          { "Verdict", "sip400.verdict", FT_STRING, BASE_NONE, NULL, 0x0,
            "Cause id judged most likely for this 400 (outcome.unexplained when nothing explains it; "
            "outcome.unanswered on a request with defects that got no response)", HFILL } },
        { &hf_confidence,
          { "Confidence", "sip400.verdict.confidence", FT_STRING, BASE_NONE, NULL, 0x0,
            "high, medium or low", HFILL } },
        { &hf_evidence,
          { "Evidence", "sip400.verdict.evidence", FT_STRING, BASE_NONE, NULL, 0x0,
            "Why: which request finding, which words of the server", HFILL } },
        { &hf_candidates,
          { "Other candidate", "sip400.verdict.candidates", FT_STRING, BASE_NONE, NULL, 0x0,
            "Another cause worth checking (one item each)", HFILL } },
        { &hf_server_only,
          { "Named by the server only", "sip400.verdict.server_only", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The server's words name a cause the request's own findings do not show "
            "(the server is stricter than the catalog: a lead)", HFILL } },
        { &hf_server_reason,
          { "Server reason phrase", "sip400.server.reason", FT_STRING, BASE_NONE, NULL, 0x0,
            "Reason phrase of the status line", HFILL } },
        { &hf_server_warning,
          { "Server Warning", "sip400.server.warning", FT_STRING, BASE_NONE, NULL, 0x0,
            "Warning header value(s) of the response", HFILL } },
        { &hf_server_detail,
          { "Server detail", "sip400.server.detail", FT_STRING, BASE_NONE, NULL, 0x0,
            "P-Registrar-Error and Reason headers of the response", HFILL } },
        { &hf_server_agent,
          { "Server agent", "sip400.server.agent", FT_STRING, BASE_NONE, NULL, 0x0,
            "Server (else User-Agent) header of the response", HFILL } },
        { &hf_server_family,
          { "Server family", "sip400.server.family", FT_STRING, BASE_NONE, NULL, 0x0,
            "kamailio, opensips, pjsip, sofia, resiprocate, jain-sip, avm or unknown", HFILL } },
    };
    static gint *ett[] = { &ett_verdict };
    static ei_register_info ei[] = {
        { &ei_verdict,
          { "sip400.verdict.summary", PI_RESPONSE_CODE, PI_WARN, "Most likely cause of this 400", EXPFILL } },
    };
    ei_cause = ei_causes;
    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_register_field_array(expert_register_protocol(proto), ei, array_length(ei));
}
