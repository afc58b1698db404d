/* Inboxes: threads post, a task receives; full, closed, cancelled, busy. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "test.h"

#include <pthread.h>
#include <unistd.h>

/* Several threads post numbered messages; one task receives them all, each thread's in order. */
enum { THREADS = 4, PER_THREAD = 2000 };
struct msg {
    int thread, seq;
};
struct poster_arg {
    ca_inbox *ib;
    int id;
    long refused; /* -EAGAIN: full, tried again */
};
static void *poster(void *arg)
{
    struct poster_arg *a = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        struct msg m = {a->id, i};
        int r;
        while ((r = ca_inbox_post(a->ib, &m)) == -EAGAIN) {
            a->refused++;
            sched_yield();
        }
        CHECK_EQ(r, 0);
    }
    return NULL;
}

struct recv_arg {
    ca_inbox *ib;
    int next[THREADS];
    long got;
};
struct rcv_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct recv_arg *a;
    struct msg m;
    int r;
};
static int rcv_resume(ca_task *self, ca_frame *fr)
{
    struct rcv_fr *F = (struct rcv_fr *)fr;
    BEGIN(F);
    for (;;) {
        AWAIT(F, ca_inbox_recv__ca_start(self, &F->hdr, &F->r, F->a->ib, &F->m));
        if (F->r == -EPIPE)
            break;
        CHECK_EQ(F->r, 0);
        CHECK(F->m.thread >= 0 && F->m.thread < THREADS);
        CHECK_EQ(F->m.seq, F->a->next[F->m.thread]); /* FIFO per poster */
        F->a->next[F->m.thread]++;
        F->a->got++;
    }
    RETURN(F, 0);
    END(F);
}
static int rcv(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, rcv, parent);
    F->a = arg;
    return rcv_resume(self, &F->hdr);
}

/* Closes the inbox once every poster is done. */
struct closer_arg {
    pthread_t th[THREADS];
    ca_inbox *ib;
};
static void *closer(void *arg)
{
    struct closer_arg *c = arg;
    for (int i = 0; i < THREADS; i++)
        pthread_join(c->th[i], NULL);
    ca_inbox_close(c->ib);
    return NULL;
}

static void test_many_threads(void)
{
    ca_inbox *ib = ca_inbox_new(64, sizeof(struct msg)); /* small: posters meet a full inbox */
    CHECK(ib != NULL);
    struct poster_arg pa[THREADS];
    struct closer_arg ca = {.ib = ib};
    pthread_t cl;
    for (int i = 0; i < THREADS; i++) {
        pa[i] = (struct poster_arg){ib, i, 0};
        CHECK_EQ(pthread_create(&ca.th[i], NULL, poster, &pa[i]), 0);
    }
    CHECK_EQ(pthread_create(&cl, NULL, closer, &ca), 0);
    struct recv_arg ra = {.ib = ib};
    CHECK_EQ(run_async(rcv, &ra), 0);
    pthread_join(cl, NULL);
    CHECK_EQ(ra.got, THREADS * PER_THREAD);
    for (int i = 0; i < THREADS; i++)
        CHECK_EQ(ra.next[i], PER_THREAD);
    struct msg m = {0, 0};
    CHECK_EQ(ca_inbox_post(ib, &m), -EPIPE);
    CHECK_EQ(ca_inbox_free(ib), 0);
}

/* Bounds and misuse, on the loop thread alone. */
struct misc_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_inbox *ib;
    ca_task *t;
    int v, r;
};
struct waiter_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_inbox *ib;
    int v, r;
};
static int waiter_resume(ca_task *self, ca_frame *fr)
{
    struct waiter_fr *F = (struct waiter_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_inbox_recv__ca_start(self, &F->hdr, &F->r, F->ib, &F->v));
    RETURN(F, F->r);
    END(F);
}
static int waiter(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, waiter, parent);
    F->ib = arg;
    return waiter_resume(self, &F->hdr);
}
static void *post_one(void *ib)
{
    int v = 44;
    CHECK_EQ(ca_inbox_post(ib, &v), 0);
    return NULL;
}
static int misc_resume(ca_task *self, ca_frame *fr)
{
    struct misc_fr *F = (struct misc_fr *)fr;
    BEGIN(F);
    F->ib = ca_inbox_new(2, sizeof(int));
    F->v = 1;
    CHECK_EQ(ca_inbox_post(F->ib, &F->v), 0);
    F->v = 2;
    CHECK_EQ(ca_inbox_post(F->ib, &F->v), 0);
    CHECK_EQ(ca_inbox_post(F->ib, &F->v), -EAGAIN); /* the bound: the poster never waits */
    AWAIT(F, ca_inbox_recv__ca_start(self, &F->hdr, &F->r, F->ib, &F->v));
    CHECK_EQ(F->r, 0);
    CHECK_EQ(F->v, 1);
    AWAIT(F, ca_inbox_recv__ca_start(self, &F->hdr, &F->r, F->ib, &F->v));
    CHECK_EQ(F->v, 2);

    /* A waiting receiver: a second one gets -EBUSY, free refuses, cancel ends the wait. */
    F->t = spawn(waiter, F->ib);
    AWAIT_YIELD(F, F->r);
    AWAIT(F, ca_inbox_recv__ca_start(self, &F->hdr, &F->r, F->ib, &F->v));
    CHECK_EQ(F->r, -EBUSY);
    CHECK_EQ(ca_inbox_free(F->ib), -EBUSY);
    CHECK_EQ(ca_inbox_try_recv(F->ib, &F->v), -EBUSY);
    CHECK_EQ(ca_cancel(F->t), 0);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, -ECANCELED);

    /* After the cancel the inbox works again; a post on the loop thread wakes a waiter directly. */
    F->t = spawn(waiter, F->ib);
    AWAIT_YIELD(F, F->r);
    F->v = 42;
    CHECK_EQ(ca_inbox_post(F->ib, &F->v), 0);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, 0);

    /* A receiver woken but not resumed yet still reads the inbox: free
       refuses until it has resumed. Woken on the loop thread (it is in the
       run queue), then from another thread (the resolved future waits in
       the loop's remote queue, inside the inbox). */
    F->t = spawn(waiter, F->ib);
    AWAIT_YIELD(F, F->r);
    F->v = 43;
    CHECK_EQ(ca_inbox_post(F->ib, &F->v), 0);
    CHECK_EQ(ca_inbox_free(F->ib), -EBUSY);
    CHECK_EQ(ca_inbox_try_recv(F->ib, &F->v), -EBUSY); /* the element is the woken receiver's */
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, 0);
    F->t = spawn(waiter, F->ib);
    AWAIT_YIELD(F, F->r);
    {
        pthread_t th;
        CHECK_EQ(pthread_create(&th, NULL, post_one, F->ib), 0);
        pthread_join(th, NULL);
    }
    CHECK_EQ(ca_inbox_free(F->ib), -EBUSY);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, 0);
    CHECK_EQ(ca_inbox_try_recv(F->ib, &F->v), -EAGAIN); /* the waiter took it */

    /* A deadline on an empty inbox. */
    ca_deadline_in(3);
    AWAIT(F, ca_inbox_recv__ca_start(self, &F->hdr, &F->r, F->ib, &F->v));
    ca_deadline_set(CA_NEVER);
    CHECK_EQ(F->r, -ETIMEDOUT);

    /* Without waiting: an element, then -EAGAIN. */
    CHECK_EQ(ca_inbox_try_recv(F->ib, &F->v), -EAGAIN);
    F->v = 5;
    CHECK_EQ(ca_inbox_post(F->ib, &F->v), 0);
    F->v = 0;
    CHECK_EQ(ca_inbox_try_recv(F->ib, &F->v), 0);
    CHECK_EQ(F->v, 5);
    CHECK_EQ(ca_inbox_try_recv(F->ib, &F->v), -EAGAIN);

    /* Closed: what is left is drained, then -EPIPE (try_recv: the same). */
    F->v = 6;
    CHECK_EQ(ca_inbox_post(F->ib, &F->v), 0);
    ca_inbox_close(F->ib);
    CHECK_EQ(ca_inbox_try_recv(F->ib, &F->v), 0);
    CHECK_EQ(F->v, 6);
    CHECK_EQ(ca_inbox_try_recv(F->ib, &F->v), -EPIPE);
    CHECK_EQ(ca_inbox_free(F->ib), 0);
    F->ib = ca_inbox_new(2, sizeof(int));
    CHECK_EQ(ca_inbox_try_recv(NULL, &F->v), -EINVAL);
    F->v = 7;
    CHECK_EQ(ca_inbox_post(F->ib, &F->v), 0);
    ca_inbox_close(F->ib);
    AWAIT(F, ca_inbox_recv__ca_start(self, &F->hdr, &F->r, F->ib, &F->v));
    CHECK_EQ(F->r, 0);
    CHECK_EQ(F->v, 7);
    AWAIT(F, ca_inbox_recv__ca_start(self, &F->hdr, &F->r, F->ib, &F->v));
    CHECK_EQ(F->r, -EPIPE);
    AWAIT(F, ca_inbox_recv__ca_start(self, &F->hdr, &F->r, NULL, &F->v));
    CHECK_EQ(F->r, -EINVAL);
    CHECK_EQ(ca_inbox_free(F->ib), 0);
    CHECK(ca_inbox_new(0, 4) == NULL);
    CHECK(ca_inbox_new(4, 0) == NULL);
    RETURN(F, 0);
    END(F);
}
static int misc(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, misc, parent);
    return misc_resume(self, &F->hdr);
}

static void test_bounds_and_misuse(void)
{
    CHECK_EQ(run_async(misc, NULL), 0);
}

/* A receive cancelled while another thread posts, many times (races for TSan). */
struct race_arg {
    ca_inbox *ib;
    int go;
};
static void *race_poster(void *arg)
{
    struct race_arg *a = arg;
    while (!__atomic_load_n(&a->go, __ATOMIC_ACQUIRE))
        ;
    int v = 1;
    ca_inbox_post(a->ib, &v);
    return NULL;
}
struct race_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct race_arg *a;
    ca_task *t;
    int r, v;
};
static int race_resume(ca_task *self, ca_frame *fr)
{
    struct race_fr *F = (struct race_fr *)fr;
    BEGIN(F);
    F->t = spawn(waiter, F->a->ib);
    AWAIT_YIELD(F, F->r);
    __atomic_store_n(&F->a->go, 1, __ATOMIC_RELEASE);
    ca_cancel(F->t);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, -ECANCELED);
    RETURN(F, 0);
    END(F);
}
static int race(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, race, parent);
    F->a = arg;
    return race_resume(self, &F->hdr);
}

static void test_cancel_race(void)
{
    for (int i = 0; i < 300; i++) {
        struct race_arg a = {ca_inbox_new(4, sizeof(int)), 0};
        pthread_t th;
        CHECK_EQ(pthread_create(&th, NULL, race_poster, &a), 0);
        CHECK_EQ(run_async(race, &a), 0);
        pthread_join(th, NULL);
        CHECK_EQ(ca_inbox_free(a.ib), 0);
    }
}

int main(int argc, char **argv)
{
    TEST(test_many_threads);
    TEST(test_bounds_and_misuse);
    TEST(test_cancel_race);
    return 0;
}
