// A #define inside a statement of an async function that becomes a state
// machine: the statement is rebuilt from the AST, which keeps no directive,
// and the macro would be lost for the rest of the file. Refused at the body.
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not test -e %t.out.c
#include <cawait.h>

async int f(void)
// CHECK: directive-in-statement.c:[[@LINE+1]]:1: error: a #define or #undef inside a statement of async function 'f': cawait rebuilds the statement and cannot keep the directive in it; move it between statements
{
    int v = 1 +
#define Q 4
        Q;
    await ca_yield();
    return v;
}

int main(void) { return ca_run(f()) != 1 + Q; }
