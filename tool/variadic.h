/*
 * Variadic async functions that suspend (variadic.c).
 *
 * Their variable arguments live in the C stack frame of f__ca_start, the
 * variadic entry, for as long as the first run of the resume function (up
 * to the first suspension): the entry starts its own va_list, lends the
 * frame its address (the field ca__va), runs the first resume and ends the
 * list. The user's va_start(ap, last) becomes a copy of that list; every
 * use of the variable arguments must run before the first suspension.
 *
 * The check is made on the lowered code, whose order is the order it runs
 * in: each use is marked where the lowering writes it, then compared with
 * the suspension points, the loops that hold one and the user's jumps back.
 */
#ifndef CW_VARIADIC_H
#define CW_VARIADIC_H

#include "lower.h"

/* Is t a va_list, or a pointer, array or record that holds or points to one (what a call must not be passed)? */
bool cw_va_type(CXType t);
/* Is e `va_arg(ap, T)` (clang's VAArgExpr, unexposed in libclang)? */
bool cw_is_va_arg(cw_tu *tu, CXCursor e);
/* The va_list operand of va_arg e. */
CXCursor cw_va_arg_list(CXCursor e);
/* Is call `va_start(ap, last)` (__builtin_va_start)? */
bool cw_is_va_start(CXCursor call);

/* Start lowering k's variadic function with this body: what the AST alone refuses (a va_list passed to an
   async call that can suspend or to another thread, an unsupported target); k->va is set. */
void cw_va_begin(cw_fn *k, CXCursor body);
/* The mark (a string, caller frees) to write just before c's code when c uses the variable arguments: a
   va_start/va_arg/va_copy/va_end, a call passing a va_list, any other expression of such a type. NULL
   otherwise, or when k's function is not a variadic state machine. */
char *cw_va_mark(cw_fn *k, CXCursor c);
/* va_start(ap, ...) in the resume function, given how the code names ap: a copy of the entry's list. */
char *cw_va_start_copy(const char *ap);
/* The user's label or goto c (not a computed one), lowered from `at` in k->code. */
void cw_va_note_jump(cw_fn *k, CXCursor c, long at);
/* After lowering: every mark in code must precede all suspensions (an error at each use that does not);
   marks elsewhere (from `from` in other) cannot be placed and are refused. The marks become spaces,
   so positions stay. Frees k->va. */
void cw_va_end(cw_fn *k, strbuf *code, strbuf *other, size_t from);

#endif
