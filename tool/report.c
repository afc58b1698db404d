/*
 * What the passes found, printed for people and for lit tests:
 *   --dump-after=parse    the pseudo-keywords clang's parse holds, with locations
 *   --dump-after=collect  the async functions and which of them can suspend
 *   --dump-after=lower    each state machine's frame, field by field
 *   --frame-report        frame sizes and the worst-case bytes per task (task_bytes.c)
 */
#include "report.h"
#include "task_bytes.h"

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
    const char *what = cw_is_await(tu, c)      ? "await"
                       : cw_is_ca_run(tu, c)   ? "ca_run"
                       : cw_is_ca_spawn(tu, c) ? "ca_spawn"
                       : cw_is_yield(tu, c)    ? "yield"
                       : cw_is_ca_for(tu, c)   ? "ca_for"
                                               : NULL;
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
        if (f->lowered.frame.size)
            cw_frame_print(&f->lowered.frame, f->name);
    }
}

void cw_frame_report(cw_tu *tu)
{
    printf("%-24s %12s  %s\n", "async function", "frame bytes", "worst-case frame bytes of a task running it");
    for (size_t i = 0; i < tu->nfns; i++) {
        cw_async_fn *f = &tu->fns[i];
        if (!f->defined_here)
            continue;
        if (!f->can_suspend) {
            printf("%-24s %12s  %s\n", f->name, "-", "plain C function: uses the C stack, no frame");
            continue;
        }
        char why[CW_WHY_UNBOUNDED];
        long long bytes = cw_task_frame_bytes(tu, f, why);
        if (bytes >= 0)
            printf("%-24s %12lld  %lld\n", f->name, f->lowered.frame.size, bytes);
        else
            printf("%-24s %12lld  unbounded: %s\n", f->name, f->lowered.frame.size, why);
    }
}
