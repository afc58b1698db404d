/*
 * Joining tasks: ca_join, ca_join_all (gather) and ca_join_any (first-of),
 * and their forms that also take the tasks' values (ca_join_value,
 * ca_join_all_values, ca_join_any_value).
 *
 * A task has at most one joiner (in the loop's side table, CA__T_JOINED).
 * When it ends, task.c's task_end hands it to the joiner: for ca_join it
 * releases it and wakes the joiner with its status; for a join that takes
 * values (CA__W_JOIN_VALUE: the joiner waits in an op frame beginning with
 * struct value_op) ca__join_value_done copies the value out first; for
 * ca_join_any it calls ca__join_any_done.
 * ca_join_all joins its tasks one after another from an op frame.
 *
 * A value is copied only from a task that ended uncancelled: a cancelled
 * task reports -ECANCELED and its joiner's variable is left alone.
 */
#include "internal.h"

#include <string.h>

/* 0 when t keeps a value of `size` bytes (0: size unchecked). */
static int has_value(ca_task *t, size_t size)
{
    if (!(t->flags & CA__T_KEPT) || !ca__kept(t)->size)
        return -EINVAL;
    return size && size != ca__kept(t)->size ? -EINVAL : 0;
}

/* The status of t, which has ended; its value goes to out (when not NULL) unless it was cancelled. */
static int take_value(ca_task *t, void *out)
{
    int st = ca__end_status(t);
    if (!st && out)
        memcpy(out, ca__kept(t)->value, ca__kept(t)->size);
    return st;
}

/* The start of the op frame of a join waiting in CA__W_JOIN_VALUE. */
struct value_op {
    ca_frame hdr;
    void *out; /* where the value goes, or NULL */
    int res;   /* the join's status (the wait's result) */
    int first; /* ca_join_all's first nonzero status (in what would be padding) */
};

void ca__join_value_done(ca_loop *l, ca_task *joiner, ca_task *child)
{
    struct value_op *op = (struct value_op *)joiner->wait_fr;
    int st = take_value(child, op->out);
    ca__task_release(l, child);
    ca__wake(l, joiner, st);
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

/* The joiner is cancelled: it takes the tasks of tasks[0..n) down with it (their entries set NULL). */
static void cancel_detach_all(ca_task **tasks, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (tasks[i]) {
            cancel_detach(tasks[i]);
            tasks[i] = NULL;
        }
    }
}

/*
 * Whether me may join every non-NULL task of tasks[0..n) (and take a value
 * of `size` from each when `values`): 0 or the first error; *live counts
 * the non-NULL tasks.
 */
static int joinable_all(ca_task *me, ca_task **tasks, size_t n, bool values, size_t size, size_t *live)
{
    *live = 0;
    for (size_t i = 0; i < n; i++) {
        if (!tasks[i])
            continue;
        int e = joinable(me, tasks[i]);
        if (!e && values)
            e = has_value(tasks[i], size);
        if (e)
            return e;
        ++*live;
    }
    return 0;
}

/*
 * What a join does before it waits for t: -ECANCELED (me is cancelled: t
 * goes down with it), 1 when t has ended (the caller takes it), another
 * error, or 0.
 */
static int join_begin(ca_loop *l, ca_task *me, ca_task *t)
{
    int e = ca__check(l, me);
    if (e == -ECANCELED)
        cancel_detach(t);
    else if (t->flags & CA__T_DONE)
        e = 1;
    return e;
}

/* Suspend me until t ends, as t's joiner, in a wait of `kind` through fr: 0, or -errno with nothing recorded. */
static int wait_for(ca_loop *l, ca_task *me, ca_task *t, ca_frame *fr, int *ret, int kind)
{
    int e = ca__joiner_put(l, t, me);
    if (e)
        return e;
    e = ca__suspend(l, me, fr, ret, false, kind);
    if (e) {
        ca__joiner_put(l, t, NULL);
        return e;
    }
    me->wait_obj = t;
    return 0;
}

int ca_join__ca_start(ca_task *me, ca_frame *parent, int *ret, ca_task *t)
{
    ca_loop *l = ca__cur_loop;
    int e = joinable(me, t);
    if (e) {
        *ret = e;
        return CA_DONE;
    }
    e = join_begin(l, me, t);
    if (e == 1) {
        e = ca__end_status(t);
        ca__task_release(l, t);
    } else if (!e && !(e = wait_for(l, me, t, parent, ret, CA__W_JOIN))) {
        return CA_PENDING;
    }
    *ret = e;
    return CA_DONE;
}

/* ------------------------------------------------------------- join_value */

struct join_value_op {
    struct value_op v;
    int *ret;
};

static int join_value_resume(ca_task *me, ca_frame *fr)
{
    struct join_value_op *op = (struct join_value_op *)fr;
    me->flags &= (uint16_t)~CA__T_ABORTED;
    *op->ret = op->v.res;
    ca__op_free(me, fr);
    return CA_DONE;
}

int ca__join_value(ca_task *me, ca_frame *parent, int *ret, ca_task *t, void *value, size_t size)
{
    ca_loop *l = ca__cur_loop;
    int e = joinable(me, t);
    if (!e)
        e = has_value(t, size);
    if (!e && !value)
        e = -EINVAL;
    if (e) {
        *ret = e;
        return CA_DONE;
    }
    e = join_begin(l, me, t);
    if (e == 1) {
        e = take_value(t, value);
        ca__task_release(l, t);
    } else if (!e) {
        struct join_value_op *op = ca__op_alloc(me, sizeof *op, join_value_resume, parent);
        op->v.out = value;
        op->ret = ret;
        e = wait_for(l, me, t, &op->v.hdr, &op->v.res, CA__W_JOIN_VALUE);
        if (!e)
            return CA_PENDING;
        ca__op_free(me, &op->v.hdr);
    }
    *ret = e;
    return CA_DONE;
}

/* ---------------------------------------------------------------- join_all */

struct join_all_op {
    struct value_op v; /* v.out: values[i] while tasks[i] is waited for */
    ca_task **tasks;
    int *ret;
    char *values;  /* NULL: statuses only */
    int *statuses; /* or NULL */
    uint32_t n, i, size;
};
_Static_assert(sizeof(struct join_all_op) <= CA__OP_FRAME_MAX, "abi.h bounds op frames");

/* tasks[i] has been joined with status st. */
static void joined(struct join_all_op *op, int st)
{
    if (!op->v.first)
        op->v.first = st;
    if (op->statuses)
        op->statuses[op->i] = st;
    op->tasks[op->i] = NULL;
}

/* Join tasks[i..n) in order; CA_PENDING when one has to be waited for. */
static int join_all_step(ca_loop *l, ca_task *me, struct join_all_op *op)
{
    for (; op->i < op->n; op->i++) {
        ca_task *t = op->tasks[op->i];
        if (!t)
            continue;
        void *out = op->values ? op->values + (size_t)op->i * op->size : NULL;
        if (!(t->flags & CA__T_DONE)) {
            op->v.out = out;
            int e = wait_for(l, me, t, &op->v.hdr, &op->v.res, CA__W_JOIN_VALUE);
            if (!e)
                return CA_PENDING;
            *op->ret = e;
            return CA_DONE;
        }
        joined(op, take_value(t, out));
        ca__task_release(l, t);
    }
    *op->ret = op->v.first;
    return CA_DONE;
}

static int join_all_resume(ca_task *me, ca_frame *fr)
{
    struct join_all_op *op = (struct join_all_op *)fr;
    ca_loop *l = ca__cur_loop;
    int r;
    if (me->flags & CA__T_ABORTED) {
        me->flags &= (uint16_t)~CA__T_ABORTED;
        if (op->v.res == -ECANCELED) { /* the abort took tasks[i] down already */
            op->tasks[op->i] = NULL;
            cancel_detach_all(op->tasks + op->i + 1, op->n - op->i - 1);
        }
        *op->ret = op->v.res;
        r = CA_DONE;
    } else {
        /* tasks[i] ended, its value was taken and it was released by task_end. */
        joined(op, op->v.res);
        op->i++;
        r = join_all_step(l, me, op);
        if (r == CA_PENDING)
            return r;
    }
    ca__op_free(me, fr);
    return r;
}

int ca__join_all_values(ca_task *me, ca_frame *parent, int *ret, ca_task **tasks, size_t n, void *values, size_t size,
                        int *statuses)
{
    ca_loop *l = ca__cur_loop;
    if ((!tasks && n) || n > UINT32_MAX || size > UINT32_MAX) {
        *ret = -EINVAL;
        return CA_DONE;
    }
    size_t live;
    int e = joinable_all(me, tasks, n, values != NULL, size, &live);
    if (e) {
        *ret = e;
        return CA_DONE;
    }
    if (values && !size && n) /* a void pointer: the tool has checked the type; the tasks give the size */
        for (size_t i = 0; i < n && !size; i++)
            size = tasks[i] ? ca__kept(tasks[i])->size : 0;
    e = ca__check(l, me);
    if (e) {
        if (e == -ECANCELED)
            cancel_detach_all(tasks, n);
        *ret = e;
        return CA_DONE;
    }
    struct join_all_op *op = ca__op_alloc(me, sizeof *op, join_all_resume, parent);
    op->tasks = tasks;
    op->n = (uint32_t)n;
    op->i = 0;
    op->ret = ret;
    op->v.first = 0;
    op->values = values;
    op->size = (uint32_t)size;
    op->statuses = statuses;
    int r = join_all_step(l, me, op);
    if (r == CA_DONE)
        ca__op_free(me, &op->v.hdr);
    return r;
}

int ca_join_all__ca_start(ca_task *me, ca_frame *parent, int *ret, ca_task **tasks, size_t n)
{
    return ca__join_all_values(me, parent, ret, tasks, n, NULL, 0, NULL);
}

/* ---------------------------------------------------------------- join_any */

struct join_any_op {
    ca_frame hdr;
    ca_task **tasks;
    size_t n;
    int *status;
    void *value; /* or NULL */
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
    int st = take_value(t, op->value);
    if (op->status)
        *op->status = st;
    op->tasks[i] = NULL;
    ca__task_release(l, t);
    return (int)i;
}

/* The join is over: it is the joiner of none of its tasks (but `except`) any more. */
static void forget_joins(ca_loop *l, struct join_any_op *op, ca_task *except)
{
    for (size_t i = 0; i < op->n; i++)
        if (op->tasks[i] && op->tasks[i] != except)
            ca__joiner_put(l, op->tasks[i], NULL);
}

void ca__join_any_done(ca_loop *l, ca_task *joiner, ca_task *child)
{
    struct join_any_op *op = (struct join_any_op *)joiner->wait_fr;
    size_t idx = 0;
    while (op->tasks[idx] != child)
        idx++;
    forget_joins(l, op, child);
    ca__wake(l, joiner, take(l, op, idx));
}

void ca__join_any_abort(ca_loop *l, ca_task *t)
{
    forget_joins(l, (struct join_any_op *)t->wait_fr, NULL);
}

int ca__join_any_value(ca_task *me, ca_frame *parent, int *ret, ca_task **tasks, size_t n, void *value, size_t size,
                       int *status)
{
    ca_loop *l = ca__cur_loop;
    size_t live = 0;
    int e = tasks ? joinable_all(me, tasks, n, value != NULL, size, &live) : 0;
    if (!e && !live)
        e = -EINVAL; /* no entry to join */
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
    op->value = value;
    for (size_t i = 0; i < n; i++) {
        if (tasks[i] && (tasks[i]->flags & CA__T_DONE)) {
            *ret = take(l, op, i);
            ca__op_free(me, &op->hdr);
            return CA_DONE;
        }
    }
    /* Room for every joiner first: once suspended, this must not fail. */
    e = ca__side_reserve(l, live);
    if (!e)
        e = ca__suspend(l, me, &op->hdr, ret, false, CA__W_JOIN_ANY);
    if (e) {
        ca__op_free(me, &op->hdr);
        *ret = e;
        return CA_DONE;
    }
    for (size_t i = 0; i < n; i++) {
        if (tasks[i]) {
            e = ca__joiner_put(l, tasks[i], me);
            assert(!e); /* the room is reserved */
        }
    }
    return CA_PENDING;
}

int ca_join_any__ca_start(ca_task *me, ca_frame *parent, int *ret, ca_task **tasks, size_t n, int *status)
{
    return ca__join_any_value(me, parent, ret, tasks, n, NULL, 0, status);
}
