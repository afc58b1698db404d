/* docs/runtime.md's task fragments, run as function bodies (tests/transform/doc-tasks.c). */
#include <cawait.h>
#include <stdio.h>

static async int square(int x) { await ca_yield(); return x * x; }
static async int handle(int fd) { await ca_sleep((uint64_t)fd); return fd == 2 ? -EIO : 0; }

static async int values(void)
{
