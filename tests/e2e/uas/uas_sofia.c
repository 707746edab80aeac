/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * uas_sofia - a minimal SIP UAS on sofia-sip's nua, for tests/e2e.
 *
 *   uas_sofia PORT
 *
 * Listens on 127.0.0.1:PORT, UDP and TCP (one nua, NUTAG_URL sip:...;
 * transport=udp,tcp).  The agent is set up the way FreeSWITCH's mod_sofia
 * sets up its profiles (nua_create + nua_set_params: no auto-answer, the
 * application answers OPTIONS/REGISTER/INFO/MESSAGE/SUBSCRIBE/NOTIFY/REFER/
 * PUBLISH itself), and the application logic is trivial: every request the
 * stack hands over is answered 404 "Not Here", except OPTIONS and REGISTER
 * which get 200 OK.  There is no validation of our own: whatever is
 * rejected (400 "Bad X Header", 505, 416, 420, 481, 489, ...) is rejected
 * by sofia-sip itself (nta's parser and sanity check, nua's method checks).
 * Responses keep nua's default User-Agent (sofia-sip/<version>).
 *
 * Logs one line per event to stderr.  Exits 0 on SIGTERM/SIGINT.  The stack
 * runs in a worker process that is restarted should it crash (supervise.h).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NUA_MAGIC_T void
#define NUA_HMAGIC_T void
#define SU_ROOT_MAGIC_T void

#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sofia_features.h>
#include <sofia-sip/su.h>
#include <sofia-sip/su_tag.h>
#include <sofia-sip/su_wait.h>

#include "supervise.h"

static volatile sig_atomic_t stop_requested;
static int shutdown_done;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static const char *method_of(sip_t const *sip)
{
    if (sip && sip->sip_request && sip->sip_request->rq_method_name)
        return sip->sip_request->rq_method_name;
    return "?";
}

/* answer a request the stack delivered; the handle is released afterwards,
 * except for INVITE, whose handle goes when its call state terminates */
static void answer(nua_t *nua, nua_handle_t *nh, sip_t const *sip, int is_invite)
{
    const char *m = method_of(sip);
    int ok = strcmp(m, "OPTIONS") == 0 || strcmp(m, "REGISTER") == 0;
    int status = ok ? 200 : 404;
    const char *phrase = ok ? "OK" : "Not Here";

    fprintf(stderr, "uas_sofia: %s %s -> %d %s\n", m,
            sip && sip->sip_call_id && sip->sip_call_id->i_id ? sip->sip_call_id->i_id : "-",
            status, phrase);
    nua_respond(nh, status, phrase, NUTAG_WITH_THIS(nua), TAG_END());
    if (!is_invite)
        nua_handle_destroy(nh);
}

static void on_event(nua_event_t event, int status, char const *phrase, nua_t *nua, void *magic,
                     nua_handle_t *nh, void *hmagic, sip_t const *sip, tagi_t tags[])
{
    (void)magic;
    (void)hmagic;

    switch (event) {
    case nua_i_invite:
        answer(nua, nh, sip, 1);
        break;
    case nua_i_options:
    case nua_i_register:
    case nua_i_info:
    case nua_i_message:
    case nua_i_subscribe:
    case nua_i_notify:
    case nua_i_refer:
    case nua_i_publish:
    case nua_i_update:
    case nua_i_method:
        answer(nua, nh, sip, 0);
        break;
    case nua_i_state: {
        int callstate = nua_callstate_init;
        tl_gets(tags, NUTAG_CALLSTATE_REF(callstate), TAG_END());
        if (callstate == nua_callstate_terminated && nh)
            nua_handle_destroy(nh);
        break;
    }
    case nua_i_error:
        fprintf(stderr, "uas_sofia: error event %d %s\n", status, phrase ? phrase : "");
        break;
    case nua_r_shutdown:
        if (status >= 200)
            shutdown_done = 1;
        break;
    default:
        fprintf(stderr, "uas_sofia: event %s %d %s\n", nua_event_name(event), status, phrase ? phrase : "");
        break;
    }
}

/* the worker: one nua until SIGTERM */
static int run_sofia(long port)
{
    char url[64];
    su_root_t *root;
    nua_t *nua;
    struct sigaction sa;
    int i;

    snprintf(url, sizeof url, "sip:127.0.0.1:%ld;transport=udp,tcp", port);

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    if (su_init() != 0) {
        fprintf(stderr, "uas_sofia: su_init failed\n");
        return 1;
    }
    root = su_root_create(NULL);
    if (!root) {
        fprintf(stderr, "uas_sofia: su_root_create failed\n");
        su_deinit();
        return 1;
    }
    /* mod_sofia's nua_create: the bind URL, a large UDP MTU (no switch to
     * TCP for big answers), rport at the server, what the UA accepts */
    nua = nua_create(root, on_event, NULL,
                     NUTAG_URL(url),
                     NTATAG_UDP_MTU(65535),
                     NTATAG_SERVER_RPORT(1),
                     SIPTAG_ACCEPT_STR("application/sdp, multipart/mixed"),
                     TAG_END());
    if (!nua) {
        fprintf(stderr, "uas_sofia: nua_create on %s failed (port in use?)\n", url);
        su_root_destroy(root);
        su_deinit();
        return 1;
    }
    /* mod_sofia's nua_set_params: the application answers */
    nua_set_params(nua,
                   SIPTAG_ALLOW_STR("INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE, INFO"),
                   NUTAG_AUTOANSWER(0),
                   NUTAG_AUTOACK(0),
                   NUTAG_AUTOALERT(0),
                   NUTAG_ENABLEMESSAGE(1),
                   NTATAG_EXTRA_100(0),
                   NUTAG_ALLOW("REGISTER"),
                   NUTAG_ALLOW("REFER"),
                   NUTAG_ALLOW("PRACK"),
                   NUTAG_ALLOW("INFO"),
                   NUTAG_ALLOW("NOTIFY"),
                   NUTAG_ALLOW("SUBSCRIBE"),
                   NUTAG_ALLOW("PUBLISH"),
                   NUTAG_ALLOW("UPDATE"),
                   NUTAG_ALLOW_EVENTS("talk"),
                   NUTAG_ALLOW_EVENTS("hold"),
                   NUTAG_ALLOW_EVENTS("conference"),
                   NUTAG_ALLOW_EVENTS("presence"),
                   NUTAG_ALLOW_EVENTS("dialog"),
                   NUTAG_ALLOW_EVENTS("message-summary"),
                   NUTAG_ALLOW_EVENTS("refer"),
                   NUTAG_APPL_METHOD("OPTIONS"),
                   NUTAG_APPL_METHOD("REFER"),
                   NUTAG_APPL_METHOD("REGISTER"),
                   NUTAG_APPL_METHOD("NOTIFY"),
                   NUTAG_APPL_METHOD("INFO"),
                   NUTAG_APPL_METHOD("ACK"),
                   NUTAG_APPL_METHOD("SUBSCRIBE"),
                   NUTAG_APPL_METHOD("PUBLISH"),
                   NUTAG_APPL_METHOD("MESSAGE"),
                   SIPTAG_SUPPORTED_STR("timer, path, replaces"),
                   TAG_END());

    fprintf(stderr, "uas_sofia: sofia-sip %s listening on %s\n", SOFIA_SIP_VERSION, url);
    while (!stop_requested)
        su_root_step(root, 100);

    fprintf(stderr, "uas_sofia: shutting down\n");
    nua_shutdown(nua);
    for (i = 0; i < 50 && !shutdown_done; i++)
        su_root_step(root, 100);
    nua_destroy(nua);
    su_root_destroy(root);
    su_deinit();
    return 0;
}

int main(int argc, char **argv)
{
    char *end = NULL;
    long port;

    if (argc != 2) {
        fprintf(stderr, "usage: uas_sofia PORT\n");
        return 2;
    }
    errno = 0;
    port = strtol(argv[1], &end, 10);
    if (errno || !end || *end || port < 1 || port > 65535) {
        fprintf(stderr, "uas_sofia: bad port %s\n", argv[1]);
        return 2;
    }
    return sip400_supervise("uas_sofia", run_sofia, port);
}
