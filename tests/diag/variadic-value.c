// What stays refused of variadic async functions: one used as a value (an
// async pointer's call passes no list to start), a generator (its variable
// arguments would have to outlive its first advance), and an await or ca_run
// of one declared here and defined in another file (its entry there takes no
// `...`); ca_run of one defined here is accepted.
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --check-prefix=VALUE --implicit-check-not=error:
// RUN: not %cawait %s -o %t.out.c -- -DLOWER 2>&1 | FileCheck %s --check-prefix=LOWER --implicit-check-not=error:
// RUN: test ! -e %t.out.c
#include <cawait.h>
#include <stdarg.h>

async int elsewhere(int n, ...);

static async int sum(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    int s = va_arg(ap, int);
    va_end(ap);
    return s + await ca_yield();
}

#ifndef LOWER
async int value(void)
{
    // VALUE: variadic-value.c:[[@LINE+1]]:32: error: variadic async function 'sum' used as a value
    async int (*p)(int, ...) = sum;
    return await p(1, 2);
}
#else
// LOWER: variadic-value.c:[[@LINE+1]]:26: error: a generator cannot be variadic: its variable arguments live on the C stack of its first advance
static async ca_gen(int) gen(int n, ...)
{
    yield(n);
}

async int other(void)
{
    int s = 0;
    ca_for (int v, gen(1, 2))
        s += v;
    // LOWER: variadic-value.c:[[@LINE+1]]:16: error: cannot await 'elsewhere': a variadic async function must be defined in this file
    return s + await elsewhere(1, 2) + await sum(1, 2);
}

// LOWER: variadic-value.c:[[@LINE+1]]:32: error: ca_run of a variadic async function that can suspend needs it defined in this file with a named parameter
int main(void) { return ca_run(elsewhere(1, 2)) + ca_run(sum(1, 2)); }
#endif
