/*
 * The hand-written peer: one thread, epoll, level-triggered registrations
 * made once per connection, a callback per event. Per request under load:
 * read, write, and a share of one epoll_wait.   usage: epoll_httpd PORT
 *
 * Timeouts, as samples/httpd has them (its 10 s default), done the way a
 * hand-written server does one fixed timeout cheaply (libev's "linked
 * list" advice; nginx's lazy timers are the same idea): the connections
 * in a list by their last activity, oldest first. A read or a write
 * moves its connection to the end, lazily as nginx's timers (a connection
 * moved less than LAZY_MS ago stays where it is, so a busy connection
 * costs a compare a request, and a timeout may come up to LAZY_MS early);
 * after each epoll_wait, which sleeps no longer than the oldest connection
 * has left, the connections at the front whose time is up are closed.
 */
#include "peer_common.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_MS 10000
#define LAZY_MS 300 /* nginx's NGX_TIMER_LAZY_DELAY */

struct conn {
    int fd;
    int want_out;             /* registered for EPOLLOUT: out could not all be written */
    struct conn *prev, *next; /* in `active`, by last activity */
    uint64_t last;            /* ms */
    struct peer_conn pc;
};

static int epfd;
static struct conn active = {.prev = &active, .next = &active}; /* the list's head: oldest next */
static uint64_t now_ms;                                         /* read after each epoll_wait */

static uint64_t clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void unlink_conn(struct conn *c)
{
    c->prev->next = c->next;
    c->next->prev = c->prev;
}

/* c, not in the list, goes to its end: its timeout starts now. */
static void touch(struct conn *c)
{
    c->last = now_ms;
    c->prev = active.prev;
    c->next = &active;
    active.prev->next = c;
    active.prev = c;
}

/* c made progress: its timeout starts again (lazily, see the top). */
static void active_again(struct conn *c)
{
    if (now_ms - c->last >= LAZY_MS) {
        unlink_conn(c);
        touch(c);
    }
}

static void drop(struct conn *c)
{
    unlink_conn(c);
    close(c->fd); /* also removes it from the epoll set */
    free(c);
}

/* epoll_wait's timeout: until the oldest connection's time is up. */
static int poll_timeout(void)
{
    if (active.next == &active)
        return -1;
    uint64_t due = active.next->last + TIMEOUT_MS;
    return due <= now_ms ? 0 : (int)(due - now_ms);
}

static void expire(void)
{
    while (active.next != &active && now_ms - active.next->last >= TIMEOUT_MS)
        drop(active.next);
}

/* Write what is buffered: 0 when all of it went, 1 when the socket is full, -1 on error. */
static int flush(struct conn *c)
{
    size_t off = 0;
    while (off < c->pc.out_len) {
        ssize_t n = write(c->fd, c->pc.out + off, c->pc.out_len - off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN)
                return -1;
            memmove(c->pc.out, c->pc.out + off, c->pc.out_len - off);
            c->pc.out_len -= off;
            return 1;
        }
        off += (size_t)n;
    }
    c->pc.out_len = 0;
    return 0;
}

static void set_events(struct conn *c, int want_out)
{
    if (c->want_out == want_out)
        return;
    struct epoll_event ev = {.events = want_out ? EPOLLOUT : EPOLLIN, .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
    c->want_out = want_out;
}

static void on_readable(struct conn *c)
{
    char buf[4096];
    ssize_t n = read(c->fd, buf, sizeof buf);
    if (n <= 0) {
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        drop(c);
        return;
    }
    active_again(c);
    size_t off = 0;
    while (off < (size_t)n) {
        size_t used;
        int full = peer_feed(&c->pc, buf + off, (size_t)n - off, &used);
        off += used;
        if (full && flush(c) != 0) /* rare: many pipelined requests */
            break;
    }
    int r = flush(c);
    if (r < 0 || (r == 0 && c->pc.close_after))
        drop(c);
    else if (r == 1)
        set_events(c, 1); /* (what did not fit in out is lost: not for a benchmark) */
}

static void on_writable(struct conn *c)
{
    active_again(c);
    int r = flush(c);
    if (r < 0 || (r == 0 && c->pc.close_after))
        drop(c);
    else if (r == 0)
        set_events(c, 0);
}

int main(int argc, char **argv)
{
    int lfd = peer_listen(argc > 1 ? atoi(argv[1]) : 8080);
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (lfd < 0 || epfd < 0) {
        perror("epoll_httpd");
        return 1;
    }
    struct epoll_event lev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &lev);
    struct epoll_event evs[256];
    now_ms = clock_ms();
    for (;;) {
        int n = epoll_wait(epfd, evs, 256, poll_timeout());
        now_ms = clock_ms();
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (!c) {
                int fd;
                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    int one = 1;
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* as httpd and nginx */
                    c = malloc(sizeof *c);
                    c->fd = fd;
                    c->want_out = 0;
                    touch(c);
                    peer_conn_init(&c->pc);
                    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
                    epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
                }
            } else if (evs[i].events & EPOLLOUT) {
                on_writable(c);
            } else {
                on_readable(c);
            }
        }
        expire();
    }
}
