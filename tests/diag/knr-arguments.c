// A function defined without a prototype and called with another number of
// arguments (gcc accepts it): its entry point has a prototype, so the call is
// refused rather than left to fail to compile (from gcc's torture suite,
// 921208-2.c).
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
#include <cawait.h>

async int g() { await ca_yield(); return 1; }

async int f(void)
{
    // CHECK: knr-arguments.c:[[@LINE+1]]:18: error: call of async function 'g' with 2 arguments; it is defined with 0 parameters
    return await g(1.0, 2.0) + await g();
}

int main()
{
    // CHECK: knr-arguments.c:[[@LINE+1]]:19: error: call of async function 'g' with 1 argument; it is defined with 0 parameters
    return ca_run(g(3)) + ca_run(f());
}
