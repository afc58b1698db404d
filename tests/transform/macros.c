// await inside the arguments of the user's own macros, including macros
// that evaluate an argument twice and macros that return.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe > %t.vg.got && diff %t.want %t.vg.got
#include <cawait.h>
#include <stdio.h>

#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define CHECK(x) do { if ((x) < 0) { printf("check failed at %d\n", __LINE__); return -1; } } while (0)
#define TWICE(x) ((x) + (x))

static int calls;
static async int Y(int v) { calls++; await ca_yield(); return v; }

async int checked(int v)
{
    CHECK(await Y(v));
    return v * 2;
}

async int run(void)
{
    int y = 3;
    int m = MAX(await Y(5), y);
    int t = TWICE(await Y(4));
    printf("m=%d t=%d calls=%d\n", m, t, calls);
    printf("checked=%d\n", await checked(4));
    printf("checked=%d\n", await checked(-4));
    return 0;
}

int main(void) { return ca_run(run()); }
// OUT: m=5 t=8 calls=4
// OUT: checked=8
// OUT: check failed at
// OUT: checked=-1
