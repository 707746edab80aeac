/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * sip400 post-dissector: finds every SIP message Wireshark decoded (UDP, TCP
 * reassembled, TLS decrypted, WebSocket, SCTP) and SIP-looking payloads the SIP
 * dissector refused, runs the engine on the first pass, caches the findings per
 * frame and renders them (tree, fields, expert infos) on every pass.
 */
#define WS_BUILD_DLL
#include <wireshark.h>

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/range.h>
#include <wsutil/report_message.h>

#include <string.h>

#include "packet-sip400.h"
#include "packet-sip400-compat.h"
#include "packet-sip400-txn.h"
#include "packet-sip400-stats.h"

#define SIP400_DEFAULT_PORTS "5060-5061"
/* Bytes of one message the engine looks at: SIP messages are far smaller;
 * anything beyond is not diagnosed (bounded work per message). */
#define SIP400_MAX_MESSAGE (256u * 1024u)
/* SIP messages diagnosed per frame (several per TCP segment) */
#define SIP400_MAX_MSGS_PER_FRAME 64u

static int proto_sip400 = -1;
static int proto_sip = -1;
static int hf_data_data = -1;
static int hf_ip_fragments = -1;
static int hf_ipv6_fragments = -1;
static int proto_tls = -1;
static int proto_websocket = -1;

static int hf_sip400_cause = -1;
static int hf_sip400_severity = -1;
static int hf_sip400_header = -1;
static int hf_sip400_explanation = -1;
static int hf_sip400_fix = -1;
static int hf_sip400_count = -1;
static int hf_sip400_dropped = -1;
static int hf_sip400_source = -1;

static gint ett_sip400 = -1;
static gint ett_sip400_finding = -1;

static expert_field ei_sip400[SIP400_CAUSE_COUNT];
static expert_field ei_sip400_capped = EI_INIT;

static dissector_handle_t sip400_handle;

/* ---- preferences ---- */
#define SIP400_NGROUPS 10 /* A..J */
static range_t *pref_ports;
static sip400_pref_bool pref_group[SIP400_NGROUPS];
static gint pref_number_policy = SIP400_NUMBER_POLICY_ANY;
static const char *pref_country_code = "";
static const char *pref_trunk_prefix = "0";
static const char *pref_intl_prefix = "00";
static sip400_prefs engine_prefs;
/* requests seen so far in this capture (branch/CSeq reuse), bounded: history.h */
static sip400_history *capture_history;

static const enum_val_t number_policy_vals[] = {
    { "any", "Any: flag only numbers broken for every server", SIP400_NUMBER_POLICY_ANY },
    { "national", "National: numbers must carry the country code or be national", SIP400_NUMBER_POLICY_NATIONAL },
    { "e164", "E.164: every PSTN number must be +CC...", SIP400_NUMBER_POLICY_E164 },
    { NULL, NULL, 0 }
};

/* Copy a digits-only preference, with a clear warning when it is not. */
static void apply_digits_pref(const char *name, const char *value, char *dst, size_t cap, size_t maxdigits,
                              const char *fallback)
{
    size_t n = value ? strlen(value) : 0;
    gboolean ok = n <= maxdigits;
    for (size_t i = 0; ok && i < n; i++)
        ok = value[i] >= '0' && value[i] <= '9';
    if (!ok) {
        report_warning("sip400: preference sip400.%s: \"%s\" is not valid (expected up to %zu digits); using \"%s\"",
                       name, value, maxdigits, fallback);
        value = fallback;
    }
    g_strlcpy(dst, value ? value : "", cap);
}

static void apply_prefs(void)
{
    sip400_prefs_default(&engine_prefs);
    engine_prefs.disabled_groups = 0;
    for (int g = 0; g < SIP400_NGROUPS; g++) {
        if (!pref_group[g])
            engine_prefs.disabled_groups |= 1u << g;
    }
    engine_prefs.number_policy = (sip400_number_policy)pref_number_policy;
    apply_digits_pref("country_code", pref_country_code, engine_prefs.country_code,
                      sizeof engine_prefs.country_code, 3, "");
    apply_digits_pref("trunk_prefix", pref_trunk_prefix, engine_prefs.trunk_prefix,
                      sizeof engine_prefs.trunk_prefix, 2, "0");
    apply_digits_pref("intl_prefix", pref_intl_prefix, engine_prefs.intl_prefix,
                      sizeof engine_prefs.intl_prefix, 4, "00");
}

/* ---- first pass: find and diagnose ---- */

static sip400_transport frame_transport(packet_info *pinfo)
{
    /* one walk over the frame's layers (proto ids), instead of two
     * proto_is_frame_protocol() calls comparing filter names */
    gboolean tls = FALSE, ws = FALSE;
    for (wmem_list_frame_t *l = wmem_list_head(pinfo->layers); l; l = wmem_list_frame_next(l)) {
        int id = GPOINTER_TO_INT(wmem_list_frame_data(l));
        if (id == proto_tls && id >= 0)
            tls = TRUE;
        else if (id == proto_websocket && id >= 0)
            ws = TRUE;
    }
    if (ws)
        return tls ? SIP400_TRANSPORT_WSS : SIP400_TRANSPORT_WS;
    if (tls)
        return SIP400_TRANSPORT_TLS;
    switch (pinfo->ptype) {
    case PT_UDP: return SIP400_TRANSPORT_UDP;
    case PT_TCP: return SIP400_TRANSPORT_TCP;
    case PT_SCTP: return SIP400_TRANSPORT_SCTP;
    default: return SIP400_TRANSPORT_UNKNOWN;
    }
}

static void copy_addr(sip400_addr *dst, const address *src)
{
    memset(dst, 0, sizeof *dst);
    if (src->type == AT_IPv4 && src->len == 4) {
        dst->family = 4;
        memcpy(dst->addr, src->data, 4);
    } else if (src->type == AT_IPv6 && src->len == 16) {
        dst->family = 6;
        memcpy(dst->addr, src->data, 16);
    }
}

static gboolean has_field(proto_tree *tree, int hf)
{
    if (!tree || hf < 0)
        return FALSE;
    GPtrArray *a = proto_get_finfo_ptr_array(tree, hf);
    return a && a->len > 0;
}

/* Items of a field in this frame's tree: the primed array when there is one,
 * else a tree walk (unprimed trees, e.g. GUI re-dissection).  *owned tells
 * whether the caller must free the array. */
static GPtrArray *find_items(proto_tree *tree, int hf, gboolean *owned)
{
    *owned = FALSE;
    if (!tree || hf < 0)
        return NULL;
    GPtrArray *a = proto_get_finfo_ptr_array(tree, hf);
    if (a && a->len)
        return a;
    /* A directly referenced field has every item of the tree in its array:
     * no array, no item (no tree walk on every frame without SIP). */
    header_field_info *hfi = proto_registrar_get_nth((guint)hf);
    if (hfi && hfi->ref_type == HF_REF_TYPE_DIRECT)
        return NULL;
    a = proto_find_finfo(tree, hf);
    *owned = a != NULL;
    return a;
}

/* ---- the first-pass cache ----
 * Messages live in chunks of MSG_CHUNK (their addresses stay valid for the
 * capture: transaction records and taps point to them; a frame's messages are
 * contiguous), and frame_first[frame number] is the index + 1 of the frame's
 * first message (0: none).  Emptied by the init routine, freed by the cleanup.
 * About 28 bytes per message instead of a proto-data entry, a frame record and
 * a message array per frame. */
#define MSG_CHUNK 4096u
static sip400_cached_msg **msg_chunks;
static guint32 msg_nchunks, msg_chunks_cap;
static guint32 msg_used;   /* messages used in the last chunk */
static guint32 *frame_first;
static guint32 frame_cap;

G_STATIC_ASSERT(sizeof(sip400_cached_msg) <= 24);
G_STATIC_ASSERT(SIP400_MAX_FINDINGS <= G_MAXUINT8 && SIP400_MAX_MSGS_PER_FRAME <= G_MAXUINT8);

static void cache_free(void)
{
    for (guint32 i = 0; i < msg_nchunks; i++)
        g_free(msg_chunks[i]);
    g_free(msg_chunks);
    g_free(frame_first);
    msg_chunks = NULL;
    msg_nchunks = msg_chunks_cap = msg_used = 0;
    frame_first = NULL;
    frame_cap = 0;
}

/* Room for n (<= MSG_CHUNK) contiguous messages, zeroed; not yet used. */
static sip400_cached_msg *cache_reserve(guint32 n)
{
    if (msg_nchunks == 0 || msg_used + n > MSG_CHUNK) {
        if (msg_nchunks == msg_chunks_cap) {
            msg_chunks_cap = msg_chunks_cap ? msg_chunks_cap * 2 : 64;
            msg_chunks = g_renew(sip400_cached_msg *, msg_chunks, msg_chunks_cap);
        }
        msg_chunks[msg_nchunks++] = g_new(sip400_cached_msg, MSG_CHUNK);
        msg_used = 0;
    }
    sip400_cached_msg *m = &msg_chunks[msg_nchunks - 1][msg_used];
    memset(m, 0, n * sizeof *m);
    return m;
}

/* Use the first n reserved messages for this frame. */
static void cache_commit(guint32 frame, guint32 n)
{
    guint32 first = n ? (msg_nchunks - 1) * MSG_CHUNK + msg_used + 1 : 0;
    msg_used += n;
    if (frame >= frame_cap) {
        guint32 cap = frame_cap ? frame_cap : 65536;
        while (cap <= frame && cap < G_MAXUINT32 / 2)
            cap *= 2;
        if (cap <= frame)
            return; /* frame numbers beyond 2^31: not cached */
        frame_first = g_renew(guint32, frame_first, cap);
        memset(frame_first + frame_cap, 0, (cap - frame_cap) * sizeof *frame_first);
        frame_cap = cap;
    }
    frame_first[frame] = first;
}

static sip400_frame_data cache_lookup(guint32 frame)
{
    sip400_frame_data fd = { 0, NULL };
    guint32 idx = frame < frame_cap ? frame_first[frame] : 0;
    if (idx) {
        idx--;
        fd.msgs = &msg_chunks[idx / MSG_CHUNK][idx % MSG_CHUNK];
        fd.nmsgs = fd.msgs->frame_nmsgs;
    }
    return fd;
}

sip400_msg_ext *sip400_cm_ext(sip400_cached_msg *cm)
{
    if (!cm->ext)
        cm->ext = wmem_new0(wmem_file_scope(), sip400_msg_ext);
    return cm->ext;
}

static void cache_message(sip400_cached_msg *cm, const sip400_result *res, guint32 start)
{
    cm->nfindings = (guint8)res->nfindings;
    if (!res->nfindings && !res->nfindings_dropped)
        return;
    sip400_msg_ext *x = sip400_cm_ext(cm);
    x->ndropped = res->nfindings_dropped;
    x->findings = res->nfindings ? wmem_alloc_array(wmem_file_scope(), sip400_cached_finding, res->nfindings) : NULL;
    for (guint32 i = 0; i < res->nfindings; i++) {
        const sip400_finding *f = &res->findings[i];
        sip400_cached_finding *c = &x->findings[i];
        c->cause = (guint16)f->cause;
        c->level = (guint8)f->level;
        c->offset = start + f->offset;
        c->length = f->length;
        c->header = f->header[0] ? wmem_strdup(wmem_file_scope(), f->header) : NULL;
        c->explanation = wmem_strdup(wmem_file_scope(), f->explanation);
        c->fix = wmem_strdup(wmem_file_scope(), f->fix);
    }
}

static gboolean diagnose_one(tvbuff_t *ds, guint32 start, gboolean from_data, tvbuff_t *frame_tvb,
                             const sip400_ctx *ctx, sip400_result *res, sip400_cached_msg *cm, packet_info *pinfo,
                             guint32 index)
{
    guint32 avail = tvb_captured_length_remaining(ds, (gint)start) > 0
                        ? (guint32)tvb_captured_length_remaining(ds, (gint)start) : 0;
    if (avail == 0)
        return FALSE;
    if (avail > SIP400_MAX_MESSAGE)
        avail = SIP400_MAX_MESSAGE;
    const guint8 *p = tvb_get_ptr(ds, (gint)start, (gint)avail);
    guint32 len = sip400_transport_is_stream(ctx->transport) ? sip400_stream_frame_len(p, avail) : avail;
    sip400_analyze(p, len, ctx, res);
    cm->start = start;
    cm->length = len;
    cm->frame_ds = ds == frame_tvb;
    cm->from_data = from_data;
    cm->transport = (guint8)ctx->transport;
    cache_message(cm, res, start);
    if (!cm->frame_ds) /* later passes cannot find these bytes without the tree */
        sip400_cm_ext(cm)->summary = sip400_stats_summarize(wmem_file_scope(), &res->msg, ctx->transport, pinfo,
                                                            index);
    sip400_txn_glue_feed(res, ctx, cm, pinfo, index);
    return TRUE;
}

/* tms: set to the tap listeners' entries of the messages when there are
 * listeners */
static sip400_frame_data analyze_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, sip400_tap_msg **tms)
{
    sip400_frame_data fd = { 0, NULL };
    gboolean owned = FALSE, from_data = FALSE;
    GPtrArray *items = find_items(tree, proto_sip, &owned);
    if (!items || items->len == 0) {
        if (owned && items)
            g_ptr_array_free(items, TRUE);
        items = NULL;
        owned = FALSE;
        /* payload the SIP dissector refused, on a SIP port */
        if ((pinfo->ptype == PT_UDP || pinfo->ptype == PT_TCP) &&
            (value_is_in_range(pref_ports, pinfo->srcport) || value_is_in_range(pref_ports, pinfo->destport))) {
            items = find_items(tree, hf_data_data, &owned);
            from_data = TRUE;
        }
    }
    if (!items || items->len == 0) {
        if (owned && items)
            g_ptr_array_free(items, TRUE);
        cache_commit(pinfo->num, 0);
        return fd;
    }

    /* the packet context, only for frames with something to diagnose */
    sip400_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.transport = frame_transport(pinfo);
    copy_addr(&ctx.src, &pinfo->src);
    copy_addr(&ctx.dst, &pinfo->dst);
    ctx.src_port = (guint16)pinfo->srcport;
    ctx.dst_port = (guint16)pinfo->destport;
    ctx.frame = pinfo->num;
    ctx.time = nstime_to_sec(&pinfo->abs_ts);
    ctx.ip_fragmented = has_field(tree, hf_ip_fragments) || has_field(tree, hf_ipv6_fragments);
    ctx.prefs = &engine_prefs;
    ctx.history = capture_history;

    guint32 n = MIN(items->len, SIP400_MAX_MSGS_PER_FRAME);
    fd.msgs = cache_reserve(n);
    /* One result buffer for the session (dissection is single-threaded): a
     * 20 KB g_new per frame made glibc consolidate its fastbins on every
     * frame (callgrind: -50M of +839M instructions over 10,000 messages). */
    static sip400_result res_storage;
    sip400_result *res = &res_storage;
    sip400_tap_msg *tm = sip400_stats_tap_msgs(pinfo, n);
    for (guint32 i = 0; i < n; i++) {
        field_info *fi = (field_info *)g_ptr_array_index(items, i);
        if (!fi || !fi->ds_tvb || fi->start < 0)
            continue;
        if (from_data) {
            guint32 avail = (guint32)tvb_captured_length_remaining(fi->ds_tvb, fi->start);
            const guint8 *p = tvb_get_ptr(fi->ds_tvb, fi->start, (gint)MIN(avail, 512u));
            if (!sip400_looks_like_sip(p, MIN(avail, 512u)))
                continue;
        }
        sip400_cached_msg *cm = &fd.msgs[fd.nmsgs];
        if (diagnose_one(fi->ds_tvb, (guint32)fi->start, from_data, tvb, &ctx, res, cm, pinfo, fd.nmsgs)) {
            if (tm)
                sip400_stats_tap_msg_set(sip400_stats_tap_msg_at(tm, fd.nmsgs), &res->msg, cm, pinfo);
            fd.nmsgs++;
        }
    }
    if (owned)
        g_ptr_array_free(items, TRUE);
    if (fd.nmsgs)
        fd.msgs[0].frame_nmsgs = (guint8)fd.nmsgs;
    cache_commit(pinfo->num, fd.nmsgs);
    if (!fd.nmsgs)
        fd.msgs = NULL;
    *tms = tm;
    return fd;
}

/* ---- every pass: render ---- */

static const char *severity_tag(sip400_level level)
{
    return sip400_level_severity(level);
}

static void render_message(const sip400_cached_msg *cm, tvbuff_t *mtvb, gboolean located, packet_info *pinfo,
                           proto_tree *tree)
{
    const sip400_cached_finding *findings = sip400_cm_findings(cm);
    guint32 ndropped = sip400_cm_dropped(cm);
    guint32 nerr = 0, nwarn = 0, nnote = 0;
    for (guint32 i = 0; i < cm->nfindings; i++) {
        switch (findings[i].level) {
        case SIP400_LEVEL_C: nerr++; break;
        case SIP400_LEVEL_L: nwarn++; break;
        default: nnote++; break;
        }
    }
    gint mstart = located ? (gint)cm->start : 0;
    gint mlen = located ? (gint)cm->length : 0;
    proto_item *ti = proto_tree_add_item(tree, proto_sip400, mtvb, mstart, mlen, ENC_NA);
    proto_item_append_text(ti, ": %u finding%s (%u error, %u warning, %u note)", cm->nfindings,
                           cm->nfindings == 1 ? "" : "s", nerr, nwarn, nnote);
    proto_tree *st = proto_item_add_subtree(ti, ett_sip400);
    proto_item *ci = proto_tree_add_uint(st, hf_sip400_count, mtvb, mstart, mlen, cm->nfindings);
    proto_item_set_generated(ci);
    if (cm->from_data) {
        ci = proto_tree_add_string(st, hf_sip400_source, mtvb, mstart, mlen,
                                   "payload not decoded as SIP by Wireshark (port in sip400.ports)");
        proto_item_set_generated(ci);
    }
    for (guint32 i = 0; i < cm->nfindings; i++) {
        const sip400_cached_finding *f = &findings[i];
        const sip400_cause_info *info = &sip400_causes[f->cause];
        gint off = located ? (gint)f->offset : 0;
        gint len = located ? (gint)f->length : 0;
        proto_item *fi = proto_tree_add_string_format(st, hf_sip400_cause, mtvb, off, len, info->id, "[%s] %s: %s",
                                                      severity_tag((sip400_level)f->level), info->id, f->explanation);
        proto_tree *ft = proto_item_add_subtree(fi, ett_sip400_finding);
        proto_tree_add_string(ft, hf_sip400_severity, mtvb, off, len, severity_tag((sip400_level)f->level));
        if (f->header)
            proto_tree_add_string(ft, hf_sip400_header, mtvb, off, len, f->header);
        proto_tree_add_string(ft, hf_sip400_explanation, mtvb, off, len, f->explanation);
        proto_tree_add_string(ft, hf_sip400_fix, mtvb, off, len, f->fix);
        expert_add_info_format(pinfo, fi, &ei_sip400[f->cause], "%s", f->explanation);
    }
    if (ndropped) {
        proto_item *di = proto_tree_add_uint(st, hf_sip400_dropped, mtvb, mstart, mlen, ndropped);
        proto_item_set_generated(di);
        expert_add_info_format(pinfo, di, &ei_sip400_capped, "%u more findings not shown (cap %u per message)",
                               ndropped, (unsigned)SIP400_MAX_FINDINGS);
    }
    sip400_txn_glue_render(cm, ti, st, mtvb, mstart, mlen, pinfo);
}

static void render_frame(const sip400_frame_data *fd, tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    /* Locate the data sources again: reassembled / decrypted buffers are new
     * tvbs on every pass. */
    gboolean owned_sip = FALSE, owned_data = FALSE;
    GPtrArray *sip_items = NULL, *data_items = NULL;
    guint32 k_sip = 0, k_data = 0;
    const sip400_cached_msg *top = NULL;

    for (guint32 i = 0; i < fd->nmsgs; i++) {
        const sip400_cached_msg *cm = &fd->msgs[i];
        if (cm->nfindings == 0 && !sip400_txn_glue_wants_tree(cm, pinfo))
            continue;
        tvbuff_t *mtvb = tvb;
        gboolean located = cm->frame_ds;
        if (!cm->frame_ds && tree) {
            GPtrArray **arr = cm->from_data ? &data_items : &sip_items;
            gboolean *owned = cm->from_data ? &owned_data : &owned_sip;
            if (!*arr)
                *arr = find_items(tree, cm->from_data ? hf_data_data : proto_sip, owned);
            /* the k-th item of that kind whose start matches the cached one */
            guint32 *k = cm->from_data ? &k_data : &k_sip;
            for (; *arr && *k < (*arr)->len; (*k)++) {
                field_info *fi = (field_info *)g_ptr_array_index(*arr, *k);
                if (fi && fi->ds_tvb && fi->ds_tvb != tvb && (guint32)fi->start == cm->start &&
                    (guint32)tvb_captured_length(fi->ds_tvb) >= cm->start + cm->length) {
                    mtvb = fi->ds_tvb;
                    located = TRUE;
                    (*k)++;
                    break;
                }
            }
        }
        render_message(cm, mtvb, located, pinfo, tree);
        if (!top && cm->nfindings)
            top = cm;
    }
    if (owned_sip && sip_items)
        g_ptr_array_free(sip_items, TRUE);
    if (owned_data && data_items)
        g_ptr_array_free(data_items, TRUE);

    if (top) {
        /* most severe finding of the frame in the Info column */
        const sip400_cached_finding *best = &sip400_cm_findings(top)[0];
        guint32 total = 0;
        for (guint32 i = 0; i < fd->nmsgs; i++) {
            const sip400_cached_finding *f = sip400_cm_findings(&fd->msgs[i]);
            for (guint32 j = 0; j < fd->msgs[i].nfindings; j++) {
                if (f[j].level < best->level)
                    best = &f[j];
                total++;
            }
        }
        if (total > 1)
            col_append_fstr(pinfo->cinfo, COL_INFO, " [sip400: %s +%u]", sip400_causes[best->cause].id, total - 1);
        else
            col_append_fstr(pinfo->cinfo, COL_INFO, " [sip400: %s]", sip400_causes[best->cause].id);
    }
}

static int dissect_sip400(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    sip400_frame_data fd;
    sip400_tap_msg *tms = NULL;
    if (!PINFO_FD_VISITED(pinfo)) /* first pass (or a full re-dissection after a preference change) */
        fd = analyze_frame(tvb, pinfo, tree, &tms);
    else
        fd = cache_lookup(pinfo->num);
    if (!fd.nmsgs)
        return 0;
    sip400_stats_queue(pinfo, &fd, tvb, tms); /* every pass: the tap sees -2 and pruned trees too */
    render_frame(&fd, tvb, pinfo, tree);
    return tvb_captured_length(tvb);
}

/* ---- registration ---- */

static void sip400_init(void)
{
    const char *names[] = { "sip", "data.data", "ip.fragments", "ipv6.fragments" };
    int *ids[] = { &proto_sip, &hf_data_data, &hf_ip_fragments, &hf_ipv6_fragments };
    GArray *wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        *ids[i] = proto_registrar_get_id_byname(names[i]);
        if (*ids[i] > 0)
            g_array_append_val(wanted, *ids[i]);
    }
    set_postdissector_wanted_hfids(sip400_handle, wanted);
    proto_tls = proto_get_id_by_filter_name("tls");
    proto_websocket = proto_get_id_by_filter_name("websocket");
    cache_free();
    if (capture_history)
        sip400_history_reset(capture_history);
    else
        capture_history = sip400_history_new(SIP400_HISTORY_DEFAULT_CAP);
    sip400_txn_glue_init();
}

static void sip400_cleanup(void)
{
    set_postdissector_wanted_hfids(sip400_handle, NULL);
    cache_free();
    sip400_history_free(capture_history);
    capture_history = NULL;
    sip400_txn_glue_cleanup();
}

void proto_register_sip400(void)
{
    static hf_register_info hf[] = {
        { &hf_sip400_cause,
          { "Cause", "sip400.cause", FT_STRING, BASE_NONE, NULL, 0x0,
            "Catalog id of the finding (see CAUSES.md)", HFILL } },
        { &hf_sip400_severity,
          { "Severity", "sip400.severity", FT_STRING, BASE_NONE, NULL, 0x0,
            "error, warning or note", HFILL } },
        { &hf_sip400_header,
          { "Header", "sip400.header", FT_STRING, BASE_NONE, NULL, 0x0,
            "Header the finding is about", HFILL } },
        { &hf_sip400_explanation,
          { "Explanation", "sip400.explanation", FT_STRING, BASE_NONE, NULL, 0x0,
            "What exactly is wrong in this message", HFILL } },
        { &hf_sip400_fix,
          { "Fix", "sip400.fix", FT_STRING, BASE_NONE, NULL, 0x0,
            "What to send instead", HFILL } },
        { &hf_sip400_count,
          { "Findings", "sip400.count", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Number of findings on this message", HFILL } },
        { &hf_sip400_dropped,
          { "Findings not shown", "sip400.dropped", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Findings past the per-message cap", HFILL } },
        { &hf_sip400_source,
          { "Source", "sip400.source", FT_STRING, BASE_NONE, NULL, 0x0,
            "Where sip400 found this message", HFILL } },
    };
    static gint *ett[] = { &ett_sip400, &ett_sip400_finding };

    /* one expert info per cause, named sip400.<cause id>, severity from the level */
    static ei_register_info ei[SIP400_CAUSE_COUNT + 1];
    /* static names: nothing left allocated (and lost) when tshark unloads the plugin */
    static char ei_names[SIP400_CAUSE_COUNT][64];
    for (int c = 0; c < SIP400_CAUSE_COUNT; c++) {
        const sip400_cause_info *info = &sip400_causes[c];
        int sev = info->level == SIP400_LEVEL_C ? PI_ERROR
                  : info->level == SIP400_LEVEL_L ? PI_WARN
                  : info->level == SIP400_LEVEL_P ? PI_NOTE : PI_CHAT;
        int group = info->group == 'I' || info->group == 'O' ? PI_SEQUENCE : PI_PROTOCOL;
        ei_sip400[c].ei = EI_INIT_EI;
        ei_sip400[c].hf = EI_INIT_HF;
        g_snprintf(ei_names[c], sizeof ei_names[c], "sip400.%s", info->id);
        ei[c] = (ei_register_info){ &ei_sip400[c],
            { ei_names[c], group, sev, info->title, EXPFILL } };
    }
    ei[SIP400_CAUSE_COUNT] = (ei_register_info){ &ei_sip400_capped,
        { "sip400.findings_capped", PI_PROTOCOL, PI_NOTE, "More findings than the per-message cap", EXPFILL } };

    proto_sip400 = proto_register_protocol("SIP 400 Diagnosis", "SIP400", "sip400");
    proto_register_field_array(proto_sip400, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *em = expert_register_protocol(proto_sip400);
    expert_register_field_array(em, ei, array_length(ei));
    sip400_txn_glue_register(proto_sip400, ei_sip400);
    sip400_stats_register_tap();

    module_t *mod = prefs_register_protocol(proto_sip400, apply_prefs);
    range_convert_str(wmem_epan_scope(), &pref_ports, SIP400_DEFAULT_PORTS, 65535);
    prefs_register_range_preference(mod, "ports", "SIP ports for undecoded payloads",
        "UDP/TCP ports on which payloads that Wireshark's SIP dissector refused (shown as data) "
        "are still diagnosed when they look like SIP", &pref_ports, 65535);
    static char group_names[SIP400_NGROUPS][16];
    static char group_titles[SIP400_NGROUPS][80];
    for (int g = 0; g < SIP400_NGROUPS; g++) {
        pref_group[g] = TRUE;
        g_snprintf(group_names[g], sizeof group_names[g], "group_%c", 'a' + g);
        g_snprintf(group_titles[g], sizeof group_titles[g], "Check group %c: %s", 'A' + g,
                   sip400_group_title((char)('A' + g)));
        prefs_register_bool_preference(mod, group_names[g], group_titles[g],
            "Run the rules of this group of the cause catalog", &pref_group[g]);
    }
    prefs_register_enum_preference(mod, "number_policy", "Number policy",
        "How strictly PSTN numbers are checked: any (only what breaks everywhere), national, e164",
        &pref_number_policy, number_policy_vals, FALSE);
    prefs_register_string_preference(mod, "country_code", "Default country code",
        "Country code of national numbers, digits only (e.g. 49); empty: unknown", &pref_country_code);
    prefs_register_string_preference(mod, "trunk_prefix", "National trunk prefix",
        "Prefix of national numbers (e.g. 0)", &pref_trunk_prefix);
    prefs_register_string_preference(mod, "intl_prefix", "International dialling prefix",
        "Prefix that replaces + when dialling abroad (00, 011)", &pref_intl_prefix);
    apply_prefs();

    sip400_handle = create_dissector_handle(dissect_sip400, proto_sip400);
    register_init_routine(sip400_init);
    register_cleanup_routine(sip400_cleanup);
}

void proto_reg_handoff_sip400(void)
{
    register_postdissector(sip400_handle);
}
