// Variable-length arrays living across awaits: a block of the task's frame
// stack sized at run time, its bounds evaluated where the declaration runs
// (an await among them), freed when the scope is left (end of a loop body,
// break, continue, return); sizeof, indexing, decay and & keep their meaning;
// 1-D and 2-D (a constant inner bound and run-time ones), in recursion, and
// big enough to grow the stack past its inline chunk. The task's frame
// bytes are unbounded, so the runtime grows the stack. Compared with the
// synchronous twin, under ASan and valgrind.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cawait %t.in.c -o %t.out2.c --frame-report | FileCheck %s --check-prefix=REPORT
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe > %t.vg.got && diff %t.want %t.vg.got
#include <cawait.h>
#include <stdio.h>

static async int Y(int v) { await ca_yield(); return v; }
static async int S(int v) { await ca_sleep(0); return v; }
static async void fill(int *p, int n, int base) { for (int i = 0; i < n; i++) p[i] = base + await Y(i); }

// REPORT: sum1d {{.*}}unbounded: sum1d holds a variable-length array
// SHAPE-LABEL: sum1d__ca_resume
// SHAPE: ca__f->ca__a_n0 = ca__l_n; ca__f->a = ca__frame_alloc(ca__t, sizeof(int [ca__f->ca__a_n0]), __alignof__(int));
async long sum1d(int n)
{
    int a[n];
    int *first = &a[0];
    await fill(a, n, 10);
    long s = 0;
    for (int i = 0; i < n; i++)
        s += a[i] * await S(1);
    printf("sum1d(%d): sizeof %zu, count %zu, same %d\n", n, sizeof a, sizeof a / sizeof a[0], first == &a[0]);
    return s;
}

// SHAPE-LABEL: grid__ca_resume
// SHAPE: sizeof(double [ca__f->ca__g_n0][4])
async double grid(int rows, int cols)
{
    double g[rows][4];
    int m[await Y(rows)][cols + 1];
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < 4; c++)
            g[r][c] = r * 10 + c + await Y(0);
    for (int r = 0; r < rows; r++)
        for (int c = 0; c <= cols; c++)
            m[r][c] = await Y(r * c);
    int (*row)[cols + 1] = &m[rows - 1];
    printf("grid: %zu %zu %zu last %d\n", sizeof g, sizeof m, sizeof m[0], (*row)[cols]);
    return g[rows - 1][3] + m[1][1];
}

/* A block per iteration, left by the end of the body, continue, break, and return. */
async int loops(int n)
{
    int total = 0;
    for (int i = 1; i <= n; i++) {
        int buf[i * 100];
        buf[i * 100 - 1] = await S(i);
        if (i == 2)
            continue;
        if (i == 5)
            break;
        if (i == n + 1)
            return -1;
        total += buf[i * 100 - 1];
    }
    while (1) {
        char big[100000]; /* a constant array: in the frame */
        char more[n * 50000];
        more[n * 50000 - 1] = (char)await Y(7);
        big[0] = more[n * 50000 - 1];
        if (big[0] == 7)
            return total * 1000 + (int)sizeof more;
    }
}

async int depth(int d)
{
    int a[d + 1];
    a[d] = d;
    if (d == 0)
        return await Y(0);
    return a[d] + await depth(d - 1);
}

int main(void)
{
    printf("%ld\n", ca_run(sum1d(5)));
    printf("%g\n", ca_run(grid(3, 2)));
    printf("%d\n", ca_run(loops(6)));
    printf("%d\n", ca_run(depth(200)));
    return 0;
}
// The tasks' frame stacks are sized at run time (0: unknown).
// SHAPE: ca__task_new(NULL, 0);
