/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Writes every message of the unit-test cases (tests/unit/cases_*.c: the
 * message with the defect and its near-identical good message) as one file
 * each into a directory, for the fuzzer's seed corpus:
 *   fuzz_seed_cases OUTDIR
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"

static int write_msg(const char *dir, const char *group, unsigned idx, const char *kind, const char *msg)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/case-%s-%03u-%s.sip", dir, group, idx, kind);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return 1;
    }
    size_t n = strlen(msg);
    int rc = fwrite(msg, 1, n, f) == n ? 0 : 1;
    if (fclose(f) != 0)
        rc = 1;
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
        return 2;
    }
    static const struct {
        const char *name;
        const sip400_case *cases;
    } groups[] = {
        { "start", sip400_cases_start }, { "headers", sip400_cases_headers }, { "uri", sip400_cases_uri },
        { "number", sip400_cases_number }, { "transport", sip400_cases_transport }, { "body", sip400_cases_body },
        { "auth", sip400_cases_auth }, { "dialog", sip400_cases_dialog }, { "size", sip400_cases_size },
    };
    unsigned written = 0;
    int rc = 0;
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        unsigned i = 0;
        for (const sip400_case *c = groups[g].cases; c->name; c++, i++) {
            rc |= write_msg(argv[1], groups[g].name, i, "bad", c->msg);
            written++;
            if (c->good) {
                rc |= write_msg(argv[1], groups[g].name, i, "good", c->good);
                written++;
            }
        }
    }
    printf("%u case messages written to %s\n", written, argv[1]);
    return rc;
}
