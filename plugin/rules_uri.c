/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group D: URIs in headers. */
#include "rules_util.h"

void sip400_rules_uri(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    (void)m;
    (void)ctx;
    (void)r;
}
