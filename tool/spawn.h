/*
 * The ABI entry points of async functions, and ca_run / ca_spawn (spawn.c):
 * part of the lowering, used by the expression half (lower_expr.c), the
 * state machines (lower_stmt.c) and the file's top level (lower_tu.c).
 */
#ifndef CW_SPAWN_H
#define CW_SPAWN_H

#include "lower.h"

/* ca_run/ca_spawn rewritten (spawn.c); args already spelled; the thunk goes to k->prelude.
   `group` spells ca_group_spawn's group, NULL for ca_spawn. */
char *cw_spawn_expr(cw_fn *k, CXCursor call, char **args, int nargs, const char *spawner, const char *group);
char *cw_run_expr(cw_fn *k, CXCursor call, char **args, int nargs);
/* "int f__ca_start(ca_frame *ca__parent, T *ca__ret, P ca__a0, ...)" */
char *cw_abi_proto(cw_tu *tu, cw_async_fn *f);
/* Is f a variadic state machine of this file, whose __ca_start takes `...` and whose __ca_make takes the
   list __ca_start began (variadic.h)? */
bool cw_variadic_entry(const cw_async_fn *f);
/* f__ca_make's prototype: make f's frame without running it. */
char *cw_make_proto(cw_tu *tu, cw_async_fn *f);
/* A frame calling f once with stored arguments: struct NAME_frame, NAME_resume, and NAME_make (make_proto). */
void cw_emit_call_frame(cw_tu *tu, strbuf *p, cw_async_fn *f, const char *name, const char *make_proto, bool plain);
/* ", ca__a0, ca__a1...": an entry's parameters, forwarded. */
char *cw_entry_args(cw_async_fn *f);
/* The ca__spawn_F / ca__run_F helpers of the file, once every frame's size is known. */
void cw_emit_task_helpers(cw_tu *tu, strbuf *out);

#endif
