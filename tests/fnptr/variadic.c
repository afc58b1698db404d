// Async function pointers passed through '...' with an explicit cast to their
// async type, read back with va_arg and awaited: the output matches the
// synchronous twin. Without the cast the tool refuses (fnptr/diagnostics.c),
// since a callee without a declared parameter type might call the value as a
// plain function (torture pr47237.c passed one to __builtin_apply).
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc -Wextra -Werror %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s < %t.got
#include <cawait.h>
#include <stdarg.h>
#include <stdio.h>

typedef async int afn(int);

static async int twice(int x)
{
    await ca_yield();
    return 2 * x;
}

static async int square(int x) { return x * x; }

/* A plain variadic function reads the pointers back (a variadic async function cannot suspend). */
static int collect(afn **out, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        out[i] = va_arg(ap, afn *);
    va_end(ap);
    return n;
}

static async int outer(void)
{
    afn *p = square, *fs[3];
    int n = collect(fs, 3, (afn *)twice, (afn *)p, (afn *)&square);
    int s = 0;
    for (int i = 0; i < n; i++)
        s += await fs[i](i + 3);
    return s;
}

int main(void)
{
    // CHECK: 47
    printf("%d\n", ca_run(outer()));
    return 0;
}
