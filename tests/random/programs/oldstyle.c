/* old-style definitions, array parameters, calls through &f and *f of a
 * function (not a pointer variable), a prototype after the definition,
 * `extern` prototypes, void functions with bare `return;`. */
#include <stdio.h>

extern int add();
int add(a, b) int a; int b; { return a + b; }
int add();

static int rows(int m[][3], int n)
{
    int i, s = 0;
    for (i = 0; i < n; i++)
        s += add(m[i][0], m[i][2]);
    return s;
}

static int first(const int a[static 2]) { return a[0] * 10 + a[1]; }

static void clamp(int *p, int lo, int hi)
{
    if (*p < lo) { *p = lo; return; }
    if (*p > hi) { *p = hi; return; }
}

int main(void)
{
    int m[2][3] = {{1, 2, 3}, {4, 5, 6}};
    int v = 42, w = -3;
    clamp(&v, 0, 10);
    clamp(&w, 0, 10);
    printf("%d %d %d %d %d %d\n", rows(m, 2), (&add)(1, 2), (*add)(3, 4), first(m[1]), v, w);
    return 0;
}
