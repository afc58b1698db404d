/*
 * Task values and task groups at the ABI level: kept values and their joins
 * (sizes checked, a cancelled task gives no value), groups against a model
 * (random members that fail or not after random numbers of yields: the
 * group's error is the first failure in run order, every other member ends
 * cancelled or done), a cancelled and a timed-out waiter that still drains
 * its group, and members doing blocking work on the thread pool while their
 * group is cancelled, on two loops in two threads (ThreadSanitizer).
 */
#include "test.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

/* async int member(int k, int v): yield k times (a failed yield ends it with its error), then return v. */
struct member_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int k, v, i, r;
};
static int ended_cancelled; /* members whose yield failed with -ECANCELED */
static int member_resume(ca_task *self, ca_frame *fr)
{
    struct member_fr *F = (struct member_fr *)fr;
    BEGIN(F);
    for (F->i = 0; F->i < F->k; F->i++) {
        AWAIT_YIELD(F, F->r);
        if (F->r) {
            CHECK_EQ(F->r, -ECANCELED);
            ended_cancelled++;
            RETURN(F, F->r);
        }
    }
    RETURN(F, F->v);
    END(F);
}
/* member's __ca_make: its frame, not run yet. */
static ca_frame *member_make(ca_task *self, ca_frame *parent, int *ret, int k, int v)
{
    NEW_FRAME(F, member, parent);
    F->ret = ret;
    F->k = k;
    F->v = v;
    return &F->hdr;
}

/* ca_group_spawn(g, member(k, v)) as the tool writes it. */
static ca_task *group_spawn(ca_group *g, int k, int v)
{
    void *value;
    ca_task *t = ca__group_task_new(g, NULL, 0, sizeof(int), _Alignof(int), 1, &value);
    if (t)
        ca__task_start(t, member_make(t, ca__task_root(t), value, k, v));
    return t;
}

/* ca_task_of(int) t = ca_spawn(member(k, v)) as the tool writes it. */
static ca_task *kept_spawn(int k, int v)
{
    void *value;
    ca_task *t = ca__task_new_kept(NULL, 0, sizeof(int), _Alignof(int), &value);
    CHECK(t != NULL);
    ca__task_start(t, member_make(t, ca__task_root(t), value, k, v));
    return t;
}

/* ca_spawn(member(2, 5)) into a plain ca_task *: no value kept. */
static int member_untyped_start(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    return member_resume(self, member_make(self, parent, NULL, 2, 5));
}

/* ------------------------------------------------------------------ values */

struct values_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_task *t[3], *plain;
    int r, v, vs[3], st[3];
    long lv;
};
static int values_resume(ca_task *self, ca_frame *fr)
{
    struct values_fr *F = (struct values_fr *)fr;
    BEGIN(F);
    F->t[0] = kept_spawn(3, 42);
    F->lv = 7;
    AWAIT(F, ca__join_value(self, &F->hdr, &F->r, F->t[0], &F->lv, sizeof F->lv));
    CHECK_EQ(F->r, -EINVAL); /* a long cannot take an int's value; t stays joinable */
    CHECK_EQ(F->lv, 7);
    AWAIT(F, ca__join_value(self, &F->hdr, &F->r, F->t[0], &F->v, sizeof F->v));
    CHECK_EQ(F->r, 0);
    CHECK_EQ(F->v, 42);

    F->plain = spawn(member_untyped_start, NULL);
    AWAIT(F, ca__join_value(self, &F->hdr, &F->r, F->plain, &F->v, sizeof F->v));
    CHECK_EQ(F->r, -EINVAL); /* keeps no value */
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->plain));
    CHECK_EQ(F->r, 0);

    /* Cancelled before it ran, and while it waited: -ECANCELED, the variable untouched. */
    F->t[0] = kept_spawn(5, 1);
    ca_cancel(F->t[0]);
    F->v = -1;
    AWAIT(F, ca__join_value(self, &F->hdr, &F->r, F->t[0], &F->v, sizeof F->v));
    CHECK_EQ(F->r, -ECANCELED);
    CHECK_EQ(F->v, -1);
    F->t[0] = kept_spawn(50, 1);
    AWAIT_YIELD(F, F->r);
    ca_cancel(F->t[0]);
    AWAIT(F, ca__join_value(self, &F->hdr, &F->r, F->t[0], &F->v, 0)); /* size 0: unchecked */
    CHECK_EQ(F->r, -ECANCELED);
    CHECK_EQ(F->v, -1);

    /* Gather and first-of. */
    for (int i = 0; i < 3; i++)
        F->t[i] = kept_spawn(3 - i, 10 * i);
    ca_cancel(F->t[1]);
    for (int i = 0; i < 3; i++)
        F->vs[i] = F->st[i] = 99;
    AWAIT(F, ca__join_all_values(self, &F->hdr, &F->r, F->t, 3, F->vs, sizeof F->vs[0], F->st));
    CHECK_EQ(F->r, -ECANCELED);
    CHECK_EQ(F->vs[0], 0);
    CHECK_EQ(F->vs[1], 99);
    CHECK_EQ(F->vs[2], 20);
    CHECK_EQ(F->st[0], 0);
    CHECK_EQ(F->st[1], -ECANCELED);
    CHECK_EQ(F->st[2], 0);
    for (int i = 0; i < 3; i++)
        F->t[i] = kept_spawn(3 - i, 100 + i);
    AWAIT(F, ca__join_any_value(self, &F->hdr, &F->r, F->t, 3, &F->v, sizeof F->v, &F->st[0]));
    CHECK_EQ(F->r, 2);
    CHECK_EQ(F->v, 102);
    CHECK_EQ(F->st[0], 0);
    AWAIT(F, ca__join_all_values(self, &F->hdr, &F->r, F->t, 3, F->vs, 0, NULL));
    CHECK_EQ(F->r, 0);
    CHECK_EQ(F->vs[0], 100);
    CHECK_EQ(F->vs[1], 101);
    RETURN(F, 0);
    END(F);
}
static int values(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, values, parent);
    return values_resume(self, &F->hdr);
}

static void test_values(void)
{
    ended_cancelled = 0;
    CHECK_EQ(run_async(values, NULL), 0);
}

/* ------------------------------------------------------------------ groups */

/* async int waiter(ca_group *g): the result of ca_group_wait(g), also in waited. */
static int waited;
struct waiter_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_group *g;
    int r;
};
static int waiter_resume(ca_task *self, ca_frame *fr)
{
    struct waiter_fr *F = (struct waiter_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_group_wait__ca_start(self, &F->hdr, &F->r, F->g));
    waited = F->r;
    CHECK_EQ(ca_group_size(F->g), 0); /* every member has ended */
    RETURN(F, F->r);
    END(F);
}
static int waiter(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, waiter, parent);
    F->g = arg;
    return waiter_resume(self, &F->hdr);
}

/*
 * Random groups against a model. Members start in spawn order and yield in
 * turn, so they end in order of (k, spawn index): the group's error is the
 * value of the first failing member in that order, and every member after
 * it that has not ended yet ends cancelled.
 */
static void test_group_model(void)
{
    uint64_t seed = 0x9e3779b97f4a7c15u;
    for (int round = 0; round < 300; round++) {
        enum { MAX = 24 };
        int n = 1 + (int)(test_rand(&seed) % MAX), k[MAX], v[MAX];
        ca_group g;
        ca_group_init(&g);
        for (int i = 0; i < n; i++) {
            k[i] = (int)(test_rand(&seed) % 6);
            v[i] = test_rand(&seed) % 5 == 0 ? -(100 + i) : i;
            CHECK(group_spawn(&g, k[i], v[i]) != NULL);
        }
        CHECK_EQ(ca_group_size(&g), (size_t)n);
        int first = -1; /* the model */
        for (int i = 0; i < n; i++)
            if (v[i] < 0 && (first < 0 || k[i] < k[first]))
                first = i;
        int cancelled = 0;
        for (int i = 0; first >= 0 && i < n; i++)
            if (k[i] > k[first] || (k[i] == k[first] && i > first))
                cancelled += k[i] > k[first] || k[i] > 0; /* a member with k == 0 ends before any yield */
        ended_cancelled = 0;
        waited = 1;
        CHECK_EQ(run_async(waiter, &g), 0);
        CHECK_EQ(waited, first < 0 ? 0 : v[first]);
        CHECK_EQ(ended_cancelled, cancelled);
        CHECK(group_spawn(&g, 1, 1) == NULL); /* closed */
        struct ca_loop_stats st;
        ca_loop_stats(&st);
        CHECK_EQ(st.tasks, 0);
    }
}

/* async void stopper(ca_task *victim): after two yields, cancel the victim. */
struct stopper_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_task *victim;
    int r;
};
static int stopper_resume(ca_task *self, ca_frame *fr)
{
    struct stopper_fr *F = (struct stopper_fr *)fr;
    BEGIN(F);
    AWAIT_YIELD(F, F->r);
    AWAIT_YIELD(F, F->r);
    ca_cancel(F->victim);
    RETURN(F, 0);
    END(F);
}
static int stopper(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, stopper, parent);
    F->victim = arg;
    return stopper_resume(self, &F->hdr);
}

/* The waiter cancelled, then a waiter whose deadline passes: both drain the group first. */
struct drain_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_group g;
    ca_task *w, *s;
    int r;
};
static int drain_resume(ca_task *self, ca_frame *fr)
{
    struct drain_fr *F = (struct drain_fr *)fr;
    BEGIN(F);
    ca_group_init(&F->g);
    for (int i = 0; i < 4; i++)
        group_spawn(&F->g, 1000000, 0); /* would yield for a long time */
    F->w = spawn(waiter, &F->g);
    F->s = spawn(stopper, F->w);
    ended_cancelled = 0;
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->w));
    CHECK_EQ(F->r, -ECANCELED);
    CHECK_EQ(waited, -ECANCELED);
    CHECK_EQ(ended_cancelled, 4);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->s));

    ca_group_init(&F->g);
    for (int i = 0; i < 3; i++)
        group_spawn(&F->g, 1000000, 0);
    ended_cancelled = 0;
    ca_deadline_in(5);
    AWAIT(F, ca_group_wait__ca_start(self, &F->hdr, &F->r, &F->g));
    ca_deadline_set(CA_NEVER);
    CHECK_EQ(F->r, -ETIMEDOUT);
    CHECK_EQ(ended_cancelled, 3);
    CHECK_EQ(ca_group_size(&F->g), 0);

    /* Misuse. */
    AWAIT(F, ca_group_wait__ca_start(self, &F->hdr, &F->r, NULL));
    CHECK_EQ(F->r, -EINVAL);
    CHECK_EQ(ca_group_cancel(&F->g), -EINVAL); /* closed */
    CHECK_EQ(ca_group_fail(&F->g, -EIO), -EINVAL);
    ca_group_init(&F->g);
    CHECK_EQ(ca_group_fail(&F->g, 3), -EINVAL);
    F->w = group_spawn(&F->g, 2, 0);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->w));
    CHECK_EQ(F->r, -EINVAL); /* the group owns it */
    AWAIT(F, ca_group_wait__ca_start(self, &F->hdr, &F->r, &F->g));
    CHECK_EQ(F->r, 0);
    RETURN(F, 0);
    END(F);
}
static int drain(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, drain, parent);
    return drain_resume(self, &F->hdr);
}

static void test_drain(void)
{
    CHECK_EQ(run_async(drain, NULL), 0);
}

/* ----------------------------------------------- blocking members, two loops */

static atomic_int blocking_runs;
static intptr_t slow_job(void *arg)
{
    (void)arg;
    usleep(1000);
    atomic_fetch_add(&blocking_runs, 1);
    return 0;
}

/* async int worker(void): blocking jobs until cancelled. */
struct worker_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    intptr_t r;
};
static int worker_resume(ca_task *self, ca_frame *fr)
{
    struct worker_fr *F = (struct worker_fr *)fr;
    BEGIN(F);
    for (;;) {
        AWAIT(F, ca_blocking__ca_start(self, &F->hdr, &F->r, slow_job, NULL));
        if (F->r < 0)
            break;
    }
    CHECK_EQ(F->r, -ECANCELED);
    RETURN(F, 0);
    END(F);
}
static ca_frame *worker_make(ca_task *self, ca_frame *parent, int *ret)
{
    NEW_FRAME(F, worker, parent);
    F->ret = ret;
    return &F->hdr;
}

/* async int pool_group(void): 6 workers in a group, cancelled after 20 ms. */
struct pool_group_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_group g;
    int r;
};
static int pool_group_resume(ca_task *self, ca_frame *fr)
{
    struct pool_group_fr *F = (struct pool_group_fr *)fr;
    BEGIN(F);
    ca_group_init(&F->g);
    for (int i = 0; i < 6; i++) {
        void *value;
        ca_task *t = ca__group_task_new(&F->g, self, 0, sizeof(int), _Alignof(int), 1, &value);
        CHECK(t != NULL);
        ca__task_start(t, worker_make(t, ca__task_root(t), value));
    }
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 20));
    CHECK_EQ(ca_group_cancel(&F->g), 0);
    AWAIT(F, ca_group_wait__ca_start(self, &F->hdr, &F->r, &F->g));
    CHECK_EQ(F->r, 0); /* a cancel is not a failure */
    RETURN(F, 0);
    END(F);
}
static int pool_group(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, pool_group, parent);
    return pool_group_resume(self, &F->hdr);
}

static void *loop_thread(void *arg)
{
    (void)arg;
    CHECK_EQ(run_async(pool_group, NULL), 0);
    check_loop_clean(); /* joins this loop's pool */
    return NULL;
}

static void test_blocking_members_two_loops(void)
{
    atomic_store(&blocking_runs, 0);
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        CHECK_EQ(pthread_create(&th[i], NULL, loop_thread, NULL), 0);
    for (int i = 0; i < 2; i++)
        CHECK_EQ(pthread_join(th[i], NULL), 0);
    CHECK(atomic_load(&blocking_runs) > 0);
}

int main(int argc, char **argv)
{
    TEST(test_values);
    TEST(test_group_model);
    TEST(test_drain);
    TEST(test_blocking_members_two_loops);
    return 0;
}
