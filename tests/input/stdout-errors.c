// Writing to standard output can fail: a full device or a closed stdout is an
// error with a non-zero exit, never a silent exit 0.
// RUN: not %cawait %s -o - > /dev/full 2> %t.full
// RUN: FileCheck %s --check-prefix=FULL < %t.full
// RUN: not sh -c '%cawait %s -o - >&-' 2>&1 | FileCheck %s --check-prefix=CLOSED
// RUN: not sh -c '%cawait %s --dump-after=collect >&-' 2>&1 | FileCheck %s --check-prefix=CLOSED
// RUN: not %cawait --help > /dev/full
// RUN: rm -f %t.out.c
// RUN: not sh -c '%cawait %s -o %t.out.c --frame-report > /dev/full'
// RUN: not test -e %t.out.c
#include <cawait.h>
async int f(int x) { await ca_yield(); return x; }
// FULL: cawait: error: cannot write to standard output: No space left on device
// CLOSED: cawait: error: cannot write to standard output: it is closed
