// Pointers made in one file (Inputs/plugin.c), awaited and spawned in another;
// an extern async function's pointer is the same in both files.
// RUN: %cawait %S/Inputs/plugin.c -o %t.lib.c -- -I%S/Inputs
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c -- -I%S/Inputs
// RUN: %cc -I%S/Inputs %t.out.c %t.lib.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc -I%S/Inputs %t.in.c %S/Inputs/plugin.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe > %t.vg.got && diff %t.want %t.vg.got
#include "plugin.h"
#include <stdio.h>

async long fold(reducer_fn *r, const int *v, int n)
{
    long acc = 0;
    for (int i = 0; i < n; i++)
        acc = await r(acc, v[i]);
    return acc;
}

async int drive(void)
{
    struct plugin *a = plugin_open(0), *b = plugin_open(1);
    int x = await a->ops->handle(a, 5) + await b->ops->handle(b, 7);
    x += await b->ops->handle(b, await a->ops->handle(a, 2));
    await a->ops->close(a);
    await b->ops->close(b);
    static const int v[] = {4, 9, 2};
    long s = await fold(plugin_reducer(0), v, 3), m = await fold(plugin_reducer(1), v, 3);
    printf("x=%d sum=%ld max=%ld same=%d\n", x, s, m, plugin_reducer(0) == sum_reducer);
    ca_task *t = ca_spawn(b->ops->close(b));
    (void)t;
    return x;
}

int main(void)
{
    printf("drive %d\n", ca_run(drive()));
    return 0;
}

// OUT: closed at 7
// OUT: closed at 49
// OUT: x=61 sum=15 max=9 same=1
// OUT: closed at 49
