/* SPDX-License-Identifier: GPL-2.0-or-later
 * Context of a rule test case: addresses and ports from "host:port" strings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "uri.h"

static bool parse_hostport(const char *s, sip400_addr *a, uint16_t *port)
{
    char host[64];
    const char *colon;
    memset(a, 0, sizeof *a);
    if (s[0] == '[') {
        const char *rb = strchr(s, ']');
        if (!rb || (size_t)(rb - s) >= sizeof host)
            return false;
        memcpy(host, s, (size_t)(rb - s + 1));
        host[rb - s + 1] = '\0';
        colon = rb + 1;
        a->family = 6;
        if (!sip400_parse_ipv6((const uint8_t *)host, (uint32_t)strlen(host), a->addr))
            return false;
    } else {
        colon = strchr(s, ':');
        size_t n = colon ? (size_t)(colon - s) : strlen(s);
        if (n >= sizeof host)
            return false;
        memcpy(host, s, n);
        host[n] = '\0';
        a->family = 4;
        if (!sip400_parse_ipv4((const uint8_t *)host, (uint32_t)n, a->addr))
            return false;
    }
    *port = (colon && *colon == ':') ? (uint16_t)atoi(colon + 1) : 5060;
    return true;
}

void sip400_case_ctx(const sip400_case *c, sip400_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->transport = c->transport ? c->transport : SIP400_TRANSPORT_UDP;
    if (!parse_hostport(c->src ? c->src : "198.51.100.1:5060", &ctx->src, &ctx->src_port) ||
        !parse_hostport(c->dst ? c->dst : "198.51.100.2:5060", &ctx->dst, &ctx->dst_port)) {
        fprintf(stderr, "case %s: bad src/dst\n", c->name);
        exit(2);
    }
    ctx->frame = 1;
    ctx->prefs = c->prefs;
}

