// C23's variadic functions without a named parameter, `f(...)` with
// `va_start(ap)`: the variadic entry starts its list after its own last
// parameter (the result pointer, or the parent frame for a void function).
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c -- -std=c2x
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cc -Wextra %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %clang -std=c2x -w -I%S/../../runtime/include %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s < %t.got
#include <cawait.h>
#include <stdarg.h>
#include <stdio.h>

static int total;

static async int next(int x)
{
    await ca_yield();
    return x + 1;
}

// SHAPE: __builtin_va_start(ca__va, ca__ret);
static async int first_plus_one(...)
{
    va_list ap;
    va_start(ap);
    int a = va_arg(ap, int);
    va_end(ap);
    return await next(a);
}

// SHAPE: __builtin_va_start(ca__va, ca__parent);
static async void add_all(...)
{
    va_list ap;
    va_start(ap);
    for (int v; (v = va_arg(ap, int)) != 0;)
        total += v;
    va_end(ap);
    await next(0);
}

static async int run(void)
{
    await add_all(1, 2, 3, 0);
    return await first_plus_one(41) + total;
}

int main(void)
{
    // CHECK: 48
    printf("%d\n", ca_run(run()));
    return 0;
}
