/* A docs/ fragment of statements: the body of an async function. */
#include <cawait.h>

#include <stdio.h>
#include <unistd.h>

async int fragment(void)
{
@SNIPPET@
    return 0;
}
