/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * uas_belle - a minimal SIP UAS on belle-sip, for tests/e2e.
 *
 *   uas_belle PORT
 *
 * One provider with two listening points, UDP and TCP on 127.0.0.1:PORT.
 * Every request the provider hands to the listener is answered through a
 * server transaction: 200 OK to OPTIONS and REGISTER, 404 "Not Here" to
 * everything else; ACK and CANCEL are left to the stack (its INVITE server
 * transaction sends 100 Trying by itself).  There is no validation
 * of our own: what belle-sip cannot parse into a message with its mandatory
 * headers is dropped or answered 400 by the stack itself
 * (belle_sip_provider_dispatch_message / belle_sip_message_check_headers).
 * belle-sip adds no Server header; our own answers carry
 * "Server: sip400-test-uas (belle-sip <version>)".
 *
 * Logs one line per request to stderr (and belle-sip's own warnings;
 * SIP400_UAS_DEBUG=1 for its full trace).
 * Exits 0 on SIGTERM/SIGINT.  The stack runs in a worker process that is
 * restarted when it crashes (supervise.h): belle-sip 5.1.64 dies with SIGSEGV
 * on a multipart body without boundary (body.multipart_malformed).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <belle-sip/belle-sip.h>

#include "supervise.h"

static volatile sig_atomic_t stop_requested;
static char server_value[96];

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

typedef struct uas {
    belle_sip_provider_t *prov;
} uas;

static void send_answer(belle_sip_server_transaction_t *st, belle_sip_request_t *req, int code, const char *phrase)
{
    belle_sip_response_t *resp = belle_sip_response_create_from_request(req, code);

    if (!resp)
        return;
    belle_sip_response_set_reason_phrase(resp, phrase);
    belle_sip_message_add_header(BELLE_SIP_MESSAGE(resp), belle_sip_header_create("Server", server_value));
    belle_sip_server_transaction_send_response(st, resp);
}

static void on_request(void *ctx, const belle_sip_request_event_t *ev)
{
    uas *u = ctx;
    belle_sip_request_t *req = belle_sip_request_event_get_request(ev);
    const char *m = belle_sip_request_get_method(req);
    belle_sip_header_call_id_t *cid = belle_sip_message_get_header_by_type(BELLE_SIP_MESSAGE(req), belle_sip_header_call_id_t);
    belle_sip_server_transaction_t *st;
    int ok;

    if (strcmp(m, "ACK") == 0) {   /* an ACK outside a transaction: nothing to answer */
        fprintf(stderr, "uas_belle: ACK (no transaction)\n");
        return;
    }
    st = belle_sip_provider_create_server_transaction(u->prov, req);
    if (!st) {
        fprintf(stderr, "uas_belle: %s: no server transaction\n", m);
        return;
    }
    ok = strcmp(m, "OPTIONS") == 0 || strcmp(m, "REGISTER") == 0;
    fprintf(stderr, "uas_belle: %s %s -> %d %s\n", m, cid ? belle_sip_header_call_id_get_call_id(cid) : "-",
            ok ? 200 : 404, ok ? "OK" : "Not Here");
    send_answer(st, req, ok ? 200 : 404, ok ? "OK" : "Not Here");
}

static void on_io_error(void *ctx, const belle_sip_io_error_event_t *ev)
{
    (void)ctx;
    (void)ev;
    fprintf(stderr, "uas_belle: io error\n");
}

static void on_response(void *ctx, const belle_sip_response_event_t *ev)
{
    (void)ctx;
    (void)ev;
}

static void on_timeout(void *ctx, const belle_sip_timeout_event_t *ev)
{
    (void)ctx;
    (void)ev;
}

static void on_terminated(void *ctx, const belle_sip_transaction_terminated_event_t *ev)
{
    (void)ctx;
    (void)ev;
}

/* the worker: one stack and provider until SIGTERM */
static int run_belle(long port)
{
    belle_sip_listener_callbacks_t cbs;
    belle_sip_stack_t *stack;
    belle_sip_listening_point_t *lp_udp, *lp_tcp;
    belle_sip_listener_t *listener;
    struct sigaction sa;
    uas u;

    snprintf(server_value, sizeof server_value, "sip400-test-uas (belle-sip %s)", belle_sip_version_to_string());

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    /* SIP400_UAS_DEBUG=1: belle-sip's full trace (every message) on stderr */
    belle_sip_set_log_level(getenv("SIP400_UAS_DEBUG") ? BELLE_SIP_LOG_DEBUG : BELLE_SIP_LOG_WARNING);
    stack = belle_sip_stack_new(NULL);
    if (!stack) {
        fprintf(stderr, "uas_belle: belle_sip_stack_new failed\n");
        return 1;
    }
    lp_udp = belle_sip_stack_create_listening_point(stack, "127.0.0.1", (int)port, "UDP");
    lp_tcp = belle_sip_stack_create_listening_point(stack, "127.0.0.1", (int)port, "TCP");
    if (!lp_udp || !lp_tcp) {
        fprintf(stderr, "uas_belle: cannot listen on 127.0.0.1:%ld (port in use?)\n", port);
        belle_sip_object_unref(stack);
        return 1;
    }
    u.prov = belle_sip_stack_create_provider(stack, lp_udp);
    belle_sip_provider_add_listening_point(u.prov, lp_tcp);

    memset(&cbs, 0, sizeof cbs);
    cbs.process_request_event = on_request;
    cbs.process_io_error = on_io_error;
    cbs.process_response_event = on_response;
    cbs.process_timeout = on_timeout;
    cbs.process_transaction_terminated = on_terminated;
    listener = belle_sip_listener_create_from_callbacks(&cbs, &u);
    belle_sip_provider_add_sip_listener(u.prov, listener);

    fprintf(stderr, "uas_belle: belle-sip %s listening on 127.0.0.1:%ld UDP+TCP\n", belle_sip_version_to_string(), port);
    while (!stop_requested)
        belle_sip_stack_sleep(stack, 100);

    fprintf(stderr, "uas_belle: shutting down\n");
    belle_sip_provider_remove_sip_listener(u.prov, listener);
    belle_sip_object_unref(listener);
    belle_sip_object_unref(u.prov);
    belle_sip_object_unref(stack);
    return 0;
}

int main(int argc, char **argv)
{
    char *end = NULL;
    long port;

    if (argc != 2) {
        fprintf(stderr, "usage: uas_belle PORT\n");
        return 2;
    }
    errno = 0;
    port = strtol(argv[1], &end, 10);
    if (errno || !end || *end || port < 1 || port > 65535) {
        fprintf(stderr, "uas_belle: bad port %s\n", argv[1]);
        return 2;
    }
    return sip400_supervise("uas_belle", run_belle, port);
}
