/*
 * Pass "lower": the main file's top-level declarations, in file order,
 * lowered to edits of its text (lower_tu.c). A state machine for each async
 * function that can suspend, entries for the others, __ca_start prototypes,
 * ca_run/ca_spawn rewritten; what emit (emit.h) then applies. The frames it
 * lays out stay in each cw_async_fn, for --dump-after=lower and the report.
 */
#ifndef CW_LOWER_TU_H
#define CW_LOWER_TU_H

#include "tu.h"

/* A #line for generated code, pointing at the output file itself (its
   number is filled in by emit), so that debuggers never map generated
   code onto the user's lines. */
#define CW_SELF_LINE "#line __cawait_self__\n"

/*
 * In place of the main-file text [begin, end): generated code `pre`, the
 * user's text `user` (on its own lines again), generated `post`. Any of them
 * may be NULL; an empty user text still stands for [begin, end).
 */
typedef struct cw_edit {
    unsigned begin, end;
    char *pre, *user, *post;
} cw_edit;

typedef struct cw_lowered_tu {
    cw_edit *edits; /* in file order, not overlapping */
    size_t nedits;
    char *helpers; /* the ca__spawn_F / ca__run_F helpers to define at the end, or NULL */
} cw_lowered_tu;

/* Lower tu into *l; the errors are tu's (l is then incomplete). */
void cw_lower(cw_tu *tu, cw_lowered_tu *l);
void cw_lowered_free(cw_lowered_tu *l);

#endif
