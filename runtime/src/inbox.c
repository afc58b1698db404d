/*
 * Inboxes: a bounded FIFO that any thread posts into without ever blocking
 * (a full inbox refuses the element with -EAGAIN) and one task of one loop
 * receives from. For callbacks that fire many times from other threads
 * (progress, a library's event callback), where a ca_future fires once.
 *
 * A ring buffer under a mutex. A receiver that finds it empty waits on a
 * future embedded in the inbox: the poster that finds a waiter resolves it
 * (future.c then wakes the loop through its eventfd), so posting into an
 * inbox that nobody waits on costs a lock and a copy, and a burst of posts
 * wakes the loop once. The future is resolved and re-armed only under the
 * mutex, so its reuse never races with a poster. A resolved future may sit
 * in the loop's remote queue, and the woken task still has to read the
 * inbox: the receiver holds it (`receiving`, ca_inbox_free refuses) until
 * it has resumed, not only until a post resolves its future.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct ca_inbox {
    pthread_mutex_t mu;
    size_t cap, esize, head, count;
    bool closed;
    bool waiting;   /* fut is armed: the next post or the close resolves it */
    bool receiving; /* a task is in ca_inbox_recv's wait, from arming fut until it has resumed */
    ca_future fut;
    _Alignas(16) char buf[];
};

struct inbox_op {
    ca_frame hdr;
    unsigned state;
    ca_inbox *c;
    void *elem;
    int *ret;
    intptr_t r; /* the future's value: 1, or the wait's error */
};
_Static_assert(sizeof(struct inbox_op) <= CA__OP_FRAME_MAX, "abi.h bounds op frames");

ca_inbox *ca_inbox_new(size_t capacity, size_t elem_size)
{
    if (!capacity || !elem_size || elem_size > (SIZE_MAX - sizeof(ca_inbox)) / capacity)
        return NULL;
    ca_inbox *c = ca__calloc(1, sizeof *c + capacity * elem_size);
    if (!c)
        return NULL;
    if (pthread_mutex_init(&c->mu, NULL) != 0) {
        free(c);
        return NULL;
    }
    c->cap = capacity;
    c->esize = elem_size;
    return c;
}

/* Under c->mu: wake the waiting task, if any. */
static void wake_receiver(ca_inbox *c)
{
    if (c->waiting) {
        c->waiting = false;
        ca_future_resolve(&c->fut, 1);
    }
}

int ca_inbox_post(ca_inbox *c, const void *elem)
{
    if (!c || !elem)
        return -EINVAL;
    int r = 0;
    pthread_mutex_lock(&c->mu);
    if (c->closed)
        r = -EPIPE;
    else if (c->count == c->cap)
        r = -EAGAIN;
    else {
        memcpy(c->buf + (c->head + c->count++) % c->cap * c->esize, elem, c->esize);
        wake_receiver(c);
    }
    pthread_mutex_unlock(&c->mu);
    return r;
}

void ca_inbox_close(ca_inbox *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    c->closed = true;
    wake_receiver(c);
    pthread_mutex_unlock(&c->mu);
}

int ca_inbox_free(ca_inbox *c)
{
    if (!c)
        return 0;
    pthread_mutex_lock(&c->mu);
    bool busy = c->receiving;
    pthread_mutex_unlock(&c->mu);
    if (busy)
        return -EBUSY;
    pthread_mutex_destroy(&c->mu);
    free(c);
    return 0;
}

/*
 * Take an element, or arm the future for a wait: 0, -EPIPE (closed and
 * drained), -EBUSY (another task waits), or 1 (armed).
 */
static int take_or_arm(ca_inbox *c, void *elem)
{
    int r;
    pthread_mutex_lock(&c->mu);
    if (c->count) {
        memcpy(elem, c->buf + c->head * c->esize, c->esize);
        c->head = (c->head + 1) % c->cap;
        c->count--;
        r = 0;
    } else if (c->closed) {
        r = -EPIPE;
    } else if (c->receiving) {
        r = -EBUSY;
    } else {
        ca_future_init(&c->fut);
        c->waiting = c->receiving = true;
        r = 1;
    }
    pthread_mutex_unlock(&c->mu);
    return r;
}

int ca_inbox_try_recv(ca_inbox *c, void *elem)
{
    if (!c || !elem)
        return -EINVAL;
    int r;
    pthread_mutex_lock(&c->mu);
    if (c->receiving)
        r = -EBUSY;
    else if (c->count) {
        memcpy(elem, c->buf + c->head * c->esize, c->esize);
        c->head = (c->head + 1) % c->cap;
        c->count--;
        r = 0;
    } else
        r = c->closed ? -EPIPE : -EAGAIN;
    pthread_mutex_unlock(&c->mu);
    return r;
}

static int inbox_resume(ca_task *t, ca_frame *fr)
{
    struct inbox_op *op = (struct inbox_op *)fr;
    int r;
    for (;;) {
        if (op->state == 1) { /* back from the future: 1, or the wait's error */
            pthread_mutex_lock(&op->c->mu);
            op->c->waiting = false; /* already, unless the wait was aborted */
            op->c->receiving = false;
            pthread_mutex_unlock(&op->c->mu);
            if (op->r != 1) {
                r = (int)op->r;
                break;
            }
        }
        r = take_or_arm(op->c, op->elem);
        if (r != 1)
            break;
        op->state = 1;
        int st = ca_future_wait__ca_start(t, &op->hdr, &op->r, &op->c->fut);
        if (st != CA_DONE)
            return st;
    }
    *op->ret = r;
    ca__op_free(t, fr);
    return CA_DONE;
}

int ca_inbox_recv__ca_start(ca_task *t, ca_frame *parent, int *ret, ca_inbox *c, void *elem)
{
    int e = ca__check(ca__cur_loop, t);
    if (!e && (!c || !elem))
        e = -EINVAL;
    if (e) {
        *ret = e;
        return CA_DONE;
    }
    int r = take_or_arm(c, elem); /* the fast path: an element is there, no frame */
    if (r != 1) {
        *ret = r;
        return CA_DONE;
    }
    struct inbox_op *op = ca__op_alloc(t, sizeof *op, inbox_resume, parent);
    op->state = 1;
    op->c = c;
    op->elem = elem;
    op->ret = ret;
    int st = ca_future_wait__ca_start(t, &op->hdr, &op->r, &c->fut);
    if (st != CA_DONE)
        return st;
    return inbox_resume(t, &op->hdr);
}
