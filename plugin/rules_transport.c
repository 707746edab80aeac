/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group F: Via, transport, ports and NAT (the guide's "device configuration"),
 * plus uri.ip_port_omitted (group D, but it needs the packet's real port).
 *
 * Facts about the packet come from the context (sip400_ctx): the transport it
 * really used, source and destination address and port, IP fragmentation, and
 * the per-capture request history (via.branch.reused_different_cseq, skipped
 * when ctx->history is NULL).  Only requests are checked, except the NAT check
 * of Contact and SDP, which also applies to responses (a 200 OK with a private
 * media address gives one-way audio).
 *
 * transport.via_mismatch does not report WSS seen as WS: TLS offload at a
 * reverse proxy is the usual WebRTC set-up.  NAT in responses: the Contact of
 * a response to REGISTER lists bindings and is not checked.
 *
 * Precedence (one diagnosis per defect):
 *  - an IPv6 sent-by without brackets is ruri.ipv6_unbracketed and a bracketed
 *    received= uri.ipv6_via_received (rules_uri.c); ";;" is hdr.empty_params
 *    and an open quote hdr.unterminated_quote (rules_headers.c): none of them
 *    is also via.malformed;
 *  - a private Via sent-by from a public source is nat.private_contact, not
 *    also nat.via_sent_by_mismatch;
 *  - sent-by ports are compared on UDP only: on TCP/TLS/WS the source port is
 *    an ephemeral one and the sent-by names the listening port (RFC 3261 18.2.2).
 * Private addresses: 10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT),
 * 169.254/16, 127/8, fc00::/7, fe80::/10, ::1 (and their IPv4-mapped forms);
 * the documentation ranges count as public.
 */
#include "rules_util.h"
#include "sdp.h"
#include "hdrparse.h"
#include "via.h"

#include <string.h>

#define UDP_SIZE_LIMIT 1300 /* RFC 3261 18.1.1 */
#define MAX_CONTACTS 8

static inline bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* ---- addresses ---- */

typedef enum {
    AK_PUBLIC = 0,
    AK_PRIVATE,   /* RFC 1918 */
    AK_CGNAT,     /* 100.64.0.0/10 */
    AK_LINKLOCAL, /* 169.254/16, fe80::/10 */
    AK_LOOPBACK,  /* 127/8, ::1 */
    AK_ULA,       /* fc00::/7 */
    AK_SPECIAL    /* unspecified, multicast, broadcast: neither public nor NAT */
} addr_kind;

static addr_kind v4_kind(const uint8_t *a)
{
    if (a[0] == 10 || (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168))
        return AK_PRIVATE;
    if (a[0] == 100 && (a[1] & 0xc0) == 64)
        return AK_CGNAT;
    if (a[0] == 169 && a[1] == 254)
        return AK_LINKLOCAL;
    if (a[0] == 127)
        return AK_LOOPBACK;
    if (a[0] == 0 || a[0] >= 224)
        return AK_SPECIAL;
    return AK_PUBLIC;
}

static addr_kind addr_classify(const sip400_addr *a)
{
    static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
    if (a->family == 4)
        return v4_kind(a->addr);
    if (a->family != 6)
        return AK_SPECIAL;
    const uint8_t *b = a->addr;
    if (memcmp(b, mapped, 12) == 0)
        return v4_kind(b + 12);
    if ((b[0] & 0xfe) == 0xfc)
        return AK_ULA;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
        return AK_LINKLOCAL;
    if (b[0] == 0xff)
        return AK_SPECIAL;
    bool zero = true;
    for (int i = 0; i < 15 && zero; i++)
        zero = b[i] == 0;
    if (zero)
        return b[15] == 1 ? AK_LOOPBACK : AK_SPECIAL;
    return AK_PUBLIC;
}

static bool kind_is_nat(addr_kind k)
{
    return k != AK_PUBLIC && k != AK_SPECIAL;
}

static const char *kind_text(addr_kind k)
{
    switch (k) {
    case AK_PRIVATE: return "private (RFC 1918)";
    case AK_CGNAT: return "carrier-grade NAT (100.64/10)";
    case AK_LINKLOCAL: return "link-local";
    case AK_LOOPBACK: return "loopback";
    case AK_ULA: return "unique-local (fc00::/7)";
    default: return "public";
    }
}

static bool addr_eq(const sip400_addr *a, const sip400_addr *b)
{
    return a->family && a->family == b->family && memcmp(a->addr, b->addr, a->family == 4 ? 4 : 16) == 0;
}


/* Text of an address for explanations (IPv6 with the longest zero run as "::"). */
static void addr_text(const sip400_addr *a, char *buf, size_t cap)
{
    if (a->family == 4) {
        snprintf(buf, cap, "%u.%u.%u.%u", a->addr[0], a->addr[1], a->addr[2], a->addr[3]);
        return;
    }
    if (a->family != 6) {
        snprintf(buf, cap, "?");
        return;
    }
    unsigned w[8];
    for (int i = 0; i < 8; i++)
        w[i] = (unsigned)a->addr[2 * i] << 8 | a->addr[2 * i + 1];
    int best = -1, bestlen = 1;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && w[j] == 0)
            j++;
        if (j - i > bestlen) {
            best = i;
            bestlen = j - i;
        }
        i = j > i ? j : i + 1;
    }
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < 8 && o < cap; i++) {
        if (i == best) {
            o += (size_t)snprintf(buf + o, cap - o, "::");
            i += bestlen - 1;
            continue;
        }
        o += (size_t)snprintf(buf + o, cap - o, "%s%x", (o && buf[o - 1] != ':') ? ":" : "", w[i]);
    }
}

static uint16_t default_port(bool secure)
{
    return secure ? 5061 : 5060;
}


static sip400_transport transport_of(const sip400_msg *m, sip400_span t)
{
    static const struct {
        const char *name;
        sip400_transport t;
    } map[] = {
        { "UDP", SIP400_TRANSPORT_UDP }, { "TCP", SIP400_TRANSPORT_TCP }, { "TLS", SIP400_TRANSPORT_TLS },
        { "SCTP", SIP400_TRANSPORT_SCTP }, { "WS", SIP400_TRANSPORT_WS }, { "WSS", SIP400_TRANSPORT_WSS },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (sip400_span_ieq(m, t, map[i].name))
            return map[i].t;
    }
    return SIP400_TRANSPORT_UNKNOWN;
}

/* ---- via.* ---- */

static void check_via(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, const sip400_top_via *v)
{
    char q[72], q2[64];
    sip400_finding *f;
    if (!v->ok) {
        if (v->ipv6_unbracketed || v->other_issue)
            return;
        f = sip400_add(r, ctx, SIP400_VIA_MALFORMED, v->bad_off, v->bad_len, "Via");
        sip400_explain(f, "top Via `%s` is malformed: %s (sofia: Bad Via Header; Kamailio, pjsip: dropped)",
                       SIP400_Q(q, m, v->elem.off, v->elem.len), v->why);
        const char *tr = ctx && ctx->transport != SIP400_TRANSPORT_UNKNOWN ? sip400_transport_name(ctx->transport) : "UDP";
        char addr[48] = "<your address>";
        if (ctx && ctx->src.family)
            addr_text(&ctx->src, addr, sizeof addr);
        sip400_set_fix(f, "send `Via: SIP/2.0/%s %s%s%s:%u;branch=z9hG4bK<unique>`", tr, ctx && ctx->src.family == 6 ? "[" : "",
                       addr, ctx && ctx->src.family == 6 ? "]" : "", ctx && ctx->src_port ? ctx->src_port : 5060);
        return;
    }
    if (!v->has_branch) {
        f = sip400_add(r, ctx, SIP400_VIA_BRANCH_MISSING, v->elem.off, v->elem.len, "Via");
        sip400_explain(f, "top Via `%s` has no branch parameter: RFC 3261 requires one; Kamailio's default configuration drops the request",
                       SIP400_Q(q, m, v->elem.off, v->elem.len));
    } else {
        sip400_span b = v->branch.value;
        if (!v->branch.has_value || b.len < 7 || memcmp(m->p + b.off, "z9hG4bK", 7) != 0) {
            sip400_span hl = v->branch.has_value && b.len ? b : (sip400_span){ v->branch.off, v->branch.name.off + v->branch.name.len - v->branch.off };
            f = sip400_add(r, ctx, SIP400_VIA_BRANCH_NO_COOKIE, hl.off, hl.len, "Via");
            sip400_explain(f, "Via branch `%s` does not start with the RFC 3261 magic cookie z9hG4bK: servers treat the request as RFC 2543 and match transactions differently (Kamailio in strict mode drops it)",
                           SIP400_Q(q, m, hl.off, hl.len));
        } else if (b.len == 7) {
            f = sip400_add(r, ctx, SIP400_VIA_BRANCH_COOKIE_ONLY, b.off, b.len, "Via");
            sip400_explain(f, "Via branch is only the cookie `z9hG4bK`, so it is the same for every transaction (RFC 4475 3.2.1)");
        }
    }
    if (v->has_received) {
        sip400_span rv = v->received.value;
        sip400_addr a;
        bool ok = v->received.has_value && rv.len && sip400_host_ip(m, rv, &a);
        if (!ok) {
            sip400_span hl = rv.len ? rv : (sip400_span){ v->received.name.off, v->received.name.len };
            f = sip400_add(r, ctx, SIP400_VIA_RECEIVED_RPORT_INVALID, hl.off, hl.len, "Via");
            sip400_explain(f, "Via `received=%s` is not an IP address (RFC 3261 18.2.1; pjsip drops such a message)",
                           SIP400_Q(q, m, rv.off, rv.len));
        }
    }
    if (v->has_rport && v->rport.has_value) {
        uint32_t port;
        sip400_span rv = v->rport.value;
        if (!sip400_parse_port(m, rv, &port)) {
            sip400_span hl = rv.len ? rv : (sip400_span){ v->rport.name.off, v->rport.name.len };
            f = sip400_add(r, ctx, SIP400_VIA_RECEIVED_RPORT_INVALID, hl.off, hl.len, "Via");
            sip400_explain(f, "Via `rport=%s` is not a port number 0..65535 (RFC 3581)", SIP400_Q(q2, m, rv.off, rv.len));
        }
    }
}

/* CSeq number, or false */
static bool cseq_number(const sip400_msg *m, uint32_t *num)
{
    const sip400_hdr *h = sip400_msg_first(m, SIP400_H_CSEQ);
    if (!h)
        return false;
    uint64_t v = 0;
    uint32_t i = h->value_off, end = h->value_off + h->value_len, n = 0;
    while (i < end && is_digit(m->p[i]) && n < 11) {
        v = v * 10 + (uint64_t)(m->p[i] - '0');
        i++;
        n++;
    }
    if (!n || v >= (1ull << 32) || (i < end && m->p[i] != ' ' && m->p[i] != '\t'))
        return false;
    *num = (uint32_t)v;
    return true;
}

/* via.branch.reused_different_cseq: same branch and method as an earlier
 * request of the capture, another CSeq number.  RFC 2543 branches (no cookie)
 * are not unique by design and are not tracked. */
static void check_history(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, const sip400_top_via *v)
{
    if (!ctx || !ctx->history || !v->ok || !v->has_branch || !v->branch.has_value)
        return;
    sip400_span b = v->branch.value;
    if (b.len <= 7 || memcmp(m->p + b.off, "z9hG4bK", 7) != 0)
        return;
    uint32_t num;
    if (!cseq_number(m, &num))
        return;
    /* ACK for a non-2xx and CANCEL share the INVITE's branch: keyed by method */
    uint64_t key = sip400_history_key(m->p + b.off, b.len, m->p + m->method.off, m->method.len);
    const sip400_hdr *cid = sip400_msg_first(m, SIP400_H_CALL_ID);
    sip400_history_rec now = { num, ctx->frame,
                               cid ? sip400_history_hash32(m->p + cid->value_off, cid->value_len) : 0 };
    sip400_history_rec old;
    if (sip400_history_get(ctx->history, key, &old)) {
        if (old.frame > ctx->frame)
            return; /* re-dissection of an earlier frame: keep the later state */
        if (old.cseq != num && old.frame != ctx->frame) {
            char q[96], mq[32];
            sip400_finding *f = sip400_add(r, ctx, SIP400_VIA_BRANCH_REUSED_DIFFERENT_CSEQ, b.off, b.len, "Via");
            sip400_explain(f, "branch `%s` was already used by the %s in frame %u with CSeq %u; this %s has CSeq %u%s (pjsip: 400 + Warning \"Retransmission with different CSeq\")",
                           SIP400_Q(q, m, b.off, b.len), SIP400_Q(mq, m, m->method.off, m->method.len), old.frame,
                           old.cseq, mq, num, old.callid_hash == now.callid_hash ? "" : " and another Call-ID");
            sip400_set_fix(f, "generate a new branch (z9hG4bK + a unique value) for every new request, e.g. when resending with credentials (`CSeq: %u`)",
                           num);
        }
    }
    sip400_history_put(ctx->history, key, &now);
}

/* ---- transport.* ---- */

static void check_transport(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, const sip400_top_via *v)
{
    char q[96], q2[64];
    sip400_finding *f;
    if (!ctx)
        return;
    sip400_transport real = ctx->transport;
    if (v->ok && real != SIP400_TRANSPORT_UNKNOWN) {
        sip400_transport said = transport_of(m, v->transport);
        /* WSS seen as WS: TLS ended at a reverse proxy or load balancer in
         * front of the server (the usual WebRTC set-up), not a client error */
        bool offload = said == SIP400_TRANSPORT_WSS && real == SIP400_TRANSPORT_WS;
        if (said != SIP400_TRANSPORT_UNKNOWN && said != real && !offload) {
            f = sip400_add(r, ctx, SIP400_TRANSPORT_VIA_MISMATCH, v->transport.off, v->transport.len, "Via");
            sip400_explain(f, "top Via says `%s` but the request travelled over %s (old Kamailio: 400 Transport Missmatch in Topmost Via; responses go to the wrong transport)",
                           SIP400_Q(q, m, v->transport.off, v->transport.len), sip400_transport_name(real));
            sip400_set_fix(f, "send `Via: SIP/2.0/%s ...`", sip400_transport_name(real));
        }
    }
    if (real != SIP400_TRANSPORT_UNKNOWN && ctx->dst.family) {
        bool tls = real == SIP400_TRANSPORT_TLS;
        bool clear = real == SIP400_TRANSPORT_UDP || real == SIP400_TRANSPORT_TCP;
        if ((tls && ctx->dst_port == 5060) || (clear && ctx->dst_port == 5061)) {
            f = sip400_add(r, ctx, SIP400_TRANSPORT_PORT_MISMATCH, m->line.off, m->line.len, "");
            sip400_explain(f, "%s request sent to port %u: %s (the handshake fails or the server reads garbage)",
                           sip400_transport_name(real), ctx->dst_port,
                           tls ? "5060 is the port of cleartext SIP (UDP/TCP)" : "5061 is the port of SIP over TLS");
            sip400_set_fix(f, tls ? "send TLS to port 5061, or cleartext SIP to 5060"
                                  : "send cleartext SIP (UDP/TCP) to port 5060, or use TLS on 5061");
        }
    }
    if (real == SIP400_TRANSPORT_UDP && (m->len > UDP_SIZE_LIMIT || ctx->ip_fragmented)) {
        f = sip400_add(r, ctx, SIP400_TRANSPORT_UDP_OVERSIZE, m->line.off, m->len - m->line.off, "");
        if (ctx->ip_fragmented)
            sip400_explain(f, "UDP request of %u bytes was IP-fragmented: a lost or filtered fragment loses the whole request, or it arrives truncated (Content-Length mismatch)",
                           m->len);
        else
            sip400_explain(f, "UDP request of %u bytes, over the %u bytes after which RFC 3261 18.1.1 requires TCP: it may be fragmented and lost on the way",
                           m->len, UDP_SIZE_LIMIT);
    }
    (void)q2;
}

static bool same_ci(const sip400_msg *m, sip400_span a, sip400_span b)
{
    if (a.len != b.len)
        return false;
    for (uint32_t i = 0; i < a.len; i++) {
        uint8_t x = m->p[a.off + i], y = m->p[b.off + i];
        if ((x | 0x20) != (y | 0x20))
            return false;
    }
    return true;
}

/* udp, tcp, tls, sctp, tls-sctp, ws or wss (literal compares: strlen() folds) */
static bool known_transport(const sip400_msg *m, sip400_span v)
{
    switch (v.len) {
    case 2: return sip400_span_ieq(m, v, "ws");
    case 3: return sip400_span_ieq(m, v, "udp") || sip400_span_ieq(m, v, "tcp") || sip400_span_ieq(m, v, "tls") ||
                   sip400_span_ieq(m, v, "wss");
    case 4: return sip400_span_ieq(m, v, "sctp");
    case 8: return sip400_span_ieq(m, v, "tls-sctp");
    default: return false;
    }
}

/* ;transport= of one URI */
static void check_transport_param(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, sip400_span s,
                                  const char *where, const char *header)
{
    char q[96], q2[48];
    const sip400_uri *u = sip400_uri_cached(r, m, s);
    if ((u->scheme != SIP400_SCHEME_SIP && u->scheme != SIP400_SCHEME_SIPS) || !u->params.len)
        return;
    const uint8_t *p = m->p;
    uint32_t end = u->params.off + u->params.len;
    sip400_span first = { 0, 0 };
    bool seen = false;
    for (uint32_t i = u->params.off; i < end;) {
        uint32_t e = i;
        while (e < end && p[e] != ';')
            e++;
        if (e - i >= 9 && sip400_span_ieq(m, (sip400_span){ i, 9 }, "transport") &&
            (e - i == 9 || p[i + 9] == '=')) {
            sip400_span val = { e - i > 10 ? i + 10 : e, e - i > 10 ? e - i - 10 : 0 };
            sip400_span all = { i, e - i };
            sip400_finding *f = NULL;
            bool token = val.len > 0;
            for (uint32_t k = 0; k < val.len && token; k++)
                token = sip400_is_token_char(p[val.off + k]);
            if (!token) {
                f = sip400_add(r, ctx, SIP400_TRANSPORT_URI_TRANSPORT_PARAM, all.off, all.len, header);
                sip400_explain(f, "%s `%s` has `%s`: the transport value is %s", where, SIP400_Q(q, m, s.off, s.len),
                               SIP400_Q(q2, m, all.off, all.len), val.len ? "not a token" : "empty");
            } else if (seen && !same_ci(m, val, first)) {
                f = sip400_add(r, ctx, SIP400_TRANSPORT_URI_TRANSPORT_PARAM, all.off, all.len, header);
                sip400_explain(f, "%s `%s` has two different transport parameters", where, SIP400_Q(q, m, s.off, s.len));
            } else if (u->scheme == SIP400_SCHEME_SIPS && sip400_span_ieq(m, val, "udp")) {
                f = sip400_add(r, ctx, SIP400_TRANSPORT_URI_TRANSPORT_PARAM, all.off, all.len, header);
                sip400_explain(f, "%s `%s` is a sips: URI with transport=udp: sips requires TLS over a reliable transport (RFC 5630)",
                               where, SIP400_Q(q, m, s.off, s.len));
                sip400_set_fix(f, "use `sips:` without transport (or transport=tcp), or `sip:...;transport=udp`");
            } else if (!known_transport(m, val)) {
                f = sip400_add(r, ctx, SIP400_TRANSPORT_URI_TRANSPORT_PARAM, all.off, all.len, header);
                sip400_explain(f, "%s `%s` has the unknown transport `%s`: servers answer 503 or time out",
                               where, SIP400_Q(q, m, s.off, s.len), SIP400_Q(q2, m, val.off, val.len));
                sip400_set_fix(f, "use transport=udp, tcp, tls, sctp, ws or wss");
            }
            if (f)
                return;
            if (!seen) {
                seen = true;
                first = val;
            }
        }
        i = e + 1;
    }
}

/* URI of a name-addr element, trimmed */
static bool elem_uri(const sip400_msg *m, sip400_span el, sip400_span *uri)
{
    sip400_span rest;
    bool br;
    if (!el.len || !sip400_nameaddr_uri(m, el, uri, &br, &rest))
        return false;
    *uri = sip400_hp_trim(m->p, *uri);
    return uri->len > 0;
}

static uint32_t contact_uris(const sip400_msg *m, sip400_span *out, uint32_t max)
{
    uint32_t n = 0;
    if (m->first[SIP400_H_CONTACT] < 0)
        return 0;
    /* from the first Contact line to the last one (count: stored lines) */
    uint32_t left = m->count[SIP400_H_CONTACT];
    for (uint32_t i = (uint32_t)m->first[SIP400_H_CONTACT]; i < m->nhdr && n < max && left; i++) {
        const sip400_hdr *h = &m->hdr[i];
        if (h->id != SIP400_H_CONTACT)
            continue;
        left--;
        if (h->flags & SIP400_HF_NO_COLON)
            continue;
        sip400_span els[MAX_CONTACTS];
        uint32_t total;
        uint32_t k = sip400_split_list(m, sip400_hdr_value(h), els, MAX_CONTACTS, &total);
        for (uint32_t j = 0; j < k && n < max; j++) {
            if (elem_uri(m, els[j], &out[n]) && !(out[n].len == 1 && m->p[out[n].off] == '*'))
                n++;
        }
    }
    return n;
}

static void check_uri_transports(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r,
                                 const sip400_span *contacts, uint32_t ncontacts)
{
    sip400_span ruri = m->ruri;
    if (ruri.len >= 2 && m->p[ruri.off] == '<') {
        ruri.off++;
        ruri.len -= 2;
    }
    if (m->nfields == 3)
        check_transport_param(m, ctx, r, ruri, "Request-URI", "");
    for (uint32_t i = 0; i < ncontacts; i++)
        check_transport_param(m, ctx, r, contacts[i], "Contact", "Contact");
    const sip400_hdr *rt = sip400_msg_first(m, SIP400_H_ROUTE);
    if (rt) {
        sip400_span els[1], u;
        uint32_t total;
        if (sip400_split_list(m, sip400_hdr_value(rt), els, 1, &total) && elem_uri(m, els[0], &u))
            check_transport_param(m, ctx, r, u, "Route", "Route");
    }
}

/* transport.tls_ip_contact: repro's ServerRegistration refuses a REGISTER whose
 * Contact has an IP address with sips: or a secure transport, unless the
 * registration has a flow (outbound: +sip.instance and reg-id). */
static void check_tls_ip_contact(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r,
                                 const sip400_span *contacts, uint32_t ncontacts)
{
    if (!sip400_method_is(m, "REGISTER"))
        return;
    char q[96], q2[64];
    for (uint32_t i = 0; i < ncontacts; i++) {
        const sip400_uri *u = sip400_uri_cached(r, m, contacts[i]);
        sip400_addr a;
        if (!sip400_host_ip(m, u->host, &a))
            continue;
        sip400_span tv;
        bool secure = u->scheme == SIP400_SCHEME_SIPS ||
                      (sip400_param_find(m, u->params, "transport", &tv) &&
                       (sip400_span_ieq(m, tv, "tls") || sip400_span_ieq(m, tv, "wss") ||
                        sip400_span_ieq(m, tv, "tls-sctp")));
        if (!secure)
            continue;
        /* outbound flow: reg-id in the Contact header parameters */
        const uint8_t *p = m->p;
        bool regid = false;
        for (uint32_t k = contacts[i].off + contacts[i].len; k + 6 < m->hdr_end && p[k] != '\r' && p[k] != '\n' && p[k] != ','; k++) {
            if (sip400_span_ieq(m, (sip400_span){ k, 6 }, "reg-id")) {
                regid = true;
                break;
            }
        }
        if (regid)
            continue;
        sip400_finding *f = sip400_add(r, ctx, SIP400_TRANSPORT_TLS_IP_CONTACT, u->host.off, u->host.len, "Contact");
        sip400_explain(f, "REGISTER with a %s Contact `%s` on the IP address %s and no outbound flow (repro: 400 Trying to use TLS with an IP-address in your Contact header...)",
                       u->scheme == SIP400_SCHEME_SIPS ? "sips:" : "TLS", SIP400_Q(q, m, contacts[i].off, contacts[i].len),
                       SIP400_Q(q2, m, u->host.off, u->host.len));
        sip400_set_fix(f, "put the device's FQDN in the Contact, or use SIP outbound (RFC 5626: +sip.instance and reg-id)");
        return;
    }
}

/* uri.ip_port_omitted: the request went to ip:port, a URI naming that IP has no port */
static void check_ip_port_omitted(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    if (!ctx || !ctx->dst.family || ctx->transport == SIP400_TRANSPORT_UNKNOWN || m->nfields != 3)
        return;
    sip400_span cand[2];
    const char *where[2] = { "Request-URI", "Route" };
    const char *hdr[2] = { "", "Route" };
    uint32_t n = 0;
    cand[n] = m->ruri;
    if (cand[n].len >= 2 && m->p[cand[n].off] == '<') {
        cand[n].off++;
        cand[n].len -= 2;
    }
    n++;
    const sip400_hdr *rt = sip400_msg_first(m, SIP400_H_ROUTE);
    if (rt) {
        sip400_span els[1];
        uint32_t total;
        if (sip400_split_list(m, sip400_hdr_value(rt), els, 1, &total) && elem_uri(m, els[0], &cand[n]))
            n++;
    }
    for (uint32_t i = 0; i < n; i++) {
        const sip400_uri *u = sip400_uri_cached(r, m, cand[i]);
        if (u->scheme != SIP400_SCHEME_SIP && u->scheme != SIP400_SCHEME_SIPS)
            continue;
        sip400_addr a;
        if (u->has_port || !sip400_host_ip(m, u->host, &a) || !addr_eq(&a, &ctx->dst))
            continue;
        bool secure = u->scheme == SIP400_SCHEME_SIPS || ctx->transport == SIP400_TRANSPORT_TLS;
        uint16_t def = default_port(secure);
        if (ctx->dst_port == def || ctx->transport == SIP400_TRANSPORT_WS || ctx->transport == SIP400_TRANSPORT_WSS)
            return;
        char q[96], q2[64];
        sip400_finding *f = sip400_add(r, ctx, SIP400_URI_IP_PORT_OMITTED, u->host.off, u->host.len, hdr[i]);
        sip400_explain(f, "%s `%s` names %s without a port, which means %u, but the request was sent to port %u",
                       where[i], SIP400_Q(q, m, cand[i].off, cand[i].len), SIP400_Q(q2, m, u->host.off, u->host.len),
                       def, ctx->dst_port);
        uint32_t he = u->host.off + u->host.len, ce = cand[i].off + cand[i].len;
        sip400_set_fix(f, "include the port: `%s:%u%s`", SIP400_Q(q, m, cand[i].off, he - cand[i].off), ctx->dst_port,
                       SIP400_Q(q2, m, he, ce - he));
        return;
    }
}

/* ---- nat.* ---- */

typedef struct {
    const char *what;  /* "Contact", "Via sent-by", "SDP c=", "SDP o=" */
    const char *header;
    sip400_span span;
    sip400_addr addr;
    addr_kind kind;
} nat_hit;

static void report_nat(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, const nat_hit *hits,
                       uint32_t n, bool media)
{
    if (!n)
        return;
    char q[48], src[48], also[64];
    addr_text(&ctx->src, src, sizeof src);
    also[0] = '\0';
    size_t o = 0;
    for (uint32_t i = 1; i < n && o < sizeof also; i++)
        o += (size_t)snprintf(also + o, sizeof also - o, "%s%s", i == 1 ? "; also in " : ", ", hits[i].what);
    sip400_finding *f = sip400_add(r, ctx, SIP400_NAT_PRIVATE_CONTACT, hits[0].span.off, hits[0].span.len, hits[0].header);
    sip400_explain(f, "%s `%s` is %s but the packet came from %s: behind NAT, %s%s",
                   hits[0].what, SIP400_Q(q, m, hits[0].span.off, hits[0].span.len), kind_text(hits[0].kind), src,
                   media ? "one-way or no audio" : "replies and in-dialog requests get lost", also);
    sip400_set_fix(f, media ? "enable ICE/STUN or media latching on the server (rtpengine, SBC), or fix the NAT settings of the device"
                            : "let the server fix it (nathelper fix_nated_contact, rport), enable STUN or outbound on the device, or use an SBC");
}

static void check_nat(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, const sip400_top_via *v,
                      const sip400_span *contacts, uint32_t ncontacts)
{
    if (!ctx || !ctx->src.family || addr_classify(&ctx->src) != AK_PUBLIC)
        return;
    bool request = m->kind == SIP400_START_REQUEST;
    nat_hit sig[4], med[4];
    uint32_t nsig = 0, nmed = 0;
    /* the Contacts of a REGISTER response are the bindings of the address of
     * record, not the responder's own address */
    const sip400_hdr *cseq = sip400_msg_first(m, SIP400_H_CSEQ);
    bool bindings = !request && cseq && cseq->value_len >= 8 &&
                    sip400_span_eq(m, (sip400_span){ cseq->value_off + cseq->value_len - 8, 8 }, "REGISTER");
    for (uint32_t i = 0; i < ncontacts && nsig < 2 && !bindings; i++) {
        const sip400_uri *u = sip400_uri_cached(r, m, contacts[i]);
        nat_hit h = { "Contact", "Contact", u->host, { 0 }, AK_PUBLIC };
        if (sip400_host_ip(m, u->host, &h.addr) && kind_is_nat(h.kind = addr_classify(&h.addr)))
            sig[nsig++] = h;
    }
    if (request && v->ok) {
        nat_hit h = { "the top Via sent-by", "Via", v->host, { 0 }, AK_PUBLIC };
        h.addr = v->host_addr;
        if (v->host_is_ip && kind_is_nat(h.kind = addr_classify(&h.addr)))
            sig[nsig++] = h;
    }
    sip400_span sdps[2];
    uint32_t nsdp = sip400_sdp_locate(m, sdps, 2);
    for (uint32_t s = 0; s < nsdp && nmed < 4; s++) {
        const sip400_sdp *sd = sip400_sdp_cached(r, m, sdps[s].off, sdps[s].len);
        /* c= lines first: they carry the media */
        for (int pass = 0; pass < 2; pass++) {
            char want = pass == 0 ? 'c' : 'o';
            for (uint32_t i = 0; i < sd->naddr && nmed < 4; i++) {
                const sip400_sdp_addr *a = &sd->addr[i];
                if (a->type != want || !a->is_ip)
                    continue;
                nat_hit h = { want == 'c' ? "SDP c=" : "SDP o=", "", { a->addr_off, a->addr_len }, { 0 }, AK_PUBLIC };
                h.addr.family = a->family;
                memcpy(h.addr.addr, a->ip, 16);
                if (kind_is_nat(h.kind = addr_classify(&h.addr)) && (want == 'c' || nmed))
                    med[nmed++] = h; /* o= alone is informational: only with a private c= */
            }
        }
    }
    report_nat(m, ctx, r, sig, nsig, false);
    report_nat(m, ctx, r, med, nmed, true);
}

static void check_sent_by(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, const sip400_top_via *v)
{
    if (!ctx || !ctx->src.family || !v->ok)
        return;
    if (!v->host_is_ip)
        return; /* a host name: no DNS here */
    const sip400_addr a = v->host_addr;
    char q[96], src[48];
    if (!addr_eq(&a, &ctx->src)) {
        if (kind_is_nat(addr_classify(&a)) && addr_classify(&ctx->src) == AK_PUBLIC)
            return; /* nat.private_contact */
        addr_text(&ctx->src, src, sizeof src);
        sip400_finding *f = sip400_add(r, ctx, SIP400_NAT_VIA_SENT_BY_MISMATCH, v->host.off, v->host.len, "Via");
        sip400_explain(f, "top Via sent-by `%s` is not the source address %s (NAT, a wrong local address, or a hop that added no Via): replies reach it only via received/rport",
                       SIP400_Q(q, m, v->host.off, v->host.len), src);
        sip400_set_fix(f, "send the real address in Via (`%s`), add `;rport` (RFC 3581), or fix the NAT settings", src);
        return;
    }
    if (ctx->transport != SIP400_TRANSPORT_UDP)
        return;
    uint32_t port = v->has_port ? v->portnum : 5060;
    if (port == ctx->src_port)
        return;
    sip400_span hl = v->has_port ? v->port : v->host;
    sip400_finding *f = sip400_add(r, ctx, SIP400_NAT_VIA_SENT_BY_MISMATCH, hl.off, hl.len, "Via");
    sip400_explain(f, "top Via sent-by port %u%s is not the UDP source port %u: responses go to %u and are lost unless the server honours rport (RFC 3581)",
                   port, v->has_port ? "" : " (default)", ctx->src_port, port);
    sip400_set_fix(f, "send from the port named in Via, or add `;rport` so that responses return to the source port %u",
                   ctx->src_port);
}

/* nat.sip_alg_mangling: fingerprints of a router's SIP ALG */
static void check_alg(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r, const sip400_top_via *v,
                      const sip400_span *contacts, uint32_t ncontacts)
{
    if (!ctx || !ctx->src.family || addr_classify(&ctx->src) != AK_PUBLIC)
        return;
    char q[96], q2[96], src[48];
    bool via_private = v->ok && v->host_is_ip && kind_is_nat(addr_classify(&v->host_addr));
    /* 1. Contact rewritten to the public source address and port, Via left private */
    if (via_private && ctx->transport == SIP400_TRANSPORT_UDP) {
        for (uint32_t i = 0; i < ncontacts; i++) {
            const sip400_uri *u = sip400_uri_cached(r, m, contacts[i]);
            sip400_addr a;
            uint32_t port = 5060;
            if (!sip400_host_ip(m, u->host, &a) || !addr_eq(&a, &ctx->src))
                continue;
            if (u->has_port && !sip400_parse_port(m, u->port, &port))
                continue;
            if (port != ctx->src_port)
                continue;
            sip400_finding *f = sip400_add(r, ctx, SIP400_NAT_SIP_ALG_MANGLING, contacts[i].off, contacts[i].len, "Contact");
            addr_text(&ctx->src, src, sizeof src);
            sip400_explain(f, "Contact `%s` is the public source %s:%u while the top Via still names the private `%s`: a router's SIP ALG rewrote the Contact",
                           SIP400_Q(q, m, contacts[i].off, contacts[i].len), src, ctx->src_port,
                           SIP400_Q(q2, m, v->host.off, v->host.len));
            return;
        }
    }
    /* 2. SDP rewritten (c= is the public source, o= or Via still private) and
     *    Content-Length no longer matches the body */
    const sip400_hdr *cl = sip400_msg_first(m, SIP400_H_CONTENT_LENGTH);
    if (!cl || !m->have_blank_line)
        return;
    uint64_t declared = 0;
    uint32_t nd = 0;
    for (uint32_t i = cl->value_off; i < cl->value_off + cl->value_len && is_digit(m->p[i]) && nd < 10; i++, nd++)
        declared = declared * 10 + (uint64_t)(m->p[i] - '0');
    if (!nd || nd != cl->value_len || declared == m->body_len)
        return;
    sip400_span sdps[1];
    if (!sip400_sdp_locate(m, sdps, 1))
        return;
    /* the whole body as received, not only the Content-Length bytes */
    const sip400_sdp *sd = sip400_sdp_cached(r, m, sdps[0].off, m->len - sdps[0].off);
    const sip400_sdp_addr *pub_c = NULL, *priv_o = NULL;
    for (uint32_t i = 0; i < sd->naddr; i++) {
        const sip400_sdp_addr *a = &sd->addr[i];
        if (!a->is_ip)
            continue;
        sip400_addr x = { a->family, { 0 } };
        memcpy(x.addr, a->ip, 16);
        if (a->type == 'c' && addr_eq(&x, &ctx->src) && !pub_c)
            pub_c = a;
        if (a->type == 'o' && kind_is_nat(addr_classify(&x)) && !priv_o)
            priv_o = a;
    }
    if (!pub_c || !(priv_o || via_private))
        return;
    sip400_finding *f = sip400_add(r, ctx, SIP400_NAT_SIP_ALG_MANGLING, pub_c->line_off, pub_c->line_len, "");
    sip400_explain(f, "SDP `%s` has the public source address, %s is still private and Content-Length %llu is not the %u-byte body: a SIP ALG rewrote the SDP",
                   SIP400_Q(q, m, pub_c->line_off, pub_c->line_len),
                   priv_o ? "the SDP origin (o=)" : "the top Via", (unsigned long long)declared, m->body_len);
}

void sip400_rules_transport(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    if (m->kind == SIP400_START_INVALID)
        return;
    static const sip400_top_via none; /* responses: no top Via checks */
    bool request = m->kind == SIP400_START_REQUEST;
    const sip400_top_via *vp = request ? sip400_via_cached(r) : &none;
    sip400_span contacts[MAX_CONTACTS];
    uint32_t ncontacts = contact_uris(m, contacts, MAX_CONTACTS);
    if (request) {
        if (vp->h)
            check_via(m, ctx, r, vp);
        check_history(m, ctx, r, vp);
        check_transport(m, ctx, r, vp);
        check_uri_transports(m, ctx, r, contacts, ncontacts);
        check_tls_ip_contact(m, ctx, r, contacts, ncontacts);
        check_ip_port_omitted(m, ctx, r);
        check_sent_by(m, ctx, r, vp);
        check_alg(m, ctx, r, vp, contacts, ncontacts);
    }
    check_nat(m, ctx, r, vp, contacts, ncontacts);
}
