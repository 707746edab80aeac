/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The Wireshark API differences between the releases sip400 is built and
 * tested for (4.0, 4.4, 4.6), in one place.  Only the glue (packet-*.c,
 * plugin.c) includes this; the engine is version-free.  Each guard names the
 * release where the API changed; a release in between (4.2) is not built
 * here, so where the change may have come earlier the guard says so.
 */
#ifndef PACKET_SIP400_COMPAT_H
#define PACKET_SIP400_COMPAT_H

#include <wireshark.h>

#include <epan/stat_groups.h>

/* Wireshark major.minor at least (maj, min) */
#define SIP400_WS_AT_LEAST(maj, min)                                                                                   \
    (WIRESHARK_VERSION_MAJOR > (maj) || (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

/* Boolean preferences: 4.0 stores them in a gboolean (an int); the
 * preference API takes C99 bool * since the move to C99 types (seen in 4.4;
 * the move happened during 4.1 development, so 4.2 takes bool * too). */
#if SIP400_WS_AT_LEAST(4, 2)
typedef bool sip400_pref_bool;
#else
typedef gboolean sip400_pref_bool;
#endif

/* The Telephony menu group: REGISTER_STAT_GROUP_TELEPHONY until 4.2,
 * REGISTER_TELEPHONY_GROUP_UNSORTED in 4.4 (epan/stat_groups.h). */
#if SIP400_WS_AT_LEAST(4, 4)
#define SIP400_STAT_GROUP_TELEPHONY REGISTER_TELEPHONY_GROUP_UNSORTED
#else
#define SIP400_STAT_GROUP_TELEPHONY REGISTER_STAT_GROUP_TELEPHONY
#endif

/* stat_tap_ui.tap_init_cb returns void until 4.4 and bool (success) in 4.6
 * (epan/stat_tap_ui.h).  SIP400_TAP_INIT_RETURN ends such a callback. */
#if SIP400_WS_AT_LEAST(4, 6)
typedef bool sip400_tap_init_ret;
#define SIP400_TAP_INIT_RETURN(ok) return (ok)
#else
typedef void sip400_tap_init_ret;
#define SIP400_TAP_INIT_RETURN(ok) ((void)(ok))
#endif

/* plugin_describe() (wsutil/plugins.h, not installed by 4.0): the loader asks
 * what a plugin provides since 4.4. */
#define SIP400_HAVE_PLUGIN_DESCRIBE SIP400_WS_AT_LEAST(4, 4)

#endif
