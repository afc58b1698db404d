/*
 * Files: open, close, stat, fsync, rename, unlink on the thread pool, and
 * reads and writes at an fd's current position that work on any fd
 * (regular files, pipes, terminals, sockets, /dev/stdin) without changing
 * its flags.
 *
 * ca_file_read and ca_file_write look at the fd each time (fcntl, fstat)
 * and take the cheapest way that cannot block the loop:
 *   - an fd already non-blocking: epoll, as ca_read / ca_write_all do;
 *   - a blocking socket: recv / send with MSG_DONTWAIT, epoll on EAGAIN
 *     (a write sends everything, as ca_write_all does);
 *   - a blocking pipe or FIFO: poll(2) for readiness (epoll when not ready
 *     yet), then one read, or writes of at most PIPE_BUF bytes, which a
 *     writable pipe takes without blocking;
 *   - a blocking terminal or other character device: reads as a pipe (a
 *     terminal is readable once a line is there), writes on the pool (a
 *     terminal stopped with ^S must not stop the loop);
 *   - a regular file or block device (epoll refuses them): the pool, with
 *     a bounce buffer, so a cancelled call never writes into the caller's
 *     buffer after it has returned.
 * The fd keeps its blocking mode: a terminal shared with the shell, or a
 * pipe shared with another process, is not turned non-blocking under them.
 * A blocking pipe or terminal read by another process at the same time may
 * lose the data it was readable for, and the loop would then block in
 * read(2): share such an fd with nobody, or make it non-blocking.
 */
#include "internal.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* The most a pool read copies in one round trip (a read may be short). */
#define BOUNCE_MAX ((size_t)1 << 20)

struct file_req {
    struct ca__req req;
    int fd, flags;
    mode_t mode;
    void *out;  /* the caller's buffer or struct stat */
    size_t len; /* of data[] used by the call */
    struct stat st;
    const char *path2; /* rename's second path (in data) */
    char data[];       /* paths, or the bounce buffer */
};

static struct file_req *req_new(intptr_t (*run)(struct ca__req *), size_t extra)
{
    struct file_req *r = ca__malloc(sizeof *r + extra);
    if (r) {
        memset(r, 0, sizeof *r);
        r->req.run = run;
    }
    return r;
}

static struct file_req *path_req(intptr_t (*run)(struct ca__req *), const char *path, const char *path2)
{
    size_t n = strlen(path) + 1, n2 = path2 ? strlen(path2) + 1 : 0;
    struct file_req *r = req_new(run, n + n2);
    if (r) {
        memcpy(r->data, path, n);
        if (path2) {
            memcpy(r->data + n, path2, n2);
            r->path2 = r->data + n;
        }
    }
    return r;
}

static intptr_t neg(long v)
{
    return v < 0 ? -errno : v;
}

/* ------------------------------------------------------- path operations */

static intptr_t run_open(struct ca__req *q)
{
    struct file_req *r = (struct file_req *)q;
    return neg(open(r->data, r->flags | O_CLOEXEC, r->mode));
}

static void abandon_open(struct ca__req *q)
{
    if (q->result >= 0)
        close((int)q->result); /* the task was cancelled: nobody will */
}

int ca_file_open__ca_start(ca_task *t, ca_frame *parent, int *ret, const char *path, int flags, mode_t mode)
{
    if (!path) {
        *ret = -EINVAL;
        return CA_DONE;
    }
    struct file_req *r = path_req(run_open, path, NULL);
    if (r) {
        r->flags = flags;
        r->mode = mode;
        r->req.abandon = abandon_open;
    }
    return ca__req_await(t, parent, ret, false, r ? &r->req : NULL);
}

static intptr_t run_stat(struct ca__req *q)
{
    struct file_req *r = (struct file_req *)q;
    return neg(r->fd >= 0 ? fstat(r->fd, &r->st) : stat(r->data, &r->st));
}

static void finish_stat(struct ca__req *q)
{
    struct file_req *r = (struct file_req *)q;
    if (q->result == 0)
        memcpy(r->out, &r->st, sizeof r->st);
}

static int stat_common(ca_task *t, ca_frame *parent, int *ret, const char *path, int fd, struct stat *st)
{
    if (!st || (fd < 0 && !path)) {
        *ret = -EINVAL;
        return CA_DONE;
    }
    struct file_req *r = path_req(run_stat, path ? path : "", NULL);
    if (r) {
        r->fd = fd;
        r->out = st;
        r->req.finish = finish_stat;
    }
    return ca__req_await(t, parent, ret, false, r ? &r->req : NULL);
}

int ca_file_stat__ca_start(ca_task *t, ca_frame *parent, int *ret, const char *path, struct stat *st)
{
    return stat_common(t, parent, ret, path, -1, st);
}

int ca_file_fstat__ca_start(ca_task *t, ca_frame *parent, int *ret, int fd, struct stat *st)
{
    if (fd < 0) {
        *ret = -EBADF;
        return CA_DONE;
    }
    return stat_common(t, parent, ret, NULL, fd, st);
}

static intptr_t run_rename(struct ca__req *q)
{
    struct file_req *r = (struct file_req *)q;
    return neg(rename(r->data, r->path2));
}

int ca_file_rename__ca_start(ca_task *t, ca_frame *parent, int *ret, const char *from, const char *to)
{
    if (!from || !to) {
        *ret = -EINVAL;
        return CA_DONE;
    }
    struct file_req *r = path_req(run_rename, from, to);
    return ca__req_await(t, parent, ret, false, r ? &r->req : NULL);
}

static intptr_t run_unlink(struct ca__req *q)
{
    return neg(unlink(((struct file_req *)q)->data));
}

int ca_file_unlink__ca_start(ca_task *t, ca_frame *parent, int *ret, const char *path)
{
    if (!path) {
        *ret = -EINVAL;
        return CA_DONE;
    }
    struct file_req *r = path_req(run_unlink, path, NULL);
    return ca__req_await(t, parent, ret, false, r ? &r->req : NULL);
}

/* --------------------------------------------------------- fd operations */

static intptr_t run_fsync(struct ca__req *q)
{
    return neg(fsync(((struct file_req *)q)->fd));
}

static intptr_t run_close(struct ca__req *q)
{
    return neg(close(((struct file_req *)q)->fd));
}

static int fd_op(ca_task *t, ca_frame *parent, int *ret, int fd, intptr_t (*run)(struct ca__req *))
{
    if (fd < 0) {
        *ret = -EBADF;
        return CA_DONE;
    }
    struct file_req *r = req_new(run, 0);
    if (r)
        r->fd = fd;
    return ca__req_await(t, parent, ret, false, r ? &r->req : NULL);
}

int ca_file_fsync__ca_start(ca_task *t, ca_frame *parent, int *ret, int fd)
{
    return fd_op(t, parent, ret, fd, run_fsync);
}

/*
 * The fd is closed whatever happens: on the pool (also when the await is
 * cancelled meanwhile), or here when the pool cannot take the call (out of
 * memory, a task cancelled before the call).
 */
int ca_file_close__ca_start(ca_task *t, ca_frame *parent, int *ret, int fd)
{
    ca__fd_closing(ca__cur_loop, fd); /* as ca_close: the loop forgets the fd's registration (io.c) */
    if (fd < 0) {
        *ret = -EBADF;
        return CA_DONE;
    }
    struct file_req *r = req_new(run_close, 0);
    if (!r) {
        *ret = close(fd) < 0 && errno != EINTR ? -errno : 0;
        return CA_DONE;
    }
    r->fd = fd;
    r->req.must_run = true;
    return ca__req_await(t, parent, ret, false, &r->req);
}

/* -------------------------------------------------- reads and writes on the pool */

static intptr_t run_read(struct ca__req *q)
{
    struct file_req *r = (struct file_req *)q;
    ssize_t n;
    do
        n = read(r->fd, r->data, r->len);
    while (n < 0 && errno == EINTR);
    return neg(n);
}

static void finish_read(struct ca__req *q)
{
    struct file_req *r = (struct file_req *)q;
    if (q->result > 0)
        memcpy(r->out, r->data, (size_t)q->result);
}

static intptr_t run_write(struct ca__req *q)
{
    struct file_req *r = (struct file_req *)q;
    size_t done = 0;
    while (done < r->len) {
        ssize_t n = write(r->fd, r->data + done, r->len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        done += (size_t)n;
    }
    return (intptr_t)done;
}

static int pool_rw(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, void *buf, size_t len, bool write)
{
    if (!write && len > BOUNCE_MAX)
        len = BOUNCE_MAX;
    struct file_req *r = req_new(write ? run_write : run_read, len);
    if (r) {
        r->fd = fd;
        r->len = len;
        r->out = buf;
        if (write)
            memcpy(r->data, buf, len);
        else
            r->req.finish = finish_read;
    }
    return ca__req_await(t, parent, ret, true, r ? &r->req : NULL);
}

/* ----------------------------------- reads and writes on blocking pipes and terminals */

/* Readiness, then one syscall that cannot block: the frame awaits ca_wait_readable / writable. */
struct pipe_fr {
    ca_frame hdr;
    unsigned state;
    int fd, r;
    bool write, sock;
    char *buf;
    size_t len, done;
    ssize_t *ret;
};
_Static_assert(sizeof(struct pipe_fr) <= CA__OP_FRAME_MAX, "the tool counts ca_file_read and _write as two op frames");

static bool ready_now(int fd, short ev)
{
    struct pollfd p = {.fd = fd, .events = ev};
    return poll(&p, 1, 0) == 1;
}

static int pipe_resume(ca_task *t, ca_frame *fr)
{
    struct pipe_fr *F = (struct pipe_fr *)fr;
    ssize_t n;
    if (F->state == 1 && F->r < 0) { /* the readiness wait failed (cancel, deadline, EPERM...) */
        n = F->r;
        goto out;
    }
    for (;;) {
        if (F->state == 0 && !ready_now(F->fd, F->write ? POLLOUT : POLLIN)) {
            F->state = 1;
            int st = F->write ? ca_wait_writable__ca_start(t, &F->hdr, &F->r, F->fd)
                              : ca_wait_readable__ca_start(t, &F->hdr, &F->r, F->fd);
            if (st != CA_DONE)
                return st;
            if (F->r < 0) {
                n = F->r;
                goto out;
            }
        }
        F->state = 0;
        if (!F->write) {
            do
                n = read(F->fd, F->buf, F->len);
            while (n < 0 && errno == EINTR);
            if (n < 0)
                n = -errno;
            goto out;
        }
        size_t chunk = F->len - F->done;
        if (F->sock)
            n = send(F->fd, F->buf + F->done, chunk, MSG_DONTWAIT);
        else
            n = write(F->fd, F->buf + F->done, chunk < PIPE_BUF ? chunk : PIPE_BUF);
        if (n < 0 && errno != EINTR && errno != EAGAIN) {
            n = -errno;
            goto out;
        }
        if (n > 0)
            F->done += (size_t)n;
        if (F->done == F->len) {
            n = (ssize_t)F->len;
            goto out;
        }
        if (ca__check(ca__cur_loop, t)) { /* a long write still honours cancel and deadlines */
            n = ca__check(ca__cur_loop, t);
            goto out;
        }
    }
out:
    *F->ret = n;
    ca__frame_free(t, F);
    return CA_DONE;
}

static int pipe_rw(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, void *buf, size_t len, bool write, bool sock)
{
    struct pipe_fr *F = CA__FRAME_NEW(t, struct pipe_fr, pipe_resume, parent);
    F->fd = fd;
    F->write = write;
    F->sock = sock;
    F->buf = buf;
    F->len = len;
    F->ret = ret;
    return pipe_resume(t, &F->hdr);
}

/* ------------------------------------------------------------ dispatch */

static int rw(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, void *buf, size_t len, bool write)
{
    int e = ca__check(ca__cur_loop, t);
    if (e) {
        *ret = e;
        return CA_DONE;
    }
    int fl = fcntl(fd, F_GETFL);
    struct stat st;
    if (fl < 0 || fstat(fd, &st) < 0) {
        *ret = -errno;
        return CA_DONE;
    }
    if (write && len == 0) {
        *ret = 0;
        return CA_DONE;
    }
    if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode) || S_ISDIR(st.st_mode))
        return pool_rw(t, parent, ret, fd, buf, len, write);
    if (fl & O_NONBLOCK)
        return write ? ca_write_all__ca_start(t, parent, ret, fd, buf, len)
                     : ca_read__ca_start(t, parent, ret, fd, buf, len);
    if (S_ISSOCK(st.st_mode) && !write)
        return ca_recv__ca_start(t, parent, ret, fd, buf, len, MSG_DONTWAIT);
    if (write && S_ISCHR(st.st_mode))
        return pool_rw(t, parent, ret, fd, buf, len, write);
    return pipe_rw(t, parent, ret, fd, buf, len, write, S_ISSOCK(st.st_mode));
}

int ca_file_read__ca_start(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, void *buf, size_t len)
{
    return rw(t, parent, ret, fd, buf, len, false);
}

int ca_file_write__ca_start(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, const void *buf, size_t len)
{
    return rw(t, parent, ret, fd, (void *)buf, len, true);
}
