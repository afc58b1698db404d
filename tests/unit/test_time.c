/* Time: sleep order and duration, deadlines on sleeps and other waits, cancel of a sleep. */
#include "test.h"

static int order[16], norder;

struct napper_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int ms, r;
};
static int napper_resume(ca_frame *fr, ca_task *self)
{
    struct napper_fr *F = (struct napper_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, (uint64_t)F->ms));
    if (F->ms >= 100000) { /* test_many_timers_cancelled */
        CHECK_EQ(F->r, -ECANCELED);
        RETURN(F, 0);
    }
    CHECK_EQ(F->r, 0);
    order[norder++] = F->ms;
    RETURN(F, 0);
    END(F);
}
static int napper(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, napper, parent);
    F->ms = (int)(intptr_t)arg;
    return napper_resume(&F->hdr, self);
}

static void test_sleep_order(void)
{
    /* Wide gaps: a loaded machine may run the loop late, and then all due timers fire together. */
    static const int ms[] = {300, 10, 200, 0, 10};
    ca_task *t[5];
    norder = 0;
    uint64_t t0 = ca_now();
    for (int i = 0; i < 5; i++)
        t[i] = spawn(napper, (void *)(intptr_t)ms[i]);
    for (int i = 0; i < 4; i++)
        ca_detach(t[i]);
    CHECK_EQ(ca__run(t[4]), 0); /* the second 10 ms sleeper */
    CHECK(ca_now() - t0 >= 10);
    CHECK_EQ(norder, 3);
    CHECK_EQ(order[0], 0);
    CHECK_EQ(order[1], 10);
    CHECK_EQ(order[2], 10);
    /* The detached sleepers still run when the loop runs again. */
    CHECK_EQ(run_async(napper, (void *)(intptr_t)400), 0);
    CHECK_EQ(norder, 6);
    CHECK_EQ(order[3], 200);
    CHECK_EQ(order[4], 300);
    CHECK_EQ(order[5], 400);
    CHECK(ca_now() - t0 >= 400);
}

/* Deadlines: on a sleep, an event wait, a nested call; expired deadline fails at once. */
struct inner_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_event ev;
    int r;
};
static int inner_resume(ca_frame *fr, ca_task *self)
{
    struct inner_fr *F = (struct inner_fr *)fr;
    BEGIN(F);
    ca_event_init(&F->ev);
    AWAIT(F, ca_event_wait__ca_start(self, &F->hdr, &F->r, &F->ev));
    RETURN(F, F->r);
    END(F);
}
static int inner_start(ca_task *self, ca_frame *parent, int *ret)
{
    NEW_FRAME(F, inner, parent);
    F->ret = ret;
    return inner_resume(&F->hdr, self);
}

struct dl_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    uint64_t t0, old;
    int r;
};
static int dl_resume(ca_frame *fr, ca_task *self)
{
    struct dl_fr *F = (struct dl_fr *)fr;
    BEGIN(F);
    F->t0 = ca_now();
    F->old = ca_deadline_in(15);
    CHECK(F->old == CA_NEVER);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 100000));
    CHECK_EQ(F->r, -ETIMEDOUT);
    CHECK(ca_now() - F->t0 >= 15);
    CHECK(ca_now() - F->t0 < 5000);
    AWAIT(F, ca_yield__ca_start(self, &F->hdr, &F->r)); /* passed: at once */
    CHECK_EQ(F->r, -ETIMEDOUT);
    ca_deadline_set(F->old);

    /* A timeout around a whole async call. */
    F->t0 = ca_now();
    F->old = ca_deadline_in(10);
    AWAIT(F, inner_start(self, &F->hdr, &F->r));
    ca_deadline_set(F->old);
    CHECK_EQ(F->r, -ETIMEDOUT);
    CHECK(ca_now() - F->t0 >= 10);

    /* ca_deadline_in never extends an enclosing deadline. */
    F->old = ca_deadline_in(5);
    ca_deadline_in(100000);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 50));
    CHECK_EQ(F->r, -ETIMEDOUT);
    ca_deadline_set(CA_NEVER);

    /* A sleep shorter than the deadline ends normally and disarms. */
    ca_deadline_in(1000);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 1));
    CHECK_EQ(F->r, 0);
    ca_deadline_set(CA_NEVER);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 0));
    CHECK_EQ(F->r, 0);
    RETURN(F, 0);
    END(F);
}
static int dl(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, dl, parent);
    return dl_resume(&F->hdr, self);
}

static void test_deadlines(void)
{
    CHECK_EQ(run_async(dl, NULL), 0);
}

/* Many timers pending at once, cancelled before they fire. */
static void test_many_timers_cancelled(void)
{
    enum { N = 50000 };
    ca_task **t = malloc(N * sizeof *t);
    for (int i = 0; i < N; i++)
        t[i] = spawn(napper, (void *)(intptr_t)(100000 + i % 1000));
    CHECK_EQ(run_async(napper, (void *)(intptr_t)1), 0); /* all are asleep now */
    struct ca_loop_stats st;
    ca_loop_stats(&st);
    CHECK_EQ(st.timers, N);
    for (int i = 0; i < N; i++) {
        CHECK_EQ(ca_cancel(t[i]), 0);
        ca_detach(t[i]);
    }
    ca_loop_stats(&st);
    CHECK_EQ(st.timers, 0);
    norder = 0;
    CHECK_EQ(run_async(napper, (void *)(intptr_t)0), 0); /* the cancelled ones run first */
    free(t);
}

int main(int argc, char **argv)
{
    TEST(test_sleep_order);
    TEST(test_deadlines);
    TEST(test_many_timers_cancelled);
    return 0;
}
