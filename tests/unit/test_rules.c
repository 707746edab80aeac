/* SPDX-License-Identifier: GPL-2.0-or-later
 * Runs every rule case: the defect is found with the catalog level and the exact
 * byte range, the near-identical good message does not have it and has no error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "uri.h"

static int failures, checks;

static void fail(const sip400_case *c, const char *what, const sip400_result *r)
{
    failures++;
    fprintf(stderr, "FAIL %s [%s]: %s\n", c->name, sip400_causes[c->cause].id, what);
    for (uint32_t i = 0; i < r->nfindings; i++) {
        const sip400_finding *f = &r->findings[i];
        fprintf(stderr, "     found %s (%s) @%u+%u: %s\n", sip400_causes[f->cause].id,
                sip400_level_severity(f->level), f->offset, f->length, f->explanation);
    }
}

static const sip400_finding *find(const sip400_result *r, sip400_cause cause)
{
    for (uint32_t i = 0; i < r->nfindings; i++) {
        if (r->findings[i].cause == cause)
            return &r->findings[i];
    }
    return NULL;
}

/* Cases with a prior message: a fresh history that has seen it in frame 1. */
static void prime(const sip400_case *c, sip400_ctx *ctx, sip400_result *r)
{
    static sip400_history *hist;
    ctx->ip_fragmented = c->ip_fragmented;
    if (!c->prior)
        return;
    if (!hist && !(hist = sip400_history_new(16)))
        exit(2);
    sip400_history_reset(hist);
    ctx->history = hist;
    ctx->frame = 1;
    sip400_analyze((const uint8_t *)c->prior, (uint32_t)strlen(c->prior), ctx, r);
    ctx->frame = 2;
}

static void run_case(const sip400_case *c, sip400_result *r)
{
    sip400_ctx ctx;
    sip400_case_ctx(c, &ctx);
    prime(c, &ctx, r);
    checks++;
    sip400_analyze((const uint8_t *)c->msg, c->msg_len ? c->msg_len : (uint32_t)strlen(c->msg), &ctx, r);
    const sip400_finding *f = find(r, c->cause);
    if (!f) {
        fail(c, "defect not found", r);
        return;
    }
    if (f->level != c->level) {
        char w[96];
        snprintf(w, sizeof w, "level %s, expected %s", sip400_level_name(f->level), sip400_level_name(c->level));
        fail(c, w, r);
    }
    if (c->span) {
        size_t n = strlen(c->span);
        if (f->length != n || memcmp(c->msg + f->offset, c->span, n) != 0) {
            char w[400];
            snprintf(w, sizeof w, "highlights \"%.*s\", expected \"%s\"", (int)(f->length > 200 ? 200 : f->length),
                     c->msg + f->offset, c->span);
            fail(c, w, r);
        }
    }
    if (!f->explanation[0] || !f->fix[0])
        fail(c, "empty explanation or fix", r);
    if (c->good) {
        prime(c, &ctx, r);
        sip400_analyze((const uint8_t *)c->good, (uint32_t)strlen(c->good), &ctx, r);
        if (find(r, c->cause))
            fail(c, "good message has the defect too", r);
        for (uint32_t i = 0; i < r->nfindings; i++) {
            if (r->findings[i].level == SIP400_LEVEL_C) {
                fail(c, "good message has an error finding", r);
                break;
            }
        }
    }
}

int main(void)
{
    const sip400_case *groups[] = {
        sip400_cases_start, sip400_cases_headers, sip400_cases_uri, sip400_cases_number, sip400_cases_transport,
        sip400_cases_body, sip400_cases_auth, sip400_cases_dialog, sip400_cases_size,
    };
    sip400_result *r = malloc(sizeof *r);
    if (!r)
        return 2;
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        for (const sip400_case *c = groups[g]; c->name; c++)
            run_case(c, r);
    }
    free(r);
    printf("%d cases, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
