/*
 * Frame fields kept in C locals between suspension points.
 *
 * The frame's address escapes (every await passes it to the callee as the
 * parent), so a compiler must assume any call may change the fields and
 * reloads them from memory after each one. A scalar field whose address the
 * code never takes is better kept in a local of the resume function: the
 * compiler can give it a register. The local is stored into the frame only
 * on the way out at a suspension, and read back at that resume point, for
 * the fields live there (their spans, frame.h, cover it); parameters are
 * read once on the start path. Nothing outside the resume function reads
 * such a field while the function runs: the generator drops and the tool's
 * own fields are pinned, and fields whose address is taken stay in memory.
 */
#ifndef CW_FIELD_CACHE_H
#define CW_FIELD_CACHE_H

#include "lower.h"

typedef struct cw_field_cache {
    char *code;      /* the resume code, the cached fields named by their locals, stores before each suspension */
    strbuf decls;    /* the locals' declarations, for the top of the resume function */
    strbuf start;    /* the start path's loads (parameters), after the resume switch */
    strbuf *reloads; /* [state - 1]: the loads at that resume point */
    int nstates;
} cw_field_cache;

/*
 * Rewrite k's finished resume code (after share_storage: spans widened).
 * Nothing is cached (c->code is a copy, the rest empty) when the function
 * has no suspension point, or when its spans were not widened over loops
 * (a computed goto turns sharing off). setjmp, whose locals are
 * indeterminate after a longjmp, is refused in a function that suspends.
 */
void cw_cache_fields(cw_fn *k, const char *code, cw_field_cache *c);
/* By field: does the code (`&ca__f->x`) or the function's AST (`&x`) take its address? The caller frees. */
bool *cw_address_taken(cw_fn *k, const char *code);
void cw_field_cache_free(cw_field_cache *c);
/* The end of the string or character literal or comment starting at p, or p when none starts there. */
const char *cw_skip_literal(const char *p);

#endif
