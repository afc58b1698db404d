/*
 * How many bytes of frames a task holds at most (task_bytes.c), from the
 * frames the lower pass laid out and the callees it noted.
 */
#ifndef CW_TASK_BYTES_H
#define CW_TASK_BYTES_H

#include "strbuf.h"
#include "tu.h"

#define CW_WHY_UNBOUNDED 128 /* the size of a reason for an unbounded task */

/* The most frame-stack bytes a task holds while running f (f's frame and the
   deepest chain below it), or -1 when unbounded (recursion, another file),
   the reason then in why (CW_WHY_UNBOUNDED bytes) unless it is NULL. */
long long cw_task_frame_bytes(cw_tu *tu, cw_async_fn *f, char *why);

/* The same bytes in C, for ca__task_new: "F__ca_task_bytes" (an enumerator
   cw_spell_task_bytes defines from sizeof of the frame structs), the runtime
   wait's "N * CA__OP_FRAME_MAX", or "0" when unbounded (the stack then grows). */
char *cw_task_bytes_expr(cw_tu *tu, cw_async_fn *f);
/* The enum of the F__ca_task_bytes that the roots' expressions name, callees first. */
void cw_spell_task_bytes(cw_tu *tu, cw_async_fn *const *roots, size_t nroots, strbuf *out);

#endif
