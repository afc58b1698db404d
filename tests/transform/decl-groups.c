// Several names in one declaration, at file scope: async prototypes
// (`async void f(), g();`), async pointers initialised with async functions
// (`afn *p = f, *q = g;`), a struct with its variables. Each declarator is
// rewritten, not only the first, and the entries' prototypes follow the
// whole declaration. Every await suspends; the output matches the
// synchronous twin.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cc -Wextra %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// A group of static functions that all suspend goes: kept, gcc -Wall would say
// each is "declared static but never defined" (%cc has -Werror).
// RUN: not grep -n 'later(int), later2(int)' %t.out.c
#include <cawait.h>
#include <stdio.h>

typedef async int afn(int);

// SHAPE: async double half(int), twice(int);
// SHAPE-NEXT: #line
// SHAPE-NEXT: half__ca_start(
// SHAPE-NEXT: twice__ca_start(
async double half(int), twice(int);
// SHAPE: {{^}}static {{.*}}int later__ca_start(
// SHAPE-NEXT: {{^}}static {{.*}}int later2__ca_start(
static async int later(int), later2(int);
static async int inc(int x) { return x + 1; }          /* lowered to plain C */
static async int slow(int x) { await ca_yield(); return x + 2; }

/* Each initialiser holds the function's entry, the second as the first. */
// SHAPE: static afn *p = {{.*}}inc__ca_start{{.*}}, *q = {{.*}}slow__ca_start{{.*}}, *tab[2] = { {{.*}}slow__ca_start{{.*}} }
static afn *p = inc, *q = slow, *tab[2] = { slow, inc };
struct pt { int x; afn *step; } origin = { 3, slow }, *po = &origin;

static async int run(void)
{
    await ca_yield();
    int a = await p(1) + await q(1) + await tab[0](5) + await tab[1](5);
    int b = await po->step(po->x);
    double c = await half(3) + await twice(4);
    int d = await later2(1);
    // OUT: a=18 b=5 c=9.5 d=12
    printf("a=%d b=%d c=%.1f d=%d\n", a, b, c, d);
    return 0;
}

async double half(int x) { await ca_yield(); return x / 2.0; }
async double twice(int x) { return x * 2.0; }
static async int later(int x) { await ca_yield(); return x + 10; }
static async int later2(int x) { return await later(x) + 1; }

int main(void) { return ca_run(run()); }
