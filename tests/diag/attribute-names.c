// An attribute naming an async function that becomes a state machine names a
// function the output no longer has (only its entry points): refused at the
// attribute, not left for cc to reject ("'xt_init' undeclared", from gcc's
// torture suite, 20190827-1.c). One that never suspends stays plain C under
// its name: the second run removes the awaits, and the same file transforms,
// compiles and runs. cleanup(f) has its own test, cleanup-async.c.
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.out.c
// RUN: %strip-checks %s | sed 's/NOSUSPEND await ca_yield();//' > %t.plain.c
// RUN: %cawait %t.plain.c -o %t.plain.out.c
// RUN: %cc %t.plain.out.c %libcawait -o %t.exe && %t.exe
#include <cawait.h>
#include <stdlib.h>

#define NOSUSPEND /* marks the awaits the second run removes, so that no function suspends */
typedef int int_fn(void);
static int three(void) { return 3; }

static async int __attribute__((__section__(".text.init"))) __attribute__((__cold__)) xt_init(void)
{
    NOSUSPEND await ca_yield();
    return 7;
}
static async int_fn *pick(void)
{
    NOSUSPEND await ca_yield();
    return three;
}

// CHECK-DAG: attribute-names.c:[[@LINE+2]]:38: error: attribute 'copy' names async function 'xt_init', which becomes a state machine: no function of that name exists in the output
// CHECK-DAG: attribute-names.c:[[@LINE+1]]:73: error: attribute 'alias' names async function 'xt_init', which becomes a state machine: no function of that name exists in the output
int init_module(void) __attribute__((__copy__(xt_init))) __attribute__((alias("xt_init")));
// CHECK-DAG: attribute-names.c:[[@LINE+2]]:43: error: attribute 'weakref' names async function 'xt_init', which becomes a state machine
// CHECK-DAG: attribute-names.c:[[@LINE+1]]:63: error: attribute 'copy' names async function 'xt_init', which becomes a state machine
static int weak_init(void) __attribute__((weakref("xt_init"), copy(xt_init)));
// CHECK-DAG: attribute-names.c:[[@LINE+1]]:33: error: attribute 'ifunc' names async function 'pick', which becomes a state machine
int chosen(void) __attribute__((__ifunc__("pick")));
// CHECK-DAG: attribute-names.c:[[@LINE+1]]:41: error: attribute 'copy' names async function 'pick', which becomes a state machine
int_fn *other_pick(void) __attribute__((copy(pick), unused));

// Written by a macro (the kernel's module_init), its parameter is read from the invocation.
#define ALIAS_OF(f) __attribute__((__copy__(f))) __attribute__((alias(#f)))
// CHECK-DAG: attribute-names.c:[[@LINE+2]]:20: error: attribute 'copy' names async function 'xt_init', which becomes a state machine
// CHECK-DAG: attribute-names.c:[[@LINE+1]]:20: error: attribute 'alias' names async function 'xt_init', which becomes a state machine
int init_too(void) ALIAS_OF(xt_init);

// The same over a continued line: the macro's #define is found above it.
#define ALIAS_TOO(f) \
    __attribute__((__copy__(f))) __attribute__((alias(#f)))
// CHECK-DAG: attribute-names.c:[[@LINE+2]]:22: error: attribute 'copy' names async function 'xt_init', which becomes a state machine
// CHECK-DAG: attribute-names.c:[[@LINE+1]]:22: error: attribute 'alias' names async function 'xt_init', which becomes a state machine
int init_three(void) ALIAS_TOO(xt_init);

// A string that is not a symbol (a message) names no function.
static int old(void) __attribute__((deprecated("xt_init"), unused));
static int old(void) { return 1; }

int main(void)
{
    if (init_module() != 7 || init_too() != 7 || init_three() != 7 || weak_init() != 7 || chosen() != 3)
        abort();
    return 0;
}
