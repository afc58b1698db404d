/*
 * Bounded channels between the tasks of one loop.
 *
 * A ring buffer of `cap` elements plus two FIFO wait queues. Invariants:
 * receivers wait only while the buffer is empty and senders only while it
 * is full (for cap 0: always, until a partner arrives); a waiting task's
 * wait_fr is a chan_op frame holding its queue and its element pointer, so
 * a partner copies straight into (or out of) the waiter's element and
 * wakes it with 0. A woken op frame never touches the channel again, which
 * is what lets ca_chan_free wake its waiters with -EPIPE and free at once.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct ca_chan {
    size_t cap, esize;
    size_t head, count;
    int closed;
    struct ca_waitq_ sendq, recvq;
    _Alignas(16) char buf[];
};

struct chan_op {
    struct ca__qop qop; /* first: sync.c's queue waits */
    void *elem;
};
_Static_assert(sizeof(struct chan_op) <= CA__OP_FRAME_MAX, "abi.h bounds op frames");

ca_chan *ca_chan_new(size_t capacity, size_t elem_size)
{
    if (elem_size == 0 || (capacity && elem_size > (SIZE_MAX - sizeof(ca_chan)) / capacity))
        return NULL;
    ca_chan *c = ca__calloc(1, sizeof *c + capacity * elem_size);
    if (c) {
        c->cap = capacity;
        c->esize = elem_size;
    }
    return c;
}

static void *slot(ca_chan *c, size_t i)
{
    return c->buf + ((c->head + i) % c->cap) * c->esize;
}

static void *waiter_elem(ca_task *t)
{
    return ((struct chan_op *)t->wait_fr)->elem;
}

/* The partner (or close, cancel) writes the result; the op frame just pops. */
static int chan_wait(ca_task *t, ca_frame *parent, int *ret, struct ca_waitq_ *q, void *elem)
{
    struct chan_op *op = ca__op_alloc(t, sizeof *op, ca__qop_resume, parent);
    op->elem = elem;
    return ca__queue_wait(t, &op->qop, ret, q);
}

int ca_chan_send__ca_start(ca_task *t, ca_frame *parent, int *ret, ca_chan *c, const void *elem)
{
    ca_loop *l = ca__cur_loop;
    int e = ca__check(l, t);
    if (!e && !c)
        e = -EINVAL;
    if (!e && c->closed)
        e = -EPIPE;
    if (e) {
        *ret = e;
        return CA_DONE;
    }
    ca_task *r = ca__waitq_pop(&c->recvq);
    if (r) {
        memcpy(waiter_elem(r), elem, c->esize);
        ca__wake(l, r, 0);
    } else if (c->count < c->cap) {
        memcpy(slot(c, c->count++), elem, c->esize);
    } else {
        return chan_wait(t, parent, ret, &c->sendq, (void *)elem);
    }
    *ret = 0;
    return CA_DONE;
}

int ca_chan_recv__ca_start(ca_task *t, ca_frame *parent, int *ret, ca_chan *c, void *elem)
{
    ca_loop *l = ca__cur_loop;
    int e = ca__check(l, t);
    if (!e && !c)
        e = -EINVAL;
    if (e) {
        *ret = e;
        return CA_DONE;
    }
    ca_task *s = ca__waitq_pop(&c->sendq);
    if (c->count > 0) {
        memcpy(elem, slot(c, 0), c->esize);
        c->head = (c->head + 1) % c->cap;
        c->count--;
        if (s) { /* the oldest waiting sender takes the freed slot */
            memcpy(slot(c, c->count++), waiter_elem(s), c->esize);
            ca__wake(l, s, 0);
        }
    } else if (s) { /* rendezvous */
        memcpy(elem, waiter_elem(s), c->esize);
        ca__wake(l, s, 0);
    } else if (c->closed) {
        *ret = -EPIPE;
        return CA_DONE;
    } else {
        return chan_wait(t, parent, ret, &c->recvq, elem);
    }
    *ret = 0;
    return CA_DONE;
}

void ca_chan_close(ca_chan *c)
{
    if (!c || c->closed)
        return;
    ca_loop *l = ca__cur_loop;
    c->closed = 1;
    ca_task *t;
    while ((t = ca__waitq_pop(&c->recvq)))
        ca__wake(l, t, -EPIPE);
    while ((t = ca__waitq_pop(&c->sendq)))
        ca__wake(l, t, -EPIPE);
}

void ca_chan_free(ca_chan *c)
{
    ca_chan_close(c);
    free(c);
}
