/*
 * The side table: a task's deadline and joiner, kept per loop outside the
 * task because few tasks have either at a time, while every task would pay
 * for the room (a million sleeping tasks, 24 bytes each).
 *
 * A task has an entry exactly while it has a joiner (CA__T_JOINED) or a
 * deadline (CA__T_DEADLINE) that its timer does not hold (not CA__T_ARMED,
 * time.c); ca__side_has says so from the flags, so a task without either
 * never probes. Open addressing with linear probing, keyed by the task's address,
 * at most half full; removal shifts the entries after the hole back
 * (no tombstones). The array grows by doubling and is freed with the loop.
 */
#include "internal.h"

#include <stdlib.h>

#define MIN_CAP 16

static uint32_t home(const struct ca__sides *s, const ca_task *t)
{
    return ca__side_hash(t) & s->mask;
}

static uint32_t find(const struct ca__sides *s, const ca_task *t)
{
    uint32_t i = home(s, t);
    while (s->v[i].task != t)
        i = (i + 1) & s->mask;
    return i;
}

struct ca__side *ca__side_get(ca_loop *l, const ca_task *t)
{
    assert(ca__side_has(t));
    return &l->sides.v[find(&l->sides, t)];
}

/* Put e in a free slot of s (there is one: s is at most half full). */
static struct ca__side *place(struct ca__sides *s, struct ca__side e)
{
    assert(2 * (size_t)s->n <= (size_t)s->mask + 1); /* else the probe below might never end */
    uint32_t i = home(s, e.task);
    while (s->v[i].task)
        i = (i + 1) & s->mask;
    s->v[i] = e;
    return &s->v[i];
}

/* Room for n more entries while staying at most half full (mask + 1 is 1 with no array). */
static bool roomy(const struct ca__sides *s, size_t n)
{
    return 2 * ((size_t)s->n + n) <= (size_t)s->mask + 1;
}

int ca__side_reserve(ca_loop *l, size_t n)
{
    struct ca__sides *s = &l->sides;
    if (CA__LIKELY(roomy(s, n)))
        return 0;
    size_t cap = s->v ? (size_t)s->mask + 1 : 0, ncap = cap ? cap : MIN_CAP;
    while (2 * ((size_t)s->n + n) > ncap)
        ncap *= 2;
    if (ncap > (size_t)UINT32_MAX + 1)
        return -ENOMEM;
    struct ca__side *v = ca__calloc(ncap, sizeof *v);
    if (!v)
        return -ENOMEM;
    struct ca__sides old = *s;
    s->v = v;
    s->mask = (uint32_t)(ncap - 1);
    for (size_t i = 0; i < cap; i++)
        if (old.v[i].task)
            place(s, old.v[i]);
    free(old.v);
    return 0;
}

/* t's entry, made when t has none; NULL when out of memory. */
static struct ca__side *entry(ca_loop *l, ca_task *t)
{
    struct ca__sides *s = &l->sides;
    if (ca__side_has(t))
        return &s->v[find(s, t)];
    if (CA__UNLIKELY(!roomy(s, 1)) && ca__side_reserve(l, 1))
        return NULL;
    s->n++;
    return place(s, (struct ca__side){t, NULL, CA__NEVER});
}

/* Remove e, shifting back the entries of its probe run. */
static void remove_entry(struct ca__sides *s, struct ca__side *e)
{
    uint32_t i = (uint32_t)(e - s->v), j = i;
    s->n--;
    for (;;) {
        j = (j + 1) & s->mask;
        ca_task *t = s->v[j].task;
        if (!t)
            break;
        /* t may fill the hole at i when i lies between its home and j. */
        if (((j - home(s, t)) & s->mask) >= ((j - i) & s->mask)) {
            s->v[i] = s->v[j];
            i = j;
        }
    }
    s->v[i].task = NULL;
}

/* Forget t's entry when neither flag is left. */
static void maybe_remove(ca_loop *l, ca_task *t, struct ca__side *e)
{
    if (!ca__side_has(t))
        remove_entry(&l->sides, e);
}

int ca__deadline_put(ca_loop *l, ca_task *t, uint64_t when, uint64_t *old)
{
    assert(!(t->flags & CA__T_ARMED));
    *old = CA__NEVER;
    if (when == CA__NEVER && !(t->flags & CA__T_DEADLINE))
        return 0;
    struct ca__side *e = entry(l, t);
    if (!e)
        return -ENOMEM;
    if (t->flags & CA__T_DEADLINE)
        *old = e->deadline;
    e->deadline = when;
    if (when != CA__NEVER) {
        t->flags |= CA__T_DEADLINE;
    } else {
        t->flags &= (uint16_t)~CA__T_DEADLINE;
        maybe_remove(l, t, e);
    }
    return 0;
}

int ca__joiner_put(ca_loop *l, ca_task *t, ca_task *joiner)
{
    if (!joiner && !(t->flags & CA__T_JOINED))
        return 0;
    struct ca__side *e = entry(l, t);
    if (!e)
        return -ENOMEM;
    e->joiner = joiner;
    if (joiner) {
        t->flags |= CA__T_JOINED;
    } else {
        t->flags &= (uint16_t)~CA__T_JOINED;
        maybe_remove(l, t, e);
    }
    return 0;
}

ca_task *ca__joiner_take(ca_loop *l, ca_task *t)
{
    if (!(t->flags & CA__T_JOINED))
        return NULL;
    struct ca__side *e = ca__side_get(l, t);
    ca_task *j = e->joiner;
    e->joiner = NULL;
    t->flags &= (uint16_t)~CA__T_JOINED;
    maybe_remove(l, t, e);
    return j;
}

void ca__side_drop(ca_loop *l, ca_task *t)
{
    if (ca__side_has(t)) {
        remove_entry(&l->sides, ca__side_get(l, t));
        t->flags &= (uint16_t) ~(CA__T_DEADLINE | CA__T_JOINED);
    }
}

void ca__side_free(ca_loop *l)
{
    free(l->sides.v);
    l->sides.v = NULL;
    l->sides.n = l->sides.mask = 0;
}
