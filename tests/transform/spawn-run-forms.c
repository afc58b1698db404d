// ca_spawn in an initialiser, nested ca_run, ca_run in a struct initialiser,
// a -D macro (a string literal spelled on the command line) as an await
// argument, ca_spawn with an await in its arguments; and -MD naming OUT.d
// after the output's file name only. The helpers that ca_spawn and ca_run
// become are named after their callee and shared by the sites alike.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c -- '-DWHO="m\"e"'
// RUN: FileCheck %s --check-prefix=SHAPE < %t.out.c
// RUN: %cc '-DWHO="m\"e"' %t.out.c %libcawait -o %t.exe && %t.exe | FileCheck %s --check-prefix=OUT
// RUN: %cc %asan '-DWHO="m\"e"' %t.out.c %libcawait -o %t.asan && %t.asan | FileCheck %s --check-prefix=OUT
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe | FileCheck %s --check-prefix=OUT
// RUN: rm -rf %t.d.dir && mkdir -p %t.d.dir/build.d
// RUN: %cawait %t.in.c -o %t.d.dir/build.d/out -MD -- '-DWHO="x"'
// RUN: test -f %t.d.dir/build.d/out.d
// RUN: not %cawait %t.in.c -o - -MD 2>&1 | FileCheck %s --check-prefix=NOMF
#include <cawait.h>
#include <stdio.h>

struct pair { int a, b; };
static async int g(const char *s, int n) { await ca_yield(); return s[0] + n; }
static async struct pair mk(int a, int b) { await ca_yield(); struct pair p = {a, b}; return p; }
static int done;
static async void worker(int v) { await ca_yield(); done += v; }

async int f(void)
{
    int n = await g(WHO, 2);
    ca_task *t = ca_spawn(worker(await g("a", 0)));
    await ca_join(t);
    return n + done;
}

static async int g_2(int n) { await ca_yield(); return n * 10; }

async int names(void)
{
    ca_task *a = ca_spawn(worker(1)), *b = ca_spawn(worker(2));
    ca_task_of(int) kept = ca_spawn(g("c", 3));
    ca_task *dropped = ca_spawn(g("d", 4));
    ca_task_of(int) other = ca_spawn(g_2(5));
    int v = 0, w = 0;
    await ca_join(a);
    await ca_join(b);
    await ca_join(dropped);
    await ca_join_value(kept, &v);
    await ca_join_value(other, &w);
    return v + w;
}

int main(void)
{
    struct pair p = ca_run(mk(1, ca_run(g("b", 1))));
    printf("p=%d,%d f=%d\n", p.a, p.b, ca_run(f()));
    int n = ca_run(names());
    printf("names=%d done=%d\n", n, done);
    return 0;
}
// OUT: p=1,99 f=208
// OUT: names=152 done=100
// Both spawns of worker share its helper; g's kept and dropped values need
// two, and g_2's first helper finds its name taken by g's second.
// SHAPE:     {{^}}static ca_task *ca__spawn_worker(ca_task *spawner, int a0);
// SHAPE-NOT: ca__spawn_worker_2
// SHAPE:     {{^}}static ca_task *ca__spawn_g(ca_task *spawner, const char *a0, int a1);
// SHAPE:     {{^}}static ca_task *ca__spawn_g_2(ca_task *spawner, const char *a0, int a1);
// SHAPE:     {{^}}static ca_task *ca__spawn_g_2_2(ca_task *spawner, int a0);
// SHAPE:     {{^}}{ ca__l_a = ca__spawn_worker(ca__t, 1); } { ca__l_b = ca__spawn_worker(ca__t, 2); }
// SHAPE:     {{^}}static int ca__run_names(void);
// NOMF: cawait: error: -MD with -o - needs -MF FILE
