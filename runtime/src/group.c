/*
 * Task groups: ca_group_spawn's members, their failure, cancellation and
 * ca_group_wait (runtime.h says what they mean to users).
 *
 * A member is a task with a member record at the base of its frame stack
 * (internal.h's struct ca__member, made by task.c's ca__group_task_new): the
 * group, and the links of the group's list of live members, which
 * ca_group_cancel walks. A member is detached from birth (nobody joins it);
 * when it ends, task.c hands it to ca__group_task_end here, which judges
 * its value, unlinks and releases it, and wakes the waiter after the last.
 *
 * The waiter waits in an op frame. Cancelled or timed out (CA__W_GROUP is
 * aborted), it cancels the group and waits on in CA__W_GROUP_DRAIN, which
 * arms no deadline and which no abort ends: a group never returns before
 * its members have ended.
 */
#include "internal.h"

#include <limits.h>
#include <string.h>

static struct ca__member *member(ca_task *t)
{
    return (struct ca__member *)(void *)(t + 1);
}

void ca_group_init(ca_group *g)
{
    memset(g, 0, sizeof *g);
    g->state = CA__G_OPEN;
}

size_t ca_group_size(const ca_group *g)
{
    return g ? g->live : 0;
}

void ca__group_add(ca_group *g, ca_task *t)
{
    struct ca__member *m = member(t);
    m->group = g;
    m->prev = g->last;
    m->next = NULL;
    if (g->last)
        member(g->last)->next = t;
    else
        g->first = t;
    g->last = t;
    g->live++;
    t->flags |= CA__T_GROUP | CA__T_DETACHED;
}

int ca_group_cancel(ca_group *g)
{
    if (!g || g->state == CA__G_CLOSED)
        return -EINVAL;
    g->state = CA__G_SHUTDOWN;
    /* In spawn order. ca_cancel only wakes a member (it ends later, when it runs): the list stays as it is. */
    for (ca_task *t = g->first; t; t = member(t)->next)
        if (!(t->flags & CA__T_CANCELLED))
            ca_cancel(t);
    return 0;
}

int ca_group_fail(ca_group *g, int err)
{
    if (!g || err >= 0 || g->state == CA__G_CLOSED)
        return -EINVAL;
    if (!g->error)
        g->error = err;
    return ca_group_cancel(g);
}

/* The value of a member whose value fails the group when negative: is it? (*v gets it.) */
static bool negative(const struct ca__kept *k, long long *v)
{
    int8_t i8;
    int16_t i16;
    int32_t i32;
    int64_t i64;
    switch (k->size) {
    case 1:
        memcpy(&i8, k->value, 1), *v = i8;
        break;
    case 2:
        memcpy(&i16, k->value, 2), *v = i16;
        break;
    case 4:
        memcpy(&i32, k->value, 4), *v = i32;
        break;
    case 8:
        memcpy(&i64, k->value, 8), *v = i64;
        break;
    default:
        return false;
    }
    return *v < 0;
}

void ca__group_task_end(ca_loop *l, ca_task *t)
{
    struct ca__member *m = member(t);
    ca_group *g = m->group;
    if (m->prev)
        member(m->prev)->next = m->next;
    else
        g->first = m->next;
    if (m->next)
        member(m->next)->prev = m->prev;
    else
        g->last = m->prev;
    g->live--;
    long long v;
    if (m->kept.neg_fails && !(t->flags & CA__T_CANCELLED) && negative(&m->kept, &v))
        ca_group_fail(g, v < INT_MIN ? INT_MIN : (int)v);
    ca__task_release(l, t);
    ca_task *w = g->waiter;
    if (!g->live && w && (w->wait == CA__W_GROUP || w->wait == CA__W_GROUP_DRAIN))
        ca__wake(l, w, 0);
}

/* ------------------------------------------------------------------- wait */

struct group_op {
    ca_frame hdr;
    ca_group *g;
    int *ret;
    int res; /* the wait's result: 0, or the abort's error */
    int err; /* the caller's own -ECANCELED / -ETIMEDOUT, which wins over the group's error */
};
_Static_assert(sizeof(struct group_op) <= CA__OP_FRAME_MAX, "abi.h bounds op frames");

/* Wait in a drain: no deadline is armed, so this cannot fail. */
static void drain(ca_loop *l, ca_task *me, struct group_op *op)
{
    int e = ca__suspend(l, me, &op->hdr, &op->res, false, CA__W_GROUP_DRAIN);
    assert(!e);
    (void)e;
    me->wait_obj = op->g;
}

static int finish(ca_task *me, struct group_op *op)
{
    ca_group *g = op->g;
    g->waiter = NULL;
    g->state = CA__G_CLOSED;
    *op->ret = op->err ? op->err : g->error;
    ca__op_free(me, &op->hdr);
    return CA_DONE;
}

static int group_resume(ca_task *me, ca_frame *fr)
{
    struct group_op *op = (struct group_op *)fr;
    if (me->flags & CA__T_ABORTED) { /* cancelled or timed out while waiting */
        me->flags &= (uint16_t)~CA__T_ABORTED;
        op->err = op->res;
        ca_group_cancel(op->g);
        if (op->g->live) {
            drain(ca__cur_loop, me, op);
            return CA_PENDING;
        }
    }
    return finish(me, op);
}

int ca_group_wait__ca_start(ca_task *me, ca_frame *parent, int *ret, ca_group *g)
{
    ca_loop *l = ca__cur_loop;
    int e = 0;
    if (!g)
        e = -EINVAL;
    else if (g->waiter)
        e = -EBUSY;
    else if ((me->flags & CA__T_GROUP) && member(me)->group == g)
        e = -EDEADLK;
    if (e) {
        *ret = e;
        return CA_DONE;
    }
    struct group_op *op = ca__op_alloc(me, sizeof *op, group_resume, parent);
    op->g = g;
    op->ret = ret;
    op->err = ca__check(l, me);
    if (op->err)
        ca_group_cancel(g);
    if (!g->live)
        return finish(me, op);
    g->waiter = me;
    if (op->err) {
        drain(l, me, op);
        return CA_PENDING;
    }
    e = ca__suspend(l, me, &op->hdr, &op->res, false, CA__W_GROUP);
    if (e) { /* no room for the deadline's timer: wait without it */
        drain(l, me, op);
        return CA_PENDING;
    }
    me->wait_obj = g;
    return CA_PENDING;
}
