// A task's value type checked at both ends: a spawn into a typed handle of
// another type (initialiser, list element, assignment, return, argument), a
// join whose handle the tool cannot trace, a destination of another type,
// a void or const destination, a void task.
// RUN: rm -f %t.out.c
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not test -e %t.out.c
#include <cawait.h>

struct pt { int x, y; };
async int square(int x) { await ca_yield(); return x * x; }
async long twice(long x) { await ca_yield(); return 2 * x; }
async struct pt mkpt(void) { struct pt p = {1, 2}; await ca_yield(); return p; }
async void nothing(void) { await ca_yield(); }

static ca_task_of(long) start(void)
{
    // CHECK: task-values.c:[[@LINE+1]]:21: error: a task of 'long' cannot hold the value of 'square', which returns 'int'
    return ca_spawn(square(1));
}
static async int take(ca_task_of(int) t) { int v; return await ca_join_value(t, &v); }

async int f(ca_task *plain)
{
    // CHECK: task-values.c:[[@LINE+1]]:35: error: a task of 'long' cannot hold the value of 'square', which returns 'int'
    ca_task_of(long) a = ca_spawn(square(2));
    // CHECK: task-values.c:[[@LINE+1]]:59: error: a task of 'int' cannot hold the value of 'twice', which returns 'long'
    ca_task_of(int) b[2] = {ca_spawn(square(3)), ca_spawn(twice(4))};
    ca_task_of(struct pt) c;
    // CHECK: task-values.c:[[@LINE+1]]:18: error: a task of 'struct pt' cannot hold the value of 'square', which returns 'int'
    c = ca_spawn(square(5));
    // CHECK: task-values.c:[[@LINE+1]]:33: error: a task of 'int' cannot hold the value of 'twice', which returns 'long'
    int r = await take(ca_spawn(twice(6)));
    long lv;
    int iv;
    const int civ = 0;
    // CHECK: task-values.c:[[@LINE+1]]:30: error: ca_join_value: cannot see the value type of this task; declare its handle with ca_task_of(T)
    r += await ca_join_value(plain, &iv);
    // CHECK: task-values.c:[[@LINE+1]]:36: error: ca_join_value: the task's value has type 'int', not 'long'
    r += await ca_join_value(b[0], &lv);
    // CHECK: task-values.c:[[@LINE+1]]:36: error: ca_join_value: the value of a task of 'int' needs a 'int *' to go to
    r += await ca_join_value(b[1], (void *)&iv);
    // CHECK: task-values.c:[[@LINE+1]]:36: error: ca_join_value: the value of a task of 'int' cannot be written to a const 'int'
    r += await ca_join_value(b[1], (int *)&civ + 0 ? &civ : &civ);
    ca_task_of(void) n = ca_spawn(nothing());
    // CHECK: task-values.c:[[@LINE+1]]:30: error: ca_join_value: a task of 'void' has no value; use ca_join
    r += await ca_join_value(n, &iv);
    long all[2];
    // CHECK: task-values.c:[[@LINE+1]]:41: error: ca_join_all_values: the task's value has type 'int', not 'long'
    r += await ca_join_all_values(b, 2, all, NULL);
    // CHECK: task-values.c:[[@LINE+1]]:41: error: ca_join_any_value: the task's value has type 'struct pt', not 'long'
    r += await ca_join_any_value(&c, 1, &lv, NULL);
    // Direct: both ends written here.
    // CHECK: task-values.c:[[@LINE+1]]:50: error: ca_join_value: the task's value has type 'long', not 'int'
    r += await ca_join_value(ca_spawn(twice(1)), &iv);
    return r + (int)a->flags;
}
