/*
 * The pseudo-keywords of cawait.
 *
 * Each one expands to plain C, so a source file that uses them is valid to
 * gcc, clang and clangd with -Wall -Wextra and its types are right for the
 * IDE: `await f(x)` has the type f returns, `ca_run(f(x))` too, and
 * `ca_spawn(f(x))` is a ca_task pointer.
 *
 * The cawait tool recognises each pseudo-keyword by the spelling location of
 * its expansion: a token spelled on one of the #define lines below. Keep each
 * definition on its own line and do not reuse these expansions elsewhere.
 */
#ifndef CAWAIT_KEYWORDS_H
#define CAWAIT_KEYWORDS_H

#if defined(__clang__)
#define async __attribute__((annotate("cawait_async")))
#else
#define async
#endif

/* A prefix unary operator that keeps its operand's type, void and struct included. */
#define await __extension__

#define ca_run(call) (call)
#define ca_spawn(call) ((void)(call), (struct ca_task *)0)
/* await ca_to_thread(f(args), &status): f(args) on the thread pool; status 0, or why it did not run to its end. */
#define ca_to_thread(call, status) (*(status) = 0, (call))

/* Generators: `async ca_gen(T) name(params)`, `yield(v);`, `ca_for (T v, gen(args)) body`. */
#define ca_gen(T) void
#define yield(value) ((void)(value))
#define ca_for(decl, call) for (decl; (void)(call), 0;)

#endif
