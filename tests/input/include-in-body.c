// A header included inside the body of an async function that becomes a
// state machine: one error at the #include, none from inside the header.
// RUN: rm -f %t.out.c
// RUN: not %cawait %s -o %t.out.c 2> %t.err
// RUN: FileCheck %s < %t.err
// RUN: not grep -q 'usr/include' %t.err
// RUN: not test -e %t.out.c
#include <cawait.h>
async int f(int x)
{
    await ca_yield();
// CHECK: include-in-body.c:[[@LINE+1]]:10: error: #include inside the body of async function 'f': cawait cannot lower a header's declarations into a state machine; include it at file scope
#include <stdio.h>
    printf("%d\n", x);
    return x;
}
// CHECK-NOT: error
