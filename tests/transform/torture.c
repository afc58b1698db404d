// Awaits in awkward places, each forced to suspend: chained and compound
// assignment, side effects in lvalues, bit-fields, member chains on results,
// conditionals nested in logical operators, gotos into blocks, sizeof.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
#include <cawait.h>
#include <stdio.h>

struct inner { int arr[4]; };
struct outer { struct inner *in; unsigned bf : 5; unsigned other : 3; };
static int counter;
static async int Y(int v) { await ca_yield(); counter++; return v; }
static async struct outer *get(struct outer *o) { await ca_yield(); return o; }

async int run(void)
{
    struct inner in = {{1, 2, 3, 4}};
    struct outer o = {&in, 3, 1};
    int a[6] = {0}, i = 0, x, y, r = 0;
    x = y = await Y(7);
    a[i++] = await Y(5);
    a[i++] += await Y(6) * 2;
    o.bf += await Y(30);                               /* wraps at 5 bits */
    (await get(&o))->in->arr[await Y(2)] *= await Y(10);
    r += (await get(&o))->in->arr[await Y(3)];
    r += (x > 5 && (await Y(0) ? 100 : await Y(1000)) > 0) || await Y(9);
    r += sizeof(await Y(1)) == sizeof(int);             /* not evaluated */
    int n = 0;
    goto inside;
    {
        int z;
    inside:
        z = await Y(40);
        n += z;
        if (n < 100)
            goto inside;
    }
    for (int k = 0; k < 3; k++, r += await Y(k))
        r += k;
    do {
        r++;
        if (r % 2)
            continue;
    } while (await Y(r) < 1010);
    printf("x=%d y=%d a=%d,%d i=%d bf=%u other=%u arr=%d,%d,%d,%d n=%d r=%d counter=%d\n", x, y, a[0], a[1], i,
           o.bf, o.other, in.arr[0], in.arr[1], in.arr[2], in.arr[3], n, r, counter);
    return 0;
}

int main(void) { return ca_run(run()); }
// OUT: x=7 y=7 a=5,12 i=2 bf=1 other=1 arr=1,2,30,4 n=120
