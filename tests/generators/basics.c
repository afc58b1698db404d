// Generators: yield in loops, switch and nested blocks, awaits before and
// after yields and in the consumer's body, early exits by break, return and
// goto (frames released: ASan and valgrind check), generators consuming
// generators, and a recursive tree walk.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe | FileCheck %s --check-prefix=OUT
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan | FileCheck %s --check-prefix=OUT
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe | FileCheck %s --check-prefix=OUT
#include <cawait.h>
#include <stdio.h>

async ca_gen(int) squares(int n) { for (int i = 0; i < n; i++) yield(i * i); }
async long total(void) { long s = 0; ca_for (int v, squares(5)) s += v; return s; }

/* yield inside switch and nested blocks, with awaits around it */
async ca_gen(const char *) words(int n)
{
    for (int i = 0; i < n; i++) {
        await ca_yield();
        switch (i % 3) {
        case 0: yield("fizz"); break;
        case 1: { await ca_sleep(1); yield("buzz"); } /* fall through */
        default: yield("!");
        }
    }
    yield("end");
}

/* a generator consuming a generator */
async ca_gen(long) running_sum(int n)
{
    long s = 0;
    ca_for (int v, squares(n)) {
        s += v;
        yield(s);
    }
}

struct node { int val; struct node *l, *r; };
async ca_gen(int) walk(struct node *t)
{
    if (!t)
        return;
    ca_for (int v, walk(t->l)) yield(v);
    await ca_yield();
    yield(t->val);
    ca_for (int v, walk(t->r)) yield(v);
}

async int first_over(struct node *t, int limit)
{
    ca_for (int v, walk(t)) {
        if (v > limit)
            return v;            /* leaves the loop and the generators */
    }
    return -1;
}

async int run(void)
{
    printf("total=%ld\n", await total());
    ca_for (const char *w, words(4)) printf("%s ", w);
    printf("\n");
    ca_for (long s, running_sum(5)) printf("%ld ", s);
    printf("\n");
    struct node a = {1, 0, 0}, c = {3, 0, 0}, b = {2, &a, &c}, e = {5, 0, 0}, d = {4, &b, &e};
    ca_for (int v, walk(&d)) {
        printf("%d ", v);
        if (v == 4)
            break;
    }
    printf("\n");
    printf("first_over=%d\n", await first_over(&d, 2));
    int seen = 0;
    ca_for (int v, walk(&d)) {
        await ca_sleep(1);
        seen += v;
        if (v == 3)
            goto out;
    }
out:
    printf("seen=%d\n", seen);
    return 0;
}

int main(void) { return ca_run(run()); }
// SHAPE-LABEL: ca_frame *squares__ca_gen(ca_task *ca__t, ca_frame *ca__parent, void *ca__slot, int *ca__more, int ca__a0)
// SHAPE: return CA_DONE;
// OUT: total=30
// OUT-NEXT: fizz buzz ! ! fizz end
// OUT-NEXT: 0 1 5 14 30
// OUT-NEXT: 1 2 3 4
// OUT-NEXT: first_over=3
// OUT-NEXT: seen=6
