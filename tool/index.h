/*
 * A hash index over the positions of an array: look elements up by a key in
 * O(1) instead of scanning the array. The index keeps only (hash, position)
 * pairs; the caller compares the candidates' keys itself, so any key with a
 * hash works (cursors by clang_hashCursor, names by cw_hash_string).
 */
#ifndef CW_INDEX_H
#define CW_INDEX_H

#include <stddef.h>
#include <stdint.h>

typedef struct cw_index {
    struct cw_index_slot {
        unsigned hash;
        size_t pos_plus_1; /* 0: empty */
    } * slots;
    size_t cap, n;
} cw_index;

#define CW_INDEX_END SIZE_MAX

void cw_index_add(cw_index *x, unsigned hash, size_t pos);
/* The next position recorded with `hash` (start with *it = 0), or CW_INDEX_END. */
size_t cw_index_next(const cw_index *x, unsigned hash, size_t *it);
void cw_index_free(cw_index *x);
unsigned cw_hash_string(const char *s);

#endif
