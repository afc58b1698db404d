#include <cawait.h>
async int f(int x)
{
    await ca_yield();
    x == 1; /* UNUSED */
    return x;
}
