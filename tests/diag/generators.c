// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s
#include <cawait.h>
struct s { int a; };
async ca_gen(int) nums(int n) { for (int i = 0; i < n; i++) yield(i); }
async ca_gen(int) bad(void)
{
    struct s x = {1};
    // CHECK: generators.c:[[@LINE+1]]:11: error: cannot yield a value of type 'struct s' from a generator of 'int'
    yield(x);
}
async int consumer(void)
{
    // CHECK: generators.c:[[@LINE+2]]:5: error: 'await' of generator 'nums'; iterate it with ca_for
    int v = 1;
    await nums(3);
    // CHECK: generators.c:[[@LINE+1]]:5: error: yield outside a generator
    yield(v);
    // CHECK: generators.c:[[@LINE+1]]:5: error: generator 'nums' used outside ca_for
    nums(2);
    return v;
}
