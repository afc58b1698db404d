// An async function that cannot suspend stays plain C, and its body moves
// into f__ca_body, which f and its entry f__ca_start both call: a call
// through an async pointer runs the body, not a call of f (noinline stays
// on f). The body keeps its __func__, __LINE__, static locals and recursion;
// attributes that shape its code go with it (target, optimize...); it stays
// in f where moving could change it (an attribute cawait does not know, a C99
// inline definition, a directive before the body) or where the entry is never
// called (a static f never used as a value). The callers' awaits suspend in
// the middle of expressions; output matches the synchronous twin at -O0 and
// -O2, under ASan and valgrind.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck %s < %t.out.c
// The user's -w and -Werror change nothing: clang's warnings about gcc's attributes are how cawait sees them.
// RUN: %cawait %t.in.c -o - -- -w -Werror | FileCheck %s
// RUN: %cc -Wextra -Wno-old-style-definition %t.in.c %syncref -o %t.ref && %t.ref > %t.want
// RUN: %cc -Wextra -Wno-old-style-definition %t.out.c %libcawait -o %t.exe && %t.exe > %t.got && diff %t.want %t.got
// RUN: %cc -O2 -Wextra -Wno-old-style-definition %t.out.c %libcawait -o %t.o2 && %t.o2 > %t.o2.got && diff %t.want %t.o2.got
// RUN: %cc -Wno-old-style-definition %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: valgrind -q --error-exitcode=9 %t.exe > %t.vg.got && diff %t.want %t.vg.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
#include <cawait.h>
#include <stdio.h>
#include <string.h>

typedef async int int_fn(int);

// CHECK-LABEL: static int leaf__ca_body(int x __attribute__((unused)));
// CHECK: async int leaf(int x)
// CHECK-NEXT: { return leaf__ca_body(x); }
// CHECK: static int leaf__ca_body(int x __attribute__((unused)))
// CHECK: *ca__ret = leaf__ca_body(ca__a0);
static __attribute__((noinline)) async int leaf(int x)
{
    static int calls; /* one object, whichever way leaf is called */
    calls++;
    printf("%s line %d call %d\n", __func__, __LINE__, calls);
    return x * 3 + calls;
}

/* Recursion through f itself, from the moved body. */
// CHECK: static int fact__ca_body(int n __attribute__((unused)))
static async int fact(int n) { return n <= 1 ? 1 : n * await fact(n - 1); }

/* Defined with external linkage and never used as a value here: other files may await it. */
// CHECK: static void note__ca_body(const char *what __attribute__((unused)), const int v __attribute__((unused)))
// CHECK: async void note(const char *what, const int v)
// CHECK-NEXT: { note__ca_body(what, v); }
async void note(const char *what, const int v)
{
    if (v < 0)
        return;
    printf("note %s %d (%s)\n", what, v, __FUNCTION__);
}

struct pair {
    int a;
    long b;
};
// CHECK: static struct pair swap__ca_body(struct pair p __attribute__((unused)), int (*arr)[2] __attribute__((unused)))
static async struct pair swap(struct pair p, int arr[][2])
{
    struct pair q = {(int)p.b + arr[0][1], p.a};
    return q;
}

static int twice(int x) { return 2 * x; }
/* Returns a pointer to a function. */
// CHECK: static int (*pick__ca_body(int which __attribute__((unused))))(int)
static async int (*pick(int which))(int) { return which ? twice : NULL; }

/* Old-style definition: the K&R wrapper converts the promoted arguments, the body gets them typed. */
// CHECK: static int knr__ca_body(int a __attribute__((unused)), char c __attribute__((unused)))
async int knr(a, c) int a;
char c;
{
    c += 1; /* wraps as a char */
    return a + c + (int)sizeof c;
}

/* An attribute that shapes the body's code goes on the body too (one clang does not know: read from its warning). */
// CHECK: static __attribute__((optimize("no-tree-vectorize"))) int tuned__ca_body(int x __attribute__((unused)))
static __attribute__((optimize("no-tree-vectorize"))) async int tuned(int x) { return x - 1; }

/* Stays in f: an attribute cawait does not know. */
// CHECK-NOT: unknown_attr__ca_body
// CHECK: *ca__ret = unknown_attr(ca__a0);
static __attribute__((no_stack_limit)) async int unknown_attr(int x) { return x * 5; }

/* Attributes before the declaration, and through a macro. */
#define TUNED __attribute__((__optimize__("O1")))
// CHECK: static int lead__ca_body(int x __attribute__((unused)));
// CHECK: __attribute__((noinline)) static async int lead(int x) { return lead__ca_body(x); }
__attribute__((noinline)) static async int lead(int x) { return x + 10; }
// CHECK: static __attribute__((__optimize__("O1"))) int macro_tuned__ca_body(int x __attribute__((unused)))
TUNED static async int macro_tuned(int x) { return x + 20; }

/* Stays in f: a C99 inline definition may not call a static function. */
// CHECK-NOT: inl__ca_body
inline async int inl(int x) { return x + 100; }
extern async int inl(int x);

/* Stays in f: a directive between the name and the body. */
// CHECK-NOT: cond__ca_body
static async int cond(int x)
#define COND_STEP 7
{
    return x + COND_STEP;
}

/* Stays in f: a static function never used as a value, whose entry nobody calls. */
// CHECK-NOT: quiet__ca_body
static async int quiet(int x) { return x ^ 5; }

static async int slow(int x)
{
    await ca_yield();
    return x;
}

static async int run(void)
{
    int_fn *table[] = {leaf, fact, tuned, inl, cond, lead, macro_tuned, unknown_attr};
    async int (*kp)(int, int) = knr;
    int knr_direct = await knr(1, 255) * 1000 + await kp(await slow(2), 254);
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += await slow(i) * 1000 + await table[i](i + 2) + await slow(1);
    printf("sum %d direct %d knr %d\n", sum, await leaf(1) + await slow(2) + await quiet(3), knr_direct);
    async void (*n)(const char *, int) = note;
    await n("ptr", await slow(4));
    await note("direct", -1);
    async struct pair (*sp)(struct pair, int (*)[2]) = swap;
    int grid[2][2] = {{1, 2}, {3, 4}};
    struct pair p = await sp((struct pair){await slow(5), 6}, grid);
    printf("pair %d %ld\n", p.a, p.b);
    async int (*(*pp)(int))(int) = pick;
    int (*t)(int) = await pp(await slow(1));
    printf("pick %d\n", t(21));
    return sum;
}

int main(void)
{
    printf("run %d\n", ca_run(run()));
    return 0;
}
// OUT: leaf line 37 call 1
// OUT: sum {{[0-9]+}} direct 13 knr 2002
// OUT: note ptr 4 (note)
// OUT: pair 8 5
// OUT: pick 42
