/*
 * The worst-case frame-stack bytes of a task (task_bytes.h): what a spawn
 * allocates up front and what --frame-report prints. A runtime await counts
 * what it pushes while it waits (runtime_awaits.c).
 */
#include "task_bytes.h"

#include "runtime_awaits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Worst-case bytes of frames a task holds below f: f's frame, the
 * generators of its ca_for loops (their frames stay while a body awaits;
 * counted as if all were live at once, an upper bound), and the deepest
 * chain it awaits.
 */
enum { UNVISITED, VISITING, DONE };

struct worst {
    long long bytes;
    bool bounded;   /* false: recursion, or a callee defined in another file */
    char why[CW_WHY_UNBOUNDED];
};

static struct worst worst_of(cw_tu *tu, cw_async_fn *f, int *mark, struct worst *memo)
{
    size_t i = (size_t)(f - tu->fns);
    if (mark[i] == DONE)
        return memo[i];
    /* A frame aligned beyond the stack's 8-byte granule may need padding before it. */
    struct worst w = {f->lowered.frame.size + (f->lowered.frame.align > 8 ? f->lowered.frame.align - 8 : 0), true, ""};
    if (mark[i] == VISITING) {
        w.bounded = false;
        snprintf(w.why, sizeof w.why, "recursive through %s", f->name);
        return w;
    }
    if (f->from_cawait) {
        w.bytes = cw_runtime_wait_bytes(f);
        return w;
    }
    if (!f->defined_here) {
        w.bounded = false;
        snprintf(w.why, sizeof w.why, "%s is defined in another file", f->name);
        return w;
    }
    if (f->lowered.has_vla) { /* its arrays' blocks are sized at run time */
        w.bounded = false;
        snprintf(w.why, sizeof w.why, "%s holds a variable-length array", f->name);
    }
    if (f->lowered.awaits_pointer) {
        w.bounded = false;
        snprintf(w.why, sizeof w.why, "%s awaits through a function pointer", f->name);
        return w;
    }
    mark[i] = VISITING;
    long long deepest = 0;
    for (size_t j = 0; j < f->lowered.ncallees + f->lowered.niterated; j++) {
        bool iterated = j >= f->lowered.ncallees;
        struct worst c = worst_of(tu, iterated ? f->lowered.iterated[j - f->lowered.ncallees] : f->lowered.callees[j], mark, memo);
        if (!c.bounded && w.bounded) {
            w.bounded = false;
            memcpy(w.why, c.why, sizeof w.why);
        }
        if (iterated)
            w.bytes += c.bytes;
        else if (c.bytes > deepest)
            deepest = c.bytes;
    }
    w.bytes += deepest;
    mark[i] = DONE;
    memo[i] = w;
    return w;
}

long long cw_task_frame_bytes(cw_tu *tu, cw_async_fn *f, char *why)
{
    int *mark = calloc(tu->nfns + 1, sizeof *mark);
    struct worst *memo = calloc(tu->nfns + 1, sizeof *memo);
    struct worst w = worst_of(tu, f, mark, memo);
    free(mark);
    free(memo);
    if (why)
        memcpy(why, w.why, sizeof w.why);
    return w.bounded ? w.bytes : -1;
}

