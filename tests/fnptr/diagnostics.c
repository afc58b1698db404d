// Mixing async and plain callables, and calling through an async pointer
// without await: each a diagnostic at the value's line and column.
// RUN: rm -f %t.out.c
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not test -e %t.out.c
#include <cawait.h>
#include <stddef.h>

typedef async int afn(int);
typedef int pfn(int);
struct ops { async int (*read)(int); int (*plain)(int); };
async int f(int x) { return x; }
int g(int x) { return x; }
void take_plain(int (*cb)(int));
void take_async(afn *cb);
async ca_gen(int) gen(int n) { yield(n); }

// CHECK: diagnostics.c:[[@LINE+1]]:18: error: async function 'f' initialises a plain function pointer
int (*fp)(int) = &f;
// CHECK: diagnostics.c:[[@LINE+1]]:11: error: plain function 'g' initialises an async function pointer
afn *ap = g;
// CHECK: diagnostics.c:[[@LINE+1]]:40: error: plain function 'g' initialises an async function pointer
static const struct ops o1 = { .read = g, .plain = g };
// CHECK: diagnostics.c:[[@LINE+1]]:35: error: async function 'f' initialises a plain function pointer
static const struct ops o2 = { f, f };
// CHECK: diagnostics.c:[[@LINE+1]]:23: error: plain function 'g' initialises an async function pointer
static afn *tab[] = { g, f };

afn *ret_plain(void)
{
    // CHECK: diagnostics.c:[[@LINE+1]]:12: error: plain function 'g' returned as an async function pointer
    return g;
}

async int user(afn *p, pfn *q)
{
    // CHECK: diagnostics.c:[[@LINE+1]]:13: error: call through an async function pointer without 'await'
    int a = p(1);
    // CHECK: diagnostics.c:[[@LINE+1]]:9: error: async function pointer assigned to a plain function pointer
    q = p;
    // CHECK: diagnostics.c:[[@LINE+1]]:16: error: async function pointer passed for a plain function pointer
    take_plain(p);
    // CHECK: diagnostics.c:[[@LINE+1]]:16: error: plain function pointer passed for an async function pointer
    take_async(q);
    // CHECK: diagnostics.c:[[@LINE+1]]:21: error: plain function pointer cast to an async function pointer
    afn *c = (afn *)q;
    // CHECK: diagnostics.c:[[@LINE+1]]:17: error: plain function pointer mixed in '?:' with an async function pointer
    c = a ? p : q;
    // CHECK: diagnostics.c:[[@LINE+1]]:21: error: 'await' needs a call of an async function
    return a + (int)await q(2);
}

/* typeof of a callable keeps its kind; a _Generic whose choices of one type mix the kinds cannot be read. */
async int typed(void)
{
    // CHECK: diagnostics.c:[[@LINE+1]]:25: error: plain function 'g' initialises an async function pointer
    __typeof__(f) *tp = g;
    // CHECK: diagnostics.c:[[@LINE+1]]:25: error: async function 'f' initialises a plain function pointer
    __typeof__(g) *tq = f;
    // CHECK: diagnostics.c:[[@LINE+2]]:12: error: 'await' needs a call of an async function
    // CHECK: diagnostics.c:[[@LINE+1]]:18: error: cawait cannot tell whether this _Generic chooses an async or a plain function
    return await _Generic(1, int: f, default: g)(2);
}

/* Through '...' or to a function without a prototype, the callee's parameter type is unknown: an async
   callable needs an explicit cast to say the callee expects an async pointer (tests/fnptr/variadic.c). */
void take_any(int n, ...);
int take_unprototyped();
void untyped(afn *p)
{
    // CHECK: diagnostics.c:[[@LINE+1]]:17: error: async function 'f' passed where the callee declares no parameter type (through '...' or without a prototype)
    take_any(1, f);
    // CHECK: diagnostics.c:[[@LINE+1]]:23: error: async function pointer passed where the callee declares no parameter type
    take_unprototyped(&*p);
    take_any(2, (afn *)f, (void *)p);
}

int main(void)
{
    afn *p = f;
    // CHECK: diagnostics.c:[[@LINE+1]]:12: error: call through an async function pointer outside ca_run or ca_spawn
    return p(1) + (gen == NULL);
    // CHECK: diagnostics.c:[[@LINE-1]]:20: error: generator 'gen' used as a value; iterate it with ca_for
}
