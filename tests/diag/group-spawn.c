// ca_group_spawn: the group must be a ca_group pointer, the call an async one.
// RUN: rm -f %t.out.c
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not test -e %t.out.c
#include <cawait.h>

async int work(int x) { await ca_yield(); return x; }
int plain(int x) { return x; }

async int f(ca_group *g)
{
    int not_a_group = 0;
    // CHECK-DAG: group-spawn.c:[[@LINE+1]]:20: error: ca_group_spawn needs a 'ca_group *', not 'int *'
    ca_group_spawn(&not_a_group, work(1));
    // CHECK-DAG: group-spawn.c:[[@LINE+1]]:5: error: ca_group_spawn needs a call of an async function
    ca_group_spawn(g, plain(2));
    ca_group_spawn(g, work(3));
    return await ca_group_wait(g);
}
