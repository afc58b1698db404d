// Task values: typed handles (ca_task_of) in variables, arrays, initialiser
// lists, struct members, typedefs, parameters and return values; ca_join_value,
// ca_join_all_values, ca_join_any_value; struct and over-aligned values; a
// cancelled task reports -ECANCELED and leaves the variable alone. Each value
// is compared in the program with a direct await of the same call.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.got %t.asan.got
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe > %t.vg.got && diff %t.got %t.vg.got
// RUN: %cc -Wextra -fsyntax-only %s
// Handles living in frames are spelled `struct ca_task *`, not `typeof (...)`: strict C11 takes the output.
// RUN: %cc -std=c11 -c %t.out.c -o %t.c11.o
#include <cawait.h>
#include <stdio.h>
#include <string.h>

struct pt { int x, y; };
struct big { char name[300]; long sum; };          /* more than a task's inline stack */
struct wide { _Alignas(32) double d[2]; };          /* aligned beyond the stack's 8-byte granule */
typedef ca_task_of(struct pt) pt_task;

static async int square(int x) { await ca_sleep(1); return x * x; }
static async struct pt mkpt(int x) { await ca_yield(); struct pt p = {x, -x}; return p; }
static async long slow(long v) { await ca_sleep(10000); return v; }
static async int quick(int v) { return v + 1; }         /* never suspends */
static async struct big mkbig(int n)
{
    struct big b;
    memset(&b, 0, sizeof b);
    b.sum = 0;
    for (int i = 0; i < n; i++) {
        await ca_yield();
        b.name[i] = (char)('a' + i % 26);
        b.sum += i;
    }
    return b;
}
static async struct wide mkwide(double d) { await ca_yield(); struct wide w = {{d, d / 2}}; return w; }
static async void nothing(void) { await ca_yield(); }

struct job { int id; ca_task_of(int) task; };

/* A typed handle as a return value and as a parameter. */
static ca_task_of(int) start_square(int x) { return ca_spawn(square(x)); }
static async int finish(ca_task_of(int) t, int *v) { return await ca_join_value(t, v); }

static async int run(void)
{
    /* Variables, and a value against a direct await of the same call. */
    ca_task_of(int) a = ca_spawn(square(7));
    pt_task b = ca_spawn(mkpt(3));
    int va = -1;
    struct pt vb = {0, 0};
    int r = await ca_join_value(a, &va);
    printf("a: %d %d same=%d\n", r, va, va == await square(7));
    r = await ca_join_value(b, &vb);
    struct pt db = await mkpt(3);
    printf("b: %d %d %d same=%d\n", r, vb.x, vb.y, memcmp(&vb, &db, sizeof db) == 0);

    /* A task that ended before the join, one that never suspended, big and over-aligned values. */
    ca_task_of(int) q = ca_spawn(quick(41));
    ca_task_of(struct big) g = ca_spawn(mkbig(30));
    ca_task_of(struct wide) w = ca_spawn(mkwide(3.0));
    await ca_sleep(5);
    int vq = 0;
    static struct big vg;
    struct wide vw;
    printf("quick: %d %d\n", await ca_join_value(q, &vq), vq);
    r = await ca_join_value(g, &vg);
    printf("big: %d %.5s %ld\n", r, vg.name, vg.sum);
    r = await ca_join_value(w, &vw);
    printf("wide: %d %g %g aligned=%d\n", r, vw.d[0], vw.d[1], ((unsigned long)&vw & 31) == 0);

    /* Cancelled while waiting, and cancelled before it ever ran: -ECANCELED, the variable untouched. */
    ca_task_of(long) c = ca_spawn(slow(9));
    ca_task_of(long) c2 = ca_spawn(slow(10));
    ca_cancel(c2);
    await ca_yield();
    ca_cancel(c);
    long vc = 123, vc2 = 456;
    r = await ca_join_value(c, &vc);
    printf("cancelled: %d %ld\n", r, vc);
    r = await ca_join_value(c2, &vc2);
    printf("cancelled before start: %d %ld\n", r, vc2);

    /* Members, parameters, return values, assignments. */
    struct job jobs[3];
    for (int i = 0; i < 3; i++) {
        jobs[i].id = i;
        jobs[i].task = ca_spawn(square(10 + i));
    }
    for (int i = 0; i < 3; i++) {
        int v = 0;
        r = await ca_join_value(jobs[i].task, &v);
        printf("job %d: %d %d\n", jobs[i].id, r, v);
    }
    int vs = 0;
    r = await finish(start_square(6), &vs);
    printf("through a function: %d %d\n", r, vs);

    /* Gather with values and statuses; one task cancelled on the way. */
    ca_task_of(int) ts[4];
    for (int i = 0; i < 4; i++)
        ts[i] = ca_spawn(square(i + 1));
    ca_cancel(ts[2]);
    int vals[4] = {-1, -1, -1, -1}, st[4] = {1, 1, 1, 1};
    r = await ca_join_all_values(ts, 4, vals, st);
    printf("all: %d | %d %d %d %d | %d %d %d %d | %d\n", r, vals[0], vals[1], vals[2], vals[3], st[0], st[1], st[2],
           st[3], ts[0] == NULL);

    /* First-of with a value, from an initialiser list; the loser is cancelled and joined. */
    ca_task_of(long) race[2] = {ca_spawn(slow(1)), ca_spawn(slow(2))};
    ca_task_of(int) fast[1] = {ca_spawn(square(5))};
    long vr = 0;
    int s = 1, vf = 0;
    ca_cancel(race[1]);
    int idx = await ca_join_any_value(race, 2, &vr, &s);
    printf("any: %d %ld %d\n", idx, vr, s);
    idx = await ca_join_any_value(fast, 1, &vf, &s);
    printf("any: %d %d %d\n", idx, vf, s);
    ca_cancel(race[0]);
    printf("loser: %d\n", await ca_join(race[0]));

    /* ca_join still takes a typed handle (the value is dropped); a void task is typed too. */
    ca_task_of(int) d = ca_spawn(square(2));
    ca_task_of(void) n = ca_spawn(nothing());
    printf("join: %d %d\n", await ca_join(d), await ca_join(n));

    /* An untyped task keeps no value: the runtime refuses it, nothing written (a cast the tool cannot see). */
    ca_task *u = ca_spawn(square(3));
    ca_task_of(int) lie = u;
    int vu = 77;
    printf("untyped: %d %d\n", await ca_join_value(lie, &vu), vu);
    printf("still joinable: %d\n", await ca_join(u));
    /* A task of another size is refused at run time too. */
    ca_task_of(int) e = ca_spawn(square(4));
    ca_task_of(long) elong = (ca_task *)e;
    long ve = 5;
    printf("wrong size: %d %ld\n", await ca_join_value(elong, &ve), ve);
    printf("still joinable: %d\n", await ca_join(e));
    return 0;
}

int main(void)
{
    int r = ca_run(run());
    struct ca_loop_stats st;
    ca_loop_stats(&st);
    printf("end: %d tasks=%zu\n", r, st.tasks);
    return 0;
}

// SHAPE-LABEL: {{^}}static ca_task *ca__spawn_square(ca_task *spawner, int a0){{$}}
// SHAPE-NEXT: {
// SHAPE-NEXT:     void *v;
// SHAPE-NEXT:     ca_task *t = ca__task_new_kept(spawner, square__ca_task_bytes, sizeof(*(int *)0), __alignof__(*(int *)0), &v);
// SHAPE: ca__task_start(t, square__ca_make(t, ca__task_root(t), v, a0));
// An untyped spawn keeps nothing: its value goes to the sink as before.
// SHAPE: static __thread int sink;

// OUT: a: 0 49 same=1
// OUT-NEXT: b: 0 3 -3 same=1
// OUT-NEXT: quick: 0 42
// OUT-NEXT: big: 0 abcde 435
// OUT-NEXT: wide: 0 3 1.5 aligned=1
// OUT-NEXT: cancelled: -125 123
// OUT-NEXT: cancelled before start: -125 456
// OUT-NEXT: job 0: 0 100
// OUT-NEXT: job 1: 0 121
// OUT-NEXT: job 2: 0 144
// OUT-NEXT: through a function: 0 36
// OUT-NEXT: all: -125 | 1 4 -1 16 | 0 0 -125 0 | 1
// OUT-NEXT: any: 1 0 -125
// OUT-NEXT: any: 0 25 0
// OUT-NEXT: loser: -125
// OUT-NEXT: join: 0 0
// OUT-NEXT: untyped: -22 77
// OUT-NEXT: still joinable: 0
// OUT-NEXT: wrong size: -22 5
// OUT-NEXT: still joinable: 0
// OUT-NEXT: end: 0 tasks=0
