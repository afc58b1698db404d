// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s
#include <cawait.h>
async int g(void)
{
    // CHECK: compound-literal-address.c:[[@LINE+1]]:14: error: cawait cannot keep this compound literal alive across an await
    int *p = (int[]){1, 2};
    await ca_yield();
    return p[1];
}
