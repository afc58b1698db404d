/*
 * The timers: two binary min-heaps kept in arrays (internal.h), the sleep
 * heap of task pointers whose keys are in the tasks (sleep_key), and the
 * wait heap of (key, task) pairs. Each task knows its slot (ca_task.timer =
 * slot + 1, 0 when in neither heap), so removal is O(log n); the heaps share
 * their code below, `sleep` saying which one.
 *
 * The key is the deadline in ms shifted left 20 bits, or'ed with a 20-bit
 * insertion sequence common to both heaps, so timers with equal deadlines
 * fire in the order they were armed (the sequence wraps after about a
 * million timers armed within one millisecond; only the order of ties is
 * affected). Deadlines beyond 2^44 ms (557 years) are clamped.
 *
 * The arrays grow by doubling with realloc; their unused tails are never
 * written, so they cost no resident memory.
 */
#include "internal.h"

#include <stdlib.h>

#define MAX_WHEN ((UINT64_C(1) << (64 - CA__KEY_SEQ_BITS)) - 1)

static uint32_t *count_of(struct ca__timers *ts, bool sleep)
{
    return sleep ? &ts->sleep.n : &ts->wait.n;
}

static uint64_t key_at(const struct ca__timers *ts, bool sleep, uint32_t i)
{
    return sleep ? ts->sleep.v[i]->sleep_key : ts->wait.v[i].key;
}

static ca_task *task_at(const struct ca__timers *ts, bool sleep, uint32_t i)
{
    return sleep ? ts->sleep.v[i] : ts->wait.v[i].task;
}

/* Put t, whose key is `key`, in slot i. */
static void place(struct ca__timers *ts, bool sleep, uint32_t i, uint64_t key, ca_task *t)
{
    if (sleep)
        ts->sleep.v[i] = t; /* its key is in t already */
    else
        ts->wait.v[i] = (struct ca__timer){key, t};
    t->timer = i + 1;
}

static void sift_up(struct ca__timers *ts, bool sleep, uint32_t i, uint64_t key, ca_task *t)
{
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        uint64_t pk = key_at(ts, sleep, p);
        if (pk <= key)
            break;
        place(ts, sleep, i, pk, task_at(ts, sleep, p));
        i = p;
    }
    place(ts, sleep, i, key, t);
}

static void sift_down(struct ca__timers *ts, bool sleep, uint32_t i, uint64_t key, ca_task *t)
{
    uint32_t n = *count_of(ts, sleep);
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= n)
            break;
        uint64_t ck = key_at(ts, sleep, c);
        if (c + 1 < n && key_at(ts, sleep, c + 1) < ck)
            ck = key_at(ts, sleep, ++c);
        if (key <= ck)
            break;
        place(ts, sleep, i, ck, task_at(ts, sleep, c));
        i = c;
    }
    place(ts, sleep, i, key, t);
}

/* v, an array of *cap elements of `size` bytes, doubled (*cap too); NULL when out of memory. */
static void *grow(void *v, uint32_t *cap, size_t size)
{
    uint32_t ncap = *cap ? *cap * 2 : 64;
    if (ncap <= *cap)
        return NULL;
    v = ca__realloc(v, (size_t)ncap * size);
    if (v)
        *cap = ncap;
    return v;
}

int ca__timers_add(struct ca__timers *ts, ca_task *t, uint64_t when, bool sleep)
{
    assert(!t->timer); /* in neither heap */
    if (sleep && ts->sleep.n == ts->sleep.cap) {
        ca_task **v = grow(ts->sleep.v, &ts->sleep.cap, sizeof *v);
        if (!v)
            return -ENOMEM;
        ts->sleep.v = v;
    } else if (!sleep && ts->wait.n == ts->wait.cap) {
        struct ca__timer *v = grow(ts->wait.v, &ts->wait.cap, sizeof *v);
        if (!v)
            return -ENOMEM;
        ts->wait.v = v;
    }
    if (when > MAX_WHEN)
        when = MAX_WHEN;
    uint64_t key = (when << CA__KEY_SEQ_BITS) | (ts->seq++ & ((1u << CA__KEY_SEQ_BITS) - 1));
    if (sleep)
        t->sleep_key = key;
    sift_up(ts, sleep, (*count_of(ts, sleep))++, key, t);
    return 0;
}

void ca__timers_del(struct ca__timers *ts, ca_task *t, bool sleep)
{
    assert(t->timer && t->timer <= *count_of(ts, sleep) && task_at(ts, sleep, t->timer - 1) == t);
    uint32_t i = t->timer - 1, n = --*count_of(ts, sleep);
    t->timer = 0;
    if (i == n)
        return;
    uint64_t key = key_at(ts, sleep, n); /* the last entry fills the hole */
    ca_task *last = task_at(ts, sleep, n);
    if (i > 0 && key < key_at(ts, sleep, (i - 1) / 2))
        sift_up(ts, sleep, i, key, last);
    else
        sift_down(ts, sleep, i, key, last);
}

void ca__timers_free(struct ca__timers *ts)
{
    free(ts->sleep.v);
    free(ts->wait.v);
    *ts = (struct ca__timers){0};
}
