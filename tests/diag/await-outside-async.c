// RUN: rm -f %t.out.c
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s
// RUN: not test -e %t.out.c
#include <cawait.h>
async int f(void) { return 1; }
int g(void)
{
    // CHECK: await-outside-async.c:[[@LINE+1]]:12: error: 'await' outside an async function
    return await f();
}
