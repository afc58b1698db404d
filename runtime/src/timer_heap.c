/*
 * The timer heap: a binary min-heap in one array of (key, task) pairs, each
 * task knowing its slot (ca_task.timer = slot + 1, 0 when not in the heap),
 * so removal is O(log n) and a pending timer costs 16 bytes of array.
 *
 * The key is the deadline in ms shifted left 20 bits, or'ed with a 20-bit
 * insertion sequence, so timers with equal deadlines fire in the order they
 * were armed (the sequence wraps after about a million timers armed within
 * one millisecond; only the order of ties is affected). Deadlines beyond
 * 2^44 ms (557 years) are clamped.
 *
 * The array grows by doubling with realloc; its unused tail is never
 * written, so it costs no resident memory.
 */
#include "internal.h"

#include <stdlib.h>

#define SEQ_BITS 20
#define MAX_WHEN ((UINT64_C(1) << (64 - SEQ_BITS)) - 1)

static void place(struct ca__heap *h, uint32_t i, struct ca__timer e)
{
    h->v[i] = e;
    e.task->timer = i + 1;
}

static void sift_up(struct ca__heap *h, uint32_t i, struct ca__timer e)
{
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (h->v[p].key <= e.key)
            break;
        place(h, i, h->v[p]);
        i = p;
    }
    place(h, i, e);
}

static void sift_down(struct ca__heap *h, uint32_t i, struct ca__timer e)
{
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->v[c + 1].key < h->v[c].key)
            c++;
        if (e.key <= h->v[c].key)
            break;
        place(h, i, h->v[c]);
        i = c;
    }
    place(h, i, e);
}

/* Add t at `when`; t must not be in the heap. 0, or -ENOMEM. */
int ca__heap_insert(struct ca__heap *h, ca_task *t, uint64_t when)
{
    if (h->n == h->cap) {
        uint32_t cap = h->cap ? h->cap * 2 : 64;
        if (cap <= h->cap)
            return -ENOMEM;
        struct ca__timer *v = realloc(h->v, (size_t)cap * sizeof *v);
        if (!v)
            return -ENOMEM;
        h->v = v;
        h->cap = cap;
    }
    if (when > MAX_WHEN)
        when = MAX_WHEN;
    struct ca__timer e = {(when << SEQ_BITS) | (h->seq++ & ((1u << SEQ_BITS) - 1)), t};
    sift_up(h, h->n++, e);
    return 0;
}

/* Take t (which must be in the heap) out of it. */
void ca__heap_remove(struct ca__heap *h, ca_task *t)
{
    uint32_t i = t->timer - 1;
    t->timer = 0;
    struct ca__timer last = h->v[--h->n];
    if (i == h->n)
        return;
    if (i > 0 && last.key < h->v[(i - 1) / 2].key)
        sift_up(h, i, last);
    else
        sift_down(h, i, last);
}

void ca__heap_free(struct ca__heap *h)
{
    free(h->v);
    h->v = NULL;
    h->n = h->cap = 0;
}
