/*
 * The worst-case frame-stack bytes of a task (task_bytes.h): what a spawn
 * allocates up front and what --frame-report prints. A runtime await counts
 * what it pushes while it waits (runtime_awaits.c). The output spells the
 * same sum with sizeof of the frame structs, so the compiler's layout is the
 * one that counts.
 */
#include "task_bytes.h"

#include "runtime_awaits.h"

#include <limits.h>
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
    bool bounded; /* false: recursion, or a callee defined in another file */
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
        struct worst c =
            worst_of(tu, iterated ? f->lowered.iterated[j - f->lowered.ncallees] : f->lowered.callees[j], mark, memo);
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

/* The C spelling of f's share: its enumerator, the runtime wait's op frames, or "0". */
static char *spell_bytes(const cw_async_fn *f)
{
    if (f->from_cawait) {
        long long n = f->runtime_op_frames;
        return n == 0   ? cw_strdup("0")
               : n == 1 ? cw_strdup("CA__OP_FRAME_MAX")
                        : cw_strdup_printf("%lld * CA__OP_FRAME_MAX", n);
    }
    return f->lowered.frame.size ? cw_strdup_printf("%s__ca_task_bytes", f->name) : cw_strdup("0");
}

/* "a > b ? a : b" over the distinct nonzero spellings of f's callees, through
   enumerators f__ca_deepest_N when there are more than two; NULL if none. */
static char *spell_deepest(cw_async_fn *f, strbuf *out)
{
    char *deepest = NULL;
    int n = 0;
    for (size_t j = 0; j < f->lowered.ncallees; j++) {
        bool seen = false;
        for (size_t i = 0; i < j; i++)
            seen |= f->lowered.callees[i] == f->lowered.callees[j];
        char *c = seen ? NULL : spell_bytes(f->lowered.callees[j]);
        if (!c || strcmp(c, "0") == 0) {
            free(c);
            continue;
        }
        if (++n == 1) {
            deepest = c;
            continue;
        }
        char *both = cw_strdup_printf("(%s > %s ? %s : %s)", deepest, c, deepest, c);
        free(deepest), free(c);
        if (n == 2) {
            deepest = both;
            continue;
        }
        sb_printf(out, "    %s__ca_deepest_%d = %s,\n", f->name, n, both);
        free(both);
        deepest = cw_strdup_printf("%s__ca_deepest_%d", f->name, n);
    }
    return deepest;
}

/* f's enumerator after those of the functions below it (once each: mark). */
static void spell_enumerator(cw_tu *tu, cw_async_fn *f, bool *mark, strbuf *out)
{
    size_t i = (size_t)(f - tu->fns);
    if (mark[i] || f->from_cawait || !f->lowered.frame.size)
        return;
    mark[i] = true;
    for (size_t j = 0; j < f->lowered.ncallees + f->lowered.niterated; j++) {
        size_t c = j < f->lowered.ncallees ? j : j - f->lowered.ncallees;
        spell_enumerator(tu, j < f->lowered.ncallees ? f->lowered.callees[c] : f->lowered.iterated[c], mark, out);
    }
    strbuf sum;
    sb_init(&sum);
    sb_printf(&sum, "sizeof(struct %s__ca_frame)", f->name);
    if (f->lowered.frame.align > 8) /* the padding it may need on the 8-byte granule stack */
        sb_printf(&sum, " + __alignof__(struct %s__ca_frame) - 8", f->name);
    for (size_t j = 0; j < f->lowered.niterated; j++) {
        char *g = spell_bytes(f->lowered.iterated[j]);
        if (strcmp(g, "0") != 0)
            sb_printf(&sum, " + %s", g);
        free(g);
    }
    char *deepest = spell_deepest(f, out);
    if (deepest)
        sb_printf(&sum, " + %s", deepest);
    sb_printf(out, "    %s__ca_task_bytes = %s,\n", f->name, sb_str(&sum));
    free(deepest);
    sb_free(&sum);
}

/* Bounded, and small enough for an enumerator (an int). */
static bool spellable(cw_tu *tu, cw_async_fn *f)
{
    long long bytes = cw_task_frame_bytes(tu, f, NULL);
    return bytes >= 0 && bytes <= INT_MAX;
}

char *cw_task_bytes_expr(cw_tu *tu, cw_async_fn *f)
{
    return spellable(tu, f) ? spell_bytes(f) : cw_strdup("0");
}

void cw_spell_task_bytes(cw_tu *tu, cw_async_fn *const *roots, size_t nroots, strbuf *out)
{
    bool *mark = calloc(tu->nfns + 1, sizeof *mark);
    strbuf body;
    sb_init(&body);
    for (size_t i = 0; i < nroots; i++)
        if (spellable(tu, roots[i]))
            spell_enumerator(tu, roots[i], mark, &body);
    if (body.len)
        sb_printf(out, "/* The frame stack a task needs at most while running each function. */\nenum {\n%s};\n",
                  sb_str(&body));
    free(mark);
    sb_free(&body);
}
