// A NUL byte in the source. In a file with async code it is an error at the
// byte (the rewritten text could not hold it), and nothing is written; a file
// with nothing to rewrite passes through byte for byte, NUL included.
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %strip-checks %s > %t.dir/async.c
// RUN: printf 'int after_nul;\n\0int tail;\n' >> %t.dir/async.c
// RUN: not %cawait %t.dir/async.c -o %t.dir/async.out.c 2>&1 | FileCheck %s
// RUN: not test -e %t.dir/async.out.c
// RUN: printf 'int a;\n\0int b;\nint c;\n' > %t.dir/plain.c
// RUN: %cawait %t.dir/plain.c -o %t.dir/plain.out.c
// RUN: cmp %t.dir/plain.c %t.dir/plain.out.c
#include <cawait.h>
async int f(int x) { await ca_yield(); return x; }
// The NUL is the first byte of the second line appended after this file's 15 lines.
// CHECK: async.c:17:1: error: a NUL byte in a file with async code: cawait cannot rewrite it; remove the byte
