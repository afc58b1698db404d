// The user's comments between statements stay in a lowered body, on the line
// of the statement they precede: a fall-through comment still touches its
// case label, so gcc's -Wimplicit-fallthrough stays quiet on generated code.
// Line comments become block comments; a "*/" or "/*" in one is defused.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cc -Wimplicit-fallthrough -Wcomment %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: valgrind -q --error-exitcode=9 %t.exe > %t.vg.got && diff %t.want %t.vg.got
#include <cawait.h>
#include <stdio.h>

static async int Y(int v) { await ca_yield(); return v; }

async int classify(int x)
{
    int s = 0; // starts at zero
    /* a block comment "with quotes" */
    switch (x) {
    case 1:
        s += await Y(1);
        /* fall through */
    case 2: /* after a label */
        s += await Y(2);
        // FALLTHRU
    case 3:
        s += 3;
        break;
    default:
        s = -1; // a */ in a line comment, and a /* too
    }
    if (s > 5)
        goto out;
    s *= 10;
out: /* the exit */
    return s; /* the end */
}

int main(void)
{
    for (int i = 0; i < 5; i++)
        printf("%d -> %d\n", i, ca_run(classify(i)));
    return 0;
}
// SHAPE: /* starts at zero */ /* a block comment "with quotes" */ { switch
// SHAPE: /* fall through */ case 2:
// SHAPE-NEXT: #line
// SHAPE-NEXT: /* after a label */ {
// SHAPE: /* FALLTHRU */ case 3:
// SHAPE: /* a * / in a line comment, and a / * too */
// SHAPE: /* the exit */ {
// SHAPE: /* the end */ }
