/*
 * Futures: a value resolved once, from any thread, that one task awaits.
 *
 * f->state goes EMPTY -> RESOLVED (resolved before anyone waited), or
 * EMPTY -> WAITING (a task waits; f->loop and f->waiter are set before the
 * transition is published) -> RESOLVED, or back WAITING -> EMPTY when the
 * wait is aborted (cancel, deadline). f->claimed makes a second resolve fail.
 *
 * WAITING -> RESOLVED and WAITING -> EMPTY both happen under the waiter
 * loop's remote_mu, and the resolver posts f to that loop's remote queue
 * (and writes its eventfd) inside the same critical section, so an aborted
 * wait can always find and withdraw a posted future, and a resolver never
 * touches f or the loop after it unlocks. A resolver running on the waiter's
 * own loop thread wakes the task directly.
 */
#include "internal.h"

#include <string.h>
#include <unistd.h>

enum { EMPTY, WAITING, RESOLVED };

void ca_future_init(ca_future *f)
{
    memset(f, 0, sizeof *f);
}

static void deliver(ca_loop *l, ca_future *f)
{
    ca_task *t = f->waiter;
    assert(t && t->wait_obj == f);
    int kind = t->wait;
    f->waiter = NULL;
    l->remote_waits--;
    ca__wake(l, t, f->value);
    if (kind == CA__W_BLOCKING)
        ca__blocking_done(f);
}

int ca_future_resolve(ca_future *f, intptr_t v)
{
    if (!f)
        return -EINVAL;
    if (__atomic_exchange_n(&f->claimed, 1, __ATOMIC_ACQ_REL))
        return -EALREADY;
    f->value = v;
    for (;;) {
        int s = EMPTY;
        if (__atomic_compare_exchange_n(&f->state, &s, RESOLVED, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            return 0;
        /* s == WAITING: f->loop was written before WAITING was published. */
        ca_loop *l = f->loop;
        pthread_mutex_lock(&l->remote_mu);
        s = WAITING;
        if (__atomic_compare_exchange_n(&f->state, &s, RESOLVED, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            if (ca__cur_loop == l)
                deliver(l, f);
            else
                ca__remote_post(l, f);
            pthread_mutex_unlock(&l->remote_mu);
            return 0;
        }
        pthread_mutex_unlock(&l->remote_mu); /* the wait was withdrawn: try again */
    }
}

int ca__future_wait(ca_loop *l, ca_task *t, ca_frame *parent, intptr_t *ret, ca_future *f, int kind)
{
    int s = __atomic_load_n(&f->state, __ATOMIC_ACQUIRE);
    if (s != EMPTY) {
        *ret = s == RESOLVED ? f->value : -EBUSY;
        return CA_DONE;
    }
    int e = ca__suspend(l, t, parent, ret, true, kind);
    if (e) {
        *ret = e;
        return CA_DONE;
    }
    f->loop = l;
    f->waiter = t;
    if (!__atomic_compare_exchange_n(&f->state, &s, WAITING, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        /* Resolved in the meantime by another thread. */
        f->waiter = NULL;
        ca__unsuspend(l, t);
        *ret = f->value;
        return CA_DONE;
    }
    t->wait_obj = f; /* only this thread reads it (deliver, abort) */
    l->remote_waits++;
    return CA_PENDING;
}

int ca_future_wait__ca_start(ca_task *t, ca_frame *parent, intptr_t *ret, ca_future *f)
{
    ca_loop *l = ca__cur_loop;
    int e = ca__check(l, t);
    if (e || !f) {
        *ret = e ? e : -EINVAL;
        return CA_DONE;
    }
    return ca__future_wait(l, t, parent, ret, f, CA__W_FUTURE);
}

void ca__future_abort(ca_loop *l, ca_task *t)
{
    ca_future *f = t->wait_obj;
    int kind = t->wait;
    pthread_mutex_lock(&l->remote_mu);
    int s = WAITING;
    if (!__atomic_compare_exchange_n(&f->state, &s, EMPTY, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        /* Resolved and posted, not yet delivered: withdraw it. */
        for (ca_future **p = &l->remote_head; *p; p = &(*p)->next) {
            if (*p == f) {
                *p = f->next;
                break;
            }
        }
    }
    pthread_mutex_unlock(&l->remote_mu);
    f->waiter = NULL;
    l->remote_waits--;
    if (kind == CA__W_BLOCKING)
        ca__blocking_done(f);
}

void ca__remote_run(ca_loop *l)
{
    uint64_t n;
    ssize_t r = read(l->evfd, &n, sizeof n); /* reset the counter; EAGAIN is fine */
    (void)r;
    pthread_mutex_lock(&l->remote_mu);
    ca_future *list = l->remote_head;
    l->remote_head = NULL;
    pthread_mutex_unlock(&l->remote_mu);
    ca_future *fifo = NULL; /* posted newest first: reverse */
    while (list) {
        ca_future *next = list->next;
        list->next = fifo;
        fifo = list;
        list = next;
    }
    while (fifo) {
        ca_future *next = fifo->next;
        deliver(l, fifo);
        fifo = next;
    }
}
