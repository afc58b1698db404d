/* BUG: an await that really suspends inside a designated initializer is rejected ("cannot transform an 'await' inside a designated initializer"); DESIGN item 2 lists initialisers. Positional {1, await one(2)} works, and so does the designated form when the callee never suspends. */
// EXPECT: 12
// EXPECT: 10
#include <cawait.h>
#include <stdio.h>

struct pt { int x, y; };

async int one(int v) { await ca_yield(); return v; }

async int f(void)
{
    struct pt p = {.y = await one(2), .x = 1};
    return p.x * 10 + p.y;
}

async int g(void)
{
    int a[3] = {[2] = await one(0), [0] = 1};
    return a[0] * 10 + a[2];
}

int main(void) { printf("%d\n%d\n", ca_run(f()), ca_run(g())); return 0; }
