// await as an operand of every operator, call arguments, subscripts, member
// access, casts, compound assignment and ++/--, each forced to suspend.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe > %t.vg.got && diff %t.want %t.vg.got
#include <cawait.h>
#include <stdio.h>

struct pt { int x, y; };
static int calls;
static async int Y(int v) { calls++; await ca_yield(); return v; }
static async struct pt P(int x, int y) { await ca_yield(); struct pt p = {x, y}; return p; }
static async int *PTR(int *p) { await ca_yield(); return p; }
static int sum3(int a, int b, int c) { return a * 100 + b * 10 + c; }

async int run(void)
{
    int a[5] = {10, 20, 30, 40, 50};
    int x = 7, r = 0;
    r += await Y(1) + await Y(2) * await Y(3);          /* 1 + 6 */
    r += (await Y(9) - 4) << await Y(1);                /* 10 */
    r += await Y(5) % 3 + (await Y(6) ^ 3) + ~await Y(0) + !await Y(0);
    r += a[await Y(2)];                                 /* 30 */
    a[await Y(1)] += await Y(5);                        /* a[1] = 25 */
    a[await Y(3)]++;                                    /* a[3] = 41 */
    --a[await Y(4)];                                    /* a[4] = 49 */
    r += sum3(await Y(1), x, await Y(3));               /* 173 */
    r += (await P(4, 5)).y + (await P(6, 7)).x;         /* 11 */
    r += *await PTR(&x);                                /* 7 */
    *await PTR(&x) = await Y(70);                       /* x = 70 */
    r += (int)(long)await Y(3) + (char)await Y(300);    /* 3 + 44 */
    r += await Y(await Y(await Y(2)) + await Y(1));     /* 3 */
    r = r * 2 - await Y(1);
    printf("r=%d x=%d a=%d,%d,%d,%d,%d calls=%d\n", r, x, a[0], a[1], a[2], a[3], a[4], calls);
    return r;
}

int main(void) { return ca_run(run()) == 0; }
// OUT: r={{[0-9]+}} x=70 a=10,25,30,41,49 calls={{[0-9]+}}
