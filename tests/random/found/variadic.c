/* LIMIT: a variadic async function that suspends is refused ("a variadic async function cannot suspend"): its variable arguments live on the C stack of its first call. One that never suspends is a plain C function and works (programs/variadic.c in plain mode). Diagnosed, never silent; documented in docs/design.md. */
// STATUS: open
// EXPECT: sum=28 0
#include <cawait.h>
#include <stdarg.h>
#include <stdio.h>

static async int twice(int x) { await ca_yield(); return 2 * x; }

static async long sum(int n, ...)
{
    va_list ap;
    long s = 0;
    int i;
    va_start(ap, n);
    for (i = 0; i < n; i++)
        s += await twice(va_arg(ap, int));
    va_end(ap);
    return s;
}

int main(void)
{
    long a = ca_run(sum(4, 1, 2, 3, 8)), b = ca_run(sum(0));
    printf("sum=%ld %ld\n", a, b);
    return 0;
}
