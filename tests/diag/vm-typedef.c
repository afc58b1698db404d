// A variably modified typedef with an await after it in its block: resuming
// would jump into its scope past the evaluation of its size, which C forbids
// (gcc rejected the output; from gcc's torture suite, 20040411-1.c).
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
#include <cawait.h>

async int size(int i, int j)
{
    await ca_yield();
    // CHECK: vm-typedef.c:[[@LINE+1]]:17: error: cawait cannot resume in the scope of 'c', a variably modified type
    typedef int c[i + 2];
    if (j == 2)
        return sizeof(c);
    await ca_yield();
    return sizeof(c) * 3;
}

async int fine(int i)
{
    {
        typedef int d[i]; /* no await after it in its block */
        i = (int)sizeof(d);
    }
    await ca_yield();
    return i;
}

int main(void) { return ca_run(size(20, 3)) + ca_run(fine(2)); }
