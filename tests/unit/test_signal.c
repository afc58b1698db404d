/*
 * Signals as events: every waiter woken, a signal that arrives between
 * waits kept for the next, wait_any, misuse, cancel, deadline, a signal
 * owned by another thread's loop; the pool's threads block every signal
 * whichever starts first; a signal the kernel gives to another thread that
 * does not block it is forwarded to the loop. A signal that went astray
 * would kill the test (SIGUSR1's default action).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "test.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

static int is_blocked(int signo)
{
    sigset_t cur;
    pthread_sigmask(SIG_SETMASK, NULL, &cur);
    return sigismember(&cur, signo);
}

static int is_default(int signo)
{
    struct sigaction sa;
    sigaction(signo, NULL, &sa);
    return sa.sa_handler == SIG_DFL;
}

/* Wait for one signal; the result is checked against it (or the task was cancelled: its join says so). */
struct sw_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int signo, r;
};
static int sw_resume(ca_task *self, ca_frame *fr)
{
    struct sw_fr *F = (struct sw_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_signal_wait__ca_start(self, &F->hdr, &F->r, F->signo));
    CHECK(F->r == F->signo || (F->r == -ECANCELED && (self->flags & CA__T_CANCELLED)));
    RETURN(F, 0);
    END(F);
}
INT_START(sw, sw, signo)

/* Wait for SIGUSR2 or SIGHUP; the result is checked by the caller through *got. */
struct any_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int *got;
    sigset_t set;
};
static int any_resume(ca_task *self, ca_frame *fr)
{
    struct any_fr *F = (struct any_fr *)fr;
    BEGIN(F);
    sigemptyset(&F->set);
    sigaddset(&F->set, SIGUSR2);
    sigaddset(&F->set, SIGHUP);
    AWAIT(F, ca_signal_wait_any__ca_start(self, &F->hdr, F->got, &F->set));
    RETURN(F, 0);
    END(F);
}
static int any(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, any, parent);
    F->got = arg;
    return any_resume(self, &F->hdr);
}

struct basic_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_task *t[3];
    int r, got;
};
static int basic_resume(ca_task *self, ca_frame *fr)
{
    struct basic_fr *F = (struct basic_fr *)fr;
    BEGIN(F);
    /* Three tasks wait for SIGUSR1: one signal wakes them all. */
    for (int i = 0; i < 3; i++)
        F->t[i] = spawn(sw, (void *)(intptr_t)SIGUSR1);
    AWAIT_YIELD(F, F->r);
    CHECK(is_blocked(SIGUSR1));
    CHECK_EQ(raise(SIGUSR1), 0);
    AWAIT(F, ca_join_all__ca_start(self, &F->hdr, &F->r, F->t, 3));
    CHECK_EQ(F->r, 0);

    /* No task waits: SIGUSR1 is kept (it does not kill us) for the next wait, which returns at once. */
    CHECK_EQ(raise(SIGUSR1), 0);
    CHECK_EQ(raise(SIGUSR1), 0); /* coalesces with the first */
    AWAIT(F, ca_signal_wait__ca_start(self, &F->hdr, &F->r, SIGUSR1));
    CHECK_EQ(F->r, SIGUSR1);

    /* wait_any: the one that came. */
    F->t[0] = spawn(any, &F->got);
    AWAIT_YIELD(F, F->r);
    CHECK_EQ(raise(SIGUSR2), 0);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t[0]));
    CHECK_EQ(F->got, SIGUSR2);
    F->t[0] = spawn(any, &F->got);
    AWAIT_YIELD(F, F->r);
    CHECK_EQ(raise(SIGHUP), 0);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t[0]));
    CHECK_EQ(F->got, SIGHUP);
    RETURN(F, 0);
    END(F);
}
static int basic(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, basic, parent);
    return basic_resume(self, &F->hdr);
}

static void test_wait_wakes_all_and_keeps(void)
{
    CHECK(!is_blocked(SIGUSR1));
    CHECK_EQ(run_async(basic, NULL), 0);
    CHECK_EQ(ca_loop_close(), 0); /* gives the signals back */
    CHECK(!is_blocked(SIGUSR1));
    CHECK(!is_blocked(SIGUSR2));
    CHECK(is_default(SIGUSR1));
    CHECK(is_default(SIGHUP));
}

/* Another thread's loop owns SIGUSR2 while its task waits for it. */
static volatile int other_ready;
static void *other_loop(void *arg)
{
    (void)arg;
    ca_task *t = spawn(sw, (void *)(intptr_t)SIGUSR2);
    CHECK_EQ(ca__run(t), 0);
    check_loop_clean();
    return NULL;
}

struct mis_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_task *t;
    sigset_t set;
    int r;
};
static int mis_resume(ca_task *self, ca_frame *fr)
{
    struct mis_fr *F = (struct mis_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_signal_wait__ca_start(self, &F->hdr, &F->r, SIGKILL));
    CHECK_EQ(F->r, -EINVAL);
    AWAIT(F, ca_signal_wait__ca_start(self, &F->hdr, &F->r, SIGSEGV));
    CHECK_EQ(F->r, -EINVAL);
    AWAIT(F, ca_signal_wait__ca_start(self, &F->hdr, &F->r, 0));
    CHECK_EQ(F->r, -EINVAL);
    AWAIT(F, ca_signal_wait__ca_start(self, &F->hdr, &F->r, 65));
    CHECK_EQ(F->r, -EINVAL);
    sigemptyset(&F->set);
    AWAIT(F, ca_signal_wait_any__ca_start(self, &F->hdr, &F->r, &F->set));
    CHECK_EQ(F->r, -EINVAL);
    sigaddset(&F->set, SIGTERM);
    sigaddset(&F->set, SIGSTOP);
    AWAIT(F, ca_signal_wait_any__ca_start(self, &F->hdr, &F->r, &F->set));
    CHECK_EQ(F->r, -EINVAL);

    /* Cancel and deadline. */
    F->t = spawn(sw, (void *)(intptr_t)SIGTERM);
    AWAIT_YIELD(F, F->r);
    CHECK_EQ(ca_cancel(F->t), 0);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, -ECANCELED);
    ca_deadline_in(2);
    AWAIT(F, ca_signal_wait__ca_start(self, &F->hdr, &F->r, SIGTERM));
    ca_deadline_set(CA_NEVER);
    CHECK_EQ(F->r, -ETIMEDOUT);
    RETURN(F, 0);
    END(F);
}
static int mis(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, mis, parent);
    return mis_resume(self, &F->hdr);
}

struct busy_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int r;
};
static int busy_resume(ca_task *self, ca_frame *fr)
{
    struct busy_fr *F = (struct busy_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_signal_wait__ca_start(self, &F->hdr, &F->r, SIGUSR2));
    CHECK_EQ(F->r, -EBUSY);
    RETURN(F, 0);
    END(F);
}
static int busy(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, busy, parent);
    return busy_resume(self, &F->hdr);
}

static void test_misuse_cancel_busy(void)
{
    CHECK_EQ(run_async(mis, NULL), 0);
    pthread_t th;
    CHECK_EQ(pthread_create(&th, NULL, other_loop, NULL), 0);
    /* Wait until the other loop's thread blocks SIGUSR2: it owns it then. */
    for (;;) {
        struct sigaction sa;
        sigaction(SIGUSR2, NULL, &sa);
        if (sa.sa_handler != SIG_DFL)
            break;
        usleep(100);
    }
    CHECK_EQ(run_async(busy, NULL), 0);
    CHECK_EQ(pthread_kill(th, SIGUSR2), 0);
    pthread_join(th, NULL);
}

/* The pool's threads block every signal, whether the pool or the signal comes first. */
static intptr_t worker_mask(void *arg)
{
    (void)arg;
    return is_blocked(SIGUSR1) && is_blocked(SIGTERM) && is_blocked(SIGINT) && is_blocked(SIGCHLD);
}
struct pm_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int signal_first;
    ca_task *t;
    intptr_t v;
    int r;
};
static int pm_resume(ca_task *self, ca_frame *fr)
{
    struct pm_fr *F = (struct pm_fr *)fr;
    BEGIN(F);
    if (F->signal_first) {
        F->t = spawn(sw, (void *)(intptr_t)SIGUSR1);
        AWAIT_YIELD(F, F->r);
    }
    AWAIT(F, ca_blocking__ca_start(self, &F->hdr, &F->v, worker_mask, NULL));
    CHECK_EQ(F->v, 1);
    if (!F->signal_first) {
        F->t = spawn(sw, (void *)(intptr_t)SIGUSR1);
        AWAIT_YIELD(F, F->r);
    }
    CHECK(!is_blocked(SIGTERM)); /* the loop's thread blocks only what it awaits */
    kill(getpid(), SIGUSR1);     /* to the process: only the loop's thread may take it */
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, 0);
    RETURN(F, 0);
    END(F);
}
INT_START(pm, pm, signal_first)

static void test_pool_threads_block_signals(void)
{
    CHECK_EQ(run_async(pm, (void *)0), 0);
    CHECK_EQ(ca_loop_close(), 0);
    CHECK_EQ(run_async(pm, (void *)1), 0);
}

/* A thread started before any wait, SIGUSR1 unblocked, gets it from the kernel: forwarded. */
static int released;
static void *bystander(void *arg)
{
    (void)arg;
    /* Short sleeps: ThreadSanitizer runs a handler only when an intercepted call returns. */
    while (!__atomic_load_n(&released, __ATOMIC_ACQUIRE))
        usleep(1000);
    return NULL;
}
struct fw_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    pthread_t *th;
    ca_task *t;
    int r;
};
static int fw_resume(ca_task *self, ca_frame *fr)
{
    struct fw_fr *F = (struct fw_fr *)fr;
    BEGIN(F);
    F->t = spawn(sw, (void *)(intptr_t)SIGUSR1);
    AWAIT_YIELD(F, F->r);
    CHECK_EQ(pthread_kill(*F->th, SIGUSR1), 0);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, 0);
    RETURN(F, 0);
    END(F);
}
static int fw(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, fw, parent);
    F->th = arg;
    return fw_resume(self, &F->hdr);
}

static void test_forwarded_from_other_thread(void)
{
    pthread_t th;
    CHECK_EQ(pthread_create(&th, NULL, bystander, NULL), 0);
    CHECK_EQ(run_async(fw, &th), 0);
    __atomic_store_n(&released, 1, __ATOMIC_RELEASE);
    pthread_join(th, NULL);
}

int main(int argc, char **argv)
{
    TEST(test_wait_wakes_all_and_keeps);
    TEST(test_misuse_cancel_busy);
    TEST(test_pool_threads_block_signals);
    TEST(test_forwarded_from_other_thread);
    return 0;
}
