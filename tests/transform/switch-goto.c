// switch with cases on both sides of an await and fall-through; await in
// the switch condition; goto forward and backward across awaits; labels.
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

async int classify(int v)
{
    int r = 0;
    switch (await Y(v)) {
    case 0:
        r += 1;
        /* fall through */
    case 1:
        r += await Y(10);
        if (v == 1)
            break;
        /* fall through */
    case 2: {
        int inner = await Y(100);
        r += inner;
        break;
    }
    case 3:
        for (int i = 0; i < 3; i++) {
            switch (await Y(i)) {
            case 1: continue;
            default: r += 1000; break;
            }
        }
        break;
    default:
        r = -1;
    }
    return r;
}

async int gotos(void)
{
    int n = 0, tries = 0;
again:
    n += await Y(1);
    if (++tries < 3)
        goto again;
    if (await Y(n) == 3)
        goto done;
    n = -100;
done:
    return n;
}

async int run(void)
{
    for (int v = 0; v < 5; v++)
        printf("classify(%d)=%d\n", v, await classify(v));
    printf("gotos=%d\n", await gotos());
    return 0;
}

int main(void) { return ca_run(run()); }
// OUT: classify(0)=111
// OUT: classify(1)=10
// OUT: classify(2)=100
// OUT: classify(3)=2000
// OUT: classify(4)=-1
// OUT: gotos=3
