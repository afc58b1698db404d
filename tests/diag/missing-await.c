// RUN: rm -f %t.out.c
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s
// RUN: not test -e %t.out.c
#include <cawait.h>
async int f(int x) { return x; }
async int g(void)
{
    // CHECK: missing-await.c:[[@LINE+3]]:13: error: call of async function 'f' without 'await'
    // CHECK-NEXT: {{^}}    int a = f(1) + await f(2);
    // CHECK-NEXT: {{^}}            ^
    int a = f(1) + await f(2);
    return a;
}
int main(void)
{
    // CHECK: missing-await.c:[[@LINE+1]]:12: error: async function 'f' called outside ca_run or ca_spawn
    return f(3);
}
