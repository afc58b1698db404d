/*
 * What the tool knows about libcawait's own awaits (those declared in the
 * cawait headers), beyond their prototypes.
 */
#ifndef CAWAIT_RUNTIME_AWAITS_H
#define CAWAIT_RUNTIME_AWAITS_H

#include "tu.h"

#include <stdbool.h>

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
