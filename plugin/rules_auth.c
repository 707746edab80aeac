/* SPDX-License-Identifier: GPL-2.0-or-later
 * Group H: authentication. */
#include "rules_util.h"

void sip400_rules_auth(const sip400_msg *m, const sip400_ctx *ctx, sip400_result *r)
{
    (void)m;
    (void)ctx;
    (void)r;
}
