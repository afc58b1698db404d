/*
 * Semaphores, mutexes and events between the tasks of one loop, and the
 * wait queues that they and channels wait in.
 *
 * All three are a count or flag plus a FIFO wait queue, and wake waiters by
 * hand-off: a released unit goes straight to the oldest waiter (the count
 * stays), so a task that arrives later cannot barge ahead of it. A waiting
 * task waits through a small op frame that names the queue, so that an
 * abort (cancel, deadline) can take it out; its result (0, or the abort's
 * error) is written into the caller's slot by whoever ends the wait. A
 * mutex is a semaphore of one unit.
 */
#include "internal.h"

#include <limits.h>

int ca__qop_resume(ca_task *t, ca_frame *fr)
{
    ca__op_free(t, fr);
    return CA_DONE;
}

int ca__queue_wait(ca_task *t, struct ca__qop *op, int *ret, struct ca_waitq_ *q)
{
    op->q = q;
    int e = ca__suspend(ca__cur_loop, t, &op->hdr, ret, false, CA__W_QUEUE);
    if (e) {
        ca__op_free(t, &op->hdr);
        *ret = e;
        return CA_DONE;
    }
    ca__waitq_push(q, t);
    return CA_PENDING;
}

void ca__queue_abort(ca_loop *l, ca_task *t)
{
    (void)l;
    struct ca_waitq_ *q = ((struct ca__qop *)t->wait_fr)->q;
    ca_task *prev = NULL, *p = q->head;
    while (p != t) { /* t is in q: its wait is CA__W_QUEUE */
        prev = p;
        p = p->next;
    }
    if (prev)
        prev->next = t->next;
    else
        q->head = t->next;
    if (q->tail == t)
        q->tail = prev; /* meaningless when head is NULL */
}

/* Wait in q with a bare op frame. */
static int queue_wait(ca_task *t, ca_frame *parent, int *ret, struct ca_waitq_ *q)
{
    struct ca__qop *op = ca__op_alloc(t, sizeof *op, ca__qop_resume, parent);
    return ca__queue_wait(t, op, ret, q);
}

int ca_sem_init(ca_sem *s, long n)
{
    if (!s || n < 0)
        return -EINVAL;
    s->count = n;
    s->q.head = s->q.tail = NULL;
    return 0;
}

int ca_sem_acquire__ca_start(ca_task *t, ca_frame *parent, int *ret, ca_sem *s)
{
    int e = ca__check(ca__cur_loop, t);
    if (!e && !s)
        e = -EINVAL;
    if (!e && s->count > 0) {
        s->count--;
        e = 0;
    } else if (!e) {
        return queue_wait(t, parent, ret, &s->q);
    }
    *ret = e;
    return CA_DONE;
}

int ca_sem_try_acquire(ca_sem *s)
{
    if (!s)
        return -EINVAL;
    if (s->count == 0)
        return -EAGAIN;
    s->count--;
    return 0;
}

int ca_sem_release(ca_sem *s)
{
    if (!s)
        return -EINVAL;
    ca_task *t = ca__waitq_pop(&s->q);
    if (t) {
        ca__wake(ca__cur_loop, t, 0);
        return 0;
    }
    if (s->count == LONG_MAX)
        return -EOVERFLOW;
    s->count++;
    return 0;
}

void ca_mutex_init(ca_mutex *m)
{
    ca_sem_init(&m->sem, 1);
}

int ca_mutex_lock__ca_start(ca_task *t, ca_frame *parent, int *ret, ca_mutex *m)
{
    return ca_sem_acquire__ca_start(t, parent, ret, m ? &m->sem : NULL);
}

int ca_mutex_trylock(ca_mutex *m)
{
    int e = ca_sem_try_acquire(m ? &m->sem : NULL);
    return e == -EAGAIN ? -EBUSY : e;
}

int ca_mutex_unlock(ca_mutex *m)
{
    if (!m)
        return -EINVAL;
    if (m->sem.count > 0)
        return -EPERM;
    return ca_sem_release(&m->sem);
}

void ca_event_init(ca_event *e)
{
    e->set = 0;
    e->q.head = e->q.tail = NULL;
}

void ca_event_set(ca_event *e)
{
    if (!e)
        return;
    e->set = 1;
    ca_task *t;
    while ((t = ca__waitq_pop(&e->q)))
        ca__wake(ca__cur_loop, t, 0);
}

void ca_event_clear(ca_event *e)
{
    if (e)
        e->set = 0;
}

int ca_event_wait__ca_start(ca_task *t, ca_frame *parent, int *ret, ca_event *e)
{
    int err = ca__check(ca__cur_loop, t);
    if (!err && !e)
        err = -EINVAL;
    if (!err && !e->set)
        return queue_wait(t, parent, ret, &e->q);
    *ret = err;
    return CA_DONE;
}
