#include "lib.h"
async int add_later(int a, int b)
{
    await ca_sleep(1);
    return a + b;
}
