/*
 * Datagrams and messages: recvfrom, sendto, recvmsg, sendmsg.
 *
 * Each call tries its syscall with MSG_DONTWAIT (so it also works on a
 * blocking socket) and, on EAGAIN, awaits ca_wait_readable or
 * ca_wait_writable and tries again: one frame of its own, with io.c's op
 * frame on top of it while it waits.
 */
#include "internal.h"

#include <string.h>
#include <sys/socket.h>

enum msg_kind { RECVFROM, SENDTO, RECVMSG, SENDMSG };

struct msg_fr {
    ca_frame hdr;
    unsigned state;
    int fd, flags, r; /* r: the readiness wait's result */
    unsigned char kind;
    socklen_t tolen; /* SENDTO */
    void *buf;       /* the buffer, or the msghdr */
    size_t len;
    void *addr;      /* RECVFROM: where the source goes, SENDTO: the destination */
    socklen_t *alen; /* RECVFROM */
    ssize_t *ret;
};
_Static_assert(sizeof(struct msg_fr) <= CA__OP_FRAME_MAX, "the tool counts these as two op frames");

static ssize_t attempt(struct msg_fr *F)
{
    int fl = F->flags | MSG_DONTWAIT;
    ssize_t n;
    do {
        switch (F->kind) {
        case RECVFROM:
            n = recvfrom(F->fd, F->buf, F->len, fl, F->addr, F->alen);
            break;
        case SENDTO:
            n = sendto(F->fd, F->buf, F->len, fl, F->addr, F->tolen);
            break;
        case RECVMSG:
            n = recvmsg(F->fd, F->buf, fl);
            break;
        default:
            n = sendmsg(F->fd, F->buf, fl);
            break;
        }
    } while (n < 0 && errno == EINTR);
    if (n >= 0)
        return n;
    return errno == EWOULDBLOCK ? -EAGAIN : -errno;
}

/* Entered when an attempt has said EAGAIN: wait, try again, until it does not. */
static int msg_resume(ca_task *t, ca_frame *fr)
{
    struct msg_fr *F = (struct msg_fr *)fr;
    ssize_t n;
    if (F->state == 0)
        goto wait;
    for (;;) {
        if (F->r < 0) { /* the readiness wait failed: cancel, deadline, a bad fd */
            n = F->r;
            break;
        }
        n = attempt(F);
        if (n != -EAGAIN)
            break;
    wait:
        F->state = 1;
        int st = (F->kind == RECVFROM || F->kind == RECVMSG) ? ca_wait_readable__ca_start(t, &F->hdr, &F->r, F->fd)
                                                             : ca_wait_writable__ca_start(t, &F->hdr, &F->r, F->fd);
        if (st != CA_DONE)
            return st;
    }
    *F->ret = n;
    ca__frame_free(t, F);
    return CA_DONE;
}

static int msg_start(ca_task *t, ca_frame *parent, struct msg_fr *proto)
{
    int e = ca__check(ca__cur_loop, t);
    if (e) {
        *proto->ret = e;
        return CA_DONE;
    }
    ssize_t n = attempt(proto);
    if (n != -EAGAIN || (proto->flags & MSG_DONTWAIT)) { /* the common case: no frame at all */
        *proto->ret = n;
        return CA_DONE;
    }
    struct msg_fr *F = ca__frame_alloc(t, sizeof *F, _Alignof(struct msg_fr));
    *F = *proto;
    F->hdr.resume = msg_resume;
    F->hdr.parent = parent;
    return msg_resume(t, &F->hdr);
}

int ca_recvfrom__ca_start(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, void *buf, size_t len, int flags,
                          struct sockaddr *addr, socklen_t *alen)
{
    struct msg_fr p = {
        .kind = RECVFROM, .fd = fd, .flags = flags, .buf = buf, .len = len, .addr = addr, .alen = alen, .ret = ret};
    return msg_start(t, parent, &p);
}

int ca_sendto__ca_start(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, const void *buf, size_t len, int flags,
                        const struct sockaddr *addr, socklen_t alen)
{
    struct msg_fr p = {.kind = SENDTO,
                       .fd = fd,
                       .flags = flags,
                       .buf = (void *)buf,
                       .len = len,
                       .addr = (void *)addr,
                       .tolen = alen,
                       .ret = ret};
    return msg_start(t, parent, &p);
}

int ca_recvmsg__ca_start(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, struct msghdr *msg, int flags)
{
    struct msg_fr p = {.kind = RECVMSG, .fd = fd, .flags = flags, .buf = msg, .ret = ret};
    return msg_start(t, parent, &p);
}

int ca_sendmsg__ca_start(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, const struct msghdr *msg, int flags)
{
    struct msg_fr p = {.kind = SENDMSG, .fd = fd, .flags = flags, .buf = (void *)msg, .ret = ret};
    return msg_start(t, parent, &p);
}
