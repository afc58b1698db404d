/*
 * `await ca_to_thread(f(args), &status)`: any plain C call on the loop's
 * thread pool, with no wrapper written by the user (to_thread.c).
 */
#ifndef CW_TO_THREAD_H
#define CW_TO_THREAD_H

#include "lower.h"

/* Misuse of ca_to_thread tt (its call must have a prototype, no `...`). */
void cw_check_to_thread(cw_tu *tu, CXCursor tt);
/* The lowering of `await tt`: its value is the call's, zero when status says it did not run. */
cw_val cw_lin_to_thread(cw_fn *k, strbuf *out, CXCursor tt);

#endif
