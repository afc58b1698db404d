// Conditional directives inside expressions that hold or follow an await:
// only the active branch is kept (csmith's safe_math.h is written this way).
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
#include <cawait.h>
#include <stdio.h>

#define FLAVOUR 2
static async int Y(int v) { await ca_yield(); return v; }

async int pick(int si)
{
    int r = await Y(si)
#if FLAVOUR == 1
        * 1000
#else
        * 10
#endif
        + 1;
    await ca_yield();
    return
#ifndef UNSAFE
        (si < 0) ? si :
#endif
        -si + r;
}

int main(void) { printf("%d %d\n", ca_run(pick(5)), ca_run(pick(-5))); return 0; }
// OUT: 46 -5
