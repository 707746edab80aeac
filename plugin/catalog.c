/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "catalog.h"

#include <string.h>

const sip400_cause_info sip400_causes[SIP400_CAUSE_COUNT] = {
#define SIP400_CAUSE(sym, id, group, level, title, fix) \
    { id, (#group)[0], SIP400_LEVEL_##level, title, fix },
#include "causes.def"
#undef SIP400_CAUSE
};

const char *sip400_level_severity(sip400_level level)
{
    switch (level) {
    case SIP400_LEVEL_C: return "error";
    case SIP400_LEVEL_L: return "warning";
    case SIP400_LEVEL_P:
    case SIP400_LEVEL_N: return "note";
    }
    return "note";
}

const char *sip400_level_name(sip400_level level)
{
    switch (level) {
    case SIP400_LEVEL_C: return "C";
    case SIP400_LEVEL_L: return "L";
    case SIP400_LEVEL_P: return "P";
    case SIP400_LEVEL_N: return "note";
    }
    return "note";
}

const char *sip400_group_title(char group)
{
    switch (group) {
    case 'A': return "Start line and Request-URI";
    case 'B': return "Mandatory headers";
    case 'C': return "Header syntax";
    case 'D': return "URIs in headers";
    case 'E': return "Numbers and dialing";
    case 'F': return "Via, transport, ports and NAT";
    case 'G': return "Body and Content-*";
    case 'H': return "Authentication";
    case 'I': return "Dialog and transaction";
    case 'J': return "Size and encoding";
    case 'O': return "Transaction outcome";
    default: return NULL;
    }
}

sip400_cause sip400_cause_by_id(const char *id, size_t len)
{
    for (int i = 0; i < SIP400_CAUSE_COUNT; i++) {
        if (strlen(sip400_causes[i].id) == len && memcmp(sip400_causes[i].id, id, len) == 0)
            return (sip400_cause)i;
    }
    return SIP400_CAUSE_COUNT;
}
