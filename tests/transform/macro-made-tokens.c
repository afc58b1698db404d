// A name that cawait rewrites (a variable living across an await, an async
// function used as a value) written in the argument of a macro that also
// makes a string of it (#, directly or through another macro) or pastes it
// (##): editing the argument's text would change that string too, as in
// `"ca__l_x + ca__l_y = 6"`. Such an expression is printed from what the
// macros made instead. Every await suspends; the output matches the
// synchronous twin.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
#include <cawait.h>
#include <stdio.h>

#define SHOW(e) (printf("%s = %d\n", #e, (e)), (e))
#define STR(x) #x
#define NAMED(f) (puts(STR(f)), f)
#define GLUE(a, b) a##b
#define LEN_OF(n) (n + n##_len)

typedef async int handler(int);

async int twice(int v)
{
    await ca_yield();
    return 2 * v;
}

async int run(int x)
{
    int y = await twice(x), y_len = 10;
    // OUT: x + y = 9
    int z = 1 + SHOW(x + y);
    // OUT-NEXT: twice
    handler *h = (NAMED(twice));
    int xy = 5;
    // OUT-NEXT: GLUE(x, y) = 5
    int w = 0 + GLUE(x, y) + SHOW(GLUE(x, y)) + LEN_OF(y);
    await ca_yield();
    return z + await h(w) + xy;
}

int main(void)
{
    // OUT-NEXT: 67
    printf("%d\n", ca_run(run(3)));
    return 0;
}
