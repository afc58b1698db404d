// A struct or enum defined by the declaration of an async function that
// becomes a state machine (`struct st {...} f(...) {...}`, old code's
// style) is defined again before the generated code: that text is replaced,
// and the definition went with it (from gcc's c-torture/compile,
// 900116-1.c). Prototypes too. Every await suspends; the output matches the
// synchronous twin.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck %s < %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
#include <cawait.h>
#include <stdio.h>

// CHECK: enum color { RED, GREEN = 5 };
// CHECK: int shade__ca_start(
async enum color { RED, GREEN = 5 } shade(int);

// CHECK: struct st {char a, b; };
// CHECK: int pick__ca_start(
async struct st {char a, b; }
pick(struct st *s, int i)
{
    await ca_yield();
    return s[i];
}

async enum color shade(int g)
{
    await ca_yield();
    return g ? GREEN : RED;
}

// A struct or union first named (not defined) by the result type: declared
// first, or the entries' parameter lists would each declare another one
// (from gcc's c-torture/compile, pr32571.c).
// CHECK: struct node;
// CHECK: int make__ca_start(ca_task *ca__t, ca_frame *ca__parent, struct node **
async struct node *make(int v);
struct node { int v; };
static struct node pool[1];

// CHECK: union u;
// CHECK: int same__ca_start(ca_task *ca__t, ca_frame *ca__parent, union u **ca__ret, union u *
async union u *same(union u *p)
{
    await ca_yield();
    return p;
}

async struct node *make(int v)
{
    await ca_yield();
    pool[0].v = v;
    return &pool[0];
}

int main(void)
{
    struct st v[2] = {{1, 2}, {3, 4}};
    struct st r = ca_run(pick(v, 1));
    printf("%d %d %d\n", r.a, r.b, (int)ca_run(shade(1)));
    printf("%d %d\n", ca_run(make(6))->v, ca_run(same(0)) == 0);
    return 0;
}
// OUT: 3 4 5
// OUT-NEXT: 6 1
