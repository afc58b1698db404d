// Locals keep their values across awaits; arrays and address-taken locals
// keep one address for the whole activation, also when passed to another
// async function; shadowed names stay distinct; static locals stay static;
// const locals initialised by an await; locals named like the frame's own
// fields (hdr, ca__state, ca__ret) stay the user's.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe > %t.vg.got && diff %t.want %t.vg.got
#include <cawait.h>
#include <stdio.h>
#include <string.h>

static async int Y(int v) { await ca_yield(); return v; }
static async int fill(char *buf, int n) { for (int i = 0; i < n; i++) { await ca_yield(); buf[i] = (char)('a' + i); } buf[n] = 0; return n; }

async int counter(void) { static int calls; await ca_yield(); return ++calls; }

static async int names(int hdr)
{
    int ca__state = hdr * 2, ca__ret = 3;
    await ca_yield();
    {
        int ret = ca__ret * 2; /* no await in its scope: a plain C local */
        ca__ret = ret;
    }
    return hdr + ca__state + ca__ret;
}

async int run(void)
{
    char buf[16];
    int x = 1;
    int *px = &x;
    char *before = buf;
    int n = await fill(buf, 5);
    const int c = await Y(42);
    *px += await Y(10);
    int same = before == buf && px == &x;
    {
        int x = 100;
        x += await Y(1);
        {
            int x = await Y(7);
            printf("innermost x=%d\n", x);
        }
        printf("inner x=%d\n", x);
    }
    int arr[3] = {await Y(1), 2, await Y(3)};
    await counter();
    await counter();
    printf("n=%d buf=%s c=%d x=%d same=%d arr=%d%d%d calls=%d\n", n, buf, c, x, same, arr[0], arr[1], arr[2], await counter());
    printf("names=%d\n", await names(5));
    return 0;
}

int main(void) { return ca_run(run()); }
// OUT: innermost x=7
// OUT: inner x=101
// OUT: n=5 buf=abcde c=42 x=11 same=1 arr=123 calls=3
// OUT: names=21
