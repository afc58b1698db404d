/* A hash index over array positions (index.h): open addressing, linear probing. */
#include "index.h"

#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

static void put(struct cw_index_slot *slots, size_t cap, unsigned hash, size_t pos_plus_1)
{
    size_t i = hash & (cap - 1);
    while (slots[i].pos_plus_1)
        i = (i + 1) & (cap - 1);
    slots[i] = (struct cw_index_slot){hash, pos_plus_1};
}

void cw_index_add(cw_index *x, unsigned hash, size_t pos)
{
    if (2 * (x->n + 1) > x->cap) { /* at most half full: probes stay short */
        size_t cap = x->cap ? 2 * x->cap : 16;
        struct cw_index_slot *slots = cw_calloc(cap, sizeof *slots);
        for (size_t i = 0; i < x->cap; i++)
            if (x->slots[i].pos_plus_1)
                put(slots, cap, x->slots[i].hash, x->slots[i].pos_plus_1);
        free(x->slots);
        x->slots = slots;
        x->cap = cap;
    }
    put(x->slots, x->cap, hash, pos + 1);
    x->n++;
}

size_t cw_index_next(const cw_index *x, unsigned hash, size_t *it)
{
    if (!x->cap)
        return CW_INDEX_END;
    /* *it counts the slots probed so far from the hash's home slot. */
    for (size_t i = (hash + *it) & (x->cap - 1); x->slots[i].pos_plus_1; i = (i + 1) & (x->cap - 1)) {
        ++*it;
        if (x->slots[i].hash == hash)
            return x->slots[i].pos_plus_1 - 1;
    }
    return CW_INDEX_END;
}

void cw_index_free(cw_index *x)
{
    free(x->slots);
    memset(x, 0, sizeof *x);
}

unsigned cw_hash_string(const char *s)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}
