#include "greet.h"

#include <stdio.h>

async int greet(const char *who, int times)
{
    int i;
    for (i = 0; i < times; i++) {
        printf("%s %s %d\n", GREETING, who, i);
        await ca_yield();
    }
    return i;
}
