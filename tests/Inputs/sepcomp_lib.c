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
