// A UTF-8 byte order mark stays the output's first bytes: the #line comes
// after it, so the output compiles and runs like the source.
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: printf '\357\273\277' > %t.dir/bom.c
// RUN: %strip-checks %s >> %t.dir/bom.c
// RUN: %cawait %t.dir/bom.c -o %t.dir/bom.out.c
// RUN: od -An -c -N 12 %t.dir/bom.out.c | FileCheck %s --check-prefix=HEAD
// RUN: %cc %t.dir/bom.out.c %libcawait -o %t.dir/bom && %t.dir/bom | FileCheck %s --check-prefix=OUT
#include <cawait.h>
#include <stdio.h>
static async int twice(int x) { await ca_yield(); return 2 * x; }
int main(void) { printf("%d\n", ca_run(twice(21))); return 0; }
// HEAD: 357 273 277 \n # l i n e 1
// OUT: 42
