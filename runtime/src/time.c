/*
 * Time: the loop's millisecond clock, ca_sleep, per-task deadlines, and
 * firing the timers.
 *
 * A task has at most one timer. A sleeping task's timer, in the sleep heap,
 * fires at the end of the sleep or at its deadline, whichever is first; a
 * task in any other wait has a timer, in the wait heap, only when it has a
 * deadline. When a timer fires, a sleep ends with 0 (or -ETIMEDOUT if the
 * deadline has passed) and any other wait is aborted with -ETIMEDOUT.
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
    ca_loop *l = ca__loop();
    return l ? l->now : ca__clock_ms();
}

int ca__timer_arm(ca_loop *l, ca_task *t, uint64_t when, bool sleep)
{
    return ca__timers_add(&l->timers, t, when, sleep);
}

void ca__timer_disarm(ca_loop *l, ca_task *t)
{
    assert(t->timer);
    ca__timers_del(&l->timers, t, t->wait == CA__W_SLEEP);
}

/* Out of line, so that ca__timers_run without timers is one test and no prologue. */
static __attribute__((noinline)) void timers_fire(ca_loop *l)
{
    uint64_t when;
    ca_task *t;
    while ((t = ca__timers_min(&l->timers, &when)) && when <= l->now) {
        if (t->wait == CA__W_SLEEP)
            ca__wake(l, t, ca__deadline(l, t) <= l->now ? -ETIMEDOUT : 0);
        else
            ca__abort(l, t, -ETIMEDOUT);
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
    uint64_t when = ms > CA__NEVER - l->now ? CA__NEVER : l->now + ms;
    uint64_t dl = ca__deadline(l, t);
    /* Suspend first (it arms nothing for a sleep, so it cannot fail): the
       sleep's key takes the place of t->next, the run queue's link. */
    ca__suspend(l, t, parent, ret, false, CA__W_SLEEP);
    e = ca__timer_arm(l, t, dl < when ? dl : when, true);
    if (CA__UNLIKELY(e)) {
        ca__unsuspend(l, t);
        *ret = e;
        return CA_DONE;
    }
    return CA_PENDING;
}

uint64_t ca_deadline_set(uint64_t when)
{
    ca_task *t = ca_self();
    if (!t)
        return CA_NEVER;
    uint64_t old;
    if (ca__deadline_put(ca__cur_loop, t, when, &old))
        t->flags |= CA__T_NOMEM; /* no error path here: the task's awaits report it (runtime.h) */
    return old;
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
