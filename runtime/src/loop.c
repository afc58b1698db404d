/*
 * The event loop: one per thread, made on first use, reached through the
 * thread-local ca__cur_loop (the runtime's only global-looking state).
 *
 * One turn of the loop runs ready tasks in FIFO order (at most RUN_BUDGET of
 * them, so I/O and timers are not starved by tasks that keep yielding), then
 * polls epoll (without blocking when tasks are ready), then fires expired
 * timers and handles fd events and remote completions (eventfd).
 *
 * ca__run drives the loop until one task ends. When nothing can make progress
 * any more (no ready task, timer, fd wait or remote wait) while that task has
 * not ended, the task is stuck forever: ca__run cancels it so that it unwinds
 * through its own error paths instead of hanging the program.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define RUN_BUDGET 1024
#define MAX_EVENTS 128
/* Once TRIM_BYTES were freed, IDLE_MS without an event means load has dropped: give memory back. */
#define TRIM_BYTES (256 * 1024)
#define IDLE_MS 50

__thread ca_loop *ca__cur_loop;

static ca_loop *loop_new(void)
{
    ca_loop *l = ca__calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->epfd = epoll_create1(EPOLL_CLOEXEC);
    l->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (l->epfd < 0 || l->evfd < 0)
        goto fail;
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = l->evfd};
    if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->evfd, &ev) < 0)
        goto fail;
    if (pthread_mutex_init(&l->remote_mu, NULL) != 0)
        goto fail;
    l->now = ca__clock_ms();
    l->pool_size = 4;
    l->auxfd = -1;
    l->fd_check_at = CA__NEVER;
    return l;
fail:
    if (l->epfd >= 0)
        close(l->epfd);
    if (l->evfd >= 0)
        close(l->evfd);
    free(l);
    return NULL;
}

ca_loop *ca__loop(void)
{
    if (CA__UNLIKELY(!ca__cur_loop))
        ca__cur_loop = loop_new();
    return ca__cur_loop;
}

ca_loop *ca_loop_current(void)
{
    return ca__loop();
}

void ca_loop_stats(struct ca_loop_stats *st)
{
    ca_loop *l = ca__cur_loop;
    memset(st, 0, sizeof *st);
    if (!l)
        return;
    st->tasks = l->ntasks;
    for (ca_task *t = l->ready.tail; t;) {
        t = t->next;
        st->ready += t != ca__current(l); /* the running task stays in the ring */
        if (t == l->ready.tail)
            break;
    }
    st->timers = l->timed_waits;
    st->io_waits = l->io_waits;
    st->remote_waits = l->remote_waits;
    st->pool_threads = l->pool ? l->pool_size : 0;
}

int ca_loop_close(void)
{
    ca_loop *l = ca__cur_loop;
    if (!l)
        return 0;
    if (l->ntasks || l->running)
        return -EBUSY;
    ca__aux_free(l);  /* children killed by a cancel are reaped; signals given back */
    ca__pool_free(l); /* joins the threads: no completion can arrive after this */
    /* A resolver on another thread posts under remote_mu; take it once so
       that none is still inside its critical section when evfd closes. */
    pthread_mutex_lock(&l->remote_mu);
    pthread_mutex_unlock(&l->remote_mu);
    pthread_mutex_destroy(&l->remote_mu);
    ca__timers_free(&l->timers);
    ca__side_free(l);
    ca__io_free(l);
    ca__chunks_free(l);
    ca__slabs_free(l);
    close(l->epfd);
    close(l->evfd);
    free(l);
    ca__cur_loop = NULL;
    return 0;
}

void ca__remote_post(ca_loop *l, ca_future *f)
{
    static const uint64_t one = 1;
    assert(pthread_mutex_trylock(&l->remote_mu) == EBUSY); /* the caller holds it */
    f->next = l->remote_head;
    l->remote_head = f;
    /* The counter cannot overflow in practice; EAGAIN would mean a wake-up is pending anyway. */
    ssize_t r = write(l->evfd, &one, sizeof one);
    (void)r;
}

/*
 * The rest of abi.h's driver loop, for a turn of t that did not end in a
 * yield: fr returned r. Each frame that ends resumes its parent, until t
 * suspends or yields, or its first frame ends. Returns CA_YIELD when t
 * yielded after all (it is still first in the run queue, see run_ready),
 * otherwise t is out of it.
 */
static int finish_turn(ca_loop *l, ca_task *t, ca_frame *fr, int r)
{
    for (;; r = fr->resume(t, fr)) {
        if (r != CA_DONE)
            return r;
        /* fr has ended and freed itself, but its memory stays readable
           until the task's next allocation: freeing never releases the
           chunk that holds the freed frame (stack.c). Reading its parent
           only now keeps that load off the path of a yield. */
        ca_frame *parent = fr->parent;
        if (parent == (ca_frame *)t) { /* the task's first frame has ended */
            ca__ready_unlink(l, t);
            ca__task_end(l, t); /* may release t */
            return CA_DONE;
        }
        fr = parent;
    }
}

/*
 * Run up to RUN_BUDGET ready tasks, first to last. The task that runs stays
 * first in the run queue's ring (tasks made ready meanwhile go in behind the
 * tail), so a yield, the common switch, only makes it the tail. Any other
 * wait takes it out of the ring (ca__suspend), and so does its end.
 */
static void run_ready(ca_loop *l)
{
    if (!l->ready.tail)
        return;
    ca_task *t = l->ready.tail->next;
    l->in_tasks = true;
    for (int budget = RUN_BUDGET; budget > 0; budget--) {
        ca_frame *fr = t->wait_fr;
        int r = fr->resume(t, fr);
        /* A yield, cancelled task or not, goes to the back of the ring:
           a task that keeps yielding never starves the others, timers
           or I/O (its yield's result, -ECANCELED, is read on resume). */
        if (CA__LIKELY(r == CA_YIELD) || finish_turn(l, t, fr, r) == CA_YIELD) {
            l->ready.tail = t;
            t = t->next;
        } else if (l->ready.tail) {
            t = l->ready.tail->next;
        } else {
            break;
        }
    }
    l->in_tasks = false;
}

/* The poll timeout in ms: 0 when tasks are ready, -1 when no timer is pending. */
static int poll_timeout(ca_loop *l)
{
    uint64_t when;
    if (l->ready.tail)
        return 0;
    if (!ca__timers_min(&l->timers, &when))
        when = CA__NEVER;
    if (l->fd_check_at < when)
        when = l->fd_check_at;
    if (when == CA__NEVER)
        return -1;
    if (when <= l->now)
        return 0;
    uint64_t d = when - l->now;
    return d > 1000000 ? 1000000 : (int)d;
}

static void poll_once(ca_loop *l, int timeout)
{
    struct epoll_event ev[MAX_EVENTS];
    if (timeout == 0 && l->io_waits == 0 && l->remote_waits == 0) {
        /* No task waits on an fd, a future or the pool, so no event could
           wake anyone (a future is posted to the loop only while a task
           waits on it): skip the system call, as tasks that keep yielding
           would otherwise pay one every RUN_BUDGET switches. */
        l->now = ca__clock_ms();
        if (l->now >= l->fd_check_at)
            ca__io_check(l); /* none waits on an fd now: no check is due any more */
        ca__timers_run(l);
        return;
    }
    bool trim = timeout != 0 && l->freed_bytes >= TRIM_BYTES;
    if (trim && (timeout < 0 || timeout > IDLE_MS))
        timeout = IDLE_MS;
    int n = epoll_wait(l->epfd, ev, MAX_EVENTS, timeout);
    if (trim && n == 0)
        ca__mem_trim(l);
    l->now = ca__clock_ms();
    for (int i = 0; i < n; i++) {
        if (ev[i].data.fd == l->evfd)
            ca__remote_run(l);
        else if (ev[i].data.fd == l->auxfd)
            ca__aux_run(l);
        else
            ca__io_event(l, ev[i].data.fd, ev[i].events);
    }
    if (l->now >= l->fd_check_at)
        ca__io_check(l);
    ca__timers_run(l);
}

static bool stuck(ca_loop *l)
{
    /* Timers that end no wait (deadlines' timers kept armed between waits) do not count. */
    return !l->ready.tail && l->timed_waits == 0 && l->io_waits == 0 && l->remote_waits == 0;
}

int ca__run(ca_task *t)
{
    ca_loop *l = ca__cur_loop;
    if (!t || !l)
        return -EINVAL;
    if (l->running) {
        /* A nested ca_run (sync code called from a task) would re-enter the loop. */
        ca_detach(t);
        return -EBUSY;
    }
    l->running = 1;
    t->flags |= CA__T_RUNOWNED;
    while (!(t->flags & CA__T_DONE)) {
        l->now = ca__clock_ms();
        run_ready(l);
        if (t->flags & CA__T_DONE)
            break;
        if (stuck(l)) {
            if (t->flags & CA__T_CANCELLED) {
                /* Cancelled tasks never wait, so this cannot happen; do not spin. */
                l->running = 0;
                return -EDEADLK;
            }
            ca_cancel(t);
            continue;
        }
        poll_once(l, poll_timeout(l));
    }
    l->running = 0;
    int status = ca__end_status(t);
    ca__task_release(l, t);
    return status;
}

static __thread size_t shutdown_live; /* ca_loop_shutdown: tasks not ended, counted by the callbacks below */

static void cancel_live(ca_loop *l, ca_task *t)
{
    (void)l;
    if (!(t->flags & CA__T_DONE)) {
        ca_cancel(t);
        shutdown_live++;
    }
}

static void release_ended(ca_loop *l, ca_task *t)
{
    ca__task_release(l, t); /* every task has ended: nobody will join it now */
}

int ca_loop_shutdown(void)
{
    ca_loop *l = ca__cur_loop;
    if (!l)
        return 0;
    if (l->running)
        return -EBUSY;
    l->running = 1;
    for (;;) {
        /* Cancel what lives (tasks spawned while others unwind too), run the loop, until all has ended. */
        shutdown_live = 0;
        ca__tasks_each(l, cancel_live);
        if (!shutdown_live)
            break;
        if (!l->ready.tail) { /* cannot happen: cancelling a waiting task makes it ready */
            l->running = 0;
            return -EDEADLK;
        }
        l->now = ca__clock_ms();
        run_ready(l);
        poll_once(l, 0); /* no waiting: what waits now was spawned meanwhile and is cancelled next */
    }
    ca__tasks_each(l, release_ended);
    l->running = 0;
    return ca_loop_close();
}
