// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s
#include <cawait.h>
async int f(int x) { return x; }
async int g(int n)
{
    // CHECK: vla-across-await.c:[[@LINE+1]]:10: error: 'buf' lives across an await but has a variable-length array type
    char buf[n];
    buf[0] = 1;
    await ca_yield();
    return buf[0];
}
