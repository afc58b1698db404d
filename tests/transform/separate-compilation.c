// Async functions declared in a header and defined in another file: each
// file is transformed on its own, without whole-program knowledge.
// RUN: %cawait %S/../Inputs/sepcomp_lib.c -o %t.lib.c
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c -- -I%S/../Inputs
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cc -I%S/../Inputs %t.out.c %t.lib.c %libcawait -o %t.exe && %t.exe | FileCheck %s --check-prefix=OUT
// RUN: %cc %asan -I%S/../Inputs %t.out.c %t.lib.c %libcawait -o %t.asan && %t.asan | FileCheck %s --check-prefix=OUT
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe | FileCheck %s --check-prefix=OUT
#include "sepcomp.h"
#include <stdio.h>

async long total(int n)
{
    struct acc a = {0, 0};
    for (int i = 1; i <= n; i++)
        await acc_add(&a, i);
    struct acc s = await acc_snapshot(&a);
    return s.sum * 10 + s.n;
}

static async int local_plain(int *x) { return ++*x; }

/* Tasks whose first frame comes from another file's entries (a state
   machine there, and a function lowered to plain C there), from a runtime
   awaitable, and from a plain function of this file. */
async int spawns(void)
{
    struct acc a = {0, 0};
    int x = 0;
    ca_task *t[4] = {ca_spawn(acc_add(&a, 5)), ca_spawn(acc_bump(&a, 100)), ca_spawn(ca_sleep(1)),
                     ca_spawn(local_plain(&x))};
    int st = await ca_join_all(t, 4);
    struct acc s = await acc_snapshot(&a);
    return st * 1000000 + (int)s.sum * 10000 + s.n * 10 + x;
}

/* A generator of another file, run to its end, then dropped by break: its cleanup runs each time. */
async int counts(void)
{
    int cleaned = 0, s = 0;
    ca_for (int v, acc_count(3, &cleaned))
        s += v;
    ca_for (int v, acc_count(10, &cleaned))
        if (v == 2)
            break;
    return s * 10 + cleaned;
}

int main(void)
{
    printf("total=%ld\n", ca_run(total(100)));
    printf("spawns=%d\n", ca_run(spawns()));
    printf("counts=%d\n", ca_run(counts()));
    return 0;
}
// SHAPE: int acc_add__ca_start(ca_task *ca__t, ca_frame *ca__parent, long *ca__ret, struct acc *ca__a0, int ca__a1);
// SHAPE: ca_frame *acc_add__ca_make(ca_task *ca__t, ca_frame *ca__parent, long *ca__ret, struct acc *ca__a0, int ca__a1);
// OUT: total=50600
// SHAPE: acc_count__ca_drop(ca__t, ca__f->ca__g{{[0-9]+}});
// OUT: spawns=51011
// OUT: counts=32
