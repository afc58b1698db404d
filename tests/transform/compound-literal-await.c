// A compound literal with an await in it lives in a frame temporary, so its
// address stays good over later awaits for the rest of its block (it was
// refused: "cawait cannot keep this compound literal alive across an await").
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
#include <cawait.h>
#include <stdio.h>

struct pt { int x, y; };
static async int f(int x) { await ca_yield(); return x; }

async int run(void)
{
    int *a = (int[]){ await f(1), 2 };
    struct pt *p = &(struct pt){ await f(3), await f(4) };
    const int *c = (const int[]){ 5, await f(6) };
    int s = 0;
    for (int i = 0; i < 3; i++) {
        int *b = (int[]){ i, await f(i * 10) };
        await f(0);
        s += b[0] + b[1];
    }
    await f(0);
    printf("%d %d %d %d %d %d %d\n", a[0], a[1], p->x, p->y, c[0], c[1], s);
    return 0;
}

int main(void) { return ca_run(run()); }
// OUT: 1 2 3 4 5 6 33
