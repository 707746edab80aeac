/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * supervise.h - run a test UAS as a worker process and restart it when the
 * SIP stack crashes on a request (belle-sip 5.1.64 dies with SIGSEGV on a
 * multipart body without boundary), so one crash does not lose the answers to
 * every later request of a recording.
 *
 * The parent forks the worker, polls it every 20 ms, and
 *  - on SIGTERM/SIGINT forwards SIGTERM to the worker, waits up to 5 s
 *    (then SIGKILL) and exits 0;
 *  - when the worker is killed by a signal, logs one line
 *      <name>: CRASH signal=<n> time=<unix seconds.micro>
 *    on stderr (derive_expected.py attributes it to the request sent just
 *    before) and starts a new worker (at most SIP400_MAX_RESTARTS times);
 *  - when the worker exits by itself, exits with its status (a worker that
 *    cannot bind right after a crash is retried a few times first).
 * The worker gets SIGTERM if the parent dies (PR_SET_PDEATHSIG).
 */
#ifndef SIP400_UAS_SUPERVISE_H
#define SIP400_UAS_SUPERVISE_H

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SIP400_MAX_RESTARTS 50
#define SIP400_MAX_REBIND_TRIES 25

static volatile sig_atomic_t sup_stop;

static void sup_on_signal(int sig)
{
    (void)sig;
    sup_stop = 1;
}

static void sup_sleep_ms(long ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}

/* fork one worker; -1 when fork fails */
static pid_t sup_spawn(int (*worker)(long), long port)
{
    pid_t pid = fork();
    if (pid == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = SIG_DFL;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() == 1)
            _exit(1);
        _exit(worker(port));
    }
    return pid;
}

/* wait for pid for at most ms milliseconds; 1 when it was reaped */
static int sup_reap(pid_t pid, int *status, long ms)
{
    long waited;
    for (waited = 0; waited <= ms; waited += 20) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid)
            return 1;
        if (r < 0)
            return 1;
        sup_sleep_ms(20);
    }
    return 0;
}

static int sip400_supervise(const char *name, int (*worker)(long), long port)
{
    struct sigaction sa;
    int restarts = 0, rebind_tries = 0, status = 0;
    pid_t pid;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = sup_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    pid = sup_spawn(worker, port);
    if (pid < 0) {
        fprintf(stderr, "%s: fork failed\n", name);
        return 1;
    }
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == 0) {
            if (sup_stop) {
                kill(pid, SIGTERM);
                if (!sup_reap(pid, &status, 5000)) {
                    kill(pid, SIGKILL);
                    sup_reap(pid, &status, 1000);
                }
                return 0;
            }
            sup_sleep_ms(20);
            continue;
        }
        if (r < 0)
            return 1;
        if (sup_stop)
            return 0;
        if (WIFSIGNALED(status)) {
            struct timeval tv;
            gettimeofday(&tv, NULL);
            fprintf(stderr, "%s: CRASH signal=%d time=%ld.%06ld\n", name, WTERMSIG(status), (long)tv.tv_sec,
                    (long)tv.tv_usec);
            if (++restarts > SIP400_MAX_RESTARTS) {
                fprintf(stderr, "%s: too many crashes, giving up\n", name);
                return 1;
            }
            rebind_tries = 0;
        } else if (restarts > 0 && WEXITSTATUS(status) != 0 && ++rebind_tries <= SIP400_MAX_REBIND_TRIES) {
            sup_sleep_ms(100);   /* the crashed worker's sockets may linger a moment */
        } else {
            return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
        }
        pid = sup_spawn(worker, port);
        if (pid < 0) {
            fprintf(stderr, "%s: fork failed\n", name);
            return 1;
        }
    }
}

#endif
