// The size expression of a variably modified parameter is evaluated on entry,
// as C does, also in a state machine (`int a[i++]` did not increment i; from
// gcc's torture suite, 970217-1.c).
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc -Wno-unused-value %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
#include <cawait.h>
#include <stdio.h>

static int calls;
static int count(int n) { calls++; return n; }

async int sub(int i, int array[i++], int m, int b[count(m)])
{
    await ca_yield();
    return i + array[0] + b[0];
}

int main(void)
{
    int array[10] = {5}, other[3] = {3};
    int r = ca_run(sub(10, array, 3, other));
    printf("%d %d\n", r, calls);
    return 0;
}
// OUT: 19 1
