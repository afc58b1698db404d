// Scalar frame fields whose address is never taken live in C locals of the
// resume function (registers) between suspensions: stored into the frame
// when it suspends, for the fields live there, and read back where it
// resumes. What must stay in memory does: an address taken (also inside a
// macro the output keeps), volatile, an await's result (the callee writes
// it). (setjmp is refused in a function that suspends.) Each case suspends
// in the middle of expressions; run at -O0 and -O2, under ASan/UBSan and
// valgrind, and compared with the synchronous twin.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cc -Wextra %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: %cc -O2 -Wextra %t.out.c %libcawait -o %t.o2 && %t.o2 > %t.o2.got && diff %t.want %t.o2.got
// RUN: %cc -O1 %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: valgrind -q --error-exitcode=9 %t.o2 > %t.vg.got && diff %t.want %t.vg.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
#include <cawait.h>
#include <stdbool.h>
#include <stdio.h>

#define ADDR(v) (&(v))

static async int tick(int x)
{
    await ca_yield();
    return x;
}

// A loop-carried value: s and i are live across every suspension; the sum
// reads s, then suspends, then adds.
// SHAPE-LABEL: static int loop__ca_resume(
// SHAPE:         __typeof__(ca__f->s) ca__l_s = 0;
// SHAPE:         case 1: {{.*}}ca__l_s = ca__f->s;{{.*}} goto ca__s1;
// SHAPE:       ca__l_ca__tmp1 = ca__l_s; if ({{.*}}) { {{.*}}ca__f->ca__tmp1 = ca__l_ca__tmp1; ca__f->ca__state = 1; return ca__st; } ca__s1:; (ca__l_s = (ca__l_ca__tmp1 + ca__f->ca__tmp{{[0-9]+}}));
static async int loop(int n)
{
    int s = 0;
    for (int i = 0; i < n; i++)
        s = s + await tick(i * i);
    return s;
}

// A local live across a suspension before its first assignment (the loop
// carries it): the stored value is the zero it starts with, never read.
static async long carried(int n)
{
    long acc = 1;
    for (int i = 0; i < n; i++) {
        long prev;
        if (i > 0)
            acc += prev * (await tick(i));
        prev = acc + i;
    }
    return acc;
}

// Its address is taken inside a macro the output keeps as written (no await
// in that statement): y stays in the frame, where p points.
// SHAPE-LABEL: static int through_macro__ca_resume(
// SHAPE-NOT:     ca__l_y
// SHAPE:       ca__l_p = ADDR(ca__f->y);
// SHAPE-NOT:     ca__l_y
// SHAPE:       ca__end:
static async int through_macro(int x)
{
    int y = x, *p;
    p = ADDR(y);
    await tick(0);
    *p += 5;
    await tick(0);
    return y + *p;
}

// Taken plainly, and a volatile: both stay in the frame.
// SHAPE-LABEL: static int addressed__ca_resume(
// SHAPE-NOT:     ca__l_a
// SHAPE-NOT:     ca__l_v
// SHAPE:       ca__end:
static async int addressed(int x)
{
    int a = x, *pa = &a;
    volatile int v = 2;
    await tick(0);
    *pa *= v;
    v += await tick(3);
    return a + v;
}

// A string that spells a frame field keeps its text.
static async int spelled(int s)
{
    await tick(0);
    printf("ca__f->s stays: %d\n", s);
    return s;
}

// _Bool and pointer fields, changed on both sides of suspensions inside
// conditions and arguments.
static async int flags(const int *v, int n)
{
    bool seen = false;
    const int *last = v;
    int count = 0;
    for (int i = 0; i < n; i++) {
        if (await tick(v[i]) > 2 && !seen) {
            seen = true;
            last = &v[i];
        }
        count += seen + await tick(seen);
    }
    return count * 100 + (int)(last - v);
}

// `&&` before a field is a logical and, and `&p->v` takes the address of
// what p points to: p, k and s stay in registers. `&q` (by hand) keeps q in
// memory.
struct node {
    int v;
    struct node *next;
};
// SHAPE-LABEL: static int walk__ca_resume(
// SHAPE:       __typeof__(ca__f->k) ca__l_k = 0;
// SHAPE:       __typeof__(ca__f->p) ca__l_p = 0;
// SHAPE-NOT:   ca__l_q =
// SHAPE:       ca__end:
static async int walk(struct node *head, int k)
{
    int s = 0;
    struct node *p = head, *q = head, **qq = &q;
    while (p && k > 0 && s >= 0) {
        int *slot = &p->v;
        *slot += await tick(k);
        s += p->v + (*qq)->v;
        p = p->next;
        k--;
    }
    return s;
}

static async int run(void)
{
    int v[] = {1, 3, 2, 5};
    printf("loop %d\n", await loop(5));
    printf("carried %ld\n", await carried(6));
    printf("through_macro %d\n", await through_macro(4));
    printf("addressed %d\n", await addressed(7));
    printf("spelled %d\n", await spelled(8));
    printf("flags %d\n", await flags(v, 4));
    struct node c = {3, NULL}, b = {2, &c}, a = {1, &b};
    printf("walk %d\n", await walk(&a, 3));
    return 0;
}

int main(void)
{
    return ca_run(run());
}
// OUT: loop 30
// OUT: through_macro 18
// OUT: addressed 19
// OUT: ca__f->s stays: 8
// OUT: flags 601
// OUT: walk 24
