// typeof of an async callable is an async type (typeof does not evaluate
// it: no use as a value), and _Generic choosing among async functions is
// awaited like a call through an async pointer. Every await suspends; the
// output matches the synchronous twin.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc -Wextra -Werror %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: %clang -std=gnu11 -Wall -Wextra -Werror -fsyntax-only -I%S/../../runtime/include %s
#include <cawait.h>
#include <stdio.h>

static async int inc(int x) { await ca_yield(); return x + 1; }
static async int add2(long x) { await ca_yield(); return (int)x + 2; }
static async int twice(double x) { return (int)(2 * x); } /* never suspends: lowered to plain C */

typedef __typeof__(inc) inc_fn;             /* an async function type */
struct ops { __typeof__(&inc) op; };        /* an async pointer member */

/* Chosen by the argument's type, as a type-generic macro would. */
#define bump(x) _Generic((x), int: inc, long: add2, double: twice)(x)

static async int through(__typeof__(inc) *cb, int v) { return await cb(v); }

static async int run(void)
{
    __typeof__(inc) *p = inc;
    inc_fn *q = &inc;
    struct ops o = { inc };
    __typeof__(await inc(1)) s = 3;
    int a = await bump(10);
    int b = await bump(10L);
    int c = await bump(2.5);
    await ca_yield();
    int d = await p(5) + await q(6) + await o.op(7) + await through(inc, 8);
    // OUT: s=3 a=11 b=12 c=5 d=30
    printf("s=%d a=%d b=%d c=%d d=%d\n", s, a, b, c, d);
    return 0;
}

int main(void) { return ca_run(run()); }
