/*
 * Tasks: creation and release, and the one place where waits begin
 * (ca__suspend) and end (ca__wake, ca__abort). Also ca_cancel, ca_detach,
 * ca_self, and tasks that keep their value (ca__task_new_kept) for
 * ca_join_value or for their group.
 *
 * A task's life: ca__task_new -> ca__task_start (in the run queue, lazily
 * started) -> runs and waits any number of times -> ends (CA__T_DONE) ->
 * released by ca_join, ca__run, or at once when detached. The driver loop
 * that resumes a task's frames is loop.c's run_ready.
 *
 * Invariants: a task is in at most one of the run queue, a wait queue, the
 * fd table, a future; `wait` says which. A waiting task has its frame to
 * resume in wait_fr and its result slot in wait_ret; whoever ends the wait
 * writes the result (unless the wait's op frame computes it on resume) and
 * pushes the task to the back of the run queue. A yield is the cheapest
 * wait: ca_yield (inline, runtime.h) only records where to resume, and the
 * driver (loop.c), getting CA_YIELD from the task's frames, moves the task
 * to the back of the run queue. A yielded task waits for nothing (its wait
 * stays CA__W_READY): its result is computed when it resumes.
 */
#include "internal.h"

ca_task *ca__task_new(ca_task *spawner, size_t frame_bytes)
{
    (void)spawner; /* a spawner runs on this thread's loop too */
    ca_loop *l = ca__loop();
    if (!l)
        return NULL;
    ca_task *t = ca__task_alloc(l, frame_bytes);
    if (t)
        l->ntasks++;
    return t;
}

/*
 * The result record goes first on the fresh task's stack: at the base of
 * the inline chunk, which always has room for it (slot_size: any task has
 * CA__SLOT_DEFAULT's stack or frame_bytes, and frame_bytes counts it).
 */
_Static_assert(CA__SLOT_DEFAULT - sizeof(struct ca_task) >= sizeof(struct ca__member), "a record fits any slot");

static ca_task *new_kept(ca_task *spawner, size_t frame_bytes, size_t head, size_t size, size_t align, void **value)
{
    if (frame_bytes)
        frame_bytes += head + ((size + 7) & ~(size_t)7) + (align > 8 ? align - 8 : 0);
    ca_task *t = ca__task_new(spawner, frame_bytes);
    if (!t)
        return NULL;
    struct ca__kept *k = ca__frame_alloc(t, head, 8);
    k->value = size ? ca__frame_alloc(t, size, align) : NULL;
    k->size = (uint32_t)size;
    k->neg_fails = 0;
    t->flags |= CA__T_KEPT;
    *value = k->value;
    return t;
}

ca_task *ca__task_new_kept(ca_task *spawner, size_t frame_bytes, size_t size, size_t align, void **value)
{
    return new_kept(spawner, frame_bytes, sizeof(struct ca__kept), size, align, value);
}

ca_task *ca__group_task_new(ca_group *g, ca_task *spawner, size_t frame_bytes, size_t size, size_t align,
                            int negative_fails, void **value)
{
    if (!g || g->state != CA__G_OPEN)
        return NULL;
    ca_task *t = new_kept(spawner, frame_bytes, sizeof(struct ca__member), size, align, value);
    if (t) {
        ca__kept(t)->neg_fails = negative_fails != 0;
        ca__group_add(g, t);
    }
    return t;
}

ca_frame *ca__task_root(ca_task *t)
{
    return (ca_frame *)t; /* a unique address that is never resumed */
}

void ca__task_start(ca_task *t, ca_frame *first)
{
    t->wait_fr = first;
    t->wait = CA__W_READY;
    ca__ready_push(ca__cur_loop, t);
}

void ca__task_release(ca_loop *l, ca_task *t)
{
    ca__stack_reset(t);
    ca__deadline_disarm(l, t); /* a deadline it never reset */
    ca__side_drop(l, t);
    ca__task_free(l, t);
    l->ntasks--;
}

void ca__task_end(ca_loop *l, ca_task *t)
{
    t->flags |= CA__T_DONE;
    if (t->flags & CA__T_GROUP) {
        ca__group_task_end(l, t);
        return;
    }
    ca_task *j = ca__joiner_take(l, t);
    if (j) {
        if (j->wait == CA__W_JOIN) {
            int st = ca__end_status(t);
            ca__task_release(l, t);
            ca__wake(l, j, st);
        } else if (j->wait == CA__W_JOIN_VALUE) {
            ca__join_value_done(l, j, t);
        } else {
            ca__join_any_done(l, j, t);
        }
    } else if (t->flags & CA__T_DETACHED) {
        ca__task_release(l, t);
    }
}

void ca__unsuspend(ca_loop *l, ca_task *t)
{
    if (t->flags & CA__T_TIMED)
        ca__untime(l, t);
    t->wait = CA__W_READY;
    /* Back in the run queue, and first again: nothing ran in between. */
    ca_task *tail = l->ready.tail;
    ca__ready_push(l, t);
    if (tail)
        l->ready.tail = tail;
}

void ca__abort(ca_loop *l, ca_task *t, int err)
{
    switch (t->wait) {
    case CA__W_NONE:
    case CA__W_READY:
        return; /* nothing pending: the result is already delivered, or a yield computes it */
    case CA__W_SLEEP:
        break;
    case CA__W_IO:
        ca__io_abort(l, t);
        break;
    case CA__W_QUEUE:
        ca__queue_abort(l, t);
        break;
    case CA__W_GROUP_DRAIN:
        return; /* it waits for its group's members, whatever happens to it */
    case CA__W_GROUP:
        break; /* its op frame cancels the group and waits on (group.c) */
    case CA__W_JOIN:
    case CA__W_JOIN_VALUE: {
        ca_task *child = t->wait_obj;
        ca__joiner_put(l, child, NULL);
        if (err == -ECANCELED) { /* a cancelled joiner takes its child down with it */
            ca_cancel(child);
            ca_detach(child);
        }
        break;
    }
    case CA__W_JOIN_ANY:
        ca__join_any_abort(l, t);
        break;
    case CA__W_FUTURE:
    case CA__W_BLOCKING:
        ca__future_abort(l, t);
        break;
    case CA__W_OP:
        ((struct ca__wop *)t->wait_fr)->abort(l, t);
        l->remote_waits--; /* aux.c counts these waits */
        break;
    }
    t->flags |= CA__T_ABORTED;
    ca__wake(l, t, err);
}

int ca_cancel(ca_task *t)
{
    if (!t || (t->flags & CA__T_FREED))
        return -EINVAL;
    if (t->flags & CA__T_DONE)
        return -ESRCH;
    t->flags |= CA__T_CANCELLED;
    ca__abort(ca__cur_loop, t, -ECANCELED);
    return 0;
}

int ca_detach(ca_task *t)
{
    if (!t)
        return -ENOMEM; /* ca_detach(ca_spawn(...)) of a spawn that failed */
    if (t->flags & (CA__T_FREED | CA__T_DETACHED | CA__T_RUNOWNED))
        return -EINVAL;
    if (t->flags & CA__T_JOINED)
        return -EBUSY;
    if (t->flags & CA__T_DONE)
        ca__task_release(ca__cur_loop, t);
    else
        t->flags |= CA__T_DETACHED;
    return 0;
}

int ca__yield_error(ca_task *t)
{
    return ca__check(ca__cur_loop, t);
}

ca_task *ca_self(void)
{
    return ca__cur_loop ? ca__current(ca__cur_loop) : NULL;
}
