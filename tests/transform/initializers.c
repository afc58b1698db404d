// Awaits in initialisers: aggregate, designated (members, array indexes,
// nested), several declarators in one declaration, const locals, compound
// literals; every await suspends.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
#include <cawait.h>
#include <stdio.h>

struct pt { int x, y; int arr[3]; };
static async int Y(int v) { await ca_yield(); return v; }

async int run(void)
{
    struct pt p = { .y = await Y(1), .x = 2, .arr[1] = await Y(3), .arr[2] = 4 };
    int a[4] = { [2] = await Y(4), 7 };
    int m = await Y(5), n = m + await Y(6), o;
    const int c = await Y(7) * 2;
    o = ((struct pt){ .x = await Y(8) }).x;
    char s[8] = "ab";
    s[await Y(2)] = 'c';
    printf("p=%d,%d,%d,%d,%d a=%d,%d,%d,%d m=%d n=%d c=%d o=%d s=%s\n", p.x, p.y, p.arr[0], p.arr[1], p.arr[2],
           a[0], a[1], a[2], a[3], m, n, c, o, s);
    return 0;
}

int main(void) { return ca_run(run()); }
// OUT: p=2,1,0,3,4 a=0,0,4,7 m=5 n=11 c=14 o=8 s=abc
