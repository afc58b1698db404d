// alloca and the frame-address builtins in an async function that can
// suspend are refused: alloca's memory is released at each suspension, and
// the C frame is another one after each (the output was wrong; from gcc's
// torture suite, frame-address.c). Without a suspension they stay plain C.
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
#include <alloca.h>
#include <cawait.h>

async int suspends(int n)
{
    // CHECK: stack-builtins.c:[[@LINE+1]]:15: error: '__builtin_alloca' in an async function that can suspend: its memory is released when the function suspends
    char *p = alloca(n);
    // CHECK: stack-builtins.c:[[@LINE+1]]:21: error: '__builtin_frame_address' in an async function that can suspend: the function runs on a different C stack frame after each suspension
    const char *f = __builtin_frame_address(0);
    await ca_yield();
    return p[0] + (f != 0);
}

async int never_suspends(int n)
{
    char *p = alloca(n);
    p[0] = 1;
    return p[0];
}

int main(void) { return ca_run(suspends(4)) + ca_run(never_suspends(1)); }
