/*
 * The runtime's own fds (a signalfd, the pidfds of children being waited
 * for or reaped) and the waits that modules outside task.c implement.
 *
 * The fds go in a second epoll, made on first use and itself registered
 * in the loop's epoll: the loop's dispatch tells it apart from user fds by
 * one comparison, and its entries carry a pointer to a ca__watch (user fds
 * carry the fd number), so io.c's fd table never sees them. They are
 * level-triggered: `ready` runs on every turn while the fd stays readable.
 *
 * A CA__W_OP wait counts in the loop's remote_waits: it ends on an event
 * from outside the loop (a signal, a child's exit), as a future's does.
 */
#include "internal.h"

#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#define AUX_EVENTS 16

static int aux_fd(ca_loop *l)
{
    if (l->auxfd >= 0)
        return l->auxfd;
    int fd = epoll_create1(EPOLL_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    return l->auxfd = fd;
}

static int watch_ctl(ca_loop *l, int op, int fd, struct ca__watch *w)
{
    int afd = aux_fd(l);
    if (afd < 0)
        return afd;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = w};
    return epoll_ctl(afd, op, fd, &ev) < 0 ? -errno : 0;
}

int ca__watch_add(ca_loop *l, int fd, struct ca__watch *w)
{
    return watch_ctl(l, EPOLL_CTL_ADD, fd, w);
}

void ca__watch_del(ca_loop *l, int fd)
{
    if (l->auxfd >= 0)
        epoll_ctl(l->auxfd, EPOLL_CTL_DEL, fd, NULL);
}

void ca__aux_run(ca_loop *l)
{
    struct epoll_event ev[AUX_EVENTS];
    int n = epoll_wait(l->auxfd, ev, AUX_EVENTS, 0);
    /* A callback only wakes tasks (no user code runs) and deletes at most
       its own watch, so every pointer in ev stays valid. */
    for (int i = 0; i < n; i++) {
        struct ca__watch *w = ev[i].data.ptr;
        w->ready(l, w);
    }
}

void ca__aux_free(ca_loop *l)
{
    ca__reapers_free(l);
    ca__signals_free(l);
    if (l->auxfd >= 0)
        close(l->auxfd);
    l->auxfd = -1;
}

int ca__wop_suspend(ca_loop *l, ca_task *t, struct ca__wop *op, void *ret, bool retlong)
{
    int e = ca__suspend(l, t, &op->hdr, ret, retlong, CA__W_OP);
    if (!e)
        l->remote_waits++;
    return e;
}

void ca__wop_wake(ca_loop *l, ca_task *t, long v)
{
    l->remote_waits--;
    ca__wake(l, t, v);
}

int ca__wop_resume(ca_task *t, ca_frame *fr)
{
    t->flags &= (uint16_t)~CA__T_ABORTED;
    ca__op_free(t, fr);
    return CA_DONE;
}
