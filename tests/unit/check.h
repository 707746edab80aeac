/* SPDX-License-Identifier: GPL-2.0-or-later
 * Minimal assertions for the unit-test programs: count checks and failures,
 * report each failure with file and line, keep going. */
#ifndef SIP400_TEST_CHECK_H
#define SIP400_TEST_CHECK_H

#include <stdio.h>

static int failures, checks;

/* CHECK(cond): reports the condition's text when it fails. */
#define CHECK(cond) CHECKF(cond, "%s", #cond)

/* CHECKF(cond, fmt, ...): reports a formatted message when it fails. */
#define CHECKF(cond, ...)                                        \
    do {                                                         \
        checks++;                                                \
        if (!(cond)) {                                           \
            failures++;                                          \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                        \
            fputc('\n', stderr);                                 \
        }                                                        \
    } while (0)

#endif
