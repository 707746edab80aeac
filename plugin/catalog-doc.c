/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * sip400-catalog: prints the cause catalog (plugin/causes.def) as documentation.
 *   sip400-catalog markdown   the README table (checked by the docs.readme test)
 *   sip400-catalog tsv        id, group, level, severity, title, fix
 */
#include <stdio.h>
#include <string.h>

#include "catalog.h"

static void markdown(void)
{
    char group = 0;
    printf("| cause (`sip400.cause`) | level | severity | what it means |\n");
    printf("|---|---|---|---|\n");
    for (int i = 0; i < SIP400_CAUSE_COUNT; i++) {
        const sip400_cause_info *c = &sip400_causes[i];
        if (c->group != group) {
            group = c->group;
            printf("| **%c. %s** | | | |\n", group, sip400_group_title(group));
        }
        printf("| `%s` | %s | %s | %s |\n", c->id, sip400_level_name(c->level), sip400_level_severity(c->level),
               c->title);
    }
}

static void tsv(void)
{
    for (int i = 0; i < SIP400_CAUSE_COUNT; i++) {
        const sip400_cause_info *c = &sip400_causes[i];
        printf("%s\t%c\t%s\t%s\t%s\t%s\n", c->id, c->group, sip400_level_name(c->level),
               sip400_level_severity(c->level), c->title, c->fix);
    }
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "markdown";
    if (strcmp(mode, "markdown") == 0) {
        markdown();
    } else if (strcmp(mode, "tsv") == 0) {
        tsv();
    } else {
        fprintf(stderr, "usage: sip400-catalog [markdown|tsv]\n");
        return 2;
    }
    return 0;
}
