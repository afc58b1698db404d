/*
 * Where an async function's code can suspend (suspends.c): shared by the
 * collect pass, which decides which functions can, and the lowering.
 */
#ifndef CW_SUSPENDS_H
#define CW_SUSPENDS_H

#include "tu.h"

/* Does c, code of fn, hold a point where fn can suspend: an await of a callee that can (or an unknown one), a
   yield, a ca_for, a compound literal that `escaping(ctx, literal)` says lives in the frame (escaping may be
   NULL), or, in a state machine, a statement expression holding a jump? sizeof's operand does not count. */
bool cw_suspends_in(cw_tu *tu, cw_async_fn *fn, CXCursor c, bool (*escaping)(void *ctx, CXCursor), void *ctx);
/* Does the statement expression e hold a jump (return, break, continue, goto)? */
bool cw_stmt_expr_jumps(CXCursor e);
/* The async call under an await / ca_run / ca_spawn. */
CXCursor cw_keyword_call(cw_tu *tu, CXCursor keyword);

#endif
