/*
 * fnptr_async.c's loop as plain C calls (gcc -O2), the leaf noinline; with
 * -DVIA_POINTER through an extern function pointer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static __attribute__((noinline)) unsigned leaf(unsigned x) { return x * 2654435761u + 7; }

unsigned (*leaf_ptr)(unsigned) = leaf;

static __attribute__((noinline)) unsigned drive(long n)
{
    unsigned s = 0;
    for (long i = 0; i < n; i++)
#ifdef VIA_POINTER
        s += leaf_ptr((unsigned)i);
#else
        s += leaf((unsigned)i);
#endif
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
    printf("ns_per_call %.3f %u\n", ns / (double)n, s);
    return 0;
}
