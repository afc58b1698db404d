// A variadic async function that can suspend is accepted when every use of
// its variable arguments runs before its first suspension (they live in the
// C stack frame of its first call, its variadic entry). Each use that can run
// later is refused at the use, naming the suspension: after an await (in
// the order the lowering evaluates: an assignment's left side runs after its
// right side's await), in a loop that awaits, where a goto comes back, a
// va_list passed to an async call that can suspend or to a task. ca_spawn
// of one is refused (the task runs after the spawner's arguments are gone).
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.out.c
#include <cawait.h>
#include <stdarg.h>
#include <stdio.h>

static async int g(int x) { await ca_yield(); return x + 1; }
static async int takes(va_list ap) { await ca_yield(); return va_arg(ap, int); }

async int arg_after(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    int r = await g(n);
    // CHECK: variadic-suspend.c:[[@LINE+1]]:10: error: 'va_arg' after a suspension of variadic async function 'arg_after' (the await at line [[@LINE-1]]): its variable arguments live on the C stack of its first call
    r += va_arg(ap, int);
    // CHECK: variadic-suspend.c:[[@LINE+1]]:5: error: 'va_end' after a suspension of variadic async function 'arg_after' (the await at line [[@LINE-3]])
    va_end(ap);
    return r;
}

async int start_after(int n, ...)
{
    va_list ap;
    char buf[32];
    await ca_sleep(0);
    // CHECK: variadic-suspend.c:[[@LINE+1]]:5: error: 'va_start' after a suspension of variadic async function 'start_after' (the await at line [[@LINE-1]])
    va_start(ap, n);
    // CHECK: variadic-suspend.c:[[@LINE+1]]:13: error: 'vsnprintf' with a va_list after a suspension of variadic async function 'start_after' (the await at line [[@LINE-3]])
    int k = vsnprintf(buf, sizeof buf, "%d", ap);
    // CHECK: variadic-suspend.c:[[@LINE+1]]:5: error: 'va_end' after a suspension
    va_end(ap);
    return k;
}

async long in_loop(int n, ...)
{
    va_list ap;
    long s = 0;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        // CHECK: variadic-suspend.c:[[@LINE+1]]:22: error: 'va_arg' in a loop that suspends (the await at line [[@LINE+1]]) in variadic async function 'in_loop'
        s += await g(va_arg(ap, int));
    // CHECK: variadic-suspend.c:[[@LINE+1]]:5: error: 'va_end' in a loop that suspends
    va_end(ap);
    return s;
}

/* The list itself (not a va_arg of it) read after an await: by vsnprintf. */
async int list_after(const char *fmt, ...)
{
    char buf[64];
    va_list ap;
    va_start(ap, fmt);
    await g(1);
    // CHECK: variadic-suspend.c:[[@LINE+1]]:13: error: 'vsnprintf' with a va_list after a suspension of variadic async function 'list_after' (the await at line [[@LINE-1]])
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return n;
}
// CHECK: variadic-suspend.c:[[@LINE-3]]:5: error: 'va_end' after a suspension

async int goto_back(int n, ...)
{
    va_list ap;
    int r = 0;
again:
    // CHECK: variadic-suspend.c:[[@LINE+1]]:5: error: 'va_start' where the goto at line [[@LINE+8]] can come back after a suspension (the await at line [[@LINE+6]]) of variadic async function 'goto_back'
    va_start(ap, n);
    // CHECK: variadic-suspend.c:[[@LINE+1]]:10: error: 'va_arg' where the goto
    r += va_arg(ap, int);
    // CHECK: variadic-suspend.c:[[@LINE+1]]:5: error: 'va_end' where the goto
    va_end(ap);
    r += await g(r);
    if (r < 10)
        goto again;
    return r;
}

async int passes(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    // CHECK: variadic-suspend.c:[[@LINE+1]]:25: error: a va_list passed to an async call that can suspend in variadic async function 'passes'
    int r = await takes(ap);
    va_end(ap);
    return r;
}
// CHECK: variadic-suspend.c:[[@LINE-3]]:5: error: 'va_end' after a suspension

static int count(int n, va_list ap) { int s = 0; while (n-- > 0) s += va_arg(ap, int); return s; }
static async int take_list(va_list ap) { return va_arg(ap, int); }

/* The list read on a pool thread while the function is suspended, or by a task that runs later. */
async int elsewhere(int n, ...)
{
    va_list ap;
    int st;
    va_start(ap, n);
    // CHECK: variadic-suspend.c:[[@LINE+1]]:24: error: a va_list passed to a task that runs later in variadic async function 'elsewhere'
    ca_spawn(take_list(ap));
    // CHECK: variadic-suspend.c:[[@LINE+1]]:41: error: a va_list passed to ca_to_thread, whose call runs while the function is suspended, in variadic async function 'elsewhere'
    int r = await ca_to_thread(count(n, ap), &st);
    va_end(ap);
    return r + st;
}
// CHECK: variadic-suspend.c:[[@LINE-3]]:5: error: 'va_end' after a suspension

/* A computed goto: the tool cannot tell where the code runs again. */
async int computed(int n, ...)
{
    void *back = &&again;
    va_list ap;
    int r = 0;
again:
    // CHECK: variadic-suspend.c:[[@LINE+1]]:5: error: cawait cannot place 'va_start' before the first suspension of variadic async function 'computed' (it has a computed goto or a statement expression that suspends)
    va_start(ap, n);
    // CHECK: variadic-suspend.c:[[@LINE+1]]:10: error: cawait cannot place 'va_arg'
    r += va_arg(ap, int);
    // CHECK: variadic-suspend.c:[[@LINE+1]]:5: error: cawait cannot place 'va_end'
    va_end(ap);
    r += await g(r);
    if (r < 10)
        goto *back;
    return r;
}

/* C leaves the order open; the lowering evaluates the left side of `=` after its right side. */
async int left_side(int n, ...)
{
    int a[4] = {0};
    va_list ap;
    va_start(ap, n);
    // CHECK: variadic-suspend.c:[[@LINE+1]]:7: error: 'va_arg' after a suspension of variadic async function 'left_side' (the await at line [[@LINE+1]])
    a[va_arg(ap, int)] = await g(n);
    // CHECK: variadic-suspend.c:[[@LINE+1]]:5: error: 'va_end' after a suspension
    va_end(ap);
    return a[0];
}

async int right_operand(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    // CHECK: variadic-suspend.c:[[@LINE+1]]:26: error: 'va_arg' after a suspension of variadic async function 'right_operand' (the await at line [[@LINE+1]])
    int r = await g(n) + va_arg(ap, int);
    // CHECK: variadic-suspend.c:[[@LINE+1]]:5: error: 'va_end' after a suspension
    va_end(ap);
    return r;
}

/* Accepted: every use before the first suspension, a forward goto. */
async int fine(int n, ...)
{
    va_list ap;
    if (n < 0)
        goto out;
    va_start(ap, n);
    n += va_arg(ap, int);
    va_end(ap);
    n = await g(n);
out:
    return n;
}

async int user(void)
{
    // CHECK: variadic-suspend.c:[[@LINE+1]]:14: error: ca_spawn of a variadic async function is not supported
    ca_spawn(fine(1, 2));
    return await fine(1, 2);
}

/* Accepted: ca_run's helper is variadic too, and its list lives while the task runs. */
int main(void) { return ca_run(fine(1, 2)); }
