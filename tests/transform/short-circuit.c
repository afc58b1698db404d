// &&, ||, ?: and the comma operator keep C's short-circuit and sequencing:
// the right side runs only when C would run it (calls counted).
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe > %t.vg.got && diff %t.want %t.vg.got
#include <cawait.h>
#include <stdio.h>

static int trace[64], ntrace;
static async int T(int v) { trace[ntrace++] = v; await ca_yield(); return v; }

async int run(void)
{
    int r = 0;
    r += await T(0) && await T(1);       /* T(1) skipped */
    r += await T(2) && await T(3);
    r += await T(4) || await T(5);       /* T(5) skipped */
    r += await T(0) || await T(6);
    r += await T(1) ? await T(10) : await T(11);
    r += await T(0) ? await T(12) : await T(13);
    r += (await T(7), await T(8));
    int x = 1;
    r += x > 0 ? 100 : await T(99);      /* T(99) skipped */
    r += (x = 5, x + await T(1));
    if (await T(0) && (x = 9))
        r += 1000;
    r += x;
    while (await T(2) > 2 || (x > 4 && await T(3)))
        x--;
    printf("r=%d x=%d trace:", r, x);
    for (int i = 0; i < ntrace; i++)
        printf(" %d", trace[i]);
    printf("\n");
    return r;
}

int main(void) { return ca_run(run()) < 0; }
// OUT: r=145 x=4 trace: 0 2 3 4 0 6 1 10 0 13 7 8 1 0 2 3 2
