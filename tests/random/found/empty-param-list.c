/* BUG: an async function declared with an empty parameter list, `async int f()` (an ordinary C declaration; with f defined as taking no arguments), is rejected as "an async function cannot be variadic". Common in real C; csmith writes (void). */
// EXPECT: 2
#include <cawait.h>
#include <stdio.h>

async int one() { return 1; }
async int f() { return await one() + 1; }

int main() { printf("%d\n", ca_run(f())); return 0; }
