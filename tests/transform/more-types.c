// Functions returning function pointers and pointers to arrays, an old-style
// definition with char and double parameters, an inline async function.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe | FileCheck %s --check-prefix=OUT
#include <cawait.h>
#include <stdio.h>
typedef int (*binop)(int, int);
static int add(int a, int b) { return a + b; }
static inline async binop pick(int k) { await ca_yield(); return k ? add : 0; }
static async int (*pick2(void))(int, int) { await ca_yield(); return add; }
static async int (*arrp(int (*p)[3]))[3] { await ca_yield(); return p; }
async int kr(c, d) char c; double d; { await ca_yield(); return c + (int)d; }
static async int use(void)
{
    int arr[3] = {1, 2, 3};
    int r = (await pick(1))(2, 3) + (await pick2())(4, 5) + (*await arrp(&arr))[2];
    r += await kr('a', 2.5);
    return r;
}
int main(void) { printf("%d\n", ca_run(use())); return 0; }
// OUT: 116
