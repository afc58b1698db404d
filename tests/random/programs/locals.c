/* locals across calls: arrays and address-taken locals keep their address,
 * shadowing in nested blocks, static locals, pointers into a caller's
 * locals held by a callee, parameters modified in place. */
#include <stdio.h>

static int *saved;
static int hits;

static int remember(int *p) { saved = p; return ++hits; }
static int peek(void) { return *saved; }
static int sum(const int *a, int n) { int s = 0, i; for (i = 0; i < n; i++) s += a[i]; return s; }
static void fill(int *a, int n, int v) { while (n-- > 0) a[n] = v + n; }
static int counter(void) { static int c; return ++c; }

static int frame(int p)
{
    int a[16], x = p, *px = &x;
    fill(a, 16, p);
    remember(&x);
    x += counter();
    if (peek() != x)
        printf("address of x changed\n");
    {
        int x = 100 + counter(); /* shadows */
        int y = sum(a, 16);
        {
            int x = y + counter(); /* shadows again */
            p += x;
        }
        p += x;
    }
    *px += sum(a, 4);
    p += x;
    for (int i = 0; i < 3; i++) {
        int t = counter() * i;
        p += t;
    }
    p += peek();
    return p;
}

static unsigned param(unsigned a, unsigned b)
{
    a += counter();
    b = b * 3 + (unsigned)counter();
    a ^= b;
    return a + (unsigned)sum((int *)&a, 1);
}

int main(void)
{
    int i, s = 0;
    for (i = 0; i < 5; i++)
        s += frame(i);
    printf("s=%d param=%u hits=%d\n", s, param(7, 9), hits);
    return 0;
}
