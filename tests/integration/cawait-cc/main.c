#include <stdio.h>
#include "sub/lib.h"

static async int sum3(int a, int b, int c)
{
    return await add_later(await add_later(a, b), c);
}

int main(void)
{
    printf("sum %d\n", ca_run(sum3(BASE, 2, 3)));
    return 0;
}
