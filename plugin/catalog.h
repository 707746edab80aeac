/* SPDX-License-Identifier: GPL-2.0-or-later
 * sip400 cause catalog: enum and table generated from causes.def. */
#ifndef SIP400_CATALOG_H
#define SIP400_CATALOG_H

#include <stddef.h>

typedef enum {
    SIP400_LEVEL_C = 0, /* certain: error */
    SIP400_LEVEL_L,     /* likely: warning */
    SIP400_LEVEL_P,     /* possible: note */
    SIP400_LEVEL_N      /* worth showing, the answer is not a 400: note */
} sip400_level;

typedef enum {
#define SIP400_CAUSE(sym, id, group, level, title, fix) SIP400_##sym,
#include "causes.def"
#undef SIP400_CAUSE
    SIP400_CAUSE_COUNT
} sip400_cause;

typedef struct {
    const char *id;    /* "hdr.missing.via" */
    char group;        /* 'A'..'J', 'O' */
    sip400_level level;
    const char *title;
    const char *fix;   /* default fix */
} sip400_cause_info;

extern const sip400_cause_info sip400_causes[SIP400_CAUSE_COUNT];

/* "error", "warning" or "note" */
const char *sip400_level_severity(sip400_level level);
/* "C", "L", "P", "note" as in CAUSES.md */
const char *sip400_level_name(sip400_level level);
/* Catalog group title ("Start line and Request-URI"); NULL for an unknown letter. */
const char *sip400_group_title(char group);
/* Look an id up; returns SIP400_CAUSE_COUNT when unknown. */
sip400_cause sip400_cause_by_id(const char *id, size_t len);

#endif
