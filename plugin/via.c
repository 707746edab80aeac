/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The top Via parser (see via.h).
 */
#include "via.h"

#include <string.h>

#include "rules_util.h"
#include "uri.h"

static inline bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* IP literal (dotted quad, [IPv6] or bare IPv6) to bytes */
bool sip400_host_ip(const sip400_msg *m, sip400_span host, sip400_addr *out)
{
    memset(out, 0, sizeof *out);
    if (!host.len)
        return false;
    if (sip400_parse_ipv4(m->p + host.off, host.len, out->addr)) {
        out->family = 4;
        return true;
    }
    if (sip400_parse_ipv6(m->p + host.off, host.len, out->addr)) {
        out->family = 6;
        return true;
    }
    return false;
}

bool sip400_parse_port(const sip400_msg *m, sip400_span s, uint32_t *port)
{
    if (!s.len || s.len > 5)
        return false;
    uint32_t v = 0;
    for (uint32_t i = 0; i < s.len; i++) {
        if (!is_digit(m->p[s.off + i]))
            return false;
        v = v * 10 + (uint32_t)(m->p[s.off + i] - '0');
    }
    *port = v;
    return v <= 65535;
}
static uint32_t token_end(const sip400_msg *m, uint32_t i, uint32_t end)
{
    while (i < end && sip400_is_token_char(m->p[i]))
        i++;
    return i;
}

static void via_bad(sip400_top_via *v, uint32_t off, uint32_t len, const char *why)
{
    v->ok = false;
    v->bad_off = off;
    v->bad_len = len;
    v->why = why;
}

/* Bytes that end a part of the sent-by: ';' and LWS end it, ':' ends the host */
#define SB_END 1
#define SB_COLON 2
static const uint8_t sent_by_stop[256] = {
    [';'] = SB_END, [' '] = SB_END, ['\t'] = SB_END, ['\r'] = SB_END, ['\n'] = SB_END, [':'] = SB_COLON,
};

bool sip400_top_via_parse(const sip400_msg *m, sip400_top_via *v)
{
    memset(v, 0, sizeof *v);
    const sip400_hdr *h = sip400_msg_first(m, SIP400_H_VIA);
    if (!h || (h->flags & SIP400_HF_NO_COLON))
        return false;
    v->h = h;
    sip400_span els[2];
    uint32_t total = 0;
    if (!sip400_split_list(m, sip400_hdr_value(h), els, 2, &total)) {
        v->elem = sip400_hdr_value(h);
        via_bad(v, h->line_off, h->line_len, "it is empty");
        return true;
    }
    const uint8_t *p = m->p;
    uint32_t s = sip400_hp_skip_lws(p, els[0].off, els[0].off + els[0].len);
    uint32_t end = sip400_hp_trim_end(p, s, els[0].off + els[0].len);
    v->elem.off = s;
    v->elem.len = end - s;
    if (s >= end) {
        via_bad(v, h->line_off, h->line_len, "it is empty");
        return true;
    }
    /* sent-protocol = protocol-name SLASH protocol-version SLASH transport */
    uint32_t i = s;
    sip400_span parts[3];
    for (int k = 0; k < 3; k++) {
        i = sip400_hp_skip_lws(p, i, end);
        uint32_t te = token_end(m, i, end);
        if (te == i) {
            via_bad(v, s, end - s, k == 0 ? "it does not start with `SIP/2.0/<transport>`"
                                           : "the protocol `SIP/2.0/<transport>` is incomplete");
            return true;
        }
        parts[k].off = i;
        parts[k].len = te - i;
        i = te;
        if (k < 2) {
            i = sip400_hp_skip_lws(p, i, end);
            if (i >= end || p[i] != '/') {
                via_bad(v, s, parts[k].off + parts[k].len - s,
                        k == 0 ? "it does not start with `SIP/2.0/<transport>` (no sent-protocol)"
                               : "the protocol `SIP/2.0/<transport>` has no transport");
                return true;
            }
            i++;
        }
    }
    v->transport = parts[2];
    /* LWS sent-by */
    uint32_t hs = sip400_hp_skip_lws(p, i, end);
    if (hs == i || hs >= end || p[hs] == ';') {
        via_bad(v, s, parts[2].off + parts[2].len - s,
                "there is no sent-by host after the transport (a space and `host[:port]` must follow it)");
        return true;
    }
    uint32_t he = hs;
    if (p[hs] == '[') {
        while (he < end && p[he] != ']')
            he++;
        if (he < end)
            he++;
    } else {
        /* the host ends at the first ':'; two of them before ';' or LWS: IPv6 */
        uint32_t ncolon = 0;
        uint32_t k = hs;
        while (k < end && !sent_by_stop[p[k]])
            k++;
        he = k;
        while (k < end && sent_by_stop[p[k]] != SB_END) {
            ncolon += sent_by_stop[p[k]] == SB_COLON;
            k++;
        }
        if (ncolon >= 2) {
            v->ipv6_unbracketed = true;
            return true;
        }
    }
    v->host.off = hs;
    v->host.len = he - hs;
    sip400_host_problem why = SIP400_HP_NONE;
    v->host_is_ip = sip400_host_ip(m, v->host, &v->host_addr);
    if (!v->host_is_ip || v->host_addr.family != 4)
        sip400_host_check(m, v->host, &why); /* a dotted quad is a valid host */
    if (why != SIP400_HP_NONE && sip400_host_problem_is_hard(why)) {
        via_bad(v, hs, he - hs, sip400_host_problem_text(why));
        return true;
    }
    i = sip400_hp_skip_lws(p, he, end);
    if (i < end && p[i] == ':') {
        uint32_t ps = sip400_hp_skip_lws(p, i + 1, end);
        uint32_t pe = ps;
        while (pe < end && is_digit(p[pe]))
            pe++;
        v->port.off = ps;
        v->port.len = pe - ps;
        v->has_port = true;
        if (!sip400_parse_port(m, v->port, &v->portnum) || (pe < end && !sip400_hp_is_lws(p[pe]) && p[pe] != ';')) {
            uint32_t bad = pe;
            while (bad < end && p[bad] != ';' && !sip400_hp_is_lws(p[bad]))
                bad++;
            if (bad > ps)
                via_bad(v, ps, bad - ps, "the sent-by port is not a number 0..65535");
            else
                via_bad(v, i, 1, "the sent-by port is missing after ':'");
            return true;
        }
        i = sip400_hp_skip_lws(p, pe, end);
    }
    if (i < end && p[i] != ';') {
        via_bad(v, i, end - i, "unexpected text after the sent-by (parameters start with `;`)");
        return true;
    }
    /* via-params */
    uint32_t pos = i;
    sip400_hp_param prm;
    sip400_hp_err e;
    while (sip400_hp_param_next(p, &pos, end, false, &prm, &e)) {
        if (sip400_span_ieq(m, prm.name, "branch") && !v->has_branch) {
            v->has_branch = true;
            v->branch = prm;
        } else if (sip400_span_ieq(m, prm.name, "received") && !v->has_received) {
            v->has_received = true;
            v->received = prm;
        } else if (sip400_span_ieq(m, prm.name, "rport") && !v->has_rport) {
            v->has_rport = true;
            v->rport = prm;
        }
    }
    if (e.st != SIP400_HV_OK) {
        if (e.st == SIP400_HV_EMPTY_PARAM || e.st == SIP400_HV_UNTERMINATED_QUOTE) {
            v->other_issue = true;
        } else {
            /* an empty received=/rport= is via.received_rport_invalid */
            uint32_t n = e.off;
            static const char *const rr[] = { "received", "rport" };
            for (int k = 0; k < 2; k++) {
                size_t l = strlen(rr[k]);
                if (e.st == SIP400_HV_MISSING_VALUE && n + l <= end &&
                    sip400_span_ieq(m, (sip400_span){ n, (uint32_t)l }, rr[k])) {
                    sip400_hp_param *t = k ? &v->rport : &v->received;
                    bool *has = k ? &v->has_rport : &v->has_received;
                    *has = true;
                    memset(t, 0, sizeof *t);
                    t->off = n;
                    t->name.off = n;
                    t->name.len = (uint32_t)l;
                    t->has_value = true;
                    t->value.off = n + (uint32_t)l + 1;
                    t->value.len = 0;
                    v->ok = true;
                    return true;
                }
            }
            via_bad(v, e.off, e.len ? e.len : 1, sip400_hv_status_text(e.st));
            return true;
        }
    }
    v->ok = true;
    return true;
}
