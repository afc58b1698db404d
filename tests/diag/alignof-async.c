// __alignof__ of an async function is the function's own alignment
// (aligned(N)): one lowered to plain C keeps its name there, and gives it;
// one that becomes a state machine has no function of that name, and its
// entry is another function: refused, not answered with the entry's
// alignment (from gcc's torture suite, align-3.c).
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: %strip-checks %s | sed 's/NOSUSPEND await ca_yield();//' > %t.plain.c
// RUN: %cawait %t.plain.c -o %t.plain.out.c
// RUN: %cc %t.plain.out.c %libcawait -o %t.exe && %t.exe
#include <cawait.h>
#include <stdlib.h>

async void quick(void) __attribute__((aligned(256)));
async void quick(void) {}
async void slow(void) __attribute__((aligned(256)));
#define NOSUSPEND /* marks the await the second run removes, so that slow never suspends */
async void slow(void) { NOSUSPEND await ca_yield(); }

int main(void)
{
    if (__alignof__(quick) != 256)
        abort();
    // CHECK: alignof-async.c:[[@LINE+1]]:9: error: cawait cannot take the alignment of async function 'slow'
    if (__alignof__(slow) != 256)
        abort();
    return 0;
}
