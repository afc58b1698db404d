// A jump into the scope of a variable-length array stays an error, as in C
// (clang's own), also when the array lives across an await and no longer is
// a C array in the generated code.
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s
// RUN: not test -e %t.out.c
#include <cawait.h>
async int g(int n)
{
    // CHECK: vla-across-await.c:[[@LINE+1]]:5: error: cannot jump from this goto statement to its label
    goto in;
    {
        char buf[n];
    in:
        buf[0] = 1;
        await ca_yield();
        return buf[0];
    }
}
