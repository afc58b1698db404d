/* docs/language.md's first example: the headers and the struct it uses. */
#include <cawait.h>

#include <stdlib.h>
#include <string.h>

struct result {
    int value;
};

@SNIPPET@
