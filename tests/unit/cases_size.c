/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "harness.h"

const sip400_case sip400_cases_size[] = {
    SIP400_CASES_END
};
