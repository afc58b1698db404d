/*
 * chain_async.c's chain as plain C calls (gcc -O2), a, b and c noinline like
 * the async ones; with -DCHAIN_INLINE they may be inlined (the reference for
 * C++'s elided variant, where clang inlines the coroutines).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifdef CHAIN_INLINE
#define NOINLINE
#else
#define NOINLINE __attribute__((noinline))
#endif

static NOINLINE unsigned c(unsigned x) { return x * 2654435761u + 7; }
static NOINLINE unsigned b(unsigned x) { return (c(x) ^ (x >> 3)) + 1; }
static NOINLINE unsigned a(unsigned x) { return b(x + 1) * 3; }

static __attribute__((noinline)) unsigned drive(long n)
{
    unsigned s = 0;
    for (long i = 0; i < n; i++)
        s += a((unsigned)i);
    return s;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10000000;
    struct timespec t0, t1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    unsigned s = drive(n);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    double ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
    printf("ns_per_chain %.3f %u\n", ns / (double)n, s);
    return 0;
}
