/* BUG: `await (&f)(x)` and `await (*f)(x)` are rejected ("'await' needs a call of an async function"), though both call the function f itself as in C; `await (f)(x)` works. */
// EXPECT: 6
#include <cawait.h>
#include <stdio.h>

async int one(int x) { return x; }
async int f(void) { return await (one)(1) + await (&one)(2) + await (*one)(3); }

int main(void) { printf("%d\n", ca_run(f())); return 0; }
