// Async functions declared in a header and defined in another file: each
// file is transformed on its own, without whole-program knowledge.
// RUN: %cawait %S/../Inputs/sepcomp_lib.c -o %t.lib.c
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c -- -I%S/../Inputs
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cc -I%S/../Inputs %t.out.c %t.lib.c %libcawait -o %t.exe && %t.exe | FileCheck %s --check-prefix=OUT
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

int main(void) { printf("total=%ld\n", ca_run(total(100))); return 0; }
// SHAPE: int acc_add__ca_start(ca_task *ca__t, ca_frame *ca__parent, long *ca__ret, struct acc *ca__a0, int ca__a1);
// OUT: total=50600
