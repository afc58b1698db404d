// Async function pointers: typedefs, struct members, tables, parameters,
// return types, locals across awaits; f, &f, NULL, comparisons; await,
// ca_spawn and ca_run through pointers. The output matches the synchronous
// twin (the same source compiled as plain C).
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cc -Wextra -Werror %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: %clang -std=gnu11 -Wall -Wextra -Werror -fsyntax-only -I%S/../../runtime/include %s
#include <cawait.h>
#include <stddef.h>
#include <stdio.h>

struct req { int n; };
typedef async int handler_fn(struct req *);        /* an async function type */
typedef async int (*handler_ptr)(struct req *);    /* an async pointer type */

struct dev;
struct dev_ops {
    async int (*read)(struct dev *d, int n);
    async void (*log)(const char *what);
};
struct dev { const struct dev_ops *ops; int base; };

/* Lowered to plain C (never suspends) and a state machine (may suspend). */
async int sq(struct req *r) { return r->n * r->n; }
async int slow_twice(struct req *r) { await ca_yield(); return 2 * r->n; }

static handler_fn *table[2] = { sq, &slow_twice };

async int dev_read(struct dev *d, int n) { await ca_sleep(0); return d->base + n; }
async void dev_log(const char *what) { printf("log %s\n", what); }
static const struct dev_ops ops = { .read = dev_read, .log = dev_log };

typedef async int int_fn(int);
async int add1(int x) { return x + 1; }
async int neg(int x) { await ca_yield(); return -x; }
static int_fn *itab[] = { add1, neg };

handler_fn *pick(int i) { return table[i]; }
static int picks;
static int next_index(void) { return picks++ % 2; }

struct big { long a, b, c; };
typedef async struct big big_fn(int);
async struct big make_big(int x) { await ca_yield(); return (struct big){x, 2 * x, 3 * x}; }

async int apply(async int (*h)(struct req *), int n)   /* a parameter */
{
    struct req r = {n};
    return await h(&r);
}

async int through(struct dev *d)
{
    struct req r = {3};
    handler_ptr hp = table[1];
    async int (*local)(struct req *) = sq;             /* a local living across awaits */
    int v = await local(&r);
    await ca_yield();
    v += await hp(&r) + await (*local)(&r);
    v += await d->ops->read(d, 5);
    await d->ops->log("through");
    /* The callee is evaluated once, before arguments that await. */
    v += await itab[next_index()](await apply(sq, 2));
    v += await pick(1)(&r);
    big_fn *bp = make_big;
    struct big b = await bp(4);
    v += (int)(b.a + b.b + b.c);
    handler_fn *none = NULL;
    if (none == NULL && local == sq && local != &slow_twice && (handler_fn *)hp == table[1])
        v += 1000;
    return v + await apply(table[0], 7);
}

int main(void)
{
    struct dev d = {&ops, 100};
    printf("through %d\n", ca_run(through(&d)));
    printf("picks %d\n", picks);
    handler_fn *h = slow_twice;
    struct req r = {21};
    printf("run %d\n", ca_run(h(&r)));
    ca_task *t = ca_spawn(table[0](&r));
    (void)t;
    ca_run(d.ops->log("main"));
    return 0;
}

// SHAPE-LABEL: static handler_fn *table[2] = { (*(int (*)(struct req *))(void (*)(void))sq__ca_start), &(*(int (*)(struct req *))(void (*)(void))slow_twice__ca_start) }
// SHAPE: ((int (*)(ca_task *, ca_frame *, int *, struct dev *, int))(void (*)(void))(ca__l_d->ops->read))(ca__t, &ca__f->hdr, &ca__f->ca__tmp{{[0-9]+}}, ca__l_d, 5)
// SHAPE: ((int (*)(ca_task *, ca_frame *, const char *))(void (*)(void))(ca__l_d->ops->log))(ca__t, &ca__f->hdr, "through")
// OUT: log through
// OUT: through 1213
// OUT: picks 1
// OUT: run 42
// OUT: log main
