/* SPDX-License-Identifier: GPL-2.0-or-later
 * The catalog is the single source of truth: ids are well-formed and unique,
 * every id has a rule test case (or is listed as pending), and the ids are
 * exactly those of ../shared/CAUSES.md when that file is present. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pending.h"

static int failures;

#include <stdarg.h>

__attribute__((format(printf, 1, 2))) static void failf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FAIL ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    failures++;
}

static bool well_formed(const char *id)
{
    int dots = 0;
    if (!islower((unsigned char)id[0]))
        return false;
    for (const char *p = id; *p; p++) {
        if (*p == '.') {
            dots++;
            if (p[1] == '.' || p[1] == '\0')
                return false;
        } else if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_')) {
            return false;
        }
    }
    return dots >= 1;
}

static bool is_pending(const char *id)
{
    for (size_t i = 0; sip400_pending[i]; i++) {
        if (strcmp(sip400_pending[i], id) == 0)
            return true;
    }
    return false;
}

static bool has_case(sip400_cause c)
{
    const sip400_case *groups[] = {
        sip400_cases_start, sip400_cases_headers, sip400_cases_uri, sip400_cases_number, sip400_cases_transport,
        sip400_cases_body, sip400_cases_auth, sip400_cases_dialog, sip400_cases_size,
    };
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        for (const sip400_case *k = groups[g]; k->name; k++) {
            if (k->cause == c)
                return true;
        }
    }
    return false;
}

/* Ids the engine cannot see in one message: the glue decides them with the
 * whole capture (tested by the golden and end-to-end tests). */
static bool capture_level(const char *id)
{
    return strncmp(id, "outcome.", 8) == 0;
}

/* Compare with the ids in the first column of CAUSES.md's tables. */
static void check_causes_md(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("skip: %s not found\n", path);
        return;
    }
    static bool seen[SIP400_CAUSE_COUNT];
    char line[4096];
    int ids = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "| ", 2) != 0)
            continue;
        char *end = strchr(line + 2, '|');
        if (!end)
            continue;
        *end = '\0';
        /* first cell: "id" or "id / id / id" */
        for (char *tok = line + 2; *tok;) {
            size_t n = strcspn(tok, " /");
            char save = tok[n];
            tok[n] = '\0';
            char *next = save ? tok + n + 1 : tok + n;
            if (!well_formed(tok)) {
                tok = next;
                continue;
            }
            /* ignore table headers and non-id words */
            sip400_cause c = sip400_cause_by_id(tok, strlen(tok));
            ids++;
            if (c == SIP400_CAUSE_COUNT)
                failf("CAUSES.md id %s is not in plugin/causes.def", tok);
            else
                seen[c] = true;
            tok = next;
        }
    }
    fclose(f);
    for (int c = 0; c < SIP400_CAUSE_COUNT; c++) {
        if (!seen[c])
            failf("catalog id %s is not in CAUSES.md", sip400_causes[c].id);
    }
    printf("CAUSES.md: %d ids compared\n", ids);
}

int main(int argc, char **argv)
{
    for (int c = 0; c < SIP400_CAUSE_COUNT; c++) {
        const char *id = sip400_causes[c].id;
        if (!well_formed(id))
            failf("malformed id %s", id);
        for (int d = c + 1; d < SIP400_CAUSE_COUNT; d++) {
            if (strcmp(id, sip400_causes[d].id) == 0)
                failf("duplicate id %s", id);
        }
        if (sip400_cause_by_id(id, strlen(id)) != (sip400_cause)c)
            failf("lookup of %s fails", id);
        if (!sip400_causes[c].title[0] || !sip400_causes[c].fix[0])
            failf("%s has no title or fix", id);
        if (capture_level(id))
            continue;
        bool tested = has_case((sip400_cause)c);
        if (tested && is_pending(id))
            failf("%s has a test case: remove it from tests/unit/pending.h", id);
        if (!tested && !is_pending(id))
            failf("%s has no test case in tests/unit/cases_*.c", id);
    }
    for (size_t i = 0; sip400_pending[i]; i++) {
        if (sip400_cause_by_id(sip400_pending[i], strlen(sip400_pending[i])) == SIP400_CAUSE_COUNT)
            failf("pending id %s is not in the catalog", sip400_pending[i]);
    }
    if (argc > 1)
        check_causes_md(argv[1]);
    printf("%d causes, %d failed checks\n", (int)SIP400_CAUSE_COUNT, failures);
    return failures ? 1 : 0;
}
