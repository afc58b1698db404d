// -o (or -MF) naming the input file, by any path to it, is refused: the
// source is never replaced. A depfile that cannot be written leaves no
// output behind.
// RUN: rm -rf %t.dir && mkdir -p %t.dir/sub
// RUN: cp %s %t.dir/in.c && cp %s %t.dir/keep.c
// RUN: ln %t.dir/in.c %t.dir/hard.c
// RUN: not %cawait %t.dir/in.c -o %t.dir/in.c 2>&1 | FileCheck %s --check-prefix=SAME
// RUN: not %cawait %t.dir/in.c -o %t.dir/sub/../in.c 2>&1 | FileCheck %s --check-prefix=DOTS
// RUN: not %cawait %t.dir/in.c -o %t.dir/hard.c 2>&1 | FileCheck %s --check-prefix=LINK
// RUN: not %cawait %t.dir/in.c -o %t.dir/out.c -MF %t.dir/in.c 2>&1 | FileCheck %s --check-prefix=DEP
// RUN: cmp %t.dir/in.c %t.dir/keep.c
// RUN: not %cawait %t.dir/in.c -o %t.dir/out.c -MF %t.dir/no/such/dir/out.d 2>&1 | FileCheck %s --check-prefix=NODEP
// RUN: not test -e %t.dir/out.c
#include <cawait.h>
async int f(int x) { await ca_yield(); return x; }
// SAME: cawait: error: '{{.*}}in.c' is the input file '{{.*}}in.c'; refusing to write over it
// DOTS: cawait: error: '{{.*}}sub/../in.c' is the input file
// LINK: cawait: error: '{{.*}}hard.c' is the input file
// DEP: cawait: error: '{{.*}}in.c' is the input file
// NODEP: cawait: error: cannot write '{{.*}}no/such/dir/out.d': No such file or directory
