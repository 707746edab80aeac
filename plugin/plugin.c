/* SPDX-License-Identifier: GPL-2.0-or-later
 * Plugin entry points: what Wireshark's plugin loader looks for. */
#define WS_BUILD_DLL
#include <wireshark.h>

#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/tap.h>

#include "packet-sip400.h"
#include "packet-sip400-compat.h"
#include "packet-sip400-stats.h"

#if SIP400_HAVE_PLUGIN_DESCRIBE
#include <wsutil/plugins.h>
#endif

#ifndef SIP400_VERSION
#error "SIP400_VERSION must be defined by the build"
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = SIP400_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
#if SIP400_HAVE_PLUGIN_DESCRIBE
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER;
}
#endif

void plugin_register(void)
{
    static proto_plugin plug;

    plug.register_protoinfo = proto_register_sip400;
    plug.register_handoff = proto_reg_handoff_sip400;
    proto_register_plugin(&plug);

    /* the stats tree (-z sip400,tree) and the report (-z sip400,report) */
    static tap_plugin tap_plug;
    tap_plug.register_tap_listener = sip400_stats_register_listeners;
    tap_register_plugin(&tap_plug);
}
