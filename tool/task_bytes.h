/*
 * How many bytes of frames a task holds at most (task_bytes.c), from the
 * frames the lower pass laid out and the callees it noted.
 */
#ifndef CW_TASK_BYTES_H
#define CW_TASK_BYTES_H

#include "tu.h"

#define CW_WHY_UNBOUNDED 128 /* the size of a reason for an unbounded task */

/* The most frame-stack bytes a task holds while running f (f's frame and the
   deepest chain below it), or -1 when unbounded (recursion, another file),
   the reason then in why (CW_WHY_UNBOUNDED bytes) unless it is NULL. */
long long cw_task_frame_bytes(cw_tu *tu, cw_async_fn *f, char *why);

#endif
