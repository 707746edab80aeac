/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * sip400-catalog: prints the cause catalog (plugin/causes.def) as documentation.
 *   sip400-catalog markdown   the README table (checked by the docs.readme test)
 *   sip400-catalog tsv        id, group, level, severity, title, fix
 *   sip400-catalog man        the CAUSES section of the sip400(7) man page (roff)
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

/* roff text: `code` in bold, backslashes escaped, no line starting with . or ' */
static void roff(const char *s)
{
    int bold = 0;
    if (*s == '.' || *s == '\'')
        fputs("\\&", stdout);
    for (; *s; s++) {
        if (*s == '`') {
            fputs(bold ? "\\fR" : "\\fB", stdout);
            bold = !bold;
        } else if (*s == '\\') {
            fputs("\\e", stdout);
        } else {
            putchar(*s);
        }
    }
    if (bold)
        fputs("\\fR", stdout);
}

static void man(void)
{
    char group = 0;
    for (int i = 0; i < SIP400_CAUSE_COUNT; i++) {
        const sip400_cause_info *c = &sip400_causes[i];
        if (c->group != group) {
            group = c->group;
            printf(".SS \"%c. %s\"\n", group, sip400_group_title(group));
        }
        const char *lv = sip400_level_name(c->level), *sev = sip400_level_severity(c->level);
        if (strcmp(lv, sev) == 0)
            printf(".TP\n\\fB%s\\fR (%s)\n", c->id, sev);
        else
            printf(".TP\n\\fB%s\\fR (%s, %s)\n", c->id, lv, sev);
        roff(c->title);
        printf(".\nFix: ");
        roff(c->fix);
        printf(".\n");
    }
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "markdown";
    if (strcmp(mode, "markdown") == 0) {
        markdown();
    } else if (strcmp(mode, "tsv") == 0) {
        tsv();
    } else if (strcmp(mode, "man") == 0) {
        man();
    } else {
        fprintf(stderr, "usage: sip400-catalog [markdown|tsv|man]\n");
        return 2;
    }
    return 0;
}
