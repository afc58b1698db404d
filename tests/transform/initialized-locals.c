// A local declared with an initializer in a block, whose address is never
// taken, holds a value from its initialization to its last use only: it is
// not saved at a suspension before its declaration or after its last use,
// and it may share storage then; an enclosing loop's next turn runs the
// declaration again. A loop inside its block, a goto back inside it, an
// address taken or a for statement's own variable keep it live as before.
// Every await suspends (tick yields), also in the middle of expressions;
// run at -O0 and -O2, under ASan/UBSan and valgrind, and compared with the
// synchronous twin.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cawait %t.in.c --dump-after=lower | FileCheck %s --check-prefix=LOWER
// RUN: %cc -Wextra %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: %cc -O2 -Wextra %t.out.c %libcawait -o %t.o2 && %t.o2 > %t.o2.got && diff %t.want %t.o2.got
// RUN: %cc -O1 %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: valgrind -q --error-exitcode=9 %t.o2 > %t.vg.got && diff %t.want %t.vg.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
#include <cawait.h>
#include <stdio.h>

static async int tick(int x)
{
    await ca_yield();
    return x;
}

/* httpd's read loop: r, cfg and n are dead across the other await. */
static async int reader(int rounds)
{
    int got = 0;
    for (int turn = 0;; turn++) {
        int r = await tick(turn);
        if (r >= rounds)
            return got;
        const int *cfg = &got;
        long n = await tick(*cfg + r) + r;
        got += (int)n;
    }
}
// r is saved at the second await only (it is read after it), cfg and n at
// neither; cfg and n share storage with the first await's result.
// SHAPE-LABEL: static int reader__ca_resume(
// SHAPE:       { ca__f->rounds = ca__l_rounds; ca__f->turn = ca__l_turn; ca__f->ca__state = 1; return ca__st; }
// SHAPE:       { ca__f->rounds = ca__l_rounds; ca__f->turn = ca__l_turn; ca__f->r = ca__l_r; ca__f->ca__state = 2; return ca__st; }
// LOWER-LABEL: frame reader:
// LOWER:       const int * cfg  (shared)  (register)
// LOWER-NEXT:  long n  (shared)  (register)
// LOWER-NEXT:  int ca__tmp1  (shared)

/* A value kept across awaits inside its block: saved at each. */
static async int inside(int k)
{
    int sum = 0;
    for (int i = 0; i < k; i++) {
        int a = i * 3;
        int b = await tick(a) + a; /* a is read after the await: saved there */
        int c = a + b;
        sum += c + await tick(c) - a; /* c is read before and a after the await */
    }
    return sum;
}

/* A loop inside the block: acc lives through it. */
static async int nested(int k)
{
    int total = 0;
    for (int round = 0; round < 2; round++) {
        int acc = round;
        for (int j = 0; j < k; j++)
            acc += await tick(j);
        total += acc;
    }
    return total;
}

/* A goto back inside the block: v keeps its value through the jump. */
static async int jumps(int k)
{
    int out = 0;
    {
        int v = k;
    again:
        out += await tick(v);
        if (--v > 0)
            goto again;
    }
    return out;
}

/* An address taken: x stays in memory through the block. */
static async int address(int k)
{
    int res = 0;
    for (int i = 0; i < 2; i++) {
        int x = k + i;
        int *p = &x;
        await tick(0);
        *p += 10;
        res += await tick(x);
    }
    return res;
}
// LOWER-LABEL: frame address:
// LOWER:       {{^}}      48      4  int x{{$}}

/* A switch inside the block: its cases jump past no declaration of w. */
static async int switched(int k)
{
    int s = 0;
    for (int i = 0; i < k; i++) {
        int w = i * 2;
        switch (i % 3) {
        case 0:
            s += await tick(w);
            break;
        case 1:
            s += w * await tick(1);
            break;
        default:
            s -= w;
        }
        s += w;
    }
    return s;
}

static async int all(void)
{
    // OUT: reader 22 inside 45 nested 3 jumps 6 address 27 switched 32
    printf("reader %d inside %d nested %d jumps %d address %d switched %d\n", await reader(4), await inside(3),
           await nested(2), await jumps(3), await address(3), await switched(5));
    return 0;
}

int main(void) { return ca_run(all()); }
