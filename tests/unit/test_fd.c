/*
 * What the loop remembers about fds (io.c): a short read of a byte stream
 * makes the next read wait without trying, and never loses data that comes
 * later, an end of file, or a datagram already queued; ca_close ends the
 * waits on an fd with -EBADF; close(2) or dup2 behind the runtime's back
 * never leaves a later wait on the number hanging; a cancelled task that
 * keeps yielding leaves the loop's timers and I/O their turn.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "test.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <unistd.h>

/* async reader: read twice into a 64-byte buffer, each result logged; then expect EOF. */
struct rdr_arg {
    int fd;
    ssize_t got[3];
};
struct rdr_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct rdr_arg *a;
    char buf[64];
    int i;
};
static int rdr_resume(ca_task *self, ca_frame *fr)
{
    struct rdr_fr *F = (struct rdr_fr *)fr;
    BEGIN(F);
    for (F->i = 0; F->i < 3; F->i++)
        AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->a->got[F->i], F->a->fd, F->buf, sizeof F->buf));
    RETURN(F, 0);
    END(F);
}
static int rdr(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, rdr, parent);
    F->a = arg;
    return rdr_resume(self, &F->hdr);
}

/* The writer side of a stream: 4 bytes, a nap (the reader drains them and waits), 4 more, a nap, EOF. */
struct wrt_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int fd, r;
};
static int wrt_resume(ca_task *self, ca_frame *fr)
{
    struct wrt_fr *F = (struct wrt_fr *)fr;
    struct ca_loop_stats st;
    BEGIN(F);
    CHECK_EQ(write(F->fd, "abcd", 4), 4);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 1));
    ca_loop_stats(&st);
    CHECK_EQ(st.io_waits, 1); /* the reader, after its short read */
    CHECK_EQ(write(F->fd, "efgh", 4), 4);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 1));
    shutdown(F->fd, SHUT_WR);
    RETURN(F, 0);
    END(F);
}
FD_START(wrt, wrt)

static void test_short_read_waits(void)
{
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
    struct rdr_arg a = {.fd = sv[0]};
    /* Registered first (a wait), so that the loop knows the fd when the short read comes. */
    ca_task *r = spawn(rdr, &a);
    ca_detach(spawn(wrt, (void *)(intptr_t)sv[1]));
    CHECK_EQ(ca__run(r), 0);
    CHECK_EQ(a.got[0], 4);
    CHECK_EQ(a.got[1], 4);
    CHECK_EQ(a.got[2], 0);
    CHECK_EQ(ca_close(sv[0]), 0);
    CHECK_EQ(ca_close(sv[1]), 0);
}

/* Datagrams: every read is short, but the next datagram is already there (no edge will come for it). */
static int dgram_pair_writer(ca_task *self, ca_frame *parent, void *arg)
{
    (void)self, (void)parent;
    int fd = (int)(intptr_t)arg;
    CHECK_EQ(write(fd, "one", 3), 3);
    CHECK_EQ(write(fd, "two", 3), 3);
    CHECK_EQ(write(fd, "", 0), 0); /* an empty datagram reads as 0 */
    return CA_DONE;
}

static void test_datagrams_not_drained(void)
{
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
    struct rdr_arg a = {.fd = sv[0]};
    ca_task *r = spawn(rdr, &a); /* waits first: registered */
    ca_detach(spawn(dgram_pair_writer, (void *)(intptr_t)sv[1]));
    /* Were the second read skipped, nothing would wake it: ca_run would cancel the stuck task. */
    CHECK_EQ(ca__run(r), 0);
    CHECK_EQ(a.got[0], 3);
    CHECK_EQ(a.got[1], 3);
    CHECK_EQ(a.got[2], 0);
    CHECK_EQ(ca_close(sv[0]), 0);
    CHECK_EQ(ca_close(sv[1]), 0);
}

/* ca_close of an fd a task waits on: the wait ends with -EBADF. */
struct waiter_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int fd;
    ssize_t n;
    char c;
};
static int reader1_resume(ca_task *self, ca_frame *fr)
{
    struct waiter_fr *F = (struct waiter_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->fd, &F->c, 1));
    CHECK_EQ(F->n, -EBADF);
    RETURN(F, 0);
    END(F);
}
FD_START(reader1, waiter)

static char big[1 << 20];
static int writer1_resume(ca_task *self, ca_frame *fr)
{
    struct waiter_fr *F = (struct waiter_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_write_all__ca_start(self, &F->hdr, &F->n, F->fd, big, sizeof big)); /* more than a pipe holds */
    CHECK_EQ(F->n, -EBADF);
    RETURN(F, 0);
    END(F);
}
FD_START(writer1, waiter)

struct closer_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int p[2], q[2], r;
    ca_task *t[2];
};
static int closer_resume(ca_task *self, ca_frame *fr)
{
    struct closer_fr *F = (struct closer_fr *)fr;
    struct ca_loop_stats st;
    BEGIN(F);
    CHECK_EQ(pipe2(F->p, O_NONBLOCK | O_CLOEXEC), 0);
    CHECK_EQ(pipe2(F->q, O_NONBLOCK | O_CLOEXEC), 0);
    F->t[0] = spawn(reader1, (void *)(intptr_t)F->p[0]);
    F->t[1] = spawn(writer1, (void *)(intptr_t)F->q[1]);
    AWAIT_YIELD(F, F->r);
    ca_loop_stats(&st);
    CHECK_EQ(st.io_waits, 2);
    CHECK_EQ(ca_close(F->p[0]), 0);
    CHECK_EQ(ca_close(F->q[1]), 0);
    ca_loop_stats(&st);
    CHECK_EQ(st.io_waits, 0);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t[0]));
    CHECK_EQ(F->r, 0);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t[1]));
    CHECK_EQ(F->r, 0);
    /* Closed fds: the calls fail at once. */
    AWAIT(F, ca_wait_readable__ca_start(self, &F->hdr, &F->r, F->p[0]));
    CHECK_EQ(F->r, -EBADF);
    CHECK_EQ(ca_close(F->p[1]), 0);
    CHECK_EQ(ca_close(F->q[0]), 0);
    RETURN(F, 0);
    END(F);
}
static int closer(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, closer, parent);
    return closer_resume(self, &F->hdr);
}

static void test_close_ends_waits(void)
{
    CHECK_EQ(run_async(closer, NULL), 0);
    CHECK_EQ(ca_close(-1), -EBADF);
}

/*
 * A cancelled task that loops on yields and ignores their -ECANCELED, until
 * a sleeper and a reader on a pipe have both run: it ends only if timers
 * and I/O keep their turn.
 */
static int fair_done;
struct spinner_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    long spins;
    int r;
};
static int spinner_resume(ca_task *self, ca_frame *fr)
{
    struct spinner_fr *F = (struct spinner_fr *)fr;
    BEGIN(F);
    CHECK_EQ(ca_cancel(ca_self()), 0);
    while (fair_done < 2) {
        AWAIT_YIELD(F, F->r);
        CHECK_EQ(F->r, -ECANCELED);
        F->spins++;
    }
    CHECK(F->spins > 0);
    RETURN(F, 0);
    END(F);
}
static int spinner(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, spinner, parent);
    return spinner_resume(self, &F->hdr);
}

struct sleeper_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int fd, r;
    ssize_t n;
    char c;
};
static int sleeper_resume(ca_task *self, ca_frame *fr)
{
    struct sleeper_fr *F = (struct sleeper_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 2));
    CHECK_EQ(F->r, 0);
    CHECK_EQ(write(F->fd, "x", 1), 1); /* to the pipe reader */
    fair_done++;
    RETURN(F, 0);
    END(F);
}
FD_START(sleeper, sleeper)
static int piperd_resume(ca_task *self, ca_frame *fr)
{
    struct sleeper_fr *F = (struct sleeper_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->fd, &F->c, 1));
    CHECK_EQ(F->n, 1);
    fair_done++;
    RETURN(F, 0);
    END(F);
}
FD_START(piperd, sleeper)

static void test_cancelled_yields_are_fair(void)
{
    int p[2];
    CHECK_EQ(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
    fair_done = 0;
    ca_detach(spawn(sleeper, (void *)(intptr_t)p[1]));
    ca_detach(spawn(piperd, (void *)(intptr_t)p[0]));
    CHECK_EQ(run_async(spinner, NULL), -ECANCELED);
    CHECK_EQ(fair_done, 2);
    CHECK_EQ(ca_close(p[0]), 0);
    CHECK_EQ(ca_close(p[1]), 0);
}

/*
 * A server task accepts three connections one after another and closes
 * each with plain close(2): the next accept returns the same number, and
 * ca_accept re-registers it, so the wait on the new connection works.
 */
struct acc_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int lfd, cfd, prev, i;
    ssize_t n;
    char buf[8];
};
static int acc_resume(ca_task *self, ca_frame *fr)
{
    struct acc_fr *F = (struct acc_fr *)fr;
    BEGIN(F);
    F->prev = -1;
    for (F->i = 0; F->i < 3; F->i++) {
        AWAIT(F, ca_accept__ca_start(self, &F->hdr, &F->cfd, F->lfd, NULL, NULL));
        CHECK(F->cfd >= 0);
        CHECK(F->prev < 0 || F->cfd == F->prev); /* the number came back */
        F->prev = F->cfd;
        AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->cfd, F->buf, sizeof F->buf));
        CHECK_EQ(F->n, 1);
        AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->cfd, F->buf, sizeof F->buf)); /* waits: drained */
        CHECK_EQ(F->n, 1);
        close(F->cfd);
    }
    RETURN(F, 0);
    END(F);
}
INT_START(acc, acc, lfd)

struct dial_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct sockaddr_in sa;
    int fd, r, i;
    ssize_t n;
    char c;
};
static int dial_resume(ca_task *self, ca_frame *fr)
{
    struct dial_fr *F = (struct dial_fr *)fr;
    BEGIN(F);
    for (F->i = 0; F->i < 3; F->i++) {
        F->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        AWAIT(F, ca_connect__ca_start(self, &F->hdr, &F->r, F->fd, (struct sockaddr *)&F->sa, sizeof F->sa));
        CHECK_EQ(F->r, 0);
        CHECK_EQ(write(F->fd, "a", 1), 1);
        AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 1)); /* the server reads it, then waits */
        CHECK_EQ(write(F->fd, "b", 1), 1);
        AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->fd, &F->c, 1)); /* EOF when the server closes */
        CHECK_EQ(F->n, 0);
        CHECK_EQ(ca_close(F->fd), 0);
    }
    RETURN(F, 0);
    END(F);
}
static int dial(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, dial, parent);
    F->sa = *(struct sockaddr_in *)arg;
    return dial_resume(self, &F->hdr);
}

static void test_accepted_numbers_come_back(void)
{
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof sa;
    CHECK_EQ(bind(lfd, (struct sockaddr *)&sa, sizeof sa), 0);
    CHECK_EQ(getsockname(lfd, (struct sockaddr *)&sa, &sl), 0);
    CHECK_EQ(listen(lfd, 16), 0);
    ca_task *s = spawn(acc, (void *)(intptr_t)lfd);
    CHECK_EQ(run_async(dial, &sa), 0);
    CHECK_EQ(ca__run(s), 0);
    CHECK_EQ(ca_close(lfd), 0);
}

/*
 * close(2), dup2 and dup3 behind the runtime's back (io.c): a pipe's read
 * end is registered and drained, then its number goes to another file;
 * a read on the number must complete, and a later read that waits must be
 * woken by the new file's edge. Each mode is one way the program changes
 * what the number is.
 */
enum reuse_mode {
    REUSE_CLOSE,       /* close(2), then pipe2 takes the number again */
    REUSE_DUP2,        /* dup2 of another pipe onto the number */
    REUSE_DUP2_KEPT,   /* the same, while a dup keeps the old file (and its registration) alive */
    REUSE_AFTER_EOF,   /* end of file, close(2), reuse: the read does not even wait */
    REUSE_AFTER_CANCEL, /* a cancelled wait, close(2), reuse: the same */
    CLOSE_WHILE_WAITING, /* close(2) while a task waits: its read fails with EBADF */
};

struct rd_arg {
    int fd;
    ssize_t n;
};
struct rd_once_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct rd_arg *a;
    char buf[8];
};
static int rd_once_resume(ca_task *self, ca_frame *fr)
{
    struct rd_once_fr *F = (struct rd_once_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->a->n, F->a->fd, F->buf, sizeof F->buf));
    RETURN(F, 0);
    END(F);
}
static int rd_once(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, rd_once, parent);
    F->a = arg;
    return rd_once_resume(self, &F->hdr);
}

struct reuse_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int mode, p[2], q[2], old, kept, r;
    struct rd_arg a;
    ca_task *t;
    ssize_t n;
    char buf[8];
};
/* Spawn a reader of a.fd and let it wait (io_waits goes to 1). */
#define START_READER(F)                                    \
    do {                                                   \
        (F)->t = spawn(rd_once, &(F)->a);                  \
        AWAIT_YIELD(F, (F)->r);                            \
        ca_loop_stats(&st);                                \
        CHECK_EQ(st.io_waits, 1);                          \
    } while (0)
static int reuse_resume(ca_task *self, ca_frame *fr)
{
    struct reuse_fr *F = (struct reuse_fr *)fr;
    struct ca_loop_stats st;
    BEGIN(F);
    CHECK_EQ(pipe2(F->p, O_NONBLOCK | O_CLOEXEC), 0);
    F->old = F->p[0];
    F->kept = -1;
    /* Registered by a wait, then drained by a short read. */
    F->a.fd = F->old;
    START_READER(F);
    CHECK_EQ(write(F->p[1], "a", 1), 1);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, 0);
    CHECK_EQ(F->a.n, 1);

    /* (No switch here: AWAIT's case labels must belong to BEGIN's.) */
    if (F->mode == CLOSE_WHILE_WAITING) {
        START_READER(F);
        close(F->old);
        AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
        CHECK_EQ(F->r, 0);
        CHECK_EQ(F->a.n, -EBADF);
        CHECK_EQ(close(F->p[1]), 0);
        RETURN(F, 0);
    }
    CHECK_EQ(close(F->p[1]), 0);
    if (F->mode == REUSE_AFTER_EOF) {
        AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->old, F->buf, sizeof F->buf));
        CHECK_EQ(F->n, 0);
    } else if (F->mode == REUSE_AFTER_CANCEL) {
        START_READER(F);
        CHECK_EQ(ca_cancel(F->t), 0);
        AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
        CHECK_EQ(F->r, -ECANCELED);
        CHECK_EQ(F->a.n, -ECANCELED);
    }
    if (F->mode == REUSE_DUP2 || F->mode == REUSE_DUP2_KEPT) {
        if (F->mode == REUSE_DUP2_KEPT)
            CHECK((F->kept = dup(F->old)) >= 0);
        CHECK_EQ(pipe2(F->q, O_NONBLOCK | O_CLOEXEC), 0);
        CHECK_EQ(dup2(F->q[0], F->old), F->old);
        CHECK_EQ(close(F->q[0]), 0);
    } else {
        CHECK_EQ(close(F->old), 0);
        CHECK_EQ(pipe2(F->q, O_NONBLOCK | O_CLOEXEC), 0);
        CHECK_EQ(F->q[0], F->old); /* the lowest free number came back */
    }
    /* A byte is there before the read: the new file gives no edge for it. */
    CHECK_EQ(write(F->q[1], "b", 1), 1);
    if (F->mode == REUSE_AFTER_EOF || F->mode == REUSE_AFTER_CANCEL) {
        /* The old file was seen ending: the registration is checked before the table is trusted. */
        CHECK_EQ(ca_read__ca_start(self, &F->hdr, &F->n, F->old, F->buf, sizeof F->buf), CA_DONE);
    } else {
        AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->old, F->buf, sizeof F->buf));
    }
    CHECK_EQ(F->n, 1);
    CHECK_EQ(F->buf[0], 'b');
    /* Drained again: the next read waits, and the new file's edge wakes it. */
    START_READER(F);
    CHECK_EQ(write(F->q[1], "c", 1), 1);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, 0);
    CHECK_EQ(F->a.n, 1);
    CHECK_EQ(ca_close(F->old), 0);
    CHECK_EQ(close(F->q[1]), 0);
    if (F->kept >= 0)
        CHECK_EQ(close(F->kept), 0);
    RETURN(F, 0);
    END(F);
}
INT_START(reuse, reuse, mode)

static void test_plain_close_and_reuse(void)
{
    for (int mode = REUSE_CLOSE; mode <= CLOSE_WHILE_WAITING; mode++)
        CHECK_EQ(run_async(reuse, (void *)(intptr_t)mode), 0);
}

int main(int argc, char **argv)
{
    TEST(test_short_read_waits);
    TEST(test_datagrams_not_drained);
    TEST(test_close_ends_waits);
    TEST(test_cancelled_yields_are_fair);
    TEST(test_accepted_numbers_come_back);
    TEST(test_plain_close_and_reuse);
    return 0;
}
