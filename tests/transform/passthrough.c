// A file without async code passes through byte for byte.
// RUN: %cawait %s -o %t.out.c
// RUN: cmp %s %t.out.c
#include <stdio.h>
#define SQUARE(x) ((x) * (x))
static int helper(int x) { return SQUARE(x) + 1; }
int main(void) { printf("%d\n", helper(3)); return 0; }
