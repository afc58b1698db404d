// alloca and the frame-address builtins in an async function that can
// suspend are refused: alloca's memory is released at each suspension, and
// the C frame is another one after each (the output was wrong; from gcc's
// torture suite, frame-address.c), and so is gcc's __builtin_va_arg_pack,
// which only a function inlined into its caller can use (va-arg-pack-1.c).
// Without a suspension they stay plain C.
// (clang knows no __builtin_va_arg_pack: as the torture suite parses, it is
// then an undeclared function.)
// RUN: not %cawait %s -o %t.out.c -- -Wno-error=implicit-function-declaration 2>&1 | FileCheck %s --implicit-check-not=error:
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

int sink(int n, ...);

/* gcc's forwarding of the variable arguments of an always_inline function inlined into its caller. */
async int forwards(int n, ...)
{
    await ca_yield();
    // CHECK: stack-builtins.c:[[@LINE+2]]:24: error: '__builtin_va_arg_pack_len' in an async function that can suspend: it stands for the variable arguments of a call inlined in its place, and a state machine is never inlined
    // CHECK: stack-builtins.c:[[@LINE+1]]:53: error: '__builtin_va_arg_pack' in an async function that can suspend
    return sink(n, 1 + __builtin_va_arg_pack_len(), __builtin_va_arg_pack());
}

async int never_suspends(int n)
{
    char *p = alloca(n);
    p[0] = 1;
    return p[0];
}

int main(void) { return ca_run(suspends(4)) + ca_run(never_suspends(1)); }
