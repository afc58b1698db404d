// __attribute__((cleanup(fn))) on locals of a state machine: fn(&x) runs
// whenever the scope is left, in reverse order of declaration, as in C: off
// the end of a block, by break, continue (also in a loop whose increment
// awaits), goto out of scopes and back above a declaration, return (after
// the returned value is computed), out of a statement expression, a for
// statement's own declaration; through macros (AUTO, and systemd's
// _cleanup_(fn) naming the function as the macro's argument); a cleanup
// local in a scope with no await lives in the frame too. Every callee
// suspends, so each cleanup runs on a resumed frame. Compared with the
// synchronous twin (gcc runs the cleanups there).
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe > %t.vg.got && diff %t.want %t.vg.got
#include <cawait.h>
#include <stdio.h>
#include <stdlib.h>

static void done(int *p) { printf("  cleanup %d\n", *p); }
static void freep(char **p) { printf("  free %s\n", *p); free(*p); }
#define AUTO __attribute__((cleanup(done)))
#define _cleanup_(f) __attribute__((__cleanup__(f)))

static async int Y(int v) { await ca_yield(); return v; }
static async int S(int v) { await ca_sleep(0); return v; }
static char *dup(int v) { char *s = malloc(16); snprintf(s, 16, "s%d", v); return s; }

async int blocks(int n)
{
    // SHAPE-LABEL: blocks__ca_resume
    __attribute__((cleanup(done))) int a = await Y(1);
    AUTO int b = a + 1;
    {
        AUTO int c = await S(3);
        _cleanup_(freep) char *s = dup(c);
        printf("inner %d %s\n", c, s);
        // SHAPE: freep(&ca__f->s); done(&ca__f->c); }
    }
    if (n > 1) {
        AUTO int r = 40 + await Y(n);
        return r + b; /* r is read before its cleanup runs */
    }
    printf("end of blocks\n");
    return a + b;
}

async int loops(int n)
{
    int sum = 0;
    for (AUTO int i = 100; i < 100 + n; i += await Y(1)) {
        AUTO int x = await S(i);
        if (x == 101)
            continue;
        {
            AUTO int y = x * 10;
            if (x == 103)
                break;
            sum += y;
        }
    }
    int k = 0;
    while (k < 3) {
        AUTO int w = 200 + k++;
        switch (await Y(w)) {
        case 201: {
            AUTO int sw = 300;
            sum += sw;
            break;
        }
        default:
            continue;
        }
        printf("after switch %d\n", w);
    }
    return sum;
}

async int jumps(int n)
{
    int tries = 0;
again:;
    AUTO int t = 500 + tries;
    {
        AUTO int u = await Y(600 + tries);
        if (++tries < n)
            goto again; /* back above t's declaration: t and u are left */
        if (n == 3)
            goto out;
    }
    printf("no jump out\n");
out:
    return ({ AUTO int v = await S(700); if (n == 4) return v + 1; v; }) + t;
}

int main(void)
{
    for (int i = 1; i <= 2; i++)
        printf("blocks(%d) = %d\n", i, ca_run(blocks(i)));
    printf("loops = %d\n", ca_run(loops(5)));
    for (int i = 1; i <= 4; i++)
        printf("jumps(%d) = %d\n", i, ca_run(jumps(i)));
    return 0;
}
