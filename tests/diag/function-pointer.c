// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s
#include <cawait.h>
async int f(int x) { return x; }
// CHECK: function-pointer.c:[[@LINE+1]]:18: error: async function 'f' initialises a plain function pointer
int (*fp)(int) = &  f;
