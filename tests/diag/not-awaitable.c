// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s
#include <cawait.h>
int plain(int x) { return x; }
async int g(void)
{
    // CHECK: not-awaitable.c:[[@LINE+1]]:12: error: 'await' needs a call of an async function
    return await plain(1);
}
