// Variadic async functions that suspend: every use of the variable arguments
// runs before the first suspension, while f__ca_start (variadic itself) holds
// the list; va_start in the resume function copies it (docs/language.md).
// va_arg of int, double, pointers and a struct, va_copy, vsnprintf, a fixed
// struct parameter, a void one, a prototype before the definition, a forward
// goto, va_arg inside the first await's arguments and before an await in an
// expression, va_arg in a macro, a statement expression and a switch, the
// list in a struct; then awaits that really suspend; ca_run of one from main. The output matches the
// synchronous twin at -O0 and -O2, under ASan/UBSan and valgrind; the frame
// report's sizes are the compiler's.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c --frame-report > %t.report
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cc -Wextra %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: %cc -O2 -Wextra %t.out.c %libcawait -o %t.o2 && %t.o2 > %t.o2.got && diff %t.want %t.o2.got
// RUN: %cc -O1 %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.o2 > %t.vg.got && diff %t.want %t.vg.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
// RUN: awk '$2 ~ /^[0-9]+$/ { printf "_Static_assert(sizeof(struct %%s__ca_frame) == %%s, \"%%s\");\n", $1, $2, $1 }' %t.report > %t.asserts
// RUN: grep -c _Static_assert %t.asserts | grep -x 10
// RUN: awk '$1 == "main_task" { printf "_Static_assert(%%s__ca_task_bytes == %%s, \"%%s\");\n", $1, $3, $1 }' %t.report > %t.tasks
// RUN: cat %t.out.c %t.asserts %t.tasks > %t.sizes.c && %cc -c %t.sizes.c -o %t.o
// RUN: FileCheck %s --check-prefix=REPORT < %t.report
#include <cawait.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct pt {
    int x, y;
    double w;
};

struct conn {
    int id;
    char out[256];
    size_t len;
};

static async int nap(int v)
{
    await ca_yield();
    await ca_sleep(0);
    return v;
}

/* A callee that yields, then appends to the connection's buffer. */
static async int write_all(struct conn *c, const char *buf, int n)
{
    await ca_yield();
    memcpy(c->out + c->len, buf, (size_t)n);
    c->len += (size_t)n;
    return n;
}

// A prototype before the definition: the caller's await uses the variadic entry.
// SHAPE: {{^}}int reply__ca_start(ca_task *ca__t, ca_frame *ca__parent, int *ca__ret, struct conn *ca__a0, const char *ca__a1, ...){{$}}
// SHAPE-NEXT: #line
// SHAPE-NEXT: {{^}};
async int reply(struct conn *c, const char *fmt, ...);

// SHAPE: struct sum_mixed__ca_frame {
// SHAPE: __builtin_va_list *ca__va;
// SHAPE: __builtin_va_copy({{ *}}ca__f->ap, *ca__f->ca__va);
// SHAPE: int sum_mixed__ca_start(ca_task *ca__t, ca_frame *ca__parent, double *ca__ret, struct pt ca__a0, int ca__a1, ...){{$}}
// SHAPE-NEXT: {
// SHAPE-NEXT: __builtin_va_list ca__va;
// SHAPE-NEXT: __builtin_va_start(ca__va, ca__a1);
// SHAPE-NEXT: int ca__st = sum_mixed__ca_resume(ca__t, sum_mixed__ca_make(ca__t, ca__parent, ca__ret, ca__a0, ca__a1, &ca__va));
// SHAPE-NEXT: __builtin_va_end(ca__va);
// SHAPE-NEXT: return ca__st;
static async double sum_mixed(struct pt base, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    int i = va_arg(ap, int);
    double d = va_arg(ap, double);
    const char *s = va_arg(ap, const char *);
    struct pt p = va_arg(ap, struct pt);
    int *out = va_arg(ap, int *);
    va_end(ap);
    *out = await nap(i) + (int)strlen(s);
    double r = base.x + base.w + d + p.x * 10 + p.y + p.w;
    return r + await nap(n) + await nap(*out);
}

async int reply(struct conn *c, const char *fmt, ...)
{
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return await write_all(c, buf, n);
}

/* va_copy: the list read twice; the first await's arguments read the list (and end it) before it suspends. */
static async int twice(int n, ...)
{
    va_list ap, again;
    int first = 0, second = 0;
    va_start(ap, n);
    va_copy(again, ap);
    for (int i = 0; i < n; i++)
        first += va_arg(ap, int);
    for (int i = 0; i < n; i++)
        second += va_arg(again, int) * 2;
    va_end(again);
    int v;
    int last = await nap((v = va_arg(ap, int), va_end(ap), v + first));
    return last + second + await nap(1);
}

/* A value read (and the list ended) before an await in the same expression: left to right, as the lowering
   evaluates it. */
static async long before_await(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    long y, x = (y = va_arg(ap, long), va_end(ap), y) + await nap(n);
    x = x * 100 + await nap(3) + await nap(await nap(4));
    return x;
}

/* A void one, with a forward goto out of the first segment. */
static async void log_line(struct conn *c, int level, const char *fmt, ...)
{
    char buf[96];
    int n;
    if (level < 1)
        goto quiet;
    va_list ap;
    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    await write_all(c, buf, n);
    await write_all(c, "\n", 1);
quiet:
    await nap(level);
}

/* va_arg in a user's macro, a statement expression, a switch; long double; the list in a block of its own. */
#define NEXT(T) va_arg(ap, T)
#define SUM2(a, b) ((a) + (b))
static async long double kinds(int kind, ...)
{
    long double r = 0;
    {
        va_list ap;
        va_start(ap, kind);
        switch (kind) {
        case 1:
            r = NEXT(long double);
            break;
        case 2:
            r = SUM2(NEXT(int), NEXT(double));
            break;
        default:
            r = ({
                int t = va_arg(ap, int);
                t * 2;
            });
        }
        va_end(ap);
    }
    return r + await nap(kind);
}

/* The list in a struct: reading the struct's other members after a suspension reads no list. */
struct holder {
    int tag;
    va_list ap;
};
static async int held(int n, ...)
{
    struct holder s = {n, {{0}}};
    va_start(s.ap, n);
    int a = va_arg(s.ap, int);
    va_end(s.ap);
    await nap(a);
    return a + s.tag + await nap(0);
}

/* Never suspends: stays a plain C function. */
static async int plain_sum(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    int s = 0;
    while (n-- > 0)
        s += va_arg(ap, int);
    va_end(ap);
    return s;
}

static async int main_task(void)
{
    struct conn c = {7, {0}, 0};
    struct pt base = {1, 2, 0.5}, p = {3, 4, 0.25};
    int out = 0;
    // main's ca_runs print first:
    // OUT: run 134 4207
    // OUT: mixed 52.000 out 9
    double m = await sum_mixed(base, 5, 6, 2.25, "abc", p, &out);
    printf("mixed %.3f out %d\n", m, out);
    // OUT: reply 21 [conn 7: x=5 y=2.50 ok]
    int r = await reply(&c, "conn %d: x=%d y=%.2f %s", c.id, 5, 2.5, "ok");
    printf("reply %d [%.*s]\n", r, (int)c.len, c.out);
    c.len = 0;
    await log_line(&c, 1, "level %d: %s", 1, "on");
    await log_line(&c, 0, "level %d: %s", 0, "off");
    // OUT: log [level 1: on
    // OUT-NEXT: ]
    printf("log [%.*s]\n", (int)c.len, c.out);
    // OUT: twice 69
    printf("twice %d\n", await twice(3, 1, 2, 3, 50));
    // OUT: before 4207
    printf("before %ld\n", await before_await(2, 40L));
    // OUT: kinds 3.50 9.50 45.00 held 12
    long double k1 = await kinds(1, (long double)2.5), k2 = await kinds(2, 3, 4.5), k3 = await kinds(3, 21);
    printf("kinds %.2Lf %.2Lf %.2Lf held %d\n", k1, k2, k3, await held(5, 7));
    // OUT: plain 10
    printf("plain %d\n", await plain_sum(4, 1, 2, 3, 4));
    return 0;
}

int main(void)
{
    printf("run %d %ld\n", ca_run(twice(2, 5, 6, 100)), ca_run(before_await(2, 40L)));
    return ca_run(main_task());
}
// REPORT-DAG: {{^}}sum_mixed {{ *[0-9]+}}
// REPORT-DAG: {{^}}plain_sum {{ *}}- plain C function
