// Pass "check": stops after the misuse diagnostics; a clean file prints nothing.
// RUN: %cawait %s --dump-after=check | count 0
// RUN: not %cawait %s --dump-after=check -- -DMISUSE 2>&1 | FileCheck %s
#include <cawait.h>
async int f(int x) { return x; }
async int g(void)
{
#ifdef MISUSE
    // CHECK: dump-check.c:[[@LINE+1]]:12: error: call of async function 'f' without 'await'
    return f(1);
#else
    return await f(1);
#endif
}
