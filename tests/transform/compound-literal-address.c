// A compound literal whose address is used (`&(struct s){...}`, an array
// literal, which decays to its address, an array member of a literal) in a
// function that suspends is made in the frame, so the address stays good
// over later awaits to the end of its block, as in C; a literal used only as
// a value stays as written. (It was refused: "cawait cannot keep this
// compound literal alive across an await"; torture 20000722-1.c.)
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cc -Wextra %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
#include <cawait.h>
#include <stdio.h>
#include <string.h>

struct s { const char *p; int t; int arr[3]; };
struct pt { int x, y; };

static int norm(const struct pt *p) { return p->x * p->x + p->y * p->y; }

static async int tick(int x)
{
    await ca_yield();
    return x;
}

static async int use(struct s *p)
{
    await ca_yield();
    return p->t + p->arr[1];
}

static async int sum(const int *a, int n)
{
    int s = 0;
    for (int i = 0; i < n; i++)
        s += await tick(a[i]);
    return s;
}

static async int literals(void)
{
    int total = 0;
    // SHAPE: __builtin_memcpy((void *)&ca__f->[[T:ca__tmp[0-9]+]], &((struct s){ "hi", 1, { 1, 2, 3 } }), sizeof ca__f->[[T]]); if ((ca__st = use__ca_start({{.*}}(&ca__f->[[T]]))
    total += await use(&(struct s){ "hi", 1, { 1, 2, 3 } });
    // SHAPE: __builtin_memcpy((void *)&ca__f->[[A:ca__tmp[0-9]+]], &((int [3]){ 4, 5, 6 }), sizeof ca__f->[[A]]); ca__l_a = ca__f->[[A]];
    int *a = (int[]){ 4, 5, 6 };
    await tick(0);
    total += a[0] + a[2];
    struct s *q = &(struct s){ .t = 7 };
    await tick(1);
    q->t += 1;
    total += q->t;
    int *m = (struct s){ .arr = { 9, 8, 7 } }.arr;
    await tick(2);
    total += m[0] + m[2];
    for (int i = 0; i < 3; i++) {
        int *r = (int[]){ i, i * 10 }; /* made again at each iteration */
        total += await tick(r[1]) + r[0];
    }
    total += await sum((int[]){ 1, 2, 3, 4 }, 4);
    // SHAPE: __typeof__(ca__f->v) ca__v = (struct s){ "v", 3, { 0 } };
    struct s v = (struct s){ "v", 3, { 0 } };
    await tick(3);
    total += v.t + (int)sizeof((int[]){ 1, 2 });
    const char *str = (const char[]){ 'o', 'k', 0 };
    await tick(4);
    return total + (int)strlen(str);
}

static async int mixed(int n)
{
    int s = await tick(1);
    {
        int *x = (int[]){ 1, 2 }; /* a block without awaits */
        s += x[1] + norm(&(struct pt){ 3, 4 });
    }
    for (int i = 0; i < n; i++)
        s += norm(&(struct pt){ i, await tick(i) }) + norm((&(struct pt){ .y = 2 }));
    if (n > 1)
        return s + ((struct pt){ 5, 6 }).y + norm(&((struct pt){ 1, 1 }));
    switch (n) {
    case 0: {
        int *z = (int[3]){ [2] = 9 };
        s += z[2];
    }
    }
    return s;
}

int main(void)
{
    // OUT: literals 93
    printf("literals %d\n", ca_run(literals()));
    // OUT-NEXT: mixed 58 37
    printf("mixed %d %d\n", ca_run(mixed(3)), ca_run(mixed(0)));
    return 0;
}
