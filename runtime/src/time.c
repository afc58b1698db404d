/*
 * Time: the loop's millisecond clock, ca_sleep, per-task deadlines, and
 * firing the timers.
 *
 * A sleeping task's timer, in the sleep heap, fires at the end of the sleep
 * or at its deadline, whichever is first: the sleep ends with 0, or
 * -ETIMEDOUT if the deadline has passed.
 *
 * A deadline's timer, in the wait heap, is armed by the first wait the
 * deadline covers, and then stays armed (CA__T_ARMED) across the task's
 * waits and its moves of the deadline, lazily, as nginx's and Go's timers
 * do: a server sets a deadline and clears it around every read, a deadline
 * that is nearly always later than the one before. The entry holds the
 * deadline itself (the side table does not, while it is armed), so moving
 * it is a store: only a move to earlier than the entry's key re-keys it.
 * When the entry comes due before the deadline (the deadline moved later),
 * it is re-keyed to the deadline, and when the deadline has been cleared,
 * the entry goes. When the deadline has come, a wait it covers
 * (CA__T_TIMED) is aborted with -ETIMEDOUT, and the entry is parked at the
 * heap's far end, keeping the deadline, which ca_deadline_set returns
 * (every await of the task fails anyway until the deadline moves). So a
 * deadline fires at its time, never before; and a task that keeps moving
 * its deadline later pays one re-key per expiry of the old one instead of
 * a heap insertion and removal per wait.
 */
#include "internal.h"

#include <time.h>

uint64_t ca__clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t ca_now(void)
{
    ca_loop *l = ca__cur_loop;
    if (CA__LIKELY(l))
        return l->now;
    l = ca__loop();
    return l ? l->now : ca__clock_ms();
}

void ca__sleep_disarm(ca_loop *l, ca_task *t)
{
    assert(t->timer && t->wait == CA__W_SLEEP);
    ca__timers_del(&l->timers, t, true);
}

/* The key (ms) where a passed deadline's entry waits for the deadline to move: never reached. */
#define PARKED CA__NEVER

int ca__deadline_arm(ca_loop *l, ca_task *t)
{
    assert((t->flags & (CA__T_DEADLINE | CA__T_ARMED)) == CA__T_DEADLINE && !t->timer);
    uint64_t dl = ca__side_get(l, t)->deadline, old;
    int e = ca__timers_add(&l->timers, t, dl, false);
    if (e)
        return e;
    e = ca__deadline_put(l, t, CA__NEVER, &old); /* from now on the entry holds it */
    assert(!e);                                  /* t has its entry already: nothing to allocate */
    (void)e;
    t->flags |= CA__T_ARMED | CA__T_DEADLINE;
    return 0;
}

/* Take t's deadline out of its timer (the timer goes), back to the side table: 0 or -ENOMEM. */
static int deadline_unarm(ca_loop *l, ca_task *t)
{
    uint64_t dl = ca__timers_entry(&l->timers, t)->deadline, old;
    if (dl != CA__NEVER && ca__side_reserve(l, 1))
        return -ENOMEM;
    ca__timers_del(&l->timers, t, false);
    t->flags &= (uint16_t) ~(CA__T_ARMED | CA__T_DEADLINE);
    return ca__deadline_put(l, t, dl, &old); /* 0: the room is reserved */
}

void ca__deadline_disarm(ca_loop *l, ca_task *t)
{
    if (t->flags & CA__T_ARMED) {
        ca__timers_del(&l->timers, t, false);
        t->flags &= (uint16_t) ~(CA__T_ARMED | CA__T_DEADLINE);
    }
}

/* The lazy path: t's timer stays; only a deadline earlier than its key moves it. The old deadline. */
static inline uint64_t deadline_move(ca_loop *l, ca_task *t, uint64_t when)
{
    struct ca__timer *e = ca__timers_entry(&l->timers, t);
    uint64_t old = e->deadline;
    e->deadline = when;
    if (when == CA__NEVER) {
        t->flags &= (uint16_t)~CA__T_DEADLINE;
    } else {
        t->flags |= CA__T_DEADLINE;
        if (CA__UNLIKELY(when < e->key >> CA__KEY_SEQ_BITS))
            ca__timers_rekey(&l->timers, t, when);
    }
    return old;
}

/* A deadline's timer is due: re-key it, drop it, or fire it (see the top of this file). */
static void deadline_due(ca_loop *l, ca_task *t)
{
    uint64_t dl = ca__timers_entry(&l->timers, t)->deadline;
    if (dl == CA__NEVER) { /* cleared since */
        ca__timers_del(&l->timers, t, false);
        t->flags &= (uint16_t)~CA__T_ARMED;
    } else if (dl > l->now) { /* moved later since */
        ca__timers_rekey(&l->timers, t, dl);
    } else {
        ca__timers_rekey(&l->timers, t, PARKED);
        if (t->flags & CA__T_TIMED)
            ca__abort(l, t, -ETIMEDOUT);
    }
}

/* Out of line, so that ca__timers_run without timers is one test and no prologue. */
static __attribute__((noinline)) void timers_fire(ca_loop *l)
{
    uint64_t when;
    ca_task *t;
    while ((t = ca__timers_min(&l->timers, &when)) && when <= l->now) {
        if (t->wait == CA__W_SLEEP) /* a sleeper has no deadline's timer (ca_sleep) */
            ca__wake(l, t, ca__deadline(l, t) <= l->now ? -ETIMEDOUT : 0);
        else
            deadline_due(l, t);
    }
}

/* Fire the due timers (tasks that only yield come here every RUN_BUDGET switches). */
void ca__timers_run(ca_loop *l)
{
    if (l->timers.sleep.n | l->timers.wait.n)
        timers_fire(l);
}

int ca_sleep__ca_start(ca_task *t, ca_frame *parent, int *ret, uint64_t ms)
{
    ca_loop *l = ca__cur_loop;
    int e = ca__check(l, t);
    if (CA__UNLIKELY(e)) {
        *ret = e;
        return CA_DONE;
    }
    /* The task's one timer slot is the sleep's now: a deadline's timer gives it back. */
    if (CA__UNLIKELY(t->flags & CA__T_ARMED) && (e = deadline_unarm(l, t))) {
        *ret = e;
        return CA_DONE;
    }
    uint64_t when = ms > CA__NEVER - l->now ? CA__NEVER : l->now + ms;
    uint64_t dl = ca__deadline(l, t);
    /* Suspend first (it arms nothing for a sleep, so it cannot fail): the
       sleep's key takes the place of t->next, the run queue's link. */
    e = ca__suspend(l, t, parent, ret, false, CA__W_SLEEP);
    assert(!e);
    e = ca__timers_add(&l->timers, t, dl < when ? dl : when, true);
    if (CA__UNLIKELY(e)) {
        ca__unsuspend(l, t);
        *ret = e;
        return CA_DONE;
    }
    t->flags |= CA__T_TIMED;
    l->timed_waits++;
    return CA_PENDING;
}

/* ca_deadline_set of a task whose deadline's timer is not armed (out of line: the common case is armed). */
static __attribute__((noinline)) uint64_t deadline_set_slow(ca_loop *l, ca_task *t, uint64_t when)
{
    uint64_t old;
    if (ca__deadline_put(l, t, when, &old))
        t->flags |= CA__T_NOMEM; /* no error path here: the task's awaits report it (runtime.h) */
    return old;
}

uint64_t ca_deadline_set(uint64_t when)
{
    ca_loop *l = ca__cur_loop;
    ca_task *t = l ? ca__current(l) : NULL;
    if (!t)
        return CA_NEVER;
    if (!(t->flags & CA__T_ARMED))
        return deadline_set_slow(l, t, when);
    return deadline_move(l, t, when);
}

uint64_t ca_deadline_in(uint64_t ms)
{
    ca_task *t = ca_self();
    if (!t)
        return CA_NEVER;
    ca_loop *l = ca__cur_loop;
    uint64_t when = ms > CA__NEVER - l->now ? CA__NEVER : l->now + ms;
    uint64_t dl = ca__deadline(l, t);
    return ca_deadline_set(when < dl ? when : dl);
}
