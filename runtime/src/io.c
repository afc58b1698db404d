/*
 * I/O on non-blocking fds over epoll.
 *
 * Each operation tries its syscall first; only on EAGAIN does it push an op
 * frame (the syscall's arguments) on the task's frame stack, record the task
 * as the fd's reader or writer, and wait. When the fd is ready the op frame
 * is resumed and retries the syscall; when the wait is aborted (cancel,
 * deadline, ca_close) the op frame just pops itself.
 *
 * Registrations last: an fd's first wait registers it edge-triggered for
 * both directions (EPOLLET), and it stays registered until ca_close (or
 * until its number comes back from ca_accept or goes into ca_connect, which
 * re-register it), so a wait costs no system call. The table remembers per
 * fd what may be ready: an edge sets the bit, an EAGAIN clears it, and so
 * does a short read of a stream socket or a pipe (the kernel had no more
 * bytes then; any byte that comes later is a new edge), until a hang-up:
 * end of file is a state, not an edge, so reads try from then on. A read on an fd
 * known drained waits at once instead of making the read that would fail:
 * a keep-alive server's request costs its read and its write, as a
 * hand-written epoll server's does. The fd table grows to the highest fd
 * waited on.
 *
 * The table is a cache of what epoll was told, and close(2) makes it lie:
 * closing a file drops its registration, silently, and the number may come
 * back as another file that nothing registered, whose wait would never end.
 * So the runtime checks a registration (one epoll_ctl MOD; when it fails the
 * entry is forgotten and the waiters retry, which registers the new file or
 * fails with EBADF) at once where the old file may have ended (end of file,
 * an error, an aborted wait: CA__FD_DOUBT), and for any wait still pending
 * after CHECK_MS (ca__io_check, a sweep of the table the loop runs then).
 * A wait that lasts less costs nothing more; one that lasts longer, one
 * epoll_ctl.
 */
#include "internal.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#define EVENTS (EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET)
/*
 * The operation's kind is a constant where the hot functions below are
 * inlined into a resume function of their own (read_resume,
 * write_all_resume: what a server does on every request), so the compiler
 * drops every test of the kind there; other kinds share op_resume.
 */
#define HOT inline __attribute__((always_inline))
/*
 * A wait this old has its registration checked. Long enough that a busy
 * server's waits between requests never pay it: at 100 ms, samples/httpd
 * under wrk with 1,000 connections (a request every 50 ms or so on each)
 * made 0.42 epoll_ctl a request more than the hand-written epoll server.
 */
#define CHECK_MS 1000

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

static HOT bool is_write(int kind)
{
    return kind == OP_WRITE || kind == OP_WRITE_ALL || kind == OP_SEND || kind == OP_CONNECT || kind == OP_WAIT_WR;
}

static HOT bool ret_is_long(int kind)
{
    return kind != OP_ACCEPT && kind != OP_CONNECT && kind != OP_WAIT_RD && kind != OP_WAIT_WR;
}

/* fdw's slow path: grow the table to hold fd. */
static __attribute__((noinline)) struct ca__fdw *fdw_grow(ca_loop *l, int fd)
{
    int n = l->nfds ? l->nfds : 64;
    while (n <= fd)
        n *= 2;
    struct ca__fdw *v = ca__realloc(l->fds, (size_t)n * sizeof *v);
    if (!v)
        return NULL;
    memset(v + l->nfds, 0, (size_t)(n - l->nfds) * sizeof *v);
    l->fds = v;
    l->nfds = n;
    return &l->fds[fd];
}

/* fd's entry (fd >= 0), made when the table is too small; NULL when out of memory. */
static HOT struct ca__fdw *fdw(ca_loop *l, int fd)
{
    assert(fd >= 0);
    if (CA__LIKELY(fd < l->nfds))
        return &l->fds[fd];
    return fdw_grow(l, fd);
}

/* fd's entry when the table has one (no entry: never waited on, unregistered). */
static HOT struct ca__fdw *fd_entry(ca_loop *l, int fd)
{
    return (unsigned)fd < (unsigned)l->nfds ? &l->fds[fd] : NULL;
}

/* Register fd with epoll for good (ADD, or MOD when the kernel has it). 0 or -errno. */
static int fd_register(ca_loop *l, int fd, struct ca__fdw *w, unsigned waiting)
{
    struct epoll_event ev = {.events = EVENTS, .data.fd = fd};
    if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0 &&
        (errno != EEXIST || epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) < 0))
        return -errno;
    w->reg = 1;
    /* The direction waited on was just found not ready; the registration
       reports it (and the other) as an edge if it is ready by now. */
    w->ready = (uint8_t)((CA__FD_RD | CA__FD_WR) & ~waiting);
    return 0;
}

/* End the wait in *slot, if any, for a retry: its op frame tries its syscall again. */
static void wake_for_retry(ca_loop *l, ca_task **slot)
{
    ca_task *t = *slot;
    if (t) {
        *slot = NULL;
        l->io_waits--;
        ca__wake_retry(l, t);
    }
}

/*
 * Whether fd's registration holds: MOD finds the registration of the file
 * the number is now (and re-arms its edge when it is ready). When there is
 * none, fd was closed with close(2), and its number may be another file's:
 * forget the entry; the waiters retry, which registers the new file.
 */
static bool fd_still_registered(ca_loop *l, int fd, struct ca__fdw *w)
{
    struct epoll_event ev = {.events = EVENTS, .data.fd = fd};
    if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) == 0) {
        w->ready &= (uint8_t)~CA__FD_DOUBT;
        return true;
    }
    ca__fd_new(l, fd);
    wake_for_retry(l, &w->rd);
    wake_for_retry(l, &w->wr);
    return false;
}

/* Whether a short read of fd means it was drained: stream sockets and pipes. */
static uint8_t fd_kind(int fd)
{
    struct stat st;
    int type;
    socklen_t sl = sizeof type;
    if (fstat(fd, &st) < 0)
        return CA__FD_OTHER;
    if (S_ISFIFO(st.st_mode))
        return CA__FD_STREAM;
    if (S_ISSOCK(st.st_mode) && getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &sl) == 0 && type == SOCK_STREAM)
        return CA__FD_STREAM;
    return CA__FD_OTHER;
}

void ca__fd_new(ca_loop *l, int fd)
{
    struct ca__fdw *w = l ? fd_entry(l, fd) : NULL;
    if (w) {
        w->reg = 0;
        w->kind = CA__FD_UNKNOWN;
    }
}

/* A connection accepted on lfd: a new file, of lfd's kind (learnt once per listening socket). */
static void accepted(ca_loop *l, int lfd, int fd)
{
    ca__fd_new(l, fd);
    if (!fdw(l, fd > lfd ? fd : lfd))
        return; /* the kind stays unknown: learnt on the first short read */
    struct ca__fdw *lw = &l->fds[lfd];
    if (lw->kind == CA__FD_UNKNOWN)
        lw->kind = fd_kind(lfd);
    l->fds[fd].kind = lw->kind;
}

/* One attempt at the syscall: its result, or -EAGAIN to wait. */
static HOT long attempt(struct io_op *op, int kind)
{
    long r;
    for (;;) {
        switch (kind) {
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
        default:
            return -EAGAIN; /* OP_WAIT_RD, OP_WAIT_WR: see try_op */
        }
        if (r >= 0)
            return r;
        if (errno != EINTR)
            return errno == EWOULDBLOCK ? -EAGAIN : -errno;
    }
}

/* A wait for readiness when the table says the fd may be ready already: ask the kernel. */
static long ready_now(struct io_op *op)
{
    struct pollfd p = {.fd = op->fd, .events = op->kind == OP_WAIT_RD ? POLLIN : POLLOUT};
    int n = poll(&p, 1, 0);
    if (n < 0)
        return -errno;
    if (n > 0 && (p.revents & POLLNVAL))
        return -EBADF;
    return n > 0 ? 0 : -EAGAIN;
}

/*
 * The operation's outcome without waiting, or -EAGAIN to wait: the
 * syscall, unless the table knows the fd is not ready; what it learns goes
 * into the table.
 */
static HOT long try_op(ca_loop *l, struct io_op *op, int kind)
{
    if (op->fd < 0)
        return -EBADF;
    struct ca__fdw *w = fd_entry(l, op->fd);
    unsigned bit = is_write(kind) ? CA__FD_WR : CA__FD_RD;
    bool known = w && w->reg;
    if (known && CA__UNLIKELY(w->ready & CA__FD_DOUBT))
        known = fd_still_registered(l, op->fd, w);
    if (known && !(w->ready & bit))
        return -EAGAIN; /* drained, or full: the next edge says when to try */
    long r;
    if (kind == OP_WAIT_RD || kind == OP_WAIT_WR)
        r = known ? ready_now(op) : -EAGAIN; /* unregistered: registering reports readiness */
    else
        r = attempt(op, kind);
    if (r == -EAGAIN) {
        if (known && !(bit == CA__FD_RD && (w->ready & CA__FD_EOF)))
            w->ready &= (uint8_t)~bit;
    } else if (kind == OP_ACCEPT && r >= 0) {
        accepted(l, op->fd, (int)r);
    } else if (known && (r < 0 || (r == 0 && op->len && !is_write(kind)))) {
        w->ready |= CA__FD_DOUBT; /* an error or an end of file: the program may close fd next */
    } else if (known && r > 0 && (size_t)r < op->len && (kind == OP_READ || (kind == OP_RECV && !op->flags))) {
        /* A short read: drained, if the fd is a byte stream. */
        if (w->kind == CA__FD_UNKNOWN)
            w->kind = fd_kind(op->fd);
        if (w->kind == CA__FD_STREAM && !(w->ready & CA__FD_EOF))
            w->ready &= (uint8_t)~CA__FD_RD;
    }
    return r;
}

static HOT void put_result(const struct io_op *op, long v, int kind)
{
    if (ret_is_long(kind))
        *(ssize_t *)op->ret = v;
    else
        *(int *)op->ret = (int)v;
}

/* t, suspended, is now the fd's reader (bit CA__FD_RD) or writer (CA__FD_WR). */
static HOT void waiting(ca_loop *l, ca_task *t, struct ca__fdw *w, unsigned bit)
{
    if (bit == CA__FD_WR)
        w->wr = t;
    else
        w->rd = t;
    l->io_waits++;
    w->since = (uint32_t)l->now;
    w->ready &= (uint8_t)~CA__FD_CHECKED;
    if (l->fd_check_at == CA__NEVER)
        l->fd_check_at = l->now + CHECK_MS;
}

/* Make op's task the fd's reader or writer, registering the fd on its first wait. 0 or -errno. */
static HOT int io_wait(ca_loop *l, ca_task *t, struct io_op *op, int kind)
{
    if (op->fd < 0)
        return -EBADF;
    struct ca__fdw *w = fdw(l, op->fd);
    if (!w)
        return -ENOMEM;
    bool wr = is_write(kind);
    ca_task **slot = wr ? &w->wr : &w->rd;
    if (*slot)
        return -EBUSY;
    int e = CA__LIKELY(w->reg) ? 0 : fd_register(l, op->fd, w, wr ? CA__FD_WR : CA__FD_RD);
    if (!e)
        e = ca__suspend(l, t, &op->hdr, op->ret, ret_is_long(kind), CA__W_IO);
    if (e)
        return e;
    waiting(l, t, w, wr ? CA__FD_WR : CA__FD_RD);
    return 0;
}

/* The op frame's wait has ended: retry (or wait again), or take the abort's result. */
static HOT int resume_as(ca_task *t, ca_frame *fr, int kind)
{
    struct io_op *op = (struct io_op *)fr;
    if (CA__UNLIKELY(t->flags & CA__T_ABORTED)) { /* the result (-ECANCELED, -ETIMEDOUT, -EBADF) is written */
        t->flags &= (uint16_t)~CA__T_ABORTED;
        ca__frame_free(t, fr);
        return CA_DONE;
    }
    ca_loop *l = ca__cur_loop;
    long r = kind == OP_CONNECT ? attempt(op, kind) : try_op(l, op, kind);
    if (r == -EAGAIN) {
        int e = io_wait(l, t, op, kind);
        if (!e)
            return CA_PENDING;
        r = e;
    }
    put_result(op, r, kind);
    ca__frame_free(t, fr);
    return CA_DONE;
}

static int op_resume(ca_task *t, ca_frame *fr)
{
    return resume_as(t, fr, ((struct io_op *)fr)->kind);
}

static int read_resume(ca_task *t, ca_frame *fr)
{
    return resume_as(t, fr, OP_READ);
}

static int write_all_resume(ca_task *t, ca_frame *fr)
{
    return resume_as(t, fr, OP_WRITE_ALL);
}

/* Push an op frame holding proto's operation, resumed by parent. */
static HOT struct io_op *op_frame(ca_task *t, ca_frame *parent, const struct io_op *proto, int kind)
{
    struct io_op *op = ca__frame_alloc(t, sizeof *op, _Alignof(struct io_op));
    op->hdr.resume = kind == OP_READ ? read_resume : kind == OP_WRITE_ALL ? write_all_resume : op_resume;
    op->hdr.parent = parent;
    op->kind = kind;
    op->fd = proto->fd;
    op->buf = proto->buf;
    op->len = proto->len;
    op->done = proto->done;
    op->ret = proto->ret;
    if (kind != OP_READ && kind != OP_WRITE && kind != OP_WRITE_ALL) { /* the fields only they read */
        op->flags = proto->flags;
        op->addr = proto->addr;
        op->alen = proto->alen;
    }
    return op;
}

/* Push an op frame holding proto and wait: CA_PENDING, or CA_DONE with the error written. */
static HOT int op_wait(ca_loop *l, ca_task *t, ca_frame *parent, const struct io_op *proto, int kind)
{
    struct io_op *op = op_frame(t, parent, proto, kind);
    int e = io_wait(l, t, op, kind);
    if (e) {
        ca__frame_free(t, op);
        put_result(proto, e, kind);
        return CA_DONE;
    }
    return CA_PENDING;
}

/*
 * The wait of a server between requests, in a few loads and stores, when
 * it can be had: the fd is registered and known drained (or full), nobody
 * else waits on it in that direction, and the task has no cancel or
 * pending error, and no deadline or one whose timer is armed already
 * (ca__check_fast). Whether t now waits.
 */
static HOT bool wait_at_once(ca_task *t, ca_frame *parent, const struct io_op *proto, int kind)
{
    ca_loop *l = ca__cur_loop;
    struct ca__fdw *w = fd_entry(l, proto->fd);
    unsigned bit = is_write(kind) ? CA__FD_WR : CA__FD_RD;
    if (!(w && w->reg && !(w->ready & (bit | CA__FD_DOUBT)) && !(bit == CA__FD_WR ? w->wr : w->rd) &&
          ca__check_fast(l, t)))
        return false;
    struct io_op *op = op_frame(t, parent, proto, kind);
    t->wait_fr = &op->hdr;
    t->wait_ret = op->ret;
    t->flags = (uint16_t)((t->flags & ~(CA__T_RETLONG | CA__T_ABORTED)) | (ret_is_long(kind) ? CA__T_RETLONG : 0) |
                          ca__timed_bit(l, t));
    t->wait = CA__W_IO;
    ca__ready_unlink(l, t);
    waiting(l, t, w, bit);
    return true;
}

/* The common body of every I/O primitive: try, then wait. */
static HOT int io_start(ca_task *t, ca_frame *parent, struct io_op *proto, int kind)
{
    ca_loop *l = ca__cur_loop;
    long r = ca__check(l, t);
    if (CA__LIKELY(!r))
        r = try_op(l, proto, kind);
    if (r != -EAGAIN) {
        put_result(proto, r, kind);
        return CA_DONE;
    }
    return op_wait(l, t, parent, proto, kind);
}

void ca__io_event(ca_loop *l, int fd, uint32_t events)
{
    struct ca__fdw *w = fd_entry(l, fd);
    if (!w)
        return;
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP))
        w->ready |= CA__FD_RD;
    if ((events & (EPOLLRDHUP | EPOLLERR | EPOLLHUP)) && !(w->ready & CA__FD_EOF))
        w->ready |= CA__FD_EOF | CA__FD_DOUBT;
    if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
        w->ready |= CA__FD_WR;
    if (w->rd && (w->ready & CA__FD_RD)) {
        ca_task *t = w->rd;
        w->rd = NULL;
        l->io_waits--;
        ca__wake_retry(l, t);
    }
    if (w->wr && (w->ready & CA__FD_WR)) {
        ca_task *t = w->wr;
        w->wr = NULL;
        l->io_waits--;
        ca__wake_retry(l, t);
    }
}

void ca__io_abort(ca_loop *l, ca_task *t)
{
    struct io_op *op = (struct io_op *)t->wait_fr;
    struct ca__fdw *w = &l->fds[op->fd];
    assert(op->fd < l->nfds && (w->rd == t || w->wr == t));
    if (w->rd == t)
        w->rd = NULL;
    if (w->wr == t)
        w->wr = NULL;
    w->ready |= CA__FD_DOUBT; /* cancelled or timed out: the program may close fd next */
    l->io_waits--;
}

void ca__io_check(ca_loop *l)
{
    uint64_t next = CA__NEVER;
    for (int fd = 0; fd < l->nfds; fd++) {
        struct ca__fdw *w = &l->fds[fd];
        if ((!w->rd && !w->wr) || (w->ready & CA__FD_CHECKED))
            continue;
        uint32_t age = (uint32_t)l->now - w->since;
        if (age < CHECK_MS) {
            if (l->now + (CHECK_MS - age) < next)
                next = l->now + (CHECK_MS - age);
        } else if (fd_still_registered(l, fd, w)) {
            w->ready |= CA__FD_CHECKED;
        }
    }
    l->fd_check_at = next;
}

void ca__io_free(ca_loop *l)
{
    free(l->fds);
    l->fds = NULL;
    l->nfds = 0;
}

void ca__fd_closing(ca_loop *l, int fd)
{
    struct ca__fdw *w = l ? fd_entry(l, fd) : NULL;
    if (w) {
        if (w->rd)
            ca__abort(l, w->rd, -EBADF);
        if (w->wr)
            ca__abort(l, w->wr, -EBADF);
        /* close(2) drops the registration with the file (unless another fd
           still refers to it: its events then only cost a retry). */
        ca__fd_new(l, fd);
    }
}

int ca_close(int fd)
{
    ca__fd_closing(ca__cur_loop, fd);
    return close(fd) < 0 && errno != EINTR ? -errno : 0;
}

int ca_set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -errno;
    return 0;
}

/* ca_read when it cannot wait at once (out of line, so that waiting at once saves no registers). */
static __attribute__((noinline)) int read_start(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, void *buf,
                                                size_t len)
{
    struct io_op p = {.kind = OP_READ, .fd = fd, .buf = buf, .len = len, .ret = ret};
    return io_start(t, parent, &p, OP_READ);
}

int ca_read__ca_start(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, void *buf, size_t len)
{
    struct io_op p = {.kind = OP_READ, .fd = fd, .buf = buf, .len = len, .ret = ret};
    if (wait_at_once(t, parent, &p, OP_READ))
        return CA_PENDING;
    return read_start(t, parent, ret, fd, buf, len);
}

int ca_write__ca_start(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, const void *buf, size_t len)
{
    struct io_op p = {.kind = OP_WRITE, .fd = fd, .buf = (void *)buf, .len = len, .ret = ret};
    return io_start(t, parent, &p, OP_WRITE);
}

/*
 * ca_write_all after its first write(2), which returned r (errno set when
 * negative), or without one (r = 0): what the generic path does from there.
 */
static __attribute__((noinline)) int write_all_rest(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, const void *buf,
                                                    size_t len, ssize_t r)
{
    struct io_op p = {.kind = OP_WRITE_ALL, .fd = fd, .buf = (void *)buf, .len = len, .ret = ret};
    if (r < 0 && errno != EINTR) {
        struct ca__fdw *w = fd_entry(ca__cur_loop, fd); /* registered: see ca_write_all__ca_start */
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            w->ready |= CA__FD_DOUBT; /* as try_op learns from an error */
            *ret = -errno;
            return CA_DONE;
        }
        w->ready &= (uint8_t)~CA__FD_WR;
        return op_wait(ca__cur_loop, t, parent, &p, OP_WRITE_ALL);
    }
    p.done = r > 0 ? (size_t)r : 0;
    return io_start(t, parent, &p, OP_WRITE_ALL);
}

/* A server's response: one write(2) into a socket known writable, which takes it all. */
int ca_write_all__ca_start(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, const void *buf, size_t len)
{
    ca_loop *l = ca__cur_loop;
    struct ca__fdw *w = fd_entry(l, fd);
    if (CA__LIKELY(w && w->reg && (w->ready & (CA__FD_WR | CA__FD_DOUBT)) == CA__FD_WR && !w->wr && len &&
                   ca__check_fast(l, t))) {
        ssize_t r = write(fd, buf, len);
        if (CA__LIKELY(r == (ssize_t)len)) {
            *ret = r;
            return CA_DONE;
        }
        return write_all_rest(t, parent, ret, fd, buf, len, r);
    }
    return write_all_rest(t, parent, ret, fd, buf, len, 0);
}

int ca_recv__ca_start(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, void *buf, size_t len, int flags)
{
    struct io_op p = {.kind = OP_RECV, .fd = fd, .buf = buf, .len = len, .flags = flags, .ret = ret};
    return io_start(t, parent, &p, OP_RECV);
}

int ca_send__ca_start(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, const void *buf, size_t len, int flags)
{
    struct io_op p = {.kind = OP_SEND, .fd = fd, .buf = (void *)buf, .len = len, .flags = flags, .ret = ret};
    return io_start(t, parent, &p, OP_SEND);
}

int ca_accept__ca_start(ca_task *t, ca_frame *parent, int *ret, int fd, struct sockaddr *addr, socklen_t *len)
{
    struct io_op p = {.kind = OP_ACCEPT, .fd = fd, .addr = addr, .alen = len, .ret = ret};
    return io_start(t, parent, &p, OP_ACCEPT);
}

int ca_connect__ca_start(ca_task *t, ca_frame *parent, int *ret, int fd, const struct sockaddr *addr, socklen_t len)
{
    int e = ca__check(ca__cur_loop, t);
    if (e) {
        *ret = e;
        return CA_DONE;
    }
    ca__fd_new(ca__cur_loop, fd); /* a socket that connects is a new file */
    while (connect(fd, addr, len) < 0) {
        if (errno == EINTR)
            continue;
        if (errno != EINPROGRESS) {
            *ret = -errno;
            return CA_DONE;
        }
        /* In progress: wait for writability, then read SO_ERROR. */
        struct io_op p = {.kind = OP_CONNECT, .fd = fd, .ret = ret};
        return op_wait(ca__cur_loop, t, parent, &p, OP_CONNECT);
    }
    *ret = 0;
    return CA_DONE;
}

int ca_wait_readable__ca_start(ca_task *t, ca_frame *parent, int *ret, int fd)
{
    struct io_op p = {.kind = OP_WAIT_RD, .fd = fd, .ret = ret};
    return io_start(t, parent, &p, OP_WAIT_RD);
}

int ca_wait_writable__ca_start(ca_task *t, ca_frame *parent, int *ret, int fd)
{
    struct io_op p = {.kind = OP_WAIT_WR, .fd = fd, .ret = ret};
    return io_start(t, parent, &p, OP_WAIT_WR);
}
