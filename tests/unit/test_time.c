/* Time: sleep order and duration, deadlines on sleeps and other waits, ties, cancel of a sleep. */
#include "test.h"

static int order[16], norder;

struct napper_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int ms, r;
};
static int napper_resume(ca_task *self, ca_frame *fr)
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
INT_START(napper, napper, ms)

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
static int inner_resume(ca_task *self, ca_frame *fr)
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
    return inner_resume(self, &F->hdr);
}

struct dl_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    uint64_t t0, old;
    int r;
};
static int dl_resume(ca_task *self, ca_frame *fr)
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
    AWAIT_YIELD(F, F->r); /* passed: at once */
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
    return dl_resume(self, &F->hdr);
}

static void test_deadlines(void)
{
    CHECK_EQ(run_async(dl, NULL), 0);
}

/*
 * Equal deadlines fire in the order they were armed, across the sleep heap
 * and the wait heap: even tasks sleep 20 ms, odd ones wait on an event with
 * a 20 ms deadline, all armed in the same turn of the loop (the same ms).
 */
struct tie_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int id, r;
    ca_event ev;
};
static int tie_resume(ca_task *self, ca_frame *fr)
{
    struct tie_fr *F = (struct tie_fr *)fr;
    BEGIN(F);
    if (F->id % 2) {
        ca_event_init(&F->ev);
        ca_deadline_in(20);
        AWAIT(F, ca_event_wait__ca_start(self, &F->hdr, &F->r, &F->ev));
        ca_deadline_set(CA_NEVER);
        CHECK_EQ(F->r, -ETIMEDOUT);
    } else {
        AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 20));
        CHECK_EQ(F->r, 0);
    }
    order[norder++] = F->id;
    RETURN(F, 0);
    END(F);
}
INT_START(tie, tie, id)

static void test_ties_across_heaps(void)
{
    norder = 0;
    for (int i = 0; i < 5; i++)
        ca_detach(spawn(tie, (void *)(intptr_t)i));
    CHECK_EQ(run_async(tie, (void *)(intptr_t)5), 0);
    CHECK_EQ(norder, 6);
    for (int i = 0; i < 6; i++)
        CHECK_EQ(order[i], i);
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

/*
 * Many deadlines and joiners at once (the loop's side table grows to 20000
 * entries and empties again): each of NPAR owners has a deadline and joins
 * a child that has its own. Even children time out,
 * odd ones wake first; every tenth owner times out on the join itself,
 * then cancels its child and joins it again. Some tasks end with their
 * deadline still set.
 */
enum { NPAR = 10000 };
struct fam_arg {
    int i;
    int child_r;  /* the child's sleep */
    int join_r;   /* the owner's (first) join */
    int join2_r;  /* its join after the cancel */
};
struct child_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct fam_arg *a;
};
static int child_resume(ca_task *self, ca_frame *fr)
{
    struct child_fr *F = (struct child_fr *)fr;
    int i = F->a->i;
    BEGIN(F);
    ca_deadline_in(i % 10 == 0 ? 100000 : i % 2 ? 100000 : (uint64_t)(5 + i % 3));
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->a->child_r, i % 10 == 0 || i % 2 == 0 ? 100000 : (uint64_t)(1 + i % 5)));
    if (i % 4 == 1)
        ca_deadline_set(CA_NEVER);
    RETURN(F, 0);
    END(F);
}
static int child(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, child, parent);
    F->a = arg;
    return child_resume(self, &F->hdr);
}
struct owner_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct fam_arg *a;
    ca_task *c;
};
static int owner_resume(ca_task *self, ca_frame *fr)
{
    struct owner_fr *F = (struct owner_fr *)fr;
    BEGIN(F);
    ca_deadline_in(F->a->i % 10 == 0 ? 3 : 100000);
    F->c = spawn(child, F->a);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->a->join_r, F->c));
    if (F->a->join_r == -ETIMEDOUT) {
        ca_deadline_set(CA_NEVER);
        CHECK_EQ(ca_cancel(F->c), 0);
        AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->a->join2_r, F->c));
    }
    if (F->a->i % 3 == 0)
        ca_deadline_set(CA_NEVER);
    RETURN(F, 0);
    END(F);
}
static int owner(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, owner, parent);
    F->a = arg;
    return owner_resume(self, &F->hdr);
}
struct family_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct fam_arg *a;
    ca_task **t;
    int r;
};
static int family_resume(ca_task *self, ca_frame *fr)
{
    struct family_fr *F = (struct family_fr *)fr;
    BEGIN(F);
    F->a = calloc(NPAR, sizeof *F->a);
    F->t = calloc(NPAR, sizeof *F->t);
    for (int i = 0; i < NPAR; i++) {
        F->a[i].i = i;
        F->t[i] = spawn(owner, &F->a[i]);
    }
    AWAIT(F, ca_join_all__ca_start(self, &F->hdr, &F->r, F->t, NPAR));
    CHECK_EQ(F->r, 0);
    for (int i = 0; i < NPAR; i++) {
        struct fam_arg *a = &F->a[i];
        if (i % 10 == 0) {
            CHECK_EQ(a->join_r, -ETIMEDOUT);
            CHECK_EQ(a->join2_r, -ECANCELED);
            CHECK_EQ(a->child_r, -ECANCELED);
        } else {
            CHECK_EQ(a->join_r, 0);
            CHECK_EQ(a->child_r, i % 2 ? 0 : -ETIMEDOUT);
        }
    }
    free(F->a);
    free(F->t);
    RETURN(F, 0);
    END(F);
}
static int family(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, family, parent);
    return family_resume(self, &F->hdr);
}

static void test_many_deadlines_and_joiners(void)
{
    CHECK_EQ(run_async(family, NULL), 0);
}

int main(int argc, char **argv)
{
    TEST(test_sleep_order);
    TEST(test_deadlines);
    TEST(test_ties_across_heaps);
    TEST(test_many_timers_cancelled);
    TEST(test_many_deadlines_and_joiners);
    return 0;
}
