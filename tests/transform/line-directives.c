// The generated C carries #line: compiler diagnostics point at the original lines.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc -Wno-error %t.out.c -c -o %t.o 2>&1 | FileCheck %s
#include <cawait.h>

async int f(int x)
{
    await ca_yield();
    int zero = 0;
    await ca_yield();
    // CHECK: line-directives.c.tmp.in.c:[[@LINE+1]]:{{[0-9]+}}: warning: {{.*}}[-Wunused-value]
    x == zero;
    return x;
}
