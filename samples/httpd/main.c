/*
 * httpd's start and stop: options, one listening socket and one loop per
 * thread (SO_REUSEPORT spreads the connections), and a clean shutdown on
 * SIGINT or SIGTERM.
 *
 * Shutdown: a task of the main thread awaits SIGINT or SIGTERM
 * (ca_signal_wait_any), then resolves each server's stop future
 * (ca_future_resolve may be called from any thread); each server then stops accepting, cancels its connection
 * tasks, which unwind by their own error paths and close their sockets,
 * and waits until the last one has ended. Each thread then closes its
 * loop, which fails while a task is left: the exit status says whether
 * every thread stopped cleanly.
 *
 *   httpd [--port N] [--bind ADDR] [--threads T] [--root DIR] [--max-conns N]
 *         [--idle-timeout MS] [--request-timeout MS] [--write-timeout MS]
 */
#include "httpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: httpd [--port N] [--bind ADDR] [--threads T] [--root DIR] [--max-conns N]\n"
    "             [--idle-timeout MS] [--request-timeout MS] [--write-timeout MS]\n";

/* ------------------------------------------------------------ a server */

/* Accept connections until cancelled; each one becomes a detached task. */
static async void accept_loop(struct server *s)
{
    for (;;) {
        int fd = await ca_accept(s->lfd, NULL, NULL);
        if (fd == -ECANCELED)
            return;
        if (fd < 0) { /* out of fds or memory: let connections end, retry */
            if (fd != -ECONNABORTED && fd != -EINTR && await ca_sleep(10) == -ECANCELED)
                return;
            continue;
        }
        if (s->nconns >= s->cfg->max_conns) {
            close(fd);
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ca_task *t = ca_spawn(connection(s, fd));
        if (!t) {
            close(fd);
            continue;
        }
        if (++s->nconns >= BUSY_CONNS) /* counted now: the task links itself in when it first runs */
            s->busy = 1;
        ca_detach(t);
    }
}

/* Serve until the stop future fires, then end every connection. */
static async int serve(struct server *s)
{
    ca_task *acceptor = ca_spawn(accept_loop(s));
    if (!acceptor)
        return -ENOMEM;
    await ca_future_wait(&s->stop);
    s->stopping = 1;
    ca_cancel(acceptor);
    await ca_join(acceptor);
    for (struct conn_link *l = s->conns; l; l = l->next)
        ca_cancel(l->task);
    if (s->nconns)
        await ca_event_wait(&s->drained);
    close(s->lfd);
    return 0;
}

/* ------------------------------------------------------------- signals */

/* Wait for SIGINT or SIGTERM, then tell every server to stop. */
static async void watch_signals(struct server *all, int n)
{
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    await ca_signal_wait_any(&stop_signals);
    for (int i = 0; i < n; i++)
        ca_future_resolve(&all[i].stop, 0);
}

static async int main_thread(struct server *all, int n)
{
    ca_task *watcher = ca_spawn(watch_signals(all, n));
    if (!watcher)
        return -ENOMEM;
    int r = await serve(&all[0]);
    await ca_join(watcher);
    return r;
}

/* The other threads: one loop each. Returns nonzero when it did not stop cleanly. */
static void *server_thread(void *arg)
{
    struct server *s = arg;
    int r = ca_run(serve(s));
    if (r == 0)
        r = ca_loop_close();
    return (void *)(intptr_t)r;
}

/* -------------------------------------------------------------- set-up */

static int listen_on(const char *addr, int port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
        return -EINVAL;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 4096) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    return fd;
}

static int bound_port(int fd)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
        return -errno;
    return ntohs(sa.sin_port);
}

/* As many descriptors as the hard limit allows; returns the soft limit. */
static rlim_t raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return 1024;
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
        getrlimit(RLIMIT_NOFILE, &rl);
    return rl.rlim_cur;
}

static int number(const char *opt, const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max) {
        fprintf(stderr, "httpd: %s: expected a number from %ld to %ld, got '%s'\n", opt, min, max, s);
        return -1;
    }
    *out = v;
    return 0;
}

/* Fill cfg from argv: 0, or -1 after a message. */
static int parse_args(int argc, char **argv, struct config *cfg, const char **bind_addr)
{
    static const struct option opts[] = {
        {"port", required_argument, NULL, 'p'},          {"bind", required_argument, NULL, 'b'},
        {"threads", required_argument, NULL, 't'},       {"root", required_argument, NULL, 'r'},
        {"max-conns", required_argument, NULL, 'm'},     {"idle-timeout", required_argument, NULL, 'i'},
        {"request-timeout", required_argument, NULL, 'q'}, {"write-timeout", required_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},                {0, 0, 0, 0},
    };
    int ch;
    long v;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        const char *name = argv[optind - 1];
        switch (ch) {
        case 'p': if (number(name, optarg, 0, 65535, &v)) return -1; cfg->port = (int)v; break;
        case 'b': *bind_addr = optarg; break;
        case 't': if (number(name, optarg, 1, 256, &v)) return -1; cfg->threads = (int)v; break;
        case 'r': cfg->root = optarg; break;
        case 'm': if (number(name, optarg, 1, 10000000, &v)) return -1; cfg->max_conns = (size_t)v; break;
        case 'i': if (number(name, optarg, 1, 86400000, &v)) return -1; cfg->idle_timeout_ms = (uint64_t)v; break;
        case 'q': if (number(name, optarg, 1, 86400000, &v)) return -1; cfg->request_timeout_ms = (uint64_t)v; break;
        case 'w': if (number(name, optarg, 1, 86400000, &v)) return -1; cfg->write_timeout_ms = (uint64_t)v; break;
        case 'h': fputs(usage_text, stdout); exit(0);
        default: fputs(usage_text, stderr); return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "httpd: unexpected argument '%s'\n%s", argv[optind], usage_text);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct config cfg = {
        .port = 8080, .threads = 1, .rootfd = -1, .max_conns = 0,
        .idle_timeout_ms = 10000, .request_timeout_ms = 10000, .write_timeout_ms = 10000,
    };
    const char *bind_addr = "127.0.0.1";
    if (parse_args(argc, argv, &cfg, &bind_addr) < 0)
        return 2;
    rlim_t nofile = raise_fd_limit();
    if (cfg.max_conns == 0) /* by default, as many as the descriptors allow */
        cfg.max_conns = (nofile > 64 ? (size_t)nofile - 64 : 1) / (size_t)cfg.threads;
    if (cfg.root && (cfg.rootfd = open(cfg.root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
        fprintf(stderr, "httpd: --root %s: %s\n", cfg.root, strerror(errno));
        return 1;
    }

    /* Blocked until the watcher's first ca_signal_wait_any claims them, so
     * that one sent as soon as we print the port stays pending rather than
     * killing us; blocked before any thread exists, so every thread is. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN); /* a vanished client is a write error, not a signal */

    struct server *all = calloc((size_t)cfg.threads, sizeof *all);
    if (!all)
        return 1;
    for (int i = 0; i < cfg.threads; i++) {
        struct server *s = &all[i];
        s->cfg = &cfg;
        s->lfd = listen_on(bind_addr, i == 0 ? cfg.port : all[0].port);
        if (s->lfd < 0) {
            fprintf(stderr, "httpd: listen on %s:%d: %s\n", bind_addr, cfg.port, strerror(-s->lfd));
            return 1;
        }
        s->port = bound_port(s->lfd);
        ca_event_init(&s->drained);
        ca_future_init(&s->stop);
    }
    printf("httpd: listening on http://%s:%d/ (%d thread%s)\n", bind_addr, all[0].port, cfg.threads,
           cfg.threads > 1 ? "s" : "");
    fflush(stdout);

    pthread_t *threads = calloc((size_t)cfg.threads, sizeof *threads);
    int started = 1;
    for (; threads && started < cfg.threads; started++)
        if (pthread_create(&threads[started], NULL, server_thread, &all[started]) != 0)
            break;
    if (started < cfg.threads) { /* stop those that did start, the usual way */
        fprintf(stderr, "httpd: could not start thread %d\n", started);
        kill(getpid(), SIGTERM);
    }

    int failed = ca_run(main_thread(all, cfg.threads)) != 0 || ca_loop_close() != 0;
    for (int i = 1; i < started; i++) {
        void *r;
        pthread_join(threads[i], &r);
        failed |= r != NULL;
    }
    if (cfg.rootfd >= 0)
        close(cfg.rootfd);
    free(threads);
    free(all);
    fprintf(stderr, failed ? "httpd: stopped, with tasks left\n" : "httpd: stopped\n");
    return failed || started < cfg.threads;
}
