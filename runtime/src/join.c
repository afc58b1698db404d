/*
 * Joining tasks: ca_join, ca_join_all (gather) and ca_join_any (first-of).
 *
 * A task has at most one joiner (in the loop's side table, CA__T_JOINED).
 * When it ends, task.c's task_end hands it to the joiner: for ca_join it
 * releases it and wakes the joiner with its status; for ca_join_any it
 * calls ca__join_any_done.
 * ca_join_all joins its tasks one after another from an op frame.
 */
#include "internal.h"

static int status_of(ca_task *t)
{
    return (t->flags & CA__T_CANCELLED) ? -ECANCELED : 0;
}

/* 0 when `me` may join t. */
static int joinable(ca_task *me, ca_task *t)
{
    if (t == me)
        return -EDEADLK;
    if (!t || (t->flags & (CA__T_FREED | CA__T_DETACHED | CA__T_RUNOWNED)))
        return -EINVAL;
    if (t->flags & CA__T_JOINED)
        return -EBUSY;
    return 0;
}

static void cancel_detach(ca_task *t)
{
    ca_cancel(t);
    ca_detach(t);
}

int ca_join__ca_start(ca_task *me, ca_frame *parent, int *ret, ca_task *t)
{
    ca_loop *l = ca__cur_loop;
    int e = joinable(me, t);
    if (e) {
        *ret = e;
        return CA_DONE;
    }
    e = ca__check(l, me);
    if (e == -ECANCELED) {
        cancel_detach(t);
    } else if (t->flags & CA__T_DONE) {
        e = status_of(t);
        ca__task_release(l, t);
    } else if (!e && !(e = ca__joiner_put(l, t, me))) {
        e = ca__suspend(l, me, parent, ret, false, CA__W_JOIN);
        if (!e) {
            me->wait_obj = t;
            return CA_PENDING;
        }
        ca__joiner_put(l, t, NULL);
    }
    *ret = e;
    return CA_DONE;
}

/* ---------------------------------------------------------------- join_all */

struct join_all_op {
    ca_frame hdr;
    ca_task **tasks;
    size_t n, i;
    int *ret;
    int first; /* the first nonzero status */
    int res;   /* the current join's result */
};
_Static_assert(sizeof(struct join_all_op) <= CA__OP_FRAME_MAX, "abi.h bounds op frames");

/* Join tasks[i..n) in order; CA_PENDING when one has to be waited for. */
static int join_all_step(ca_loop *l, ca_task *me, struct join_all_op *op)
{
    for (; op->i < op->n; op->i++) {
        ca_task *t = op->tasks[op->i];
        if (!t)
            continue;
        if (!(t->flags & CA__T_DONE)) {
            int e = ca__joiner_put(l, t, me);
            if (!e) {
                e = ca__suspend(l, me, &op->hdr, &op->res, false, CA__W_JOIN);
                if (!e) {
                    me->wait_obj = t;
                    return CA_PENDING;
                }
                ca__joiner_put(l, t, NULL);
            }
            *op->ret = e;
            return CA_DONE;
        }
        if (!op->first)
            op->first = status_of(t);
        op->tasks[op->i] = NULL;
        ca__task_release(l, t);
    }
    *op->ret = op->first;
    return CA_DONE;
}

static int join_all_resume(ca_task *me, ca_frame *fr)
{
    struct join_all_op *op = (struct join_all_op *)fr;
    ca_loop *l = ca__cur_loop;
    int r;
    if (me->flags & CA__T_ABORTED) {
        me->flags &= (uint16_t)~CA__T_ABORTED;
        if (op->res == -ECANCELED) { /* the abort took tasks[i] down already */
            op->tasks[op->i] = NULL;
            for (size_t k = op->i + 1; k < op->n; k++) {
                if (op->tasks[k]) {
                    cancel_detach(op->tasks[k]);
                    op->tasks[k] = NULL;
                }
            }
        }
        *op->ret = op->res;
        r = CA_DONE;
    } else {
        /* tasks[i] ended and was released by task_end. */
        if (!op->first)
            op->first = op->res;
        op->tasks[op->i++] = NULL;
        r = join_all_step(l, me, op);
        if (r == CA_PENDING)
            return r;
    }
    ca__op_free(me, fr);
    return r;
}

int ca_join_all__ca_start(ca_task *me, ca_frame *parent, int *ret, ca_task **tasks, size_t n)
{
    ca_loop *l = ca__cur_loop;
    if (!tasks && n) {
        *ret = -EINVAL;
        return CA_DONE;
    }
    for (size_t i = 0; i < n; i++) {
        int e = tasks[i] ? joinable(me, tasks[i]) : 0;
        if (e) {
            *ret = e;
            return CA_DONE;
        }
    }
    int e = ca__check(l, me);
    if (e) {
        if (e == -ECANCELED) {
            for (size_t i = 0; i < n; i++) {
                if (tasks[i]) {
                    cancel_detach(tasks[i]);
                    tasks[i] = NULL;
                }
            }
        }
        *ret = e;
        return CA_DONE;
    }
    struct join_all_op *op = ca__op_alloc(me, sizeof *op, join_all_resume, parent);
    op->tasks = tasks;
    op->n = n;
    op->i = 0;
    op->ret = ret;
    op->first = 0;
    int r = join_all_step(l, me, op);
    if (r == CA_DONE)
        ca__op_free(me, &op->hdr);
    return r;
}

/* ---------------------------------------------------------------- join_any */

struct join_any_op {
    ca_frame hdr;
    ca_task **tasks;
    size_t n;
    int *status;
};
_Static_assert(sizeof(struct join_any_op) <= CA__OP_FRAME_MAX, "abi.h bounds op frames");

static int join_any_resume(ca_task *me, ca_frame *fr)
{
    struct join_any_op *op = (struct join_any_op *)fr;
    me->flags &= (uint16_t)~CA__T_ABORTED;
    ca__op_free(me, &op->hdr); /* the index (or the error) is written */
    return CA_DONE;
}

/* Join tasks[i], which has ended, for ca_join_any; returns i. */
static int take(ca_loop *l, struct join_any_op *op, size_t i)
{
    ca_task *t = op->tasks[i];
    if (op->status)
        *op->status = status_of(t);
    op->tasks[i] = NULL;
    ca__task_release(l, t);
    return (int)i;
}

void ca__join_any_done(ca_loop *l, ca_task *joiner, ca_task *child)
{
    struct join_any_op *op = (struct join_any_op *)joiner->wait_fr;
    size_t idx = 0;
    for (size_t i = 0; i < op->n; i++) {
        if (op->tasks[i] == child)
            idx = i;
        else if (op->tasks[i])
            ca__joiner_put(l, op->tasks[i], NULL);
    }
    ca__wake(l, joiner, take(l, op, idx));
}

void ca__join_any_abort(ca_loop *l, ca_task *t)
{
    struct join_any_op *op = (struct join_any_op *)t->wait_fr;
    for (size_t i = 0; i < op->n; i++)
        if (op->tasks[i])
            ca__joiner_put(l, op->tasks[i], NULL);
}

int ca_join_any__ca_start(ca_task *me, ca_frame *parent, int *ret, ca_task **tasks, size_t n, int *status)
{
    ca_loop *l = ca__cur_loop;
    int e = -EINVAL; /* unless some entry is joinable */
    for (size_t i = 0; tasks && i < n; i++) {
        if (!tasks[i])
            continue;
        e = joinable(me, tasks[i]);
        if (e)
            break;
    }
    if (!e)
        e = ca__check(l, me);
    if (e) {
        *ret = e;
        return CA_DONE;
    }
    struct join_any_op *op = ca__op_alloc(me, sizeof *op, join_any_resume, parent);
    op->tasks = tasks;
    op->n = n;
    op->status = status;
    for (size_t i = 0; i < n; i++) {
        if (tasks[i] && (tasks[i]->flags & CA__T_DONE)) {
            *ret = take(l, op, i);
            ca__op_free(me, &op->hdr);
            return CA_DONE;
        }
    }
    /* Room for every joiner first: once suspended, this must not fail. */
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += tasks[i] != NULL;
    e = ca__side_reserve(l, k);
    if (!e)
        e = ca__suspend(l, me, &op->hdr, ret, false, CA__W_JOIN_ANY);
    if (e) {
        ca__op_free(me, &op->hdr);
        *ret = e;
        return CA_DONE;
    }
    for (size_t i = 0; i < n; i++)
        if (tasks[i])
            ca__joiner_put(l, tasks[i], me);
    return CA_PENDING;
}
