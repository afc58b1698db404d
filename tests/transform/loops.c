// Loops with awaits in the condition, the body, the for increment and
// init; continue runs the increment (which awaits); break; nested loops.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe > %t.vg.got && diff %t.want %t.vg.got
#include <cawait.h>
#include <stdio.h>

static async int Y(int v) { await ca_yield(); return v; }

async int run(void)
{
    int n = 0, i = 0;
    while (await Y(i) < 5) {
        i++;
        if (i == 2)
            continue;
        n += i;
    }
    do {
        n += await Y(i);
        i--;
    } while (await Y(i) > 2);
    for (int j = await Y(0); j < await Y(6); j = await Y(j + 1)) {
        if (j % 2)
            continue;
        if (j == 4)
            break;
        for (int k = 0; k < 3; k++) {
            if (k == await Y(1))
                continue;
            n += j * 10 + k;
        }
    }
    int k = 0;
    do {
        if (await Y(k) == 1) { k += 2; continue; }
        k++;
    } while (k < 6);
    for (;;) {
        if (await Y(n) > 0)
            break;
    }
    printf("n=%d i=%d k=%d\n", n, i, k);
    return n;
}

int main(void) { return ca_run(run()) < 0; }
// OUT: n={{[0-9]+}} i=2 k=6
