/*
 * Awaiting through an async function pointer against a direct await: a leaf
 * that completes at once, awaited N times in a loop by one async function
 * (a state machine: it yields once first). Built with -DVIA_POINTER the loop
 * awaits the leaf through `leaf_ptr`, an extern async pointer the compiler
 * cannot see through. Transformed by cawait by default (the leaf never
 * suspends, so it is plain C and the pointer holds its __ca_start entry) and
 * with --no-sync-lowering (the leaf is a state machine). fnptr_plain.c is
 * the same loop as plain C calls.
 *
 * usage: fnptr_async N   prints "ns_per_call <ns> <checksum>"
 */
#include <cawait.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef async unsigned leaf_fn(unsigned x);

static __attribute__((noinline)) async unsigned leaf(unsigned x) { return x * 2654435761u + 7; }

leaf_fn *leaf_ptr = leaf;

static async unsigned drive(long n)
{
    unsigned s = 0;
    await ca_yield();
    for (long i = 0; i < n; i++)
#ifdef VIA_POINTER
        s += await leaf_ptr((unsigned)i);
#else
        s += await leaf((unsigned)i);
#endif
    return s;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10000000;
    struct timespec t0, t1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    unsigned s = ca_run(drive(n));
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    double ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
    printf("ns_per_call %.3f %u\n", ns / (double)n, s);
    return 0;
}
