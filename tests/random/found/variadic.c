/* LIMIT: a variadic async function may suspend only when every use of its variable arguments runs before its first suspension (they live on the C stack of its first call); here va_arg runs in a loop that awaits, so it is refused ("'va_arg' in a loop that suspends"). Diagnosed, never silent; documented in docs/language.md (Variadic async functions). */
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
