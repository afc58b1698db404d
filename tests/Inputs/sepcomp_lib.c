#include "sepcomp.h"
async long acc_add(struct acc *a, int v)
{
    await ca_yield();
    a->sum += v;
    a->n++;
    return a->sum;
}
async struct acc acc_snapshot(const struct acc *a) { await ca_yield(); return *a; }
async int acc_bump(struct acc *a, int by) { a->n += by; return a->n; }
static void count_cleanup(int **p) { ++**p; }
async ca_gen(int) acc_count(int n, int *cleaned)
{
    int *c __attribute__((cleanup(count_cleanup))) = cleaned;
    for (int i = 0; i < n; i++) {
        await ca_yield();
        yield(i);
    }
}
