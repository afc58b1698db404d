// Pass "parse": the pseudo-keywords clang's AST holds, with their locations,
// found however deeply they sit in macros.
// RUN: %cawait %s --dump-after=parse | FileCheck %s
#include <cawait.h>
#define TWICE(x) ((x) + (x))
async int f(int x) { return x; }
async int g(void)
{
    int a = await f(1) + TWICE(await f(2));
    return a;
}
int main(void) { return ca_run(g()); }
// CHECK: await 9:13
// CHECK-NEXT: await 9:32
// CHECK-NEXT: await 9:32
// CHECK-NEXT: ca_run 12:25
