// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s
#include <cawait.h>
async int f(int x) { return x; }
async int g(void)
{
    // CHECK: anonymous-struct-local.c:[[@LINE+1]]:24: error: 'p' lives across an await{{.*}}
    struct { int a; } *p = 0;
    await ca_yield();
    return p != 0;
}
