// Misuse of ca_to_thread, each at its line.
// RUN: rm -f %t.out.c
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not test -e %t.out.c
#include <cawait.h>
#include <stdio.h>
static int plain(int x) { return x; }
async int f(int x) { return x; }
async int g(void)
{
    int st;
    // CHECK: diagnostics.c:[[@LINE+1]]:13: error: ca_to_thread without 'await'
    int a = ca_to_thread(plain(1), &st);
    // CHECK: diagnostics.c:[[@LINE+1]]:32: error: call of async function 'f' without 'await'
    int b = await ca_to_thread(f(2), &st);
    // CHECK: diagnostics.c:[[@LINE+1]]:32: error: ca_to_thread cannot pass variable arguments to another thread
    int c = await ca_to_thread(printf("%d", 3), &st);
    return a + b + c;
}
int main(void)
{
    int st;
    // CHECK: diagnostics.c:[[@LINE+1]]:12: error: 'await' outside an async function
    return await ca_to_thread(plain(3), &st) + ca_run(g());
}
