// Names beginning with ca__ belong to the generated code: a declaration in
// the body of a state machine that would keep such a name in the output is
// refused. Frame variables and parameters are renamed, so they may use them.
// Names outside the state machines: reserved-names-sync.c.
// RUN: rm -f %t.out.c
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not test -e %t.out.c
#include <cawait.h>
async int f(int ca__x)
{
    int ca__t = ca__x + 1; // lives across the await: a frame field
    await ca_yield();
    {
        // CHECK: reserved-names.c:[[@LINE+3]]:13: error: 'ca__f' is reserved for cawait's generated code (names beginning with 'ca__'); rename it
        // CHECK-NEXT: {{^}}        int ca__f = 3;
        // CHECK-NEXT: {{^}}            ^
        int ca__f = 3;
        ca__t += ca__f;
    }
    // CHECK: reserved-names.c:[[@LINE+1]]:16: error: 'ca__calls' is reserved for cawait's generated code (names beginning with 'ca__'); rename it
    static int ca__calls;
    // CHECK: reserved-names.c:[[@LINE+1]]:12: error: 'ca__pair' is reserved for cawait's generated code (names beginning with 'ca__'); rename it
    struct ca__pair { int a, b; };
    // CHECK: reserved-names.c:[[@LINE+1]]:17: error: 'ca__int' is reserved for cawait's generated code (names beginning with 'ca__'); rename it
    typedef int ca__int;
    ca__calls++;
// CHECK: reserved-names.c:[[@LINE+1]]:1: error: 'ca__s1' is reserved for cawait's generated code (names beginning with 'ca__'); rename it
ca__s1:
    return ca__t;
}
int main(void) { return ca_run(f(1)) == 5 ? 0 : 1; }
