// A type declared inside an async function moves to file scope when a local
// living across an await has it; where that would change what a name means,
// or the type is built from the function's variables, it is refused.
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s
// RUN: not test -e %t.out.c
#include <cawait.h>
struct taken { int a; };
async int f(int x) { return x; }
async int g(void)
{
    // CHECK: anonymous-struct-local.c:[[@LINE+1]]:12: error: 'taken' is declared inside the function and a local living across an await has its type, but cawait cannot move it to file scope: the name 'taken' is taken at file scope or elsewhere in the function; rename it
    struct taken { long b; } t = {1};
    await ca_yield();
    return (int)t.b;
}
async int h(int n)
{
    // CHECK: anonymous-struct-local.c:[[@LINE+1]]:17: error: 'row' is declared inside the function {{.*}}: its type is a variable-length array
    typedef int row[n];
    row *p = 0;
    await ca_yield();
    return p != 0;
}
async int k(void)
{
    int v = 3;
    // CHECK: anonymous-struct-local.c:[[@LINE+1]]:27: error: 'vt' is declared inside the function {{.*}}: it names the function's variables
    typedef __typeof__(v) vt;
    vt w = v;
    await ca_yield();
    return w;
}
