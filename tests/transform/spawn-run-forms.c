// ca_spawn in an initialiser, nested ca_run, ca_run in a struct initialiser,
// a -D macro (a string literal spelled on the command line) as an await
// argument, ca_spawn with an await in its arguments; and -MD naming OUT.d
// after the output's file name only.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c -- '-DWHO="m\"e"'
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

int main(void)
{
    struct pair p = ca_run(mk(1, ca_run(g("b", 1))));
    printf("p=%d,%d f=%d\n", p.a, p.b, ca_run(f()));
    return 0;
}
// OUT: p=1,99 f=208
// NOMF: cawait: error: -MD with -o - needs -MF FILE
