// A generator holding cleanup locals runs them when it ends and when its
// consumer drops it at a yield: break, return and goto out of the ca_for,
// and a generator consuming a generator dropped in turn (the inner one first).
// A generator without cleanups is still freed inline (one of another file is
// released through its drop entry: transform/separate-compilation.c).
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe | FileCheck %s --check-prefix=OUT
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan | FileCheck %s --check-prefix=OUT
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe | FileCheck %s --check-prefix=OUT
#include <cawait.h>
#include <stdio.h>
#include <stdlib.h>

static void done(int *p) { printf("cleanup %d\n", *p); }
static void freep(char **p) { printf("free %s\n", *p); free(*p); }
#define AUTO __attribute__((cleanup(done)))

static async int Y(int v) { await ca_yield(); return v; }

// SHAPE-LABEL: void numbers__ca_drop(ca_task *ca__t, ca_frame *ca__fr){{$}}
// SHAPE: case 2: done(&ca__f->b); done(&ca__f->a); break;
// SHAPE: case 4: freep(&ca__f->s); done(&ca__f->b); done(&ca__f->a); break;
// SHAPE: default: break;
async ca_gen(int) numbers(int n)
{
    AUTO int a = 1000 + n;
    AUTO int b = await Y(2000 + n);
    yield(1);
    {
        char *s __attribute__((cleanup(freep))) = malloc(8);
        snprintf(s, 8, "buf%d", n);
        for (int i = 2; i <= n; i++)
            yield(await Y(i));
    }
    yield(99);
}

async ca_gen(int) pairs(int n)
{
    AUTO int p = 3000;
    ca_for (int v, numbers(n))
        yield(v * 10);
}

async ca_gen(int) plain(int n) { for (int i = 0; i < n; i++) yield(i); }

async int consume(int how)
{
    int sum = 0;
    // SHAPE-LABEL: consume__ca_resume
    // SHAPE: numbers__ca_drop(ca__t, ca__f->ca__g{{[0-9]+}});
    ca_for (int v, numbers(3)) {
        sum += v;
        if (how == 1 && v == 2)
            break;
        if (how == 2 && v == 3)
            return -sum;
        if (how == 3 && v == 1)
            goto out;
    }
    printf("loop ended\n");
out:
    printf("sum %d\n", sum);
    return sum;
}

async int nested(void)
{
    int sum = 0;
    ca_for (int v, pairs(4)) {
        if (v == 30)
            break;
        sum += v;
    }
    // SHAPE-LABEL: nested__ca_resume
    // SHAPE: ca__frame_free(ca__t, ca__f->ca__g{{[0-9]+}}); }
    ca_for (int v, plain(3))
        sum += v;
    return sum;
}

int main(void)
{
    for (int how = 0; how <= 3; how++)
        printf("consume(%d) = %d\n", how, ca_run(consume(how)));
    printf("nested = %d\n", ca_run(nested()));
    return 0;
}
// Exhausted: each cleanup runs once, when its scope ends.
// OUT: free buf3
// OUT-NEXT: cleanup 2003
// OUT-NEXT: cleanup 1003
// OUT-NEXT: loop ended
// OUT-NEXT: sum 105
// OUT-NEXT: consume(0) = 105
// Dropped by break at the yield inside the block.
// OUT-NEXT: free buf3
// OUT-NEXT: cleanup 2003
// OUT-NEXT: cleanup 1003
// OUT-NEXT: loop ended
// OUT-NEXT: sum 3
// OUT-NEXT: consume(1) = 3
// Dropped by return.
// OUT-NEXT: free buf3
// OUT-NEXT: cleanup 2003
// OUT-NEXT: cleanup 1003
// OUT-NEXT: consume(2) = -6
// Dropped by goto at the first yield, before the block.
// OUT-NEXT: cleanup 2003
// OUT-NEXT: cleanup 1003
// OUT-NEXT: sum 1
// OUT-NEXT: consume(3) = 1
// The outer generator dropped drops the inner one first.
// OUT-NEXT: free buf4
// OUT-NEXT: cleanup 2004
// OUT-NEXT: cleanup 1004
// OUT-NEXT: cleanup 3000
// OUT-NEXT: nested = 33
