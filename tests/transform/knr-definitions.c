// Old-style definitions: empty parentheses `int f()` declare no prototype,
// which libclang calls variadic; such a function defined here knows its
// parameters and may suspend (it was refused: "a variadic async function
// cannot suspend"). A K&R parameter `char c` is passed promoted (int) and
// converted on entry, as C does (the body saw 300, not 44).
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc -Wno-old-style-definition %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc -Wno-old-style-definition %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
#include <cawait.h>
#include <stdio.h>

async int tens();
async int sum(a, c, x) int a; char c; float x; { await ca_yield(); return a + c + (int)(x * 2); }
async int none() { await ca_yield(); return await tens(2) + await sum(1, 300, 1.25); }
async int tens(int x) { await ca_yield(); return x * 10; }

int main() { printf("%d\n", ca_run(none())); return 0; }
// OUT: 67
