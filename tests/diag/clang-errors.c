// Clang's own errors are forwarded with their locations; nothing is written.
// RUN: rm -f %t.out.c
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s
// RUN: not test -e %t.out.c
#include <cawait.h>
async int g(void)
{
    // CHECK: clang-errors.c:[[@LINE+1]]:12: error: use of undeclared identifier 'nope'
    return nope + 1;
}
