/* SPDX-License-Identifier: GPL-2.0-or-later
 * Catalog ids whose rules are not implemented yet.  test_catalog fails when an
 * id here has a test case (remove it from this list) and when an id neither here
 * nor tested exists.  The README lists these as "not yet detected". */
#ifndef SIP400_PENDING_H
#define SIP400_PENDING_H

static const char *const sip400_pending[] = {
    NULL
};

#endif
