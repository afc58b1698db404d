// ca_yield as the tool lowers it: a yield stores only its resume point; an
// unused result costs nothing, a used one is read when the task resumes.
// A yield lets the other ready tasks run once, and it reports a cancel or an
// expired deadline that happened by then, even while it waited; a cancelled
// task's yield fails too, after the others' turn (it cannot starve them).
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe | FileCheck %s --check-prefix=OUT
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan | FileCheck %s --check-prefix=OUT
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe | FileCheck %s --check-prefix=OUT
#include <cawait.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static char order[32];
static int norder;

static async void spinner(char id, int rounds)
{
    for (int i = 0; i < rounds; i++) {
        order[norder++] = id;
        await ca_yield();
        (void)await ca_yield();
    }
}

static int spins, last;

static async void until_cancelled(void)
{
    int r;
    while ((r = await ca_yield()) == 0)
        spins++;
    last = r;
}

static const char *err(int r) { return r == 0 ? "0" : r == -ECANCELED ? "ECANCELED" : r == -ETIMEDOUT ? "ETIMEDOUT" : "?"; }

static async int scenario(void)
{
    ca_task *a = ca_spawn(spinner('a', 2)), *b = ca_spawn(spinner('b', 2));
    ca_task *v = ca_spawn(until_cancelled());
    for (int i = 0; i < 3; i++)
        await ca_yield();
    ca_cancel(v); /* v waits in the run queue: its pending yield fails */
    int rv = await ca_join(v);
    printf("victim: %s after %d yields, join %s\n", err(last), spins, err(rv));
    printf("spinners: %s %s\n", err(await ca_join(a)), err(await ca_join(b)));
    order[norder] = 0;
    printf("order: %s\n", order);

    ca_deadline_set(ca_now());
    printf("past the deadline: %s\n", err(await ca_yield()));
    ca_deadline_set(CA_NEVER);
    printf("deadline cleared: %s\n", err(await ca_yield()));
    return 7;
}

static int ticks;
static async void ticker(void) { ticks++; }

static async int cancelled_yield(void)
{
    ca_task *t = ca_spawn(ticker());
    ca_cancel(ca_self());
    int r = await ca_yield();
    printf("cancelled: %s, ticks meanwhile %d\n", err(r), ticks);
    ca_detach(t);
    return r;
}

int main(void)
{
    printf("scenario: %d\n", ca_run(scenario()));
    printf("cancelled_yield: %s\n", err(ca_run(cancelled_yield())));
    printf("ca_run(ca_yield()): %d\n", ca_run(ca_yield()));
    ca_task *t = ca_spawn(ca_yield());
    printf("ca_run(ca_join(t)): %d\n", ca_run(ca_join(t)));
    struct ca_loop_stats st;
    ca_loop_stats(&st);
    printf("left: %zu tasks, ticks %d\n", st.tasks, ticks);
    return 0;
}

// An unused result: no slot in the frame, nothing read after the resume point.
// SHAPE-LABEL: struct spinner__ca_frame {
// SHAPE-NOT:     ca__tmp1
// SHAPE:       };
// SHAPE-LABEL: static int spinner__ca_resume(ca_task *ca__t, ca_frame *ca__fr)
// SHAPE:         if (__builtin_expect(ca__f->ca__state != 0, 1)) switch (ca__f->ca__state) {
// SHAPE:       if ((ca__st = ca_yield__ca_start(ca__t, &ca__f->hdr)) != CA_DONE) { {{.*}}ca__f->ca__state = 1; return ca__st; } ca__s1:;
// SHAPE-NOT:   ca_yield__ca_result
// SHAPE:       if ((ca__st = ca_yield__ca_start(ca__t, &ca__f->hdr)) != CA_DONE) { {{.*}}ca__f->ca__state = 2; return ca__st; } ca__s2:;
// SHAPE-NOT:   ca_yield__ca_result
// SHAPE-LABEL: ca_frame *spinner__ca_make(
// A used result is read once the task runs again.
// SHAPE-LABEL: static int until_cancelled__ca_resume(
// SHAPE:       ca__s1:; ca__l_ca__tmp{{[0-9]+}} = ca_yield__ca_result(ca__t);
// The thunk of ca_run(ca_yield()) reads it after resumption too.
// SHAPE:       *ca__k->out = ca_yield__ca_result(ca__t);

// OUT:      victim: ECANCELED after 2 yields, join ECANCELED
// OUT-NEXT: spinners: 0 0
// OUT-NEXT: order: abab
// OUT-NEXT: past the deadline: ETIMEDOUT
// OUT-NEXT: deadline cleared: 0
// OUT-NEXT: scenario: 7
// OUT-NEXT: cancelled: ECANCELED, ticks meanwhile 1
// OUT-NEXT: cancelled_yield: ECANCELED
// OUT-NEXT: ca_run(ca_yield()): 0
// OUT-NEXT: ca_run(ca_join(t)): 0
// OUT-NEXT: left: 0 tasks, ticks 1
