// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s
#include <cawait.h>
async int f(int x) { return x; }
async int g(void)
{
    // CHECK: run-in-async.c:[[@LINE+1]]:12: error: ca_run inside an async function would block its loop
    return ca_run(f(1));
}
