// await ca_to_thread(f(args), &status): any plain C call on the thread pool,
// with struct, void and pointer arguments and results, awaits in its
// arguments and a callee through a pointer; a cancellation is told apart from
// the function's own -errno result by the status.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cc -Wextra %t.out.c %libcawait -o %t.exe && %t.exe | FileCheck %s --check-prefix=OUT
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan | FileCheck %s --check-prefix=OUT
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe | FileCheck %s --check-prefix=OUT
// RUN: %clang -std=gnu11 -Wall -Wextra -Werror -fsyntax-only -I%S/../../runtime/include %s
#include <cawait.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

struct point { long x, y; };
static struct point mid(struct point a, struct point b, const char *tag)
{
    printf("mid on %s\n", tag);
    return (struct point){(a.x + b.x) / 2, (a.y + b.y) / 2};
}
static int fails(int code) { return -code; }   /* a -errno of its own */
static void note(char *buf, size_t n, int v) { snprintf(buf, n, "note %d", v); }
static long wait_byte(int fd) { char c; return read(fd, &c, 1) == 1 ? c : -1; }
typedef int (*op_fn)(int);

async int next(int x) { await ca_yield(); return x + 1; }

async void blocked(int fd, int *status, long *value)
{
    *value = await ca_to_thread(wait_byte(fd), status);
}

async int run(int fds[2])
{
    int st = 99;
    struct point p = await ca_to_thread(mid((struct point){2, 4}, (struct point){6, 8}, "pool"), &st);
    printf("mid %ld %ld status %d\n", p.x, p.y, st);
    int r = await ca_to_thread(fails(EIO), &st);
    printf("own result %d status %d\n", r, st);
    char buf[16];
    await ca_to_thread(note(buf, sizeof buf, await next(41)), &st);
    printf("%s status %d\n", buf, st);
    op_fn op = fails;
    printf("through a pointer %d status %d\n", await ca_to_thread(op(2), &st), st);

    /* Cancelled while f blocks on the pool: the status says so, the value is
       zero, and f's late result is dropped when it ends. */
    int wst = 99;
    long wv = 77;
    ca_task *t = ca_spawn(blocked(fds[0], &wst, &wv));
    await ca_yield(); /* t starts and waits for the pool */
    ca_cancel(t);
    await ca_join(t);
    printf("cancelled: value %ld status %d (-ECANCELED %d)\n", wv, wst, -ECANCELED);
    return (int)write(fds[1], "x", 1); /* f ends on the pool after its task */
}

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    printf("run %d\n", ca_run(run(fds)));
    return ca_loop_close(); /* joins the pool: f has released its block */
}

// SHAPE:       {{^}}struct ca__to_thread_wait_byte {
// SHAPE-NEXT:  {{^}}    struct ca__block ca__b;
// SHAPE-NEXT:  {{^}}    int a0;
// SHAPE-NEXT:  {{^}}    long r;
// SHAPE-NEXT:  {{^}}};
// SHAPE:       {{^}}struct ca__to_thread_mid {
// SHAPE-NEXT:  {{^}}    struct ca__block ca__b;
// SHAPE-NEXT:  {{^}}    struct point a0;
// SHAPE-NEXT:  {{^}}    struct point a1;
// SHAPE-NEXT:  {{^}}    const char *a2;
// SHAPE-NEXT:  {{^}}    struct point r;
// SHAPE-NEXT:  {{^}}};
// SHAPE-NEXT:  {{^}}static void ca__to_thread_mid_run(struct ca__block *ca__b)
// SHAPE:       ca__v = mid(k->a0, k->a1, k->a2);
// SHAPE:       ca__blocking_block__ca_start(ca__t, &ca__f->hdr,
// OUT:      mid on pool
// OUT-NEXT: mid 4 6 status 0
// OUT-NEXT: own result -5 status 0
// OUT-NEXT: note 42 status 0
// OUT-NEXT: through a pointer -2 status 0
// OUT-NEXT: cancelled: value 0 status -125 (-ECANCELED -125)
// OUT-NEXT: run 1
