/*
 * Time: the loop's millisecond clock, ca_sleep, per-task deadlines, and
 * firing the timer heap.
 *
 * A task has at most one timer. A sleeping task's timer fires at the end of
 * the sleep or at its deadline, whichever is first; a task in any other wait
 * has a timer only when it has a deadline. When a timer fires, a sleep ends
 * with 0 (or -ETIMEDOUT if the deadline has passed) and any other wait is
 * aborted with -ETIMEDOUT.
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

int ca__timer_arm(ca_loop *l, ca_task *t, uint64_t when)
{
    return ca__heap_insert(&l->timers, t, when);
}

void ca__timer_disarm(ca_loop *l, ca_task *t)
{
    ca__heap_remove(&l->timers, t);
}

void ca__timers_run(ca_loop *l)
{
    uint64_t when;
    ca_task *t;
    while ((t = ca__heap_min(&l->timers, &when)) && when <= l->now) {
        if (t->wait == CA__W_SLEEP)
            ca__wake(l, t, t->deadline <= l->now ? -ETIMEDOUT : 0);
        else
            ca__abort(l, t, -ETIMEDOUT);
    }
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
    if (t->deadline < when)
        when = t->deadline;
    e = ca__timer_arm(l, t, when);
    if (CA__UNLIKELY(e)) {
        *ret = e;
        return CA_DONE;
    }
    ca__suspend(l, t, parent, ret, false, CA__W_SLEEP, NULL);
    return CA_PENDING;
}

uint64_t ca_deadline_set(uint64_t when)
{
    ca_task *t = ca_self();
    if (!t)
        return CA_NEVER;
    uint64_t old = t->deadline;
    t->deadline = when;
    if (when != CA__NEVER)
        t->flags |= CA__T_DEADLINE;
    else
        t->flags &= (uint16_t)~CA__T_DEADLINE;
    return old;
}

uint64_t ca_deadline_in(uint64_t ms)
{
    ca_task *t = ca_self();
    if (!t)
        return CA_NEVER;
    uint64_t now = ca__cur_loop->now;
    uint64_t when = ms > CA__NEVER - now ? CA__NEVER : now + ms;
    return ca_deadline_set(when < t->deadline ? when : t->deadline);
}
