// A struct first declared in the parameter list of an async function (or in
// an old-style parameter declaration) is seen by that function alone: the
// entry points of a state machine, declared elsewhere, would each name a
// different type, and gcc refused the output (from gcc's c-torture/compile,
// 930510-1.c). Refused at the function. A function that never suspends
// keeps its text and works.
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not test -e %t.out.c
// RUN: %strip-checks %s | sed 's/SUSPEND await ca_yield();//' > %t.plain.c
// RUN: %cawait %t.plain.c -o %t.plain.out.c -- -Wno-visibility
// RUN: %cc -w %t.plain.out.c %libcawait -o %t.exe && %t.exe
#include <cawait.h>
#define SUSPEND

// CHECK: tag-in-parameters.c:[[@LINE+1]]:11: error: 'struct rule' is first declared in the parameter list of async function 'f', where only the function sees it, and its entry points cannot name it; declare it before the function
async int f(struct rule *r) { SUSPEND await ca_yield(); return r != 0; }

// CHECK: tag-in-parameters.c:[[@LINE+1]]:11: error: 'struct old' is first declared in the parameter list of async function 'knr', where only the function sees it
async int knr(p, n) struct old *p; int n;
{ SUSPEND await ca_yield(); return p == 0 ? n : 0; }

struct known;
async int fine(struct known *k) { SUSPEND await ca_yield(); return k == 0; }

int main(void) { return !(ca_run(fine(0)) && ca_run(knr(0, 1)) && !ca_run(f(0))); }
