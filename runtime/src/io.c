/*
 * I/O on non-blocking fds over epoll.
 *
 * Each operation tries its syscall first; only on EAGAIN does it push an op
 * frame (the syscall's arguments) on the task's frame stack, record the task
 * as the fd's reader or writer, and arm the fd. When the fd is ready the
 * op frame is resumed and retries the syscall; when the wait is aborted
 * (cancel, deadline) the op frame just pops itself.
 *
 * fds are registered level-triggered with EPOLLONESHOT: every wait re-arms
 * with EPOLL_CTL_MOD (ADD when the kernel does not know the fd), so an fd
 * closed with plain close(2) and its number reused later needs no
 * unregistering. The fd table grows to the highest fd waited on.
 */
#include "internal.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

enum op_kind { OP_READ, OP_WRITE, OP_WRITE_ALL, OP_RECV, OP_SEND, OP_ACCEPT, OP_CONNECT, OP_WAIT_RD, OP_WAIT_WR };

struct io_op {
    ca_frame hdr;
    int kind;
    int fd;
    void *buf;
    size_t len;
    size_t done; /* OP_WRITE_ALL: bytes written so far */
    int flags;   /* recv/send flags */
    void *ret;   /* ssize_t* or int* (the caller's) */
    struct sockaddr *addr;
    socklen_t *alen;
};
_Static_assert(sizeof(struct io_op) <= CA__OP_FRAME_MAX, "abi.h bounds op frames");

static bool is_write(int kind)
{
    return kind == OP_WRITE || kind == OP_WRITE_ALL || kind == OP_SEND || kind == OP_CONNECT || kind == OP_WAIT_WR;
}

static bool ret_is_long(int kind)
{
    return kind != OP_ACCEPT && kind != OP_CONNECT && kind != OP_WAIT_RD && kind != OP_WAIT_WR;
}

static struct ca__fdw *fdw(ca_loop *l, int fd)
{
    if (fd >= l->nfds) {
        int n = l->nfds ? l->nfds : 64;
        while (n <= fd)
            n *= 2;
        struct ca__fdw *v = realloc(l->fds, (size_t)n * sizeof *v);
        if (!v)
            return NULL;
        memset(v + l->nfds, 0, (size_t)(n - l->nfds) * sizeof *v);
        l->fds = v;
        l->nfds = n;
    }
    return &l->fds[fd];
}

/* Arm fd for its current waiters. 0 or -errno. */
static int arm(ca_loop *l, int fd)
{
    struct ca__fdw *w = &l->fds[fd];
    struct epoll_event ev = {.events = EPOLLONESHOT, .data.fd = fd};
    if (w->rd)
        ev.events |= EPOLLIN | EPOLLRDHUP;
    if (w->wr)
        ev.events |= EPOLLOUT;
    int op = w->added ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (epoll_ctl(l->epfd, op, fd, &ev) == 0)
        goto ok;
    if (errno == ENOENT || errno == EEXIST) {
        op = op == EPOLL_CTL_MOD ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
        if (epoll_ctl(l->epfd, op, fd, &ev) == 0)
            goto ok;
    }
    return -errno;
ok:
    w->added = 1;
    return 0;
}

/* One attempt at the syscall: its result, or -EAGAIN to wait. */
static long attempt(struct io_op *op)
{
    long r;
    for (;;) {
        switch (op->kind) {
        case OP_READ:
            r = read(op->fd, op->buf, op->len);
            break;
        case OP_WRITE:
            r = write(op->fd, op->buf, op->len);
            break;
        case OP_WRITE_ALL:
            r = write(op->fd, (char *)op->buf + op->done, op->len - op->done);
            if (r >= 0) {
                op->done += (size_t)r;
                if (op->done < op->len)
                    continue;
                return (long)op->len;
            }
            break;
        case OP_RECV:
            r = recv(op->fd, op->buf, op->len, op->flags);
            break;
        case OP_SEND:
            r = send(op->fd, op->buf, op->len, op->flags);
            break;
        case OP_ACCEPT:
            r = accept4(op->fd, op->addr, op->alen, SOCK_NONBLOCK | SOCK_CLOEXEC);
            break;
        case OP_CONNECT: { /* resumed after EINPROGRESS: the outcome is in SO_ERROR */
            int err = 0;
            socklen_t sl = sizeof err;
            if (getsockopt(op->fd, SOL_SOCKET, SO_ERROR, &err, &sl) < 0)
                return -errno;
            return -err;
        }
        default: /* OP_WAIT_RD, OP_WAIT_WR: readiness is the result */
            return 0;
        }
        if (r >= 0)
            return r;
        if (errno != EINTR)
            return errno == EWOULDBLOCK ? -EAGAIN : -errno;
    }
}

static void put_result(struct io_op *op, long v)
{
    if (ret_is_long(op->kind))
        *(ssize_t *)op->ret = v;
    else
        *(int *)op->ret = (int)v;
}

/* Make op's task the fd's reader or writer and arm the fd. 0 or -errno. */
static int io_wait(ca_loop *l, ca_task *t, struct io_op *op)
{
    if (op->fd < 0)
        return -EBADF;
    struct ca__fdw *w = fdw(l, op->fd);
    if (!w)
        return -ENOMEM;
    ca_task **slot = is_write(op->kind) ? &w->wr : &w->rd;
    if (*slot)
        return -EBUSY;
    *slot = t;
    int e = arm(l, op->fd);
    if (!e)
        e = ca__suspend(l, t, &op->hdr, op->ret, ret_is_long(op->kind), CA__W_IO);
    if (e) {
        *slot = NULL;
        return e;
    }
    l->io_waits++;
    return 0;
}

static int op_resume(ca_task *t, ca_frame *fr)
{
    struct io_op *op = (struct io_op *)fr;
    if (t->flags & CA__T_ABORTED) { /* the result (-ECANCELED, -ETIMEDOUT) is written */
        t->flags &= (uint16_t)~CA__T_ABORTED;
        ca__op_free(t, fr);
        return CA_DONE;
    }
    long r = attempt(op);
    if (r == -EAGAIN) {
        int e = io_wait(ca__cur_loop, t, op);
        if (!e)
            return CA_PENDING;
        r = e;
    }
    put_result(op, r);
    ca__op_free(t, fr);
    return CA_DONE;
}

/* The common body of every I/O primitive: try, then wait. */
static int io_start(ca_task *t, ca_frame *parent, struct io_op *proto)
{
    ca_loop *l = ca__cur_loop;
    long r = ca__check(l, t);
    if (!r) {
        if (proto->kind == OP_WAIT_RD || proto->kind == OP_WAIT_WR)
            r = proto->fd < 0 ? -EBADF : -EAGAIN;
        else
            r = attempt(proto);
    }
    if (r != -EAGAIN) {
        put_result(proto, r);
        return CA_DONE;
    }
    struct io_op *op = ca__op_alloc(t, sizeof *op, op_resume, parent);
    ca_frame hdr = op->hdr;
    *op = *proto;
    op->hdr = hdr;
    int e = io_wait(l, t, op);
    if (e) {
        ca__op_free(t, &op->hdr);
        put_result(proto, e);
        return CA_DONE;
    }
    return CA_PENDING;
}

void ca__io_event(ca_loop *l, int fd, uint32_t events)
{
    if (fd < 0 || fd >= l->nfds)
        return;
    struct ca__fdw *w = &l->fds[fd];
    if (w->rd && (events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP))) {
        ca_task *t = w->rd;
        w->rd = NULL;
        l->io_waits--;
        ca__wake_retry(l, t);
    }
    if (w->wr && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
        ca_task *t = w->wr;
        w->wr = NULL;
        l->io_waits--;
        ca__wake_retry(l, t);
    }
    if (w->rd || w->wr) /* one-shot: re-arm for the waiter that is left */
        arm(l, fd);
}

void ca__io_abort(ca_loop *l, ca_task *t)
{
    struct io_op *op = (struct io_op *)t->wait_fr;
    struct ca__fdw *w = &l->fds[op->fd];
    if (w->rd == t)
        w->rd = NULL;
    if (w->wr == t)
        w->wr = NULL;
    l->io_waits--;
}

void ca__io_free(ca_loop *l)
{
    free(l->fds);
    l->fds = NULL;
    l->nfds = 0;
}

int ca_set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -errno;
    return 0;
}

int ca_read__ca_start(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, void *buf, size_t len)
{
    struct io_op p = {.kind = OP_READ, .fd = fd, .buf = buf, .len = len, .ret = ret};
    return io_start(t, parent, &p);
}

int ca_write__ca_start(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, const void *buf, size_t len)
{
    struct io_op p = {.kind = OP_WRITE, .fd = fd, .buf = (void *)buf, .len = len, .ret = ret};
    return io_start(t, parent, &p);
}

int ca_write_all__ca_start(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, const void *buf, size_t len)
{
    struct io_op p = {.kind = OP_WRITE_ALL, .fd = fd, .buf = (void *)buf, .len = len, .ret = ret};
    return io_start(t, parent, &p);
}

int ca_recv__ca_start(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, void *buf, size_t len, int flags)
{
    struct io_op p = {.kind = OP_RECV, .fd = fd, .buf = buf, .len = len, .flags = flags, .ret = ret};
    return io_start(t, parent, &p);
}

int ca_send__ca_start(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, const void *buf, size_t len, int flags)
{
    struct io_op p = {.kind = OP_SEND, .fd = fd, .buf = (void *)buf, .len = len, .flags = flags, .ret = ret};
    return io_start(t, parent, &p);
}

int ca_accept__ca_start(ca_task *t, ca_frame *parent, int *ret, int fd, struct sockaddr *addr, socklen_t *len)
{
    struct io_op p = {.kind = OP_ACCEPT, .fd = fd, .addr = addr, .alen = len, .ret = ret};
    return io_start(t, parent, &p);
}

int ca_connect__ca_start(ca_task *t, ca_frame *parent, int *ret, int fd, const struct sockaddr *addr, socklen_t len)
{
    int e = ca__check(ca__cur_loop, t);
    if (e) {
        *ret = e;
        return CA_DONE;
    }
    while (connect(fd, addr, len) < 0) {
        if (errno == EINTR)
            continue;
        if (errno != EINPROGRESS) {
            *ret = -errno;
            return CA_DONE;
        }
        /* In progress: wait for writability, then read SO_ERROR. */
        struct io_op p = {.kind = OP_CONNECT, .fd = fd, .ret = ret};
        struct io_op *op = ca__op_alloc(t, sizeof *op, op_resume, parent);
        ca_frame hdr = op->hdr;
        *op = p;
        op->hdr = hdr;
        e = io_wait(ca__cur_loop, t, op);
        if (e) {
            ca__op_free(t, &op->hdr);
            *ret = e;
            return CA_DONE;
        }
        return CA_PENDING;
    }
    *ret = 0;
    return CA_DONE;
}

int ca_wait_readable__ca_start(ca_task *t, ca_frame *parent, int *ret, int fd)
{
    struct io_op p = {.kind = OP_WAIT_RD, .fd = fd, .ret = ret};
    return io_start(t, parent, &p);
}

int ca_wait_writable__ca_start(ca_task *t, ca_frame *parent, int *ret, int fd)
{
    struct io_op p = {.kind = OP_WAIT_WR, .fd = fd, .ret = ret};
    return io_start(t, parent, &p);
}
