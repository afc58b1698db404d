// A cleanup attribute naming an async function is a use of it as a value: the
// cleanup is called, never awaited (gcc rejected the output: "cleanup argument
// not a function").
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
#include <cawait.h>

static async void release(int *p) { await ca_yield(); (void)p; }
static void plain_release(int *p) { (void)p; }

async int use(void)
{
    // CHECK: cleanup-async.c:[[@LINE+1]]:26: error: async function 'release' used as a value (a cleanup function is called, not awaited)
    int a __attribute__((cleanup(release))) = 1;
    int b __attribute__((__cleanup__(plain_release))) = 2;
    return a + b;
}

int main(void)
{
    // CHECK: cleanup-async.c:[[@LINE+1]]:26: error: async function 'release' used as a value
    int c __attribute__((cleanup(release))) = 0;
    return ca_run(use()) + c;
}
