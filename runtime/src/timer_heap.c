/*
 * The timers: two binary min-heaps kept in arrays (internal.h), the sleep
 * heap of task pointers whose keys are in the tasks (sleep_key), and the
 * wait heap of (key, task, deadline) entries. Each task knows its slot
 * (ca_task.timer = slot + 1, 0 when in neither heap), so removal and
 * re-keying are O(log n); the heaps share their code below, `sleep` saying
 * which one. What an entry's deadline means is time.c's business: here it
 * only travels with its entry.
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

/* The entry in slot i, as a value (a sleep entry is its task; its key is in the task). */
static struct ca__timer entry_at(const struct ca__timers *ts, bool sleep, uint32_t i)
{
    if (sleep)
        return (struct ca__timer){ts->sleep.v[i]->sleep_key, ts->sleep.v[i], 0};
    return ts->wait.v[i];
}

/* Put entry e in slot i. */
static void place(struct ca__timers *ts, bool sleep, uint32_t i, struct ca__timer e)
{
    if (sleep)
        ts->sleep.v[i] = e.task; /* its key is in the task already */
    else
        ts->wait.v[i] = e;
    e.task->timer = i + 1;
}

static void sift_up(struct ca__timers *ts, bool sleep, uint32_t i, struct ca__timer e)
{
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (key_at(ts, sleep, p) <= e.key)
            break;
        place(ts, sleep, i, entry_at(ts, sleep, p));
        i = p;
    }
    place(ts, sleep, i, e);
}

static void sift_down(struct ca__timers *ts, bool sleep, uint32_t i, struct ca__timer e)
{
    uint32_t n = *count_of(ts, sleep);
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= n)
            break;
        uint64_t ck = key_at(ts, sleep, c);
        if (c + 1 < n && key_at(ts, sleep, c + 1) < ck)
            ck = key_at(ts, sleep, ++c);
        if (e.key <= ck)
            break;
        place(ts, sleep, i, entry_at(ts, sleep, c));
        i = c;
    }
    place(ts, sleep, i, e);
}

/* Entry e, whose slot is i, moved to where its key belongs. */
static void sift(struct ca__timers *ts, bool sleep, uint32_t i, struct ca__timer e)
{
    if (i > 0 && e.key < key_at(ts, sleep, (i - 1) / 2))
        sift_up(ts, sleep, i, e);
    else
        sift_down(ts, sleep, i, e);
}

/* The key of a timer for `when`: the next insertion sequence number breaks ties. */
static uint64_t make_key(struct ca__timers *ts, uint64_t when)
{
    if (when > MAX_WHEN)
        when = MAX_WHEN;
    return (when << CA__KEY_SEQ_BITS) | (ts->seq++ & ((1u << CA__KEY_SEQ_BITS) - 1));
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
    uint64_t key = make_key(ts, when);
    if (sleep)
        t->sleep_key = key;
    uint32_t i = (*count_of(ts, sleep))++;
    sift_up(ts, sleep, i, (struct ca__timer){key, t, when});
    return 0;
}

void ca__timers_del(struct ca__timers *ts, ca_task *t, bool sleep)
{
    assert(t->timer && t->timer <= *count_of(ts, sleep) && entry_at(ts, sleep, t->timer - 1).task == t);
    uint32_t i = t->timer - 1, n = --*count_of(ts, sleep);
    t->timer = 0;
    if (i == n)
        return;
    sift(ts, sleep, i, entry_at(ts, sleep, n)); /* the last entry fills the hole */
}

void ca__timers_rekey(struct ca__timers *ts, ca_task *t, uint64_t when)
{
    assert(t->timer && t->timer <= ts->wait.n && ts->wait.v[t->timer - 1].task == t);
    uint32_t i = t->timer - 1;
    struct ca__timer e = ts->wait.v[i];
    e.key = make_key(ts, when);
    sift(ts, false, i, e);
}

void ca__timers_free(struct ca__timers *ts)
{
    free(ts->sleep.v);
    free(ts->wait.v);
    *ts = (struct ca__timers){0};
}
