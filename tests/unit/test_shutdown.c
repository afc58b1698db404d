/*
 * Shutdown: what a loop's other tasks do when ca_run returns (they wait,
 * and the next ca_run runs them on), ca_loop_close refusing while they
 * live, ca_loop_shutdown cancelling and releasing them all; ca_detach of a
 * failed spawn.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "test.h"

#include <fcntl.h>
#include <unistd.h>

static int naps_done, naps_cancelled, reads_cancelled;

/* async void napper(ms): sleep, count how it ended. */
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
    if (F->r == 0)
        naps_done++;
    else if (F->r == -ECANCELED)
        naps_cancelled++;
    RETURN(F, 0);
    END(F);
}
INT_START(napper, napper, ms)

/* async void reader(fd): a read that nothing will satisfy; on cancel, a cleanup nap (which fails at once). */
struct reader_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int fd, r;
    ssize_t n;
    char c;
};
static int reader_resume(ca_task *self, ca_frame *fr)
{
    struct reader_fr *F = (struct reader_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->fd, &F->c, 1));
    CHECK_EQ(F->n, -ECANCELED);
    reads_cancelled++;
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 1000));
    CHECK_EQ(F->r, -ECANCELED);
    /* Unwinding spawns: ca_loop_shutdown cancels the newcomer too. */
    ca_detach(spawn(napper, (void *)(intptr_t)100000));
    RETURN(F, 0);
    END(F);
}
FD_START(reader, reader)

/* async void got_one(fd): read a byte (counted in reads_done). */
static int reads_done;
static int got_one_resume(ca_task *self, ca_frame *fr)
{
    struct reader_fr *F = (struct reader_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->fd, &F->c, 1));
    CHECK_EQ(F->n, 1);
    reads_done++;
    RETURN(F, 0);
    END(F);
}
FD_START(got_one, reader)

/* async void send_one(fd): write a byte, then nap (the loop polls: the reader runs meanwhile). */
static int send_one_resume(ca_task *self, ca_frame *fr)
{
    struct reader_fr *F = (struct reader_fr *)fr;
    BEGIN(F);
    CHECK_EQ(write(F->fd, "x", 1), 1);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 1));
    RETURN(F, 0);
    END(F);
}
FD_START(send_one, reader)

static void test_run_returns_then_shutdown(void)
{
    int p[2], q[2];
    CHECK_EQ(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
    CHECK_EQ(pipe2(q, O_NONBLOCK | O_CLOEXEC), 0);
    naps_done = naps_cancelled = reads_cancelled = reads_done = 0;
    ca_task *joinable = spawn(napper, (void *)(intptr_t)100000); /* never joined */
    ca_detach(spawn(napper, (void *)(intptr_t)100000));
    ca_detach(spawn(got_one, (void *)(intptr_t)q[0]));
    ca_detach(spawn(reader, (void *)(intptr_t)p[0]));
    /* ca_run of a zero nap returns when its task ends; the others stay. */
    CHECK_EQ(run_async(napper, (void *)(intptr_t)0), 0);
    CHECK_EQ(naps_done, 1);
    struct ca_loop_stats st;
    ca_loop_stats(&st);
    CHECK_EQ(st.tasks, 4);
    CHECK_EQ(st.io_waits, 2);
    CHECK_EQ(ca_loop_close(), -EBUSY);
    /* The next ca_run runs them on: the waiting reader gets its byte. */
    CHECK_EQ(run_async(send_one, (void *)(intptr_t)q[1]), 0);
    CHECK_EQ(reads_done, 1);
    ca_loop_stats(&st);
    CHECK_EQ(st.tasks, 3);
    CHECK_EQ(ca_loop_shutdown(), 0);
    CHECK_EQ(naps_cancelled, 3); /* the two long naps and the one spawned while unwinding */
    CHECK_EQ(reads_cancelled, 1);
    (void)joinable; /* released by the shutdown */
    ca_loop_stats(&st);
    CHECK_EQ(st.tasks, 0);
    CHECK_EQ(ca_loop_shutdown(), 0); /* no loop: nothing to do */
    close(p[0]);
    close(p[1]);
    close(q[0]);
    close(q[1]);
}

/* From a task, shutdown is refused. */
static int try_shutdown(ca_task *self, ca_frame *parent, void *arg)
{
    (void)self, (void)parent, (void)arg;
    CHECK_EQ(ca_loop_shutdown(), -EBUSY);
    return CA_DONE;
}

static void test_shutdown_from_task(void)
{
    CHECK_EQ(run_async(try_shutdown, NULL), 0);
}

/* ca_detach reports what it did: the safe form of ca_detach(ca_spawn(...)). */
static void test_detach_results(void)
{
    CHECK_EQ(ca_detach(NULL), -ENOMEM);
    ca_task *t = spawn(napper, (void *)(intptr_t)0);
    CHECK_EQ(ca_detach(t), 0);
    CHECK_EQ(ca_detach(t), -EINVAL);
    CHECK_EQ(run_async(napper, (void *)(intptr_t)1), 0);
}

int main(int argc, char **argv)
{
    TEST(test_run_returns_then_shutdown);
    TEST(test_shutdown_from_task);
    TEST(test_detach_results);
    return 0;
}
