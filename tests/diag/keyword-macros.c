// A macro named like a keyword that cawait's generated code spells
// (`#define int unsigned`, from gcc's c-torture/compile bitf.c) changes what
// that code says: the output of a K&R `int b` became `unsigned b`, and
// `unsigned int` became `unsigned unsigned`. Refused at the #define when it
// is active. Inactive ones (#if 0, #ifndef __GNUC__), definitions as
// themselves, `#define static` and the words old code defines away (inline,
// const, __attribute__) are fine: without the int one, the file transforms,
// builds and runs.
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not test -e %t.out.c
// RUN: %strip-checks %s | sed 's/^#define int unsigned//' > %t.ok.c
// RUN: %cawait %t.ok.c -o %t.ok.out.c
// RUN: %cc %t.ok.out.c %libcawait -o %t.exe && %t.exe | FileCheck %s --check-prefix=OUT
#include <cawait.h>
#include <stdio.h>

#ifndef __GNUC__
#define __attribute__(x)
#endif
#if 0
#define char long
#endif
#define inline __inline__
  #  define long long
#define static

// CHECK: keyword-macros.c:[[@LINE+1]]:9: error: 'int' is defined as a macro: the code cawait generates spells the keyword 'int' and would mean something else; cawait cannot transform a file that redefines it
#define int unsigned

static async int twice(int x)
{
    await ca_yield();
    return 2 * x;
}

static int one(void) { return 1; }

int main(void)
{
    // OUT: 7
    printf("%d\n", ca_run(twice(3)) + one());
    return 0;
}
