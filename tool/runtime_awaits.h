/*
 * What the tool knows about libcawait's own awaits, beyond their
 * prototypes: the marks its headers put on them (runtime.h).
 */
#ifndef CAWAIT_RUNTIME_AWAITS_H
#define CAWAIT_RUNTIME_AWAITS_H

#include "tu.h"

#include <stdbool.h>

/* Read the runtime's mark on decl, a declaration of f: sets f->from_cawait and
   what the mark says; an error for a mark the tool does not know. */
void cw_read_runtime_mark(cw_tu *tu, cw_async_fn *f, CXCursor decl);
/* The most frame stack f (a runtime await) pushes while it waits: abi.h's CA__OP_FRAME_MAX, or 0. */
long long cw_runtime_wait_bytes(const cw_async_fn *f);
/*
 * Is f a runtime await whose result is read when the task resumes, by
 * `T f__ca_result(ca_task *)`, rather than written through a result pointer
 * (its f__ca_start then takes none)? ca_yield is: a yield costs the task
 * nothing but its resume point, and an unused result costs nothing at all.
 */
bool cw_result_on_resume(const cw_async_fn *f);

#endif
