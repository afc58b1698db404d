// Outside the state machines every declaration keeps its name in the output,
// next to the file-scope ca__ names of the generated code (ca__run_F and
// ca__spawn_F, which ca_run and ca_spawn become, thunks ca__spawn_F_thunk_...): a
// name of this file beginning with ca__ is refused there too, in synchronous
// functions and in async ones that stay plain C. Struct members, parameters of
// prototypes and labels cannot collide and stay allowed, as do the ca__ names
// the cawait headers declare.
// RUN: rm -f %t.out.c
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not test -e %t.out.c
// RUN: %cawait %s -o %t.ok.c -- -DALLOWED_ONLY
// RUN: %cc -DALLOWED_ONLY %t.ok.c %libcawait -o %t.ok && %t.ok
#include <cawait.h>

struct pair { int ca__a, ca__b; };
int apply(int (*fn)(int ca__v), int ca__x);
async int f(int x) { await ca_yield(); return x; }
static int twice(int x)
{
    struct pair p = {x, x};
    int r = ca_run(f(p.ca__a + p.ca__b));
    goto ca__s1;
ca__s1:
    return r;
}

#ifdef ALLOWED_ONLY
int main(void) { return twice(1) == 2 ? 0 : 1; }
#else
// CHECK: reserved-names-sync.c:[[@LINE+1]]:12: error: 'ca__spawn_f' is reserved for cawait's generated code (names beginning with 'ca__'); rename it
static int ca__spawn_f;
// CHECK: reserved-names-sync.c:[[@LINE+1]]:6: error: 'ca__spawn_plain_thunk_resume' is reserved for cawait's generated code (names beginning with 'ca__'); rename it
void ca__spawn_plain_thunk_resume(void) {}
// CHECK: reserved-names-sync.c:[[@LINE+1]]:27: error: 'ca__point' is reserved for cawait's generated code (names beginning with 'ca__'); rename it
typedef struct { int x; } ca__point;
// CHECK: reserved-names-sync.c:[[@LINE+1]]:8: error: 'ca__red' is reserved for cawait's generated code (names beginning with 'ca__'); rename it
enum { ca__red, green };

async int plain(void) // cannot suspend: stays plain C
{
    // CHECK: reserved-names-sync.c:[[@LINE+1]]:9: error: 'ca__f' is reserved for cawait's generated code (names beginning with 'ca__'); rename it
    int ca__f = 1;
    return ca__f;
}

// CHECK: reserved-names-sync.c:[[@LINE+1]]:24: error: 'ca__n' is reserved for cawait's generated code (names beginning with 'ca__'); rename it
static int sync_fn(int ca__n)
{
    // CHECK: reserved-names-sync.c:[[@LINE+1]]:9: error: 'ca__x' is reserved for cawait's generated code (names beginning with 'ca__'); rename it
    int ca__x = 2;
    return ca__x + ca__n;
}

int main(void)
{
    // CHECK: reserved-names-sync.c:[[@LINE+3]]:9: error: 'ca__run_f' is reserved for cawait's generated code (names beginning with 'ca__'); rename it
    // CHECK-NEXT: {{^}}    int ca__run_f = 0;
    // CHECK-NEXT: {{^}}        ^
    int ca__run_f = 0;
    return ca_run(f(ca__run_f)) + ca_run(plain()) + sync_fn(1) + twice(1);
}
#endif
