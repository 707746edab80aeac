/* SPDX-License-Identifier: GPL-2.0-or-later
 * Small helpers shared by the rule files (internal to the engine). */
#ifndef SIP400_RULES_UTIL_H
#define SIP400_RULES_UTIL_H

#include "engine.h"
#include "uri.h"

#include <stdio.h>

/* Quote a span of the message into a local buffer for an explanation. */
#define SIP400_Q(buf, m, off, len) (sip400_quote((buf), sizeof(buf), (m)->p + (off), (len)), (buf))

static inline bool sip400_is_request(const sip400_msg *m)
{
    return m->kind == SIP400_START_REQUEST;
}

static inline bool sip400_method_is(const sip400_msg *m, const char *name)
{
    return m->kind == SIP400_START_REQUEST && sip400_span_eq(m, m->method, name);
}

static inline sip400_span sip400_hdr_value(const sip400_hdr *h)
{
    sip400_span s = { h->value_off, h->value_len };
    return s;
}

/* Name of the header as written in the message (compact forms included). */
static inline const char *sip400_hdr_label(const sip400_hdr *h)
{
    return h->id != SIP400_H_OTHER ? sip400_header_name((sip400_hid)h->id) : "";
}

/* rules_headers.c: a header line that is really an SDP line ("v=0") */
bool sip400_line_looks_like_sdp(const sip400_msg *m, const sip400_hdr *h);

#endif
