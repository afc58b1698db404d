// A declaration inside a statement a macro expands to (`do { const char *s =
// x; ... } while (0)`) in a state machine is printed from the AST: its
// expansion range is the whole invocation, which was copied again in its
// place (`do { A (x, 5) A (x, 5) ...`, which gcc rejected; from gcc's
// torture suite, strlen-5.c).
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
#include <cawait.h>
#include <stdio.h>
#include <string.h>

#define CHECK(expr, N)                                          \
    do {                                                        \
        const char *s = (expr);                                 \
        unsigned n = strlen(s);                                 \
        printf("%s: %u %s\n", #expr, n, n == N ? "ok" : "bad"); \
    } while (0)
#define DECL(name, v) int name = (v)

static const char words[][4] = {"abc", "de"};

async int run(void)
{
    await ca_yield();
    CHECK(words[0], 3);
    int i = 1;
    CHECK(words[i], 2);
    DECL(later, 40);
    await ca_yield();
    return later + i + 1;
}

int main(void) { printf("%d\n", ca_run(run())); return 0; }
// OUT: words[0]: 3 ok
// OUT-NEXT: words[i]: 2 ok
// OUT-NEXT: 42
