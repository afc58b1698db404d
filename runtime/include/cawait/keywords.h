/*
 * The pseudo-keywords of cawait (and ca_task_of, a type).
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

/* cawait-cc first compiles each file as it is, with this defined: a file
   that gets here needs the cawait tool, so that compile must fail. */
#ifdef CAWAIT_CC_PROBE
#error "cawait-cc probe: this file includes <cawait.h>"
#endif

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

/*
 * A typed task handle: `ca_task_of(int) t = ca_spawn(f(x));` declares t as
 * a plain `struct ca_task *` (ca_join, ca_cancel... take it as it is) whose
 * declaration also records T, for the tool: a task spawned into one keeps
 * its value for ca_join_value, and the tool checks T against the spawned
 * call's type and the joiner's variable. T is any type name a function may
 * return.
 */
#define ca_task_of(T) __typeof__((void)(__typeof__(T) *)0, (struct ca_task *)0)

/* ca_group_spawn(g, call): ca_spawn into group g (a ca_group *). */
struct ca_group;
static inline struct ca_task *ca__group_handle(struct ca_group *g)
{
    return (void)g, (struct ca_task *)0;
}
#define ca_group_spawn(group, call) ((void)(call), ca__group_handle(group))

/* Generators: `async ca_gen(T) name(params)`, `yield(v);`, `ca_for (T v, gen(args)) body`. */
#define ca_gen(T) void
#define yield(value) ((void)(value))
#define ca_for(decl, call) for (decl; (void)(call), 0;)

#endif
