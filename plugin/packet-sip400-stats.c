/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * sip400's tap, statistics tree and per-incident report (see
 * packet-sip400-stats.h).
 *
 * Tap data: the frame's first-pass cache (const sip400_frame_data *), queued
 * by the post-dissector on every pass.  Each cached message carries its
 * findings, its transaction note (packet-sip400-txn.c, read through
 * sip400_txn_glue_view); the summaries of its messages come with it.
 *
 * Stats tree "SIP 400 Diagnosis" (-z sip400,tree):
 *   SIP messages                  -> requests / responses / other
 *   Messages with findings        -> requests / responses
 *   Findings by severity          -> error / warning / note
 *   Findings by cause             -> cause -> method -> server
 *   400 responses by verdict      -> verdict -> confidence
 * Copies of a retransmitted request or final response are counted as SIP
 * messages only.  "server" is the family of the server that answered the
 * request with 400 (kamailio, pjsip, ... or "unknown server"), "(answered
 * NNN)" for another final answer, "(no final response)" for none.  A request's
 * answer is known when the response is tapped; without -2 tshark taps the
 * capture in one pass, so there a request that never gets a final response has
 * no server entry (with -2 and in the GUI it shows "(no final response)").
 *
 * Report (-z sip400,report[,md|csv|json][,filter]): one incident per
 * transaction whose request or response has findings, or that was answered
 * with 400 (also a 400 whose request is not in the capture).  Built from the
 * tapped messages in capture order, printed at the end.
 */
#define WS_BUILD_DLL
#include <wireshark.h>

#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/stats_tree.h>
#include <epan/tap.h>
#include <epan/to_str.h>

#include <stdio.h>
#include <string.h>

#include "packet-sip400-compat.h"
#include "packet-sip400-stats.h"
#include "packet-sip400-txn.h"
#include "verdict.h"

#ifndef SIP400_VERSION
#define SIP400_VERSION "unknown"
#endif

/* Bytes kept of each quoted packet value (display text) */
#define SUMMARY_RURI_MAX 512
#define SUMMARY_VALUE_MAX 256
#define SUMMARY_METHOD_MAX 48

static int sip400_tap = -1;

/* ------------------------------------------------------------------------ */
/* First pass: the summary of one message                                    */
/* ------------------------------------------------------------------------ */

/* What a summary is made of: the packet's endpoints and time, and the raw
 * bytes of its texts.  Each text keeps at most its quoting cap of bytes:
 * sip400_quote() emits at least one character per byte and cuts before
 * byte cap - 4, so the quoted text depends on those bytes only. */
enum { T_METHOD, T_RURI, T_REASON, T_CALLID, T_CSEQ, T_COUNT };
static const guint32 text_cap[T_COUNT] = { SUMMARY_METHOD_MAX, SUMMARY_RURI_MAX, SUMMARY_VALUE_MAX,
                                           SUMMARY_VALUE_MAX, SUMMARY_VALUE_MAX };

typedef struct {
    guint32 frame, index;
    nstime_t abs_ts;
    guint8 transport;
    gboolean is_request;
    int status;
    address src, dst;
    guint32 srcport, dstport;
    const guint8 *text[T_COUNT];
    guint32 len[T_COUNT];
} summary_src;

static void set_text(summary_src *s, int t, const sip400_msg *m, guint32 off, guint32 len)
{
    if (off > m->len)
        off = m->len;
    if (len > m->len - off)
        len = m->len - off;
    s->text[t] = m->p + off;
    s->len[t] = MIN(len, text_cap[t]);
}

static void set_header_text(summary_src *s, int t, const sip400_msg *m, sip400_hid id)
{
    const sip400_hdr *h = sip400_msg_first(m, id);
    if (h)
        set_text(s, t, m, h->value_off, h->value_len);
}

/* The method token of a CSeq value ("1 INVITE" -> "INVITE"); empty when none. */
static void set_cseq_method(summary_src *s, const sip400_msg *m)
{
    const sip400_hdr *h = sip400_msg_first(m, SIP400_H_CSEQ);
    if (!h)
        return;
    guint32 i = h->value_off, end = h->value_off + h->value_len;
    if (end > m->len)
        end = m->len;
    while (i < end && m->p[i] >= '0' && m->p[i] <= '9')
        i++;
    while (i < end && (m->p[i] == ' ' || m->p[i] == '\t'))
        i++;
    guint32 st = i;
    while (i < end && sip400_is_token_char(m->p[i]))
        i++;
    set_text(s, T_METHOD, m, st, i - st);
}

static void summary_src_of(summary_src *s, const sip400_msg *m, sip400_transport transport, packet_info *pinfo,
                           guint32 index)
{
    memset(s, 0, sizeof *s);
    s->frame = pinfo->num;
    s->index = index;
    s->abs_ts = pinfo->abs_ts;
    s->transport = (guint8)transport;
    s->src = pinfo->src;
    s->dst = pinfo->dst;
    s->srcport = pinfo->srcport;
    s->dstport = pinfo->destport;
    s->is_request = m->kind == SIP400_START_REQUEST;
    if (m->kind == SIP400_START_REQUEST) {
        set_text(s, T_METHOD, m, m->method.off, m->method.len);
        set_text(s, T_RURI, m, m->ruri.off, m->ruri.len);
    } else {
        set_cseq_method(s, m);
        if (m->kind == SIP400_START_RESPONSE) {
            s->status = m->status;
            set_text(s, T_REASON, m, m->reason.off, m->reason.len);
        } else {
            /* neither request nor status line: keep the line for the report */
            set_text(s, T_RURI, m, m->line.off, m->line.len);
        }
    }
    set_header_text(s, T_CALLID, m, SIP400_H_CALL_ID);
    set_header_text(s, T_CSEQ, m, SIP400_H_CSEQ);
}

/* "192.0.2.10:5060", "[2001:db8::1]:5060", other address types as printed;
 * free with wmem_free(NULL, ...). */
static char *endpoint(const address *a, guint32 port)
{
    char *s = address_to_str(NULL, a);
    char *r;
    if (a->type == AT_IPv6)
        r = wmem_strdup_printf(NULL, "[%s]:%u", s, port);
    else if (a->type == AT_IPv4)
        r = wmem_strdup_printf(NULL, "%s:%u", s, port);
    else
        return s;
    wmem_free(NULL, s);
    return r;
}

/* The summary in one allocation of scope, its strings sized to their text. */
static const sip400_msg_summary *summary_make(wmem_allocator_t *scope, const summary_src *src)
{
    char *ep[2] = { endpoint(&src->src, src->srcport), endpoint(&src->dst, src->dstport) };
    char q[T_COUNT][SUMMARY_RURI_MAX]; /* the largest cap */
    size_t n[2 + T_COUNT];
    size_t total = sizeof(sip400_msg_summary);
    for (int i = 0; i < 2; i++) {
        n[i] = strlen(ep[i]) + 1;
        total += n[i];
    }
    for (int t = 0; t < T_COUNT; t++) {
        sip400_quote(q[t], text_cap[t], src->text[t], src->len[t]);
        n[2 + t] = strlen(q[t]) + 1;
        total += n[2 + t];
    }
    sip400_msg_summary *s = (sip400_msg_summary *)wmem_alloc(scope, total);
    memset(s, 0, sizeof *s);
    char *p = (char *)(s + 1);
    const char *str[2 + T_COUNT];
    for (int i = 0; i < 2 + T_COUNT; i++) {
        const char *from = i < 2 ? ep[i] : q[i - 2];
        memcpy(p, from, n[i]);
        str[i] = p;
        p += n[i];
    }
    wmem_free(NULL, ep[0]);
    wmem_free(NULL, ep[1]);
    s->is_request = src->is_request;
    s->frame = src->frame;
    s->index = src->index;
    s->abs_ts = src->abs_ts;
    s->transport = src->transport;
    s->src = str[0];
    s->dst = str[1];
    s->method = str[2 + T_METHOD];
    s->ruri = str[2 + T_RURI];
    s->status = src->status;
    s->reason = str[2 + T_REASON];
    s->call_id = str[2 + T_CALLID];
    s->cseq = str[2 + T_CSEQ];
    return s;
}

const sip400_msg_summary *sip400_stats_summarize(wmem_allocator_t *scope, const sip400_msg *m,
                                                 sip400_transport transport, packet_info *pinfo, guint32 index)
{
    summary_src src;
    summary_src_of(&src, m, transport, pinfo, index);
    return summary_make(scope, &src);
}

/* The raw parts of a summary, kept with a live transaction until a 400 or a
 * response with findings needs the request's summary: a compact header
 * (one per live transaction of the table), then the address bytes and the
 * texts' bytes. */
struct sip400_summary_raw {
    guint32 frame, index;
    nstime_t abs_ts;
    int status;
    int addr_type[2], addr_len[2];
    guint32 port[2];
    guint16 len[T_COUNT]; /* <= their caps (512) */
    guint8 transport;
    guint8 is_request;
    guint8 data[];
};

sip400_summary_raw *sip400_stats_raw_new(const sip400_msg *m, sip400_transport transport, packet_info *pinfo,
                                         guint32 index)
{
    summary_src src;
    summary_src_of(&src, m, transport, pinfo, index);
    const address *a[2] = { &src.src, &src.dst };
    size_t total = sizeof(sip400_summary_raw);
    for (int i = 0; i < 2; i++)
        total += a[i]->data && a[i]->len > 0 ? (size_t)a[i]->len : 0;
    for (int t = 0; t < T_COUNT; t++)
        total += src.len[t];
    sip400_summary_raw *r = (sip400_summary_raw *)g_malloc(total);
    r->frame = src.frame;
    r->index = src.index;
    r->abs_ts = src.abs_ts;
    r->status = src.status;
    r->port[0] = src.srcport;
    r->port[1] = src.dstport;
    r->transport = src.transport;
    r->is_request = src.is_request ? 1 : 0;
    guint8 *p = r->data;
    for (int i = 0; i < 2; i++) {
        r->addr_type[i] = a[i]->type;
        r->addr_len[i] = a[i]->data && a[i]->len > 0 ? a[i]->len : 0;
        if (r->addr_len[i])
            memcpy(p, a[i]->data, (size_t)r->addr_len[i]);
        p += r->addr_len[i];
    }
    for (int t = 0; t < T_COUNT; t++) {
        r->len[t] = (guint16)src.len[t];
        if (src.len[t])
            memcpy(p, src.text[t], src.len[t]);
        p += src.len[t];
    }
    return r;
}

void sip400_stats_raw_free(sip400_summary_raw *r)
{
    g_free(r);
}

const sip400_msg_summary *sip400_stats_raw_summary(wmem_allocator_t *scope, const sip400_summary_raw *r)
{
    summary_src src;
    memset(&src, 0, sizeof src);
    src.frame = r->frame;
    src.index = r->index;
    src.abs_ts = r->abs_ts;
    src.transport = r->transport;
    src.is_request = r->is_request;
    src.status = r->status;
    src.srcport = r->port[0];
    src.dstport = r->port[1];
    const guint8 *p = r->data;
    address *a[2] = { &src.src, &src.dst };
    for (int i = 0; i < 2; i++) {
        a[i]->type = r->addr_type[i];
        a[i]->len = r->addr_len[i];
        a[i]->data = r->addr_len[i] ? p : NULL;
        a[i]->priv = NULL;
        p += r->addr_len[i];
    }
    for (int t = 0; t < T_COUNT; t++) {
        src.text[t] = p;
        src.len[t] = r->len[t];
        p += r->len[t];
    }
    return summary_make(scope, &src);
}

/* ------------------------------------------------------------------------ */
/* The tap                                                                   */
/* ------------------------------------------------------------------------ */

void sip400_stats_register_tap(void)
{
    sip400_tap = register_tap("sip400");
}

/* What the listeners get of one message besides its cache entry: what every
 * listener reads (is it a request, status, method), taken when the frame is
 * tapped; the full summary only for the messages a report row shows. */
struct sip400_tap_msg {
    gboolean valid;        /* FALSE: the message's bytes could not be found again */
    gboolean is_request;   /* as in sip400_msg_summary */
    int status;
    guint32 frame;
    const char *method;
    const sip400_msg_summary *kept; /* kept on the first pass (!frame_ds), else NULL */
};

/* What a listener gets for each frame.  `complete`: the capture was read to
 * its end before this dissection (tshark -2's second pass, the GUI's retaps),
 * so transaction counters are final; else they are as of this frame.  (Taps
 * cannot tell by themselves: the frame is already marked visited when they
 * run.) */
typedef struct {
    sip400_frame_data fd;
    gboolean complete;
    const sip400_tap_msg *msgs; /* one per message of fd */
    tvbuff_t *tvb;              /* the frame (alive while the frame is tapped) */
    packet_info *pinfo;
    address src, dst;           /* the endpoints when sip400 dissected the frame */
    guint32 srcport, dstport;
} sip400_tap_info;

gboolean sip400_stats_wanted(void)
{
    return sip400_tap >= 0 && have_tap_listener(sip400_tap);
}

sip400_tap_msg *sip400_stats_tap_msgs(packet_info *pinfo, guint32 n)
{
    return sip400_stats_wanted() ? wmem_alloc0_array(pinfo->pool, sip400_tap_msg, n) : NULL;
}

void sip400_stats_tap_msg_set(sip400_tap_msg *tm, const sip400_msg *m, const sip400_cached_msg *cm,
                              packet_info *pinfo)
{
    tm->kept = cm->ext ? cm->ext->summary : NULL;
    if (tm->kept) {
        tm->is_request = tm->kept->is_request;
        tm->status = tm->kept->status;
        tm->method = tm->kept->method;
    } else {
        summary_src src;
        summary_src_of(&src, m, (sip400_transport)cm->transport, pinfo, 0);
        char q[SUMMARY_METHOD_MAX];
        sip400_quote(q, sizeof q, src.text[T_METHOD], src.len[T_METHOD]);
        tm->is_request = src.is_request;
        tm->status = src.status;
        tm->method = wmem_strdup(pinfo->pool, q);
    }
    tm->frame = pinfo->num;
    tm->valid = TRUE;
}

sip400_tap_msg *sip400_stats_tap_msg_at(sip400_tap_msg *tms, guint32 i)
{
    return &tms[i];
}

/* The bytes of a message in the frame itself (scanned into a static view:
 * valid until the next call); NULL when the message is elsewhere. */
static const sip400_msg *scan_again(tvbuff_t *tvb, const sip400_cached_msg *cm)
{
    if (!cm->frame_ds || !tvb || tvb_captured_length(tvb) < cm->start + cm->length)
        return NULL;
    static sip400_msg m; /* large; dissection is single-threaded */
    sip400_msg_scan(&m, tvb_get_ptr(tvb, (gint)cm->start, (gint)cm->length), cm->length);
    return &m;
}

/* The full summary of message i: the kept one, else from the frame's bytes. */
static const sip400_msg_summary *tap_summary(const sip400_tap_info *ti, guint32 i)
{
    const sip400_cached_msg *cm = &ti->fd.msgs[i];
    if (ti->msgs[i].kept)
        return ti->msgs[i].kept;
    const sip400_msg *m = scan_again(ti->tvb, cm);
    if (!m)
        return NULL;
    summary_src src;
    summary_src_of(&src, m, (sip400_transport)cm->transport, ti->pinfo, i);
    src.src = ti->src; /* as when the frame was dissected (later dissectors may move pinfo's) */
    src.dst = ti->dst;
    src.srcport = ti->srcport;
    src.dstport = ti->dstport;
    return summary_make(ti->pinfo->pool, &src);
}

void sip400_stats_queue(packet_info *pinfo, const sip400_frame_data *fd, tvbuff_t *tvb, sip400_tap_msg *first_pass)
{
    if (!fd || !sip400_stats_wanted())
        return;
    sip400_tap_info *ti = wmem_new(pinfo->pool, sip400_tap_info);
    ti->fd = *fd;
    ti->complete = PINFO_FD_VISITED(pinfo);
    ti->tvb = tvb;
    ti->pinfo = pinfo;
    ti->src = pinfo->src;
    ti->dst = pinfo->dst;
    ti->srcport = pinfo->srcport;
    ti->dstport = pinfo->destport;
    if (!first_pass) {
        /* later passes: from the kept summary or the frame's bytes again */
        first_pass = wmem_alloc0_array(pinfo->pool, sip400_tap_msg, fd->nmsgs);
        for (guint32 i = 0; i < fd->nmsgs; i++) {
            const sip400_cached_msg *cm = &fd->msgs[i];
            const sip400_msg *m = cm->ext && cm->ext->summary ? NULL : scan_again(tvb, cm);
            if (m || (cm->ext && cm->ext->summary))
                sip400_stats_tap_msg_set(&first_pass[i], m, cm, pinfo);
        }
    }
    ti->msgs = first_pass;
    tap_queue_packet(sip400_tap, pinfo, ti);
}

/* ------------------------------------------------------------------------ */
/* Shared helpers                                                            */
/* ------------------------------------------------------------------------ */

static const char *family_label(int status, guint8 family, gboolean has_verdict, char *buf, size_t cap)
{
    if (status < 200)
        return "(no final response)";
    if (status == 400) {
        if (!has_verdict || family == SIP400_FAMILY_UNKNOWN)
            return "unknown server";
        return sip400_family_name((sip400_server_family)family);
    }
    g_snprintf(buf, (gulong)cap, "(answered %d)", status);
    return buf;
}

/* ------------------------------------------------------------------------ */
/* Stats tree                                                                */
/* ------------------------------------------------------------------------ */

static int st_node_msgs = -1;
static int st_node_flagged = -1;
static int st_node_severity = -1;
static int st_node_causes = -1;
static int st_node_verdicts = -1;

static const char st_msgs[] = "SIP messages";
static const char st_flagged[] = "Messages with findings";
static const char st_severity[] = "Findings by severity";
/* no '/' in these names: a root node's name is shown after its last '/' */
static const char st_causes[] = "Findings by cause, method, server";
static const char st_verdicts[] = "400 responses by verdict, confidence";

/* Requests whose answer was not known when they were tapped (one pass):
 * per stats tree, transaction -> method label; the final response ticks the
 * server level of their findings. */
typedef struct {
    const sip400_cached_msg *req;
    char *method;
} st_pending;

static GHashTable *st_pending_by_tree; /* stats_tree* -> GHashTable(txn -> st_pending*) */

static void st_pending_free(gpointer p)
{
    st_pending *sp = (st_pending *)p;
    g_free(sp->method);
    g_free(sp);
}

static GHashTable *st_pending_of(stats_tree *st)
{
    if (!st_pending_by_tree)
        st_pending_by_tree = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                                   (GDestroyNotify)g_hash_table_destroy);
    GHashTable *h = (GHashTable *)g_hash_table_lookup(st_pending_by_tree, st);
    if (!h) {
        h = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, st_pending_free);
        g_hash_table_insert(st_pending_by_tree, st, h);
    }
    return h;
}

static void sip400_tree_init(stats_tree *st)
{
    st_node_msgs = stats_tree_create_node(st, st_msgs, 0, STAT_DT_INT, TRUE);
    st_node_flagged = stats_tree_create_node(st, st_flagged, 0, STAT_DT_INT, TRUE);
    st_node_severity = stats_tree_create_node(st, st_severity, 0, STAT_DT_INT, TRUE);
    st_node_causes = stats_tree_create_node(st, st_causes, 0, STAT_DT_INT, TRUE);
    st_node_verdicts = stats_tree_create_node(st, st_verdicts, 0, STAT_DT_INT, TRUE);
    (void)st_pending_of(st);
}

static void sip400_tree_cleanup(stats_tree *st)
{
    if (st_pending_by_tree) {
        g_hash_table_remove(st_pending_by_tree, st);
        if (g_hash_table_size(st_pending_by_tree) == 0) {
            g_hash_table_destroy(st_pending_by_tree);
            st_pending_by_tree = NULL;
        }
    }
}

static const char *method_label(const sip400_tap_msg *s, char *buf, size_t cap)
{
    if (s->is_request)
        return s->method[0] ? s->method : "(no method)";
    if (s->status) {
        g_snprintf(buf, (gulong)cap, "(response %d)", s->status);
        return buf;
    }
    return "(unparsable start line)";
}

/* Tick the findings of one message: cause -> method [-> server]. */
static void st_tick_findings(stats_tree *st, const sip400_cached_msg *cm, const char *method, const char *server,
                             gboolean cause_and_method)
{
    for (guint32 i = 0; i < cm->nfindings; i++) {
        const sip400_cached_finding *f = &sip400_cm_findings(cm)[i];
        const char *id = sip400_causes[f->cause].id;
        int cause_node, method_node;
        if (cause_and_method) {
            tick_stat_node(st, st_causes, 0, TRUE);
            cause_node = tick_stat_node(st, id, st_node_causes, TRUE);
            method_node = tick_stat_node(st, method, cause_node, TRUE);
        } else {
            /* the cause and method were ticked with the request: find them */
            cause_node = stats_tree_manip_node_int(MN_INCREASE, st, id, st_node_causes, TRUE, 0);
            method_node = stats_tree_manip_node_int(MN_INCREASE, st, method, cause_node, TRUE, 0);
        }
        if (server)
            tick_stat_node(st, server, method_node, FALSE);
    }
}

static tap_packet_status sip400_tree_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                            const void *data, tap_flags_t flags _U_)
{
    const sip400_tap_info *ti = (const sip400_tap_info *)data;
    const sip400_frame_data *fd = ti ? &ti->fd : NULL;
    if (!fd)
        return TAP_PACKET_DONT_REDRAW;
    GHashTable *pending = st_pending_of(st);
    char mbuf[48], fbuf[48];
    for (guint32 i = 0; i < fd->nmsgs; i++) {
        const sip400_cached_msg *cm = &fd->msgs[i];
        const sip400_tap_msg *s = &ti->msgs[i];
        if (!s->valid)
            continue;
        sip400_txn_view v;
        gboolean hv = sip400_txn_glue_view(cm, &v);

        tick_stat_node(st, st_msgs, 0, FALSE);
        tick_stat_node(st, s->is_request ? "requests" : s->status ? "responses" : "other", st_node_msgs, FALSE);
        if (hv && v.again)
            continue; /* a copy: its findings were counted with the first one */

        if (cm->nfindings) {
            tick_stat_node(st, st_flagged, 0, FALSE);
            tick_stat_node(st, s->is_request ? "requests" : "responses", st_node_flagged, FALSE);
            for (guint32 k = 0; k < cm->nfindings; k++) {
                tick_stat_node(st, st_severity, 0, FALSE);
                tick_stat_node(st, sip400_level_severity((sip400_level)sip400_cm_findings(cm)[k].level), st_node_severity,
                               FALSE);
            }
        }
        const char *method = method_label(s, mbuf, sizeof mbuf);

        if (s->is_request) {
            if (!cm->nfindings)
                continue;
            if (!hv || !v.txn) {
                st_tick_findings(st, cm, method, NULL, TRUE); /* no transaction (ACK, no Call-ID/branch) */
                continue;
            }
            g_hash_table_remove(pending, v.txn); /* a stale entry of an earlier (first-pass) tap */
            if (ti->complete) {
                /* the whole capture was read: the answer is known */
                int status = v.final_frame ? v.final_status : 0;
                st_tick_findings(st, cm, method,
                                 family_label(status, v.family, v.has_verdict, fbuf, sizeof fbuf), TRUE);
            } else {
                st_tick_findings(st, cm, method, NULL, TRUE);
                st_pending *sp = g_new0(st_pending, 1);
                sp->req = cm;
                sp->method = g_strdup(method);
                g_hash_table_insert(pending, (gpointer)v.txn, sp);
            }
            continue;
        }

        /* a response */
        if (cm->nfindings) {
            const char *server = s->status == 400 && hv && v.has_verdict
                                     ? family_label(400, v.family, TRUE, fbuf, sizeof fbuf) : NULL;
            st_tick_findings(st, cm, method, server, TRUE);
        }
        if (!hv)
            continue;
        if (s->status >= 200 && v.txn) {
            st_pending *sp = (st_pending *)g_hash_table_lookup(pending, v.txn);
            if (sp) {
                st_tick_findings(st, sp->req, sp->method,
                                 family_label(s->status, v.family, v.has_verdict, fbuf, sizeof fbuf), FALSE);
                g_hash_table_remove(pending, v.txn);
            }
        }
        if (s->status == 400 && v.has_verdict) {
            tick_stat_node(st, st_verdicts, 0, FALSE);
            int vn = tick_stat_node(st, sip400_causes[v.verdict_cause].id, st_node_verdicts, TRUE);
            tick_stat_node(st, sip400_confidence_name((sip400_confidence)v.confidence), vn, FALSE);
        }
    }
    return TAP_PACKET_REDRAW;
}

/* ------------------------------------------------------------------------ */
/* Report                                                                    */
/* ------------------------------------------------------------------------ */

typedef enum { FMT_MD, FMT_CSV, FMT_JSON } report_format;

typedef struct {
    guint32 frame;
    gboolean in_response;
    guint16 cause;
    guint8 level;
    char *header, *explanation, *fix;
} rep_finding;

typedef struct {
    guint32 seq;
    const void *txn;
    /* the request (first copy) */
    gboolean have_req;
    guint32 req_frame, req_index, req_start, req_length;
    gboolean req_in_frame, req_undecoded;
    guint32 copies;
    nstime_t req_ts;
    char *src, *dst, *method, *ruri, *call_id, *cseq;
    guint8 transport;
    gboolean is_ack, uncorrelated;
    /* the answer: final response, else the first provisional one */
    gboolean have_resp, resp_final;
    guint32 resp_frame;
    nstime_t resp_ts;
    int status;
    char *reason;
    /* verdict of the 400 */
    gboolean have_verdict, server_only;
    guint16 verdict;
    guint8 confidence, family;
    char *evidence, *server_reason, *warning, *detail, *agent;
    GArray *findings; /* rep_finding */
    guint32 dropped;
} rep_row;

typedef struct {
    report_format fmt;
    char *filter;
    GPtrArray *rows;       /* rep_row*, creation order */
    GHashTable *by_txn;    /* txn -> rep_row* */
} report_t;

static void row_free(gpointer p)
{
    rep_row *r = (rep_row *)p;
    for (guint i = 0; r->findings && i < r->findings->len; i++) {
        rep_finding *f = &g_array_index(r->findings, rep_finding, i);
        g_free(f->header);
        g_free(f->explanation);
        g_free(f->fix);
    }
    if (r->findings)
        g_array_free(r->findings, TRUE);
    g_free(r->src);
    g_free(r->dst);
    g_free(r->method);
    g_free(r->ruri);
    g_free(r->call_id);
    g_free(r->cseq);
    g_free(r->reason);
    g_free(r->evidence);
    g_free(r->server_reason);
    g_free(r->warning);
    g_free(r->detail);
    g_free(r->agent);
    g_free(r);
}

static void report_reset(void *tapdata)
{
    report_t *rep = (report_t *)tapdata;
    g_hash_table_remove_all(rep->by_txn);
    g_ptr_array_set_size(rep->rows, 0);
}

static rep_row *row_new(report_t *rep, const void *txn)
{
    rep_row *r = g_new0(rep_row, 1);
    r->seq = rep->rows->len;
    r->txn = txn;
    r->findings = g_array_new(FALSE, TRUE, (guint)sizeof(rep_finding));
    g_ptr_array_add(rep->rows, r);
    if (txn)
        g_hash_table_insert(rep->by_txn, (gpointer)txn, r);
    return r;
}

static void row_add_findings(rep_row *r, const sip400_cached_msg *cm, guint32 frame, gboolean in_response)
{
    for (guint32 i = 0; i < cm->nfindings; i++) {
        const sip400_cached_finding *f = &sip400_cm_findings(cm)[i];
        rep_finding rf;
        rf.frame = frame;
        rf.in_response = in_response;
        rf.cause = f->cause;
        rf.level = f->level;
        rf.header = g_strdup(f->header ? f->header : "");
        rf.explanation = g_strdup(f->explanation ? f->explanation : "");
        rf.fix = g_strdup(f->fix ? f->fix : "");
        g_array_append_val(r->findings, rf);
    }
    r->dropped += sip400_cm_dropped(cm);
}

static void row_set_request(rep_row *r, const sip400_cached_msg *cm, const sip400_msg_summary *s)
{
    if (r->have_req || !s)
        return;
    r->have_req = TRUE;
    r->req_frame = s->frame;
    r->req_index = s->index;
    r->req_start = cm->start;
    r->req_length = cm->length;
    r->req_in_frame = cm->frame_ds;
    r->req_undecoded = cm->from_data;
    r->req_ts = s->abs_ts;
    r->copies = 1;
    r->transport = s->transport;
    r->src = g_strdup(s->src);
    r->dst = g_strdup(s->dst);
    r->method = g_strdup(s->method);
    r->ruri = g_strdup(s->ruri);
    r->call_id = g_strdup(s->call_id);
    r->cseq = g_strdup(s->cseq);
    r->is_ack = s->is_request && strcmp(s->method, "ACK") == 0;
    row_add_findings(r, cm, s->frame, FALSE);
}

static void row_set_response(rep_row *r, const sip400_msg_summary *s, const sip400_txn_view *v)
{
    if (!s)
        return;
    gboolean final = s->status >= 200;
    if (r->have_resp && (r->resp_final || !final))
        return; /* keep the first final answer (else the first provisional one) */
    r->have_resp = TRUE;
    r->resp_final = final;
    r->resp_frame = s->frame;
    r->resp_ts = s->abs_ts;
    r->status = s->status;
    g_free(r->reason);
    r->reason = g_strdup(s->reason);
    if (!r->have_req) {
        /* no request: the endpoints of the exchange, client first */
        r->transport = s->transport;
        r->src = g_strdup(s->dst);
        r->dst = g_strdup(s->src);
        r->method = g_strdup(s->method);
        r->ruri = g_strdup("");
        r->call_id = g_strdup(s->call_id);
        r->cseq = g_strdup(s->cseq);
    }
    if (v && v->has_verdict && s->status == 400) {
        r->have_verdict = TRUE;
        r->verdict = v->verdict_cause;
        r->confidence = v->confidence;
        r->family = v->family;
        r->server_only = v->server_only;
        r->evidence = g_strdup(v->evidence ? v->evidence : "");
        r->server_reason = g_strdup(v->reason ? v->reason : "");
        r->warning = v->warning ? g_strdup(v->warning) : NULL;
        r->detail = v->detail ? g_strdup(v->detail) : NULL;
        r->agent = v->agent ? g_strdup(v->agent) : NULL;
    }
}

static tap_packet_status report_packet(void *tapdata, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                       const void *data, tap_flags_t flags _U_)
{
    report_t *rep = (report_t *)tapdata;
    const sip400_tap_info *ti = (const sip400_tap_info *)data;
    const sip400_frame_data *fd = ti ? &ti->fd : NULL;
    if (!fd)
        return TAP_PACKET_DONT_REDRAW;
    for (guint32 i = 0; i < fd->nmsgs; i++) {
        const sip400_cached_msg *cm = &fd->msgs[i];
        const sip400_tap_msg *s = &ti->msgs[i];
        if (!s->valid)
            continue;
        sip400_txn_view v;
        gboolean hv = sip400_txn_glue_view(cm, &v);
        gboolean flagged = cm->nfindings || sip400_cm_dropped(cm);
        rep_row *r = hv && v.txn ? (rep_row *)g_hash_table_lookup(rep->by_txn, v.txn) : NULL;

        if (s->is_request) {
            if (hv && v.again) {
                if (r)
                    r->copies++;
                continue;
            }
            if (!flagged)
                continue; /* unless a 400 answers it: then the row starts there */
            if (!r)
                r = row_new(rep, hv ? v.txn : NULL);
            row_set_request(r, cm, tap_summary(ti, i));
            r->uncorrelated = !hv;
            continue;
        }

        /* a response (or an unparsable message) */
        if (!hv) {
            if (flagged) {
                r = row_new(rep, NULL);
                row_set_response(r, tap_summary(ti, i), NULL);
                row_add_findings(r, cm, s->frame, TRUE);
                r->uncorrelated = TRUE;
            }
            continue;
        }
        if (v.again)
            continue;
        if (!r) {
            if (s->status != 400 && !flagged)
                continue;
            r = row_new(rep, v.txn);
            if (v.req_msg)
                row_set_request(r, v.req_msg, v.req_summary);
        }
        row_set_response(r, tap_summary(ti, i), &v);
        if (flagged)
            row_add_findings(r, cm, s->frame, TRUE);
    }
    return TAP_PACKET_REDRAW;
}

/* ---- derived values ---- */

static const char *row_outcome(const rep_row *r)
{
    if (!r->have_req)
        return "request_not_captured";
    if (r->have_resp)
        return r->resp_final && r->status == 400 ? "answered_400" : "answered_other";
    if (r->is_ack)
        return "ack";
    if (r->uncorrelated)
        return "uncorrelated";
    return "unanswered";
}

static sip400_level row_level(const rep_row *r)
{
    sip400_level w = SIP400_LEVEL_N;
    for (guint i = 0; i < r->findings->len; i++) {
        const rep_finding *f = &g_array_index(r->findings, rep_finding, i);
        if ((sip400_level)f->level < w)
            w = (sip400_level)f->level;
    }
    return w;
}

/* The verdict of a row: the 400's; for an unanswered request with findings,
 * outcome.unanswered with the confidence of its most serious finding (as the
 * GUI shows it on the request). */
typedef struct {
    const char *cause;      /* NULL: none */
    const char *confidence;
    const char *evidence;
} row_verdict_t;

static row_verdict_t row_verdict(const rep_row *r, char *buf, size_t cap)
{
    row_verdict_t rv = { NULL, NULL, NULL };
    if (r->have_verdict) {
        rv.cause = sip400_causes[r->verdict].id;
        rv.confidence = sip400_confidence_name((sip400_confidence)r->confidence);
        rv.evidence = r->evidence;
    } else if (strcmp(row_outcome(r), "unanswered") == 0 && r->findings->len) {
        sip400_level w = row_level(r);
        const rep_finding *wf = NULL;
        for (guint i = 0; i < r->findings->len && !wf; i++) {
            const rep_finding *f = &g_array_index(r->findings, rep_finding, i);
            if ((sip400_level)f->level == w)
                wf = f;
        }
        rv.cause = sip400_causes[SIP400_OUTCOME_UNANSWERED].id;
        rv.confidence = sip400_confidence_name(w == SIP400_LEVEL_C   ? SIP400_CONFIDENCE_HIGH
                                               : w == SIP400_LEVEL_L ? SIP400_CONFIDENCE_MEDIUM
                                                                     : SIP400_CONFIDENCE_LOW);
        g_snprintf(buf, (gulong)cap,
                   "no response in the capture (%u cop%s); most serious defect: %s (%s); servers such as "
                   "Kamailio and pjsip silently drop requests they cannot parse",
                   r->copies, r->copies == 1 ? "y" : "ies", wf ? sip400_causes[wf->cause].id : "?",
                   sip400_level_severity(w));
        rv.evidence = buf;
    }
    return rv;
}

static const char *row_severity(const rep_row *r)
{
    /* a failed transaction without any finding is still worth a note */
    return sip400_level_severity(row_level(r));
}

static void format_time(const nstime_t *ts, char *buf, size_t cap, gboolean iso)
{
    GDateTime *dt = g_date_time_new_from_unix_utc((gint64)ts->secs);
    if (!dt) {
        g_strlcpy(buf, "", cap);
        return;
    }
    gchar *date = g_date_time_format(dt, iso ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d %H:%M:%S");
    g_snprintf(buf, (gulong)cap, "%s.%06d%s", date ? date : "", ts->nsecs / 1000, iso ? "Z" : "");
    g_free(date);
    g_date_time_unref(dt);
}

static const char *row_transport(const rep_row *r)
{
    return sip400_transport_name((sip400_transport)r->transport);
}

static const char *row_server_family(const rep_row *r)
{
    return r->have_verdict ? sip400_family_name((sip400_server_family)r->family) : "";
}

/* ---- output: escaping ---- */

static void json_str(GString *o, const char *s)
{
    if (!s) {
        g_string_append(o, "null");
        return;
    }
    gboolean utf8 = g_utf8_validate(s, -1, NULL);
    g_string_append_c(o, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        switch (c) {
        case '"': g_string_append(o, "\\\""); break;
        case '\\': g_string_append(o, "\\\\"); break;
        case '\n': g_string_append(o, "\\n"); break;
        case '\r': g_string_append(o, "\\r"); break;
        case '\t': g_string_append(o, "\\t"); break;
        default:
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8))
                g_string_append_printf(o, "\\u%04x", c);
            else
                g_string_append_c(o, (char)c);
        }
    }
    g_string_append_c(o, '"');
}

/* RFC 4180: quote every field that holds a comma, quote, CR or LF */
static void csv_field(GString *o, const char *s, gboolean last)
{
    if (!s)
        s = "";
    if (strpbrk(s, ",\"\r\n")) {
        g_string_append_c(o, '"');
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                g_string_append_c(o, '"');
            g_string_append_c(o, *p);
        }
        g_string_append_c(o, '"');
    } else {
        g_string_append(o, s);
    }
    g_string_append(o, last ? "\r\n" : ",");
}

static void csv_uint(GString *o, guint32 v, gboolean present)
{
    if (present)
        g_string_append_printf(o, "%u", v);
    g_string_append_c(o, ',');
}

/* Markdown text: characters that would start markup or end a table cell */
static void md_text(GString *o, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        if (strchr("\\`*_[]<>|#", *p))
            g_string_append_c(o, '\\');
        if (*p == '\n' || *p == '\r')
            g_string_append_c(o, ' ');
        else
            g_string_append_c(o, *p);
    }
}

/* Markdown prose from the catalog and the engine (explanations, fixes,
 * evidence): their `code spans` stay code when the backticks pair up;
 * everything else is escaped text. */
static void md_prose(GString *o, const char *s)
{
    if (!s)
        return;
    guint ticks = 0;
    for (const char *p = s; *p; p++)
        ticks += *p == '`';
    if (ticks % 2) {
        md_text(o, s);
        return;
    }
    gboolean code = FALSE;
    for (const char *p = s; *p; p++) {
        if (*p == '`') {
            code = !code;
            g_string_append_c(o, '`');
        } else if (*p == '\n' || *p == '\r') {
            g_string_append_c(o, ' ');
        } else {
            if (!code && strchr("\\*_[]<>|#", *p))
                g_string_append_c(o, '\\');
            g_string_append_c(o, *p);
        }
    }
}

/* Markdown code span (values as sent); falls back to escaped text */
static void md_code(GString *o, const char *s)
{
    if (!s || !*s) {
        g_string_append(o, "(none)");
        return;
    }
    if (strchr(s, '`') || strchr(s, '|')) {
        md_text(o, s);
        return;
    }
    g_string_append_c(o, '`');
    g_string_append(o, s);
    g_string_append_c(o, '`');
}

/* ---- output: formats ---- */

static void out_json(const report_t *rep, GString *o)
{
    char tbuf[64], ebuf[SIP400_TEXT_MAX * 2];
    g_string_append(o, "{\n  \"sip400_report\": 1,\n  \"plugin_version\": ");
    json_str(o, SIP400_VERSION);
    g_string_append(o, ",\n  \"filter\": ");
    json_str(o, rep->filter);
    g_string_append_printf(o, ",\n  \"count\": %u,\n  \"incidents\": [", rep->rows->len);
    for (guint i = 0; i < rep->rows->len; i++) {
        const rep_row *r = (const rep_row *)g_ptr_array_index(rep->rows, i);
        row_verdict_t rv = row_verdict(r, ebuf, sizeof ebuf);
        g_string_append_printf(o, "%s\n    {\n      \"incident\": %u,\n", i ? "," : "", i + 1);
        if (r->have_req)
            g_string_append_printf(o, "      \"request_frame\": %u,\n", r->req_frame);
        else
            g_string_append(o, "      \"request_frame\": null,\n");
        if (r->have_resp)
            g_string_append_printf(o, "      \"response_frame\": %u,\n", r->resp_frame);
        else
            g_string_append(o, "      \"response_frame\": null,\n");
        format_time(r->have_req ? &r->req_ts : &r->resp_ts, tbuf, sizeof tbuf, TRUE);
        g_string_append(o, "      \"time\": ");
        json_str(o, tbuf);
        g_string_append(o, ",\n      \"src\": ");
        json_str(o, r->src);
        g_string_append(o, ",\n      \"dst\": ");
        json_str(o, r->dst);
        g_string_append(o, ",\n      \"transport\": ");
        json_str(o, row_transport(r));
        g_string_append(o, ",\n      \"method\": ");
        json_str(o, r->method);
        g_string_append(o, ",\n      \"request_uri\": ");
        json_str(o, r->have_req ? r->ruri : NULL);
        g_string_append(o, ",\n      \"call_id\": ");
        json_str(o, r->call_id);
        g_string_append(o, ",\n      \"cseq\": ");
        json_str(o, r->cseq);
        if (r->have_resp)
            g_string_append_printf(o, ",\n      \"status\": %d,\n      \"reason\": ", r->status);
        else
            g_string_append(o, ",\n      \"status\": null,\n      \"reason\": ");
        json_str(o, r->have_resp ? r->reason : NULL);
        g_string_append(o, ",\n      \"outcome\": ");
        json_str(o, row_outcome(r));
        g_string_append(o, ",\n      \"verdict\": ");
        json_str(o, rv.cause);
        g_string_append(o, ",\n      \"confidence\": ");
        json_str(o, rv.confidence);
        g_string_append(o, ",\n      \"evidence\": ");
        json_str(o, rv.evidence);
        g_string_append(o, ",\n      \"server_family\": ");
        json_str(o, r->have_verdict ? row_server_family(r) : NULL);
        g_string_append(o, ",\n      \"server_agent\": ");
        json_str(o, r->agent);
        g_string_append(o, ",\n      \"server_warning\": ");
        json_str(o, r->warning);
        g_string_append(o, ",\n      \"server_detail\": ");
        json_str(o, r->detail);
        g_string_append_printf(o, ",\n      \"server_only\": %s", r->server_only ? "true" : "false");
        g_string_append(o, ",\n      \"severity\": ");
        json_str(o, row_severity(r));
        g_string_append_printf(o, ",\n      \"request_copies\": %u", r->copies);
        if (r->have_req)
            g_string_append_printf(o,
                                   ",\n      \"request_message\": {\"frame\": %u, \"index\": %u, \"offset\": %u, "
                                   "\"length\": %u, \"in_frame\": %s, \"undecoded\": %s}",
                                   r->req_frame, r->req_index, r->req_start, r->req_length,
                                   r->req_in_frame ? "true" : "false", r->req_undecoded ? "true" : "false");
        else
            g_string_append(o, ",\n      \"request_message\": null");
        g_string_append_printf(o, ",\n      \"findings_not_shown\": %u,\n      \"findings\": [", r->dropped);
        for (guint k = 0; k < r->findings->len; k++) {
            const rep_finding *f = &g_array_index(r->findings, rep_finding, k);
            g_string_append_printf(o, "%s\n        {\"frame\": %u, \"message\": \"%s\", \"cause\": ", k ? "," : "",
                                   f->frame, f->in_response ? "response" : "request");
            json_str(o, sip400_causes[f->cause].id);
            g_string_append(o, ", \"severity\": ");
            json_str(o, sip400_level_severity((sip400_level)f->level));
            g_string_append(o, ", \"header\": ");
            json_str(o, f->header[0] ? f->header : NULL);
            g_string_append(o, ", \"explanation\": ");
            json_str(o, f->explanation);
            g_string_append(o, ", \"fix\": ");
            json_str(o, f->fix);
            g_string_append(o, "}");
        }
        g_string_append(o, r->findings->len ? "\n      ]\n    }" : "]\n    }");
    }
    g_string_append(o, rep->rows->len ? "\n  ]\n}\n" : "]\n}\n");
}

static void findings_text(GString *o, const rep_row *r, gboolean causes_only)
{
    for (guint k = 0; k < r->findings->len; k++) {
        const rep_finding *f = &g_array_index(r->findings, rep_finding, k);
        if (k)
            g_string_append(o, causes_only ? " " : " | ");
        g_string_append(o, sip400_causes[f->cause].id);
        if (!causes_only) {
            g_string_append_printf(o, " [%s, frame %u%s%s]: %s; fix: %s",
                                   sip400_level_severity((sip400_level)f->level), f->frame,
                                   f->header[0] ? ", " : "", f->header, f->explanation, f->fix);
        }
    }
}

static void out_csv(const report_t *rep, GString *o)
{
    static const char *const cols[] = {
        "incident", "request_frame", "response_frame", "time", "src", "dst", "transport", "method", "request_uri",
        "call_id", "cseq", "status", "reason", "outcome", "verdict", "confidence", "server_family", "severity",
        "findings_count", "causes", "findings", "evidence", "server_warning",
    };
    for (size_t c = 0; c < G_N_ELEMENTS(cols); c++)
        csv_field(o, cols[c], c + 1 == G_N_ELEMENTS(cols));
    char tbuf[64], ebuf[SIP400_TEXT_MAX * 2], num[16];
    GString *tmp = g_string_new(NULL);
    for (guint i = 0; i < rep->rows->len; i++) {
        const rep_row *r = (const rep_row *)g_ptr_array_index(rep->rows, i);
        row_verdict_t rv = row_verdict(r, ebuf, sizeof ebuf);
        csv_uint(o, i + 1, TRUE);
        csv_uint(o, r->req_frame, r->have_req);
        csv_uint(o, r->resp_frame, r->have_resp);
        format_time(r->have_req ? &r->req_ts : &r->resp_ts, tbuf, sizeof tbuf, TRUE);
        csv_field(o, tbuf, FALSE);
        csv_field(o, r->src, FALSE);
        csv_field(o, r->dst, FALSE);
        csv_field(o, row_transport(r), FALSE);
        csv_field(o, r->method, FALSE);
        csv_field(o, r->have_req ? r->ruri : "", FALSE);
        csv_field(o, r->call_id, FALSE);
        csv_field(o, r->cseq, FALSE);
        g_snprintf(num, sizeof num, "%d", r->status);
        csv_field(o, r->have_resp ? num : "", FALSE);
        csv_field(o, r->have_resp ? r->reason : "", FALSE);
        csv_field(o, row_outcome(r), FALSE);
        csv_field(o, rv.cause, FALSE);
        csv_field(o, rv.confidence, FALSE);
        csv_field(o, row_server_family(r), FALSE);
        csv_field(o, row_severity(r), FALSE);
        csv_uint(o, r->findings->len, TRUE);
        g_string_truncate(tmp, 0);
        findings_text(tmp, r, TRUE);
        csv_field(o, tmp->str, FALSE);
        g_string_truncate(tmp, 0);
        findings_text(tmp, r, FALSE);
        csv_field(o, tmp->str, FALSE);
        csv_field(o, rv.evidence, FALSE);
        csv_field(o, r->warning, TRUE);
    }
    g_string_free(tmp, TRUE);
}

/* Markdown: the final answer of a row ("400 Bad Request URI") or its outcome */
static void md_answer(GString *o, const rep_row *r)
{
    if (r->have_resp) {
        g_string_append_printf(o, "%d ", r->status);
        md_text(o, r->reason);
    } else {
        md_text(o, row_outcome(r));
    }
}
static void out_md(const report_t *rep, GString *o)
{
    guint nsev[4] = { 0, 0, 0, 0 };
    for (guint i = 0; i < rep->rows->len; i++)
        nsev[row_level((const rep_row *)g_ptr_array_index(rep->rows, i))]++;
    g_string_append(o, "# sip400 report\n\n");
    if (rep->filter) {
        g_string_append(o, "Filter: ");
        md_code(o, rep->filter);
        g_string_append(o, "\n\n");
    }
    if (!rep->rows->len) {
        g_string_append(o, "No incidents: no request or response with findings, no 400.\n");
        return;
    }
    g_string_append_printf(o, "%u incident%s: %u with errors, %u with warnings, %u with notes only.\n\n",
                           rep->rows->len, rep->rows->len == 1 ? "" : "s", nsev[SIP400_LEVEL_C],
                           nsev[SIP400_LEVEL_L], nsev[SIP400_LEVEL_P] + nsev[SIP400_LEVEL_N]);
    g_string_append(o, "| # | Request | Response | Time (UTC) | Client → Server | Method | Answer | Verdict | "
                       "Findings |\n|---:|---:|---:|---|---|---|---|---|---|\n");
    char tbuf[64], ebuf[SIP400_TEXT_MAX * 2];
    for (guint i = 0; i < rep->rows->len; i++) {
        const rep_row *r = (const rep_row *)g_ptr_array_index(rep->rows, i);
        row_verdict_t rv = row_verdict(r, ebuf, sizeof ebuf);
        g_string_append_printf(o, "| %u | ", i + 1);
        if (r->have_req)
            g_string_append_printf(o, "%u", r->req_frame);
        else
            g_string_append(o, "-");
        g_string_append(o, " | ");
        if (r->have_resp)
            g_string_append_printf(o, "%u", r->resp_frame);
        else
            g_string_append(o, "-");
        format_time(r->have_req ? &r->req_ts : &r->resp_ts, tbuf, sizeof tbuf, FALSE);
        g_string_append_printf(o, " | %s | ", tbuf);
        md_text(o, r->src);
        g_string_append(o, " → ");
        md_text(o, r->dst);
        g_string_append_printf(o, " %s | ", row_transport(r));
        md_text(o, r->method);
        g_string_append(o, " | ");
        md_answer(o, r);
        g_string_append(o, " | ");
        if (rv.cause)
            g_string_append_printf(o, "%s (%s)", rv.cause, rv.confidence);
        else
            g_string_append(o, "-");
        g_string_append(o, " | ");
        if (r->findings->len) {
            guint n[4] = { 0, 0, 0, 0 };
            for (guint k = 0; k < r->findings->len; k++)
                n[g_array_index(r->findings, rep_finding, k).level]++;
            const char *sep = "";
            if (n[SIP400_LEVEL_C]) {
                g_string_append_printf(o, "%u error%s", n[SIP400_LEVEL_C], n[SIP400_LEVEL_C] == 1 ? "" : "s");
                sep = ", ";
            }
            if (n[SIP400_LEVEL_L]) {
                g_string_append_printf(o, "%s%u warning%s", sep, n[SIP400_LEVEL_L], n[SIP400_LEVEL_L] == 1 ? "" : "s");
                sep = ", ";
            }
            if (n[SIP400_LEVEL_P] + n[SIP400_LEVEL_N])
                g_string_append_printf(o, "%s%u note%s", sep, n[SIP400_LEVEL_P] + n[SIP400_LEVEL_N],
                                       n[SIP400_LEVEL_P] + n[SIP400_LEVEL_N] == 1 ? "" : "s");
        } else {
            g_string_append(o, "none");
        }
        g_string_append(o, " |\n");
    }

    for (guint i = 0; i < rep->rows->len; i++) {
        const rep_row *r = (const rep_row *)g_ptr_array_index(rep->rows, i);
        row_verdict_t rv = row_verdict(r, ebuf, sizeof ebuf);
        g_string_append_printf(o, "\n## %u. ", i + 1);
        md_text(o, r->method[0] ? r->method : "(no method)");
        if (r->have_req && r->ruri[0]) {
            g_string_append_c(o, ' ');
            md_text(o, r->ruri);
        }
        g_string_append(o, " → ");
        md_answer(o, r);
        g_string_append(o, "\n\n");
        if (r->have_req) {
            format_time(&r->req_ts, tbuf, sizeof tbuf, FALSE);
            g_string_append_printf(o, "- **Request**: frame %u, %s UTC, ", r->req_frame, tbuf);
            md_text(o, r->src);
            g_string_append(o, " → ");
            md_text(o, r->dst);
            g_string_append_printf(o, " over %s", row_transport(r));
            if (r->copies > 1)
                g_string_append_printf(o, ", sent %u times", r->copies);
            g_string_append(o, "\n- **Request-URI**: ");
            md_code(o, r->ruri);
            g_string_append(o, "\n");
        } else {
            g_string_append(o, "- **Request**: not in the capture\n");
        }
        g_string_append(o, "- **Call-ID**: ");
        md_code(o, r->call_id);
        g_string_append(o, ", **CSeq**: ");
        md_code(o, r->cseq);
        g_string_append(o, "\n- **Answer**: ");
        if (r->have_resp) {
            format_time(&r->resp_ts, tbuf, sizeof tbuf, FALSE);
            g_string_append_printf(o, "frame %u, %s UTC, ", r->resp_frame, tbuf);
            g_string_append_printf(o, "`%d` ", r->status);
            md_code(o, r->reason);
            if (r->agent) {
                g_string_append(o, ", server ");
                md_code(o, r->agent);
            }
            if (r->have_verdict)
                g_string_append_printf(o, " (family: %s)", row_server_family(r));
            if (r->warning) {
                g_string_append(o, ", Warning: ");
                md_code(o, r->warning);
            }
            if (r->detail) {
                g_string_append(o, ", ");
                md_code(o, r->detail);
            }
        } else {
            md_text(o, row_outcome(r));
        }
        g_string_append(o, "\n");
        if (rv.cause) {
            g_string_append_printf(o, "- **Verdict**: `%s` (%s confidence)%s: ", rv.cause, rv.confidence,
                                   r->server_only ? ", named by the server only" : "");
            md_prose(o, rv.evidence);
            g_string_append(o, "\n");
        }
        if (r->findings->len) {
            g_string_append(o, "- **Findings**:\n");
            for (guint k = 0; k < r->findings->len; k++) {
                const rep_finding *f = &g_array_index(r->findings, rep_finding, k);
                g_string_append_printf(o, "  - **%s** `%s`", sip400_level_severity((sip400_level)f->level),
                                       sip400_causes[f->cause].id);
                g_string_append_printf(o, " (%s frame %u", f->in_response ? "response" : "request", f->frame);
                if (f->header[0]) {
                    g_string_append(o, ", ");
                    md_text(o, f->header);
                }
                g_string_append(o, "): ");
                md_prose(o, f->explanation);
                g_string_append(o, "  \n    Fix: ");
                md_prose(o, f->fix);
                g_string_append(o, "\n");
            }
            if (r->dropped)
                g_string_append_printf(o, "  - %u more findings not shown\n", r->dropped);
        } else {
            g_string_append(o, "- **Findings**: none in the request\n");
        }
    }
}

static void report_draw(void *tapdata)
{
    report_t *rep = (report_t *)tapdata;
    GString *o = g_string_new(NULL);
    switch (rep->fmt) {
    case FMT_JSON: out_json(rep, o); break;
    case FMT_CSV: out_csv(rep, o); break;
    case FMT_MD: out_md(rep, o); break;
    }
    fwrite(o->str, 1, o->len, stdout);
    fflush(stdout);
    g_string_free(o, TRUE);
}

static void report_finish(void *tapdata)
{
    report_t *rep = (report_t *)tapdata;
    g_hash_table_destroy(rep->by_txn);
    g_ptr_array_free(rep->rows, TRUE);
    g_free(rep->filter);
    g_free(rep);
}

#define REPORT_CLI "sip400,report"

/* -z sip400,report[,md|csv|json][,filter] */
static sip400_tap_init_ret report_init(const char *opt, void *userdata _U_)
{
    report_format fmt = FMT_MD;
    const char *filter = NULL;
    const char *p = opt + strlen(REPORT_CLI);
    if (*p == ',') {
        p++;
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n == 4 && !strncmp(p, "json", 4))
            fmt = FMT_JSON;
        else if (n == 3 && !strncmp(p, "csv", 3))
            fmt = FMT_CSV;
        else if ((n == 2 && !strncmp(p, "md", 2)) || (n == 8 && !strncmp(p, "markdown", 8)) || n == 0)
            fmt = FMT_MD;
        else {
            fprintf(stderr, "sip400: invalid -z %s: format \"%.*s\" is not md, csv or json (usage: -z "
                    REPORT_CLI "[,md|csv|json][,filter])\n", opt, (int)n, p);
            exit(1);
        }
        if (comma && comma[1])
            filter = comma + 1;
    } else if (*p) {
        fprintf(stderr, "sip400: invalid -z %s (usage: -z " REPORT_CLI "[,md|csv|json][,filter])\n", opt);
        exit(1);
    }
    report_t *rep = g_new0(report_t, 1);
    rep->fmt = fmt;
    rep->filter = filter ? g_strdup(filter) : NULL;
    rep->rows = g_ptr_array_new_with_free_func(row_free);
    rep->by_txn = g_hash_table_new(g_direct_hash, g_direct_equal);
    GString *err = register_tap_listener("sip400", rep, rep->filter, TL_REQUIRES_NOTHING, report_reset,
                                         report_packet, report_draw, report_finish);
    if (err) {
        fprintf(stderr, "sip400: -z %s: %s\n", opt, err->str);
        g_string_free(err, TRUE);
        report_finish(rep);
        exit(1);
    }
    SIP400_TAP_INIT_RETURN(true);
}

void sip400_stats_register_listeners(void)
{
    stats_tree_register_plugin("sip400", "sip400", "SIP 400 Diagnosis", 0, sip400_tree_packet, sip400_tree_init,
                               sip400_tree_cleanup);

    static stat_tap_ui report_ui = {
        SIP400_STAT_GROUP_TELEPHONY,
        "SIP 400 incidents",
        REPORT_CLI,
        report_init,
        0,
        NULL,
    };
    register_stat_tap_ui(&report_ui, NULL);
}
