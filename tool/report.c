/*
 * What the passes found, printed for people and for lit tests:
 *   --dump-after=parse    the pseudo-keywords clang's parse holds, with locations
 *   --dump-after=collect  the async functions and which of them can suspend
 *   --dump-after=lower    each state machine's frame, field by field
 *   --frame-report        frame sizes and the worst-case bytes per task (a runtime
 *                         await counts what it pushes: runtime_awaits.c)
 */
#include "runtime_awaits.h"
#include "tu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_loc(CXCursor c)
{
    CXFile f;
    unsigned line, col;
    clang_getFileLocation(clang_getCursorLocation(c), &f, &line, &col, NULL);
    printf("%u:%u", line, col);
}

static enum CXChildVisitResult dump_keyword(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    cw_tu *tu = d;
    const char *what = cw_is_await(tu, c) ? "await" : cw_is_ca_run(tu, c) ? "ca_run"
                     : cw_is_ca_spawn(tu, c) ? "ca_spawn" : cw_is_yield(tu, c) ? "yield"
                     : cw_is_ca_for(tu, c) ? "ca_for" : NULL;
    if (what) {
        printf("%s ", what);
        print_loc(c);
        printf("\n");
    }
    return CXChildVisit_Recurse;
}

static enum CXChildVisitResult dump_top(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    cw_tu *tu = d;
    CXFile f;
    clang_getExpansionLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
    if (f && clang_File_isEqual(f, tu->main_file))
        clang_visitChildren(c, dump_keyword, tu);
    return CXChildVisit_Continue;
}

void cw_dump_parse(cw_tu *tu)
{
    clang_visitChildren(clang_getTranslationUnitCursor(tu->tu), dump_top, tu);
}

void cw_dump_collect(cw_tu *tu)
{
    for (size_t i = 0; i < tu->nfns; i++) {
        cw_async_fn *f = &tu->fns[i];
        if (f->from_cawait)
            continue; /* the runtime's own awaitables */
        printf("%s%s: %s, %s", f->is_gen ? "generator " : "async ", f->name,
               f->defined_here ? "defined here" : "declared only",
               f->can_suspend ? "state machine" : "plain C function (cannot suspend)");
        if (f->is_gen)
            printf(", yields %s", f->gen_t);
        printf("\n");
    }
}

void cw_dump_frames(cw_tu *tu)
{
    for (size_t i = 0; i < tu->nfns; i++) {
        cw_async_fn *f = &tu->fns[i];
        if (f->frame.size)
            cw_frame_print(&f->frame, f->name);
    }
}

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
    char why[128];
};

static struct worst worst_of(cw_tu *tu, cw_async_fn *f, int *mark, struct worst *memo)
{
    size_t i = (size_t)(f - tu->fns);
    if (mark[i] == DONE)
        return memo[i];
    /* A frame aligned beyond the stack's 8-byte granule may need padding before it. */
    struct worst w = {f->frame.size + (f->frame.align > 8 ? f->frame.align - 8 : 0), true, ""};
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
    if (f->has_vla) { /* its arrays' blocks are sized at run time */
        w.bounded = false;
        snprintf(w.why, sizeof w.why, "%s holds a variable-length array", f->name);
    }
    if (f->awaits_pointer) {
        w.bounded = false;
        snprintf(w.why, sizeof w.why, "%s awaits through a function pointer", f->name);
        return w;
    }
    mark[i] = VISITING;
    long long deepest = 0;
    for (size_t j = 0; j < f->ncallees + f->niterated; j++) {
        bool iterated = j >= f->ncallees;
        struct worst c = worst_of(tu, iterated ? f->iterated[j - f->ncallees] : f->callees[j], mark, memo);
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

long long cw_task_frame_bytes(cw_tu *tu, cw_async_fn *f)
{
    int *mark = calloc(tu->nfns + 1, sizeof *mark);
    struct worst *memo = calloc(tu->nfns + 1, sizeof *memo);
    struct worst w = worst_of(tu, f, mark, memo);
    free(mark);
    free(memo);
    return w.bounded ? w.bytes : -1;
}

void cw_frame_report(cw_tu *tu)
{
    int *mark = calloc(tu->nfns + 1, sizeof *mark);
    struct worst *memo = calloc(tu->nfns + 1, sizeof *memo);
    printf("%-24s %12s  %s\n", "async function", "frame bytes", "worst-case frame bytes of a task running it");
    for (size_t i = 0; i < tu->nfns; i++) {
        cw_async_fn *f = &tu->fns[i];
        if (!f->defined_here)
            continue;
        if (!f->can_suspend) {
            printf("%-24s %12s  %s\n", f->name, "-", "plain C function: uses the C stack, no frame");
            continue;
        }
        memset(mark, 0, (tu->nfns + 1) * sizeof *mark);
        struct worst w = worst_of(tu, f, mark, memo);
        if (w.bounded)
            printf("%-24s %12lld  %lld\n", f->name, f->frame.size, w.bytes);
        else
            printf("%-24s %12lld  unbounded: %s\n", f->name, f->frame.size, w.why);
    }
    free(mark);
    free(memo);
}
