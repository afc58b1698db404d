/* switch with cases on both sides of calls, fall-through, goto loops,
 * break/continue, do-while, calls in every loop header position. */
#include <stdio.h>

static unsigned trace;
static int tick(int x) { trace = trace * 31u + (unsigned)x; return x; }
static int pos(int x) { return tick(x) > 0; }

static int classify(int v)
{
    int r = 0;
    switch (tick(v % 7)) {
    case 0:
        r += tick(1);
    case 1:                              /* fall-through from 0 */
        r += tick(2);
        break;
    case 2: {
        int k = tick(v);
        if (k & 1)
            break;
        r = k * tick(3);
    }
    /* fall through */
    case 3:
        r -= tick(4);
        goto out;
    default:
        switch (tick(v & 3)) {
        case 0: return tick(-1);
        case 1: r = 5; break;
        default: r = tick(6);
        }
    }
    r += tick(7);
out:
    return r + tick(8);
}

static int loops(int n)
{
    int s = 0, i, j;
    for (i = tick(0); i < tick(n); i += tick(1)) {
        if (tick(i) % 3 == 0)
            continue;
        for (j = 0; pos(j - i); j++)
            ;
        s += i;
        if (s > tick(40))
            break;
    }
    i = 0;
    while (tick(i) < n) {
        i++;
        if (i == 2)
            continue;
        s ^= tick(i);
    }
    do {
        s += tick(i--);
    } while (pos(i));
    i = 0;
again:
    s += tick(i);
    if (++i < tick(4))
        goto again;
    for (;;) {
        if (tick(s) & 1)
            break;
        s >>= 1;
    }
    return s;
}

static int early(int x)
{
    if (x < 0)
        return tick(-x);
    while (x > 10) {
        if (tick(x) % 4 == 0)
            return tick(x / 4);
        x--;
    }
    return tick(x);
}

int main(void)
{
    int i, s = 0;
    for (i = -3; i < 20; i++) {
        s += classify(i) * 3; /* two calls in one expression would run in */
        s += early(i * 5);    /* an unspecified order, and both tick */
    }
    s += loops(7) + loops(12);
    printf("s=%d trace=%u\n", s, trace);
    return 0;
}
