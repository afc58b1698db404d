/* docs/runtime.md's child-process fragment: the body of an async function given the data to sort. */
#include <cawait.h>

#include <stddef.h>
#include <unistd.h>

void consume(const char *out, size_t n);

async int sort_lines(const char *data, size_t len)
{
    char buf[4096];
@SNIPPET@
    return 0;
}
