/* The thread pool (ca_blocking, ca_pread/ca_pwrite) and futures resolved from other threads. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "test.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <unistd.h>

static pthread_t loop_thread;

static intptr_t square_off_loop(void *arg)
{
    CHECK(!pthread_equal(pthread_self(), loop_thread));
    usleep(1000);
    intptr_t v = (intptr_t)arg;
    return v * v;
}

struct sq_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    intptr_t v, r;
};
static int sq_resume(ca_task *self, ca_frame *fr)
{
    struct sq_fr *F = (struct sq_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_blocking__ca_start(self, &F->hdr, &F->r, square_off_loop, (void *)F->v));
    CHECK(pthread_equal(pthread_self(), loop_thread)); /* resumed on the loop thread */
    CHECK_EQ(F->r, F->v * F->v);
    RETURN(F, 0);
    END(F);
}
static int sq(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, sq, parent);
    F->v = (intptr_t)arg;
    return sq_resume(self, &F->hdr);
}

static void test_blocking(void)
{
    enum { N = 64 };
    loop_thread = pthread_self();
    CHECK_EQ(ca_loop_set_pool_size(3), 0);
    CHECK_EQ(ca_loop_set_pool_size(0), -EINVAL);
    ca_task *t[N];
    for (int i = 0; i < N; i++)
        t[i] = spawn(sq, (void *)(intptr_t)i);
    for (int i = 0; i < N; i++)
        CHECK_EQ(ca__run(t[i]), 0);
    struct ca_loop_stats st;
    ca_loop_stats(&st);
    CHECK_EQ(st.pool_threads, 3);
    CHECK_EQ(ca_loop_set_pool_size(5), -EBUSY);
}

/*
 * A cancelled ca_blocking returns at once; fn finishes on the pool and is
 * dropped. slow() runs until the test lets it go, which it does only after
 * the cancelled await has returned: the order comes from semaphores, not
 * from how long anything takes.
 */
static atomic_int slow_done;
static sem_t slow_started, slow_go;
static intptr_t slow(void *arg)
{
    (void)arg;
    sem_post(&slow_started);
    while (sem_wait(&slow_go) < 0)
        ;
    atomic_store(&slow_done, 1);
    return 7;
}
struct cb_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    intptr_t r;
};
static int cb_resume(ca_task *self, ca_frame *fr)
{
    struct cb_fr *F = (struct cb_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_blocking__ca_start(self, &F->hdr, &F->r, slow, NULL));
    CHECK_EQ(F->r, -ECANCELED);
    CHECK_EQ(atomic_load(&slow_done), 0);
    AWAIT(F, ca_blocking__ca_start(self, &F->hdr, &F->r, NULL, NULL));
    CHECK_EQ(F->r, -ECANCELED); /* sticky */
    RETURN(F, 0);
    END(F);
}
static int cb(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, cb, parent);
    return cb_resume(self, &F->hdr);
}
struct cbm_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_task *t;
    int r;
};
static int cbm_resume(ca_task *self, ca_frame *fr)
{
    struct cbm_fr *F = (struct cbm_fr *)fr;
    BEGIN(F);
    F->t = spawn(cb, NULL);
    AWAIT_YIELD(F, F->r); /* cb submits slow() and waits */
    while (sem_wait(&slow_started) < 0) /* (blocks the loop: nothing else is to run) */
        ;
    ca_cancel(F->t);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, -ECANCELED);
    sem_post(&slow_go);
    RETURN(F, 0);
    END(F);
}
static int cbm(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, cbm, parent);
    return cbm_resume(self, &F->hdr);
}

static void test_blocking_cancel(void)
{
    atomic_store(&slow_done, 0);
    CHECK_EQ(sem_init(&slow_started, 0, 0), 0);
    CHECK_EQ(sem_init(&slow_go, 0, 0), 0);
    CHECK_EQ(run_async(cbm, NULL), 0);
    CHECK_EQ(ca_loop_close(), 0); /* joins the pool, after slow() has returned */
    CHECK_EQ(atomic_load(&slow_done), 1);
    sem_destroy(&slow_started);
    sem_destroy(&slow_go);
}

/*
 * ca__blocking_block (ca_to_thread's runtime half): the block is shared by
 * the frame and the pool, and freed by whichever releases it last: after a
 * normal run, after a cancellation while it runs (the pool writes its result
 * into the block after the task has gone on), and when it never reaches the
 * pool (a task already cancelled). The status is never the function's value.
 */
struct sum_block {
    struct ca__block b;
    int a, c;
    long r;
    int gate; /* >= 0: wait for a byte on this fd first */
};
static atomic_int block_done;
static void sum_run(struct ca__block *b)
{
    struct sum_block *k = (struct sum_block *)b;
    char byte;
    if (k->gate >= 0) {
        CHECK_EQ(read(k->gate, &byte, 1), 1);
        close(k->gate);
    }
    k->r = -(long)(k->a + k->c); /* a negative result of its own */
    if (k->gate >= 0)
        atomic_store(&block_done, 1);
}
static int block_gate[2];
struct blk_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct sum_block *k;
    intptr_t st;
    int cancel_me;
};
static int blk_resume(ca_task *self, ca_frame *fr)
{
    struct blk_fr *F = (struct blk_fr *)fr;
    BEGIN(F);
    F->k = ca__block_new(sizeof *F->k, sum_run);
    CHECK(F->k != NULL && F->k->b.refs == 2);
    F->k->a = 2, F->k->c = 3, F->k->gate = F->cancel_me ? block_gate[0] : -1;
    AWAIT(F, ca__blocking_block__ca_start(self, &F->hdr, &F->st, &F->k->b));
    if (!F->cancel_me) {
        CHECK_EQ(F->st, 0);
        CHECK_EQ(F->k->r, -5);
    } else {
        CHECK_EQ(F->st, -ECANCELED);
        CHECK_EQ(atomic_load(&block_done), 0); /* still waiting on the pool */
        CHECK_EQ(write(block_gate[1], "x", 1), 1); /* it ends after its task went on */
        close(block_gate[1]);
    }
    ca__block_release(&F->k->b);
    /* Already cancelled: it never reaches the pool, which releases nothing. */
    F->k = ca__block_new(sizeof *F->k, sum_run);
    F->k->gate = -1;
    AWAIT(F, ca__blocking_block__ca_start(self, &F->hdr, &F->st, &F->k->b));
    CHECK_EQ(F->st, F->cancel_me ? -ECANCELED : 0);
    ca__block_release(&F->k->b);
    AWAIT(F, ca__blocking_block__ca_start(self, &F->hdr, &F->st, NULL));
    CHECK_EQ(F->st, -ENOMEM); /* no block: nothing to run */
    RETURN(F, 0);
    END(F);
}
static int blk(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, blk, parent);
    F->cancel_me = arg != NULL;
    return blk_resume(self, &F->hdr);
}
struct blkm_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_task *t;
    int r;
};
static int blkm_resume(ca_task *self, ca_frame *fr)
{
    struct blkm_fr *F = (struct blkm_fr *)fr;
    BEGIN(F);
    F->t = spawn(blk, NULL);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, 0);
    F->t = spawn(blk, (void *)1);
    AWAIT(F, ca_yield__ca_start(self, &F->hdr)); /* t runs until it waits for the pool */
    ca_cancel(F->t);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, -ECANCELED);
    RETURN(F, 0);
    END(F);
}
static int blkm(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, blkm, parent);
    return blkm_resume(self, &F->hdr);
}

static void test_blocking_block(void)
{
    atomic_store(&block_done, 0);
    CHECK_EQ(pipe(block_gate), 0);
    CHECK_EQ(run_async(blkm, NULL), 0);
    /* ca_loop_close (in check_clean) joins the pool: the late run frees the block. */
}

/* pread / pwrite on a temporary file. */
struct file_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int fd;
    char buf[16];
    ssize_t n;
};
static int file_resume(ca_task *self, ca_frame *fr)
{
    struct file_fr *F = (struct file_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_pwrite__ca_start(self, &F->hdr, &F->n, F->fd, "0123456789", 10, 0));
    CHECK_EQ(F->n, 10);
    AWAIT(F, ca_pread__ca_start(self, &F->hdr, &F->n, F->fd, F->buf, 4, 3));
    CHECK_EQ(F->n, 4);
    CHECK(!memcmp(F->buf, "3456", 4));
    AWAIT(F, ca_pread__ca_start(self, &F->hdr, &F->n, -1, F->buf, 4, 0));
    CHECK_EQ(F->n, -EBADF);
    RETURN(F, 0);
    END(F);
}
FD_START(file, file)

static void test_file_helpers(void)
{
    char path[] = "/tmp/cawait-unit-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    unlink(path);
    CHECK_EQ(run_async(file, (void *)(intptr_t)fd), 0);
    close(fd);
}

/* Futures resolved by other threads, and misuse. */
struct fut_arg {
    ca_future f;
    int delay_us;
    intptr_t v;
};
static void *resolver(void *arg)
{
    struct fut_arg *a = arg;
    usleep((useconds_t)a->delay_us);
    CHECK_EQ(ca_future_resolve(&a->f, a->v), 0);
    return NULL;
}

struct fw_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct fut_arg *a;
    intptr_t r;
};
static int fw_resume(ca_task *self, ca_frame *fr)
{
    struct fw_fr *F = (struct fw_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_future_wait__ca_start(self, &F->hdr, &F->r, &F->a->f));
    CHECK_EQ(F->r, F->a->v);
    AWAIT(F, ca_future_wait__ca_start(self, &F->hdr, &F->r, &F->a->f)); /* resolved: at once */
    CHECK_EQ(F->r, F->a->v);
    RETURN(F, 0);
    END(F);
}
static int fw(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, fw, parent);
    F->a = arg;
    return fw_resume(self, &F->hdr);
}

static void test_future_cross_thread(void)
{
    enum { N = 200 };
    struct fut_arg *a = calloc(N, sizeof *a);
    pthread_t th[N];
    ca_task *t[N];
    for (int i = 0; i < N; i++) {
        ca_future_init(&a[i].f);
        a[i].v = 1000 + i;
        a[i].delay_us = (i % 3) * 500; /* some resolve before the wait, some after */
        t[i] = spawn(fw, &a[i]);
        CHECK_EQ(pthread_create(&th[i], NULL, resolver, &a[i]), 0);
    }
    for (int i = 0; i < N; i++)
        CHECK_EQ(ca__run(t[i]), 0);
    for (int i = 0; i < N; i++)
        pthread_join(th[i], NULL);
    free(a);
}

struct fm_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_future f, g;
    ca_task *t;
    intptr_t r;
    int ri;
};
static int fm_resume(ca_task *self, ca_frame *fr)
{
    struct fm_fr *F = (struct fm_fr *)fr;
    BEGIN(F);
    ca_future_init(&F->f);
    ca_future_init(&F->g);
    {
        static struct fut_arg a; /* a second waiter on a busy future gets -EBUSY */
        a.f = F->f;
        a.v = 5;
        F->t = spawn(fw, &a);
        AWAIT_YIELD(F, F->ri);
        AWAIT(F, ca_future_wait__ca_start(self, &F->hdr, &F->r, &a.f));
        CHECK_EQ(F->r, -EBUSY);
        CHECK_EQ(ca_future_resolve(&a.f, 5), 0); /* same loop thread: direct wake */
        CHECK_EQ(ca_future_resolve(&a.f, 6), -EALREADY);
        AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->ri, F->t));
        CHECK_EQ(F->ri, 0);
    }
    /* A deadline on a future wait; the future stays usable. */
    ca_deadline_in(5);
    AWAIT(F, ca_future_wait__ca_start(self, &F->hdr, &F->r, &F->g));
    ca_deadline_set(CA_NEVER);
    CHECK_EQ(F->r, -ETIMEDOUT);
    CHECK_EQ(ca_future_resolve(&F->g, 9), 0);
    AWAIT(F, ca_future_wait__ca_start(self, &F->hdr, &F->r, &F->g));
    CHECK_EQ(F->r, 9);
    CHECK_EQ(ca_future_resolve(NULL, 1), -EINVAL);
    RETURN(F, 0);
    END(F);
}
static int fm(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, fm, parent);
    return fm_resume(self, &F->hdr);
}

static void test_future_misuse(void)
{
    CHECK_EQ(run_async(fm, NULL), 0);
}

/* Cancel a future wait while another thread resolves it, many times (races for TSan). */
struct race_arg {
    ca_future f;
    atomic_int go;
};
static void *racer(void *arg)
{
    struct race_arg *a = arg;
    while (!atomic_load(&a->go))
        ;
    ca_future_resolve(&a->f, 1);
    return NULL;
}
struct rw_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct race_arg *a;
    intptr_t r;
};
static int rw_resume(ca_task *self, ca_frame *fr)
{
    struct rw_fr *F = (struct rw_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_future_wait__ca_start(self, &F->hdr, &F->r, &F->a->f));
    CHECK(F->r == 1 || F->r == -ECANCELED);
    RETURN(F, 0);
    END(F);
}
static int rw(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, rw, parent);
    F->a = arg;
    return rw_resume(self, &F->hdr);
}
struct rc_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct race_arg *a;
    ca_task *t;
    int r;
};
static int rc_resume(ca_task *self, ca_frame *fr)
{
    struct rc_fr *F = (struct rc_fr *)fr;
    BEGIN(F);
    F->t = spawn(rw, F->a);
    AWAIT_YIELD(F, F->r);
    atomic_store(&F->a->go, 1);
    ca_cancel(F->t);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    RETURN(F, 0);
    END(F);
}
static int rc(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, rc, parent);
    F->a = arg;
    return rc_resume(self, &F->hdr);
}

static void test_future_cancel_race(void)
{
    for (int i = 0; i < 300; i++) {
        struct race_arg a;
        ca_future_init(&a.f);
        atomic_store(&a.go, 0);
        pthread_t th;
        CHECK_EQ(pthread_create(&th, NULL, racer, &a), 0);
        CHECK_EQ(run_async(rc, &a), 0);
        pthread_join(th, NULL);
        /* The loop may still hold the eventfd wake-up; a last turn clears nothing
           that matters, and close must still succeed. */
    }
}

int main(int argc, char **argv)
{
    TEST(test_blocking);
    TEST(test_blocking_cancel);
    TEST(test_blocking_block);
    TEST(test_file_helpers);
    TEST(test_future_cross_thread);
    TEST(test_future_misuse);
    TEST(test_future_cancel_race);
    return 0;
}
