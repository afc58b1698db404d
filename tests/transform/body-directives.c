// Directives in the text that a state machine replaces. The body is rebuilt
// from the AST, where directives leave no trace: a #define or #undef between
// its statements was lost, so code after the function saw the macros of
// before it (this printed "5 3"), and a conditional begun before the
// function and ended in its text (`#ifdef PROTOTYPES ... #else K&R #endif
// {`, gcc's c-torture/compile structs.c) lost its #endif. Now the #define
// and #undef lines the preprocessor kept stand between the rebuilt
// statements, and such conditionals come with the generated code. Every
// await suspends; the output matches the synchronous twin, with and without
// PROTOTYPES.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck %s < %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
// RUN: %cawait %t.in.c -o %t.proto.c -- -DPROTOTYPES
// RUN: %cc -DPROTOTYPES %t.proto.c %libcawait -o %t.proto && %t.proto > %t.proto.got && diff %t.want %t.proto.got
#include <cawait.h>
#include <stdio.h>

#define N 3

struct pair { int a, b; };

// CHECK: #else
// CHECK: #endif
#ifdef PROTOTYPES
async int sum(struct pair p)
#else
async int sum(p)
    struct pair p;
#endif
{
    await ca_yield();
    return p.a + p.b;
}

async int redefine(void)
{
// CHECK: #define TWICE(x) ((x) * 2)
#define TWICE(x) ((x) * 2)
    int v = TWICE(N);
    await ca_yield();
// CHECK: #undef N
#undef N
#ifdef NOT_DEFINED
#define N 100
#else
// CHECK-NOT: #define N 100
// CHECK: #define N 5
#define N 5
#endif
    v += N;
#undef TWICE
    return v;
}

static int TWICE = 7; /* the macro is gone here, as in the original */

int main(void)
{
    struct pair p = {1, 2};
    // OUT: 11 5 3 7
    printf("%d %d %d %d\n", ca_run(redefine()), N, ca_run(sum(p)), TWICE);
    return 0;
}
