/* BUG: an #ifndef/#endif inside an expression after an await: the output keeps the #endif and drops the #ifndef ("#endif without #if"); csmith's safe_math.h functions all look like this. Fixed in cbb0a1b. */
// EXPECT: -5
#include <cawait.h>
#include <stdio.h>

async int neg(int si)
{
    await ca_yield();
    return
#ifndef UNSAFE
        (si < 0) ? si :
#endif
        -si;
}

int main(void) { printf("%d\n", ca_run(neg(5))); return 0; }
