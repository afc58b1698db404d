// setjmp and longjmp in an async function that can suspend are refused (the
// output crashed at run time): its C stack frame does not outlive a
// suspension. One that never suspends is plain C and keeps them.
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
#include <cawait.h>
#include <setjmp.h>

static jmp_buf env;
static sigjmp_buf senv;

async int suspends(void)
{
    // CHECK: setjmp.c:[[@LINE+1]]:9: error: '{{_*}}setjmp' (setjmp/longjmp) in an async function that can suspend
    if (setjmp(env))
        return 1;
    // CHECK: setjmp.c:[[@LINE+1]]:9: error: '{{_*}}sigsetjmp' (setjmp/longjmp)
    if (sigsetjmp(senv, 1))
        return 2;
    await ca_yield();
    // CHECK: setjmp.c:[[@LINE+1]]:5: error: 'longjmp' (setjmp/longjmp)
    longjmp(env, 1);
}

async int never_suspends(void)
{
    if (setjmp(env))
        return 1;
    return 0;
}

int main(void) { return ca_run(suspends()) + ca_run(never_suspends()); }
