/* deep recursion (every level suspends in the yield modes) and a large
 * array local live across calls. */
#include <stdio.h>
#include <string.h>

static unsigned down(unsigned n) { return n == 0 ? 0 : 1 + down(n - 1); }

static unsigned step(unsigned h, unsigned i) { return h * 16777619u ^ i; }

static unsigned bigframe(int rounds)
{
    unsigned buf[50000];
    unsigned h = 2166136261u;
    int r, i;
    memset(buf, 0, sizeof buf);
    for (r = 0; r < rounds; r++)
        for (i = 0; i < 50000; i += 997)
            buf[i] = step(buf[i] + (unsigned)r, (unsigned)i);
    for (i = 0; i < 50000; i++)
        h = step(h, buf[i]) & 0xffffffu;
    return h;
}

int main(void)
{
    printf("down=%u big=%u\n", down(100000), bigframe(3));
    return 0;
}
