// The original source (async, await, ca_run, ca_spawn, generators) is valid
// C to gcc and clang with -Wall -Wextra and no warnings, as an IDE sees it.
// RUN: %cc -Wextra -O2 -fsyntax-only %s
// RUN: %cc -Wextra -O2 -fsyntax-only %S/../../samples/generators.c
// RUN: %cc -Wextra -O2 -fsyntax-only %S/../../samples/hello.c
// RUN: %clang -std=gnu11 -Wall -Wextra -Werror -O2 -fsyntax-only -I%S/../../runtime/include %s
// RUN: %clang -std=gnu11 -Wall -Wextra -Werror -O2 -fsyntax-only -I%S/../../runtime/include %S/../../samples/generators.c
// RUN: %cawait %s -o %t.out.c && %cc %t.out.c %libcawait -o %t.exe && %t.exe | FileCheck %s
// CHECK: 8
#include <cawait.h>
#include <stdio.h>

struct pt { int x, y; };
static async struct pt mk(int x) { await ca_sleep(1); struct pt p = {x, x}; return p; }
static async void nothing(void) { await ca_yield(); }
static async ca_gen(int) count(int n) { for (int i = 0; i < n; i++) yield(i); }
static async int run(void)
{
    int s = (await mk(2)).y + (await mk(3)).x;
    await nothing();
    ca_for (int v, count(3))
        s += v;
    ca_task *t = ca_spawn(nothing());
    await ca_join(t);
    return s;
}
int main(void) { printf("%d\n", ca_run(run())); return 0; }
