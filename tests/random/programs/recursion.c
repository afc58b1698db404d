/* direct and mutual recursion, deep recursion, recursion in expressions. */
#include <stdio.h>

static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static unsigned ack(unsigned m, unsigned n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

static long depth(long n) { if (n == 0) return 0; return 1 + depth(n - 1); }

static void hanoi(int n, int a, int b, int c, unsigned *moves, unsigned *h)
{
    if (n == 0)
        return;
    hanoi(n - 1, a, c, b, moves, h);
    ++*moves;
    *h = *h * 7u + (unsigned)(a * 3 + c);
    hanoi(n - 1, c, b, a, moves, h);
}

int main(void)
{
    unsigned moves = 0, h = 0;
    printf("even(1001)=%d odd(20000)=%d\n", is_even(1001), is_odd(20000));
    printf("fib(22)=%ld ack(2,3)=%u ack(3,3)=%u\n", fib(22), ack(2, 3), ack(3, 3));
    printf("depth=%ld\n", depth(20000));
    hanoi(12, 1, 2, 3, &moves, &h);
    printf("hanoi moves=%u h=%u\n", moves, h);
    return 0;
}
