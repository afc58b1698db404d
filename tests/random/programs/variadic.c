/* a variadic function that is made async: va_arg after other calls. */
#include <stdarg.h>
#include <stdio.h>

static int twice(int x) { return 2 * x; }

static long sum(int n, ...)
{
    va_list ap;
    long s = 0;
    int i;
    va_start(ap, n);
    for (i = 0; i < n; i++)
        s += twice(va_arg(ap, int));
    va_end(ap);
    return s;
}

static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    twice(1);
    vprintf(fmt, ap);
    va_end(ap);
}

int main(void)
{
    say("sum=%ld %ld\n", sum(4, 1, 2, 3, twice(4)), sum(0));
    return 0;
}
