/*
 * The await fast path: a depth-3 chain of async calls that never suspend
 * (a awaits b awaits c, each doing a little arithmetic), awaited N times in
 * a loop by one async function (a state machine: it yields once first). Transformed by cawait twice: by default
 * (a, b and c can never suspend, so they are lowered to plain C functions)
 * and with --no-sync-lowering (every function a state machine whose frame is
 * on the task's frame stack). chain_plain.c is the same chain as plain C.
 *
 * usage: chain_async N   prints "ns_per_chain <ns> <checksum>"
 */
#include <cawait.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NOINLINE __attribute__((noinline))

static NOINLINE async unsigned c(unsigned x) { return x * 2654435761u + 7; }
static NOINLINE async unsigned b(unsigned x) { return (await c(x) ^ (x >> 3)) + 1; }
static NOINLINE async unsigned a(unsigned x) { return await b(x + 1) * 3; }

/* A real state machine: its first await suspends. */
static async unsigned drive(long n)
{
    unsigned s = 0;
    await ca_yield();
    for (long i = 0; i < n; i++)
        s += await a((unsigned)i);
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
    printf("ns_per_chain %.3f %u\n", ns / (double)n, s);
    return 0;
}
