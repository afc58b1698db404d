/*
 * Generator iteration cost (issue 6: at most 3x a plain function call per
 * element). The same sequence is produced three ways:
 *   plain   a noinline C function called once per element
 *   gen     an async generator iterated with ca_for (never suspends)
 *   await   an async function awaited once per element (a plain call once lowered)
 * Each prints ns per element, best of 7 runs.
 */
#include <cawait.h>
#include <stdio.h>
#include <time.h>

#define N 20000000

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

__attribute__((noinline)) static long next_value(long i) { return i * 3 + 1; }

static async ca_gen(long) values(long n)
{
    for (long i = 0; i < n; i++)
        yield(i * 3 + 1);
}

__attribute__((noinline)) static async long next_async(long i) { return i * 3 + 1; }

static async long sum_gen(void)
{
    long s = 0;
    ca_for (long v, values(N))
        s += v;
    return s;
}

static async long sum_await(void)
{
    long s = 0;
    for (long i = 0; i < N; i++)
        s += await next_async(i);
    return s;
}

static long sum_plain(void)
{
    long s = 0;
    for (long i = 0; i < N; i++)
        s += next_value(i);
    return s;
}

int main(void)
{
    double best[3] = {1e9, 1e9, 1e9};
    long check[3];
    for (int rep = 0; rep < 7; rep++) {
        double t0 = now();
        check[0] = sum_plain();
        double t1 = now();
        check[1] = ca_run(sum_gen());
        double t2 = now();
        check[2] = ca_run(sum_await());
        double t3 = now();
        double d[3] = {t1 - t0, t2 - t1, t3 - t2};
        for (int i = 0; i < 3; i++)
            if (d[i] < best[i])
                best[i] = d[i];
    }
    if (check[0] != check[1] || check[0] != check[2]) {
        fprintf(stderr, "results differ: %ld %ld %ld\n", check[0], check[1], check[2]);
        return 1;
    }
    printf("%-34s %10s %8s\n", "per element", "ns", "x plain");
    printf("%-34s %10.2f %8.2f\n", "plain noinline call", best[0] * 1e9 / N, 1.0);
    printf("%-34s %10.2f %8.2f\n", "cawait generator (ca_for)", best[1] * 1e9 / N, best[1] / best[0]);
    printf("%-34s %10.2f %8.2f\n", "cawait await (lowered to a call)", best[2] * 1e9 / N, best[2] / best[0]);
    return 0;
}
