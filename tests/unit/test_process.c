/*
 * Child processes: exit statuses, pipes to stdin/stdout/stderr, a program
 * that does not exist, cancel (SIGKILL, reaped by the loop), deadline
 * (still running), kill, and no zombie or fd left behind.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "test.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static int spawn_sh(ca_process *p, const char *script, int in, int out, int err)
{
    char *argv[] = {"sh", "-c", (char *)script, NULL};
    struct ca_process_options o = {.file = "sh", .argv = argv};
    o.stdio[0].how = in;
    o.stdio[1].how = out;
    o.stdio[2].how = err;
    return ca_process_spawn(p, &o);
}

/* No child of ours is left, zombie or not. */
static void check_no_children(void)
{
    CHECK_EQ(waitpid(-1, NULL, WNOHANG), -1);
    CHECK_EQ(errno, ECHILD);
}

struct st_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_process p;
    int r, i;
};
static int st_resume(ca_task *self, ca_frame *fr)
{
    struct st_fr *F = (struct st_fr *)fr;
    BEGIN(F);
    CHECK_EQ(spawn_sh(&F->p, "exit 3", CA_STDIO_INHERIT, CA_STDIO_INHERIT, CA_STDIO_INHERIT), 0);
    CHECK(F->p.pid > 0);
    CHECK_EQ(F->p.stdin_fd, -1);
    AWAIT(F, ca_process_wait__ca_start(self, &F->hdr, &F->r, &F->p));
    CHECK(WIFEXITED(F->r));
    CHECK_EQ(WEXITSTATUS(F->r), 3);
    AWAIT(F, ca_process_wait__ca_start(self, &F->hdr, &F->r, &F->p)); /* reaped: the same status at once */
    CHECK_EQ(WEXITSTATUS(F->r), 3);
    CHECK_EQ(ca_process_kill(&F->p, SIGTERM), -ESRCH);

    /* Killed by a signal. */
    CHECK_EQ(spawn_sh(&F->p, "kill -TERM $$; sleep 5", CA_STDIO_NULL, CA_STDIO_NULL, CA_STDIO_NULL), 0);
    AWAIT(F, ca_process_wait__ca_start(self, &F->hdr, &F->r, &F->p));
    CHECK(WIFSIGNALED(F->r));
    CHECK_EQ(WTERMSIG(F->r), SIGTERM);

    /* Not found. (Under valgrind, posix_spawn's vfork is a fork, which cannot
       report the exec's failure: the child exits with 127 instead.) */
    {
        char *argv[] = {"no-such-program-cawait", NULL};
        struct ca_process_options o = {.file = "no-such-program-cawait", .argv = argv};
        F->r = ca_process_spawn(&F->p, &o);
        if (!getenv("CAWAIT_UNDER_VALGRIND"))
            CHECK_EQ(F->r, -ENOENT);
        else if (F->r == 0)
            goto reap_127;
    }
not_found_abs:
    {
        char *argv[] = {"no-such-program-cawait", NULL};
        struct ca_process_options o = {.file = "/no/such/program", .argv = argv};
        F->r = ca_process_spawn(&F->p, &o);
        if (!getenv("CAWAIT_UNDER_VALGRIND"))
            CHECK_EQ(F->r, -ENOENT);
        else if (F->r == 0)
            goto reap_127;
        o.argv = NULL;
        CHECK_EQ(ca_process_spawn(&F->p, &o), -EINVAL);
    }
    RETURN(F, 0);
reap_127:
    AWAIT(F, ca_process_wait__ca_start(self, &F->hdr, &F->r, &F->p));
    CHECK(WIFEXITED(F->r) && WEXITSTATUS(F->r) == 127);
    if (!F->i++)
        goto not_found_abs;
    RETURN(F, 0);
    END(F);
}
static int st(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, st, parent);
    return st_resume(self, &F->hdr);
}

static void test_exit_status(void)
{
    CHECK_EQ(run_async(st, NULL), 0);
    check_no_children();
}

/*
 * Pipes: write to the child's stdin, read its stdout and its stderr,
 * concurrently (a task each), as a program driving `tr` would.
 */
struct feed_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_process *p;
    int i;
    ssize_t n;
};
static int feed_resume(ca_task *self, ca_frame *fr)
{
    struct feed_fr *F = (struct feed_fr *)fr;
    BEGIN(F);
    for (F->i = 0; F->i < 4000; F->i++) { /* 84 KB: more than a pipe holds */
        AWAIT(F, ca_write_all__ca_start(self, &F->hdr, &F->n, F->p->stdin_fd, "hello, child process\n", 21));
        CHECK_EQ(F->n, 21);
    }
    close(F->p->stdin_fd);
    F->p->stdin_fd = -1;
    RETURN(F, 0);
    END(F);
}
static int feed(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, feed, parent);
    F->p = arg;
    return feed_resume(self, &F->hdr);
}

struct drain_arg {
    int fd;
    size_t got;
    char first[32];
};
struct drain_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct drain_arg *a;
    char buf[4096];
    ssize_t n;
};
static int drain_resume(ca_task *self, ca_frame *fr)
{
    struct drain_fr *F = (struct drain_fr *)fr;
    BEGIN(F);
    for (;;) {
        AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->a->fd, F->buf, sizeof F->buf));
        CHECK(F->n >= 0);
        if (F->n == 0)
            break;
        if (F->a->got < sizeof F->a->first - 1) {
            size_t k = sizeof F->a->first - 1 - F->a->got;
            memcpy(F->a->first + F->a->got, F->buf, (size_t)F->n < k ? (size_t)F->n : k);
        }
        F->a->got += (size_t)F->n;
    }
    RETURN(F, 0);
    END(F);
}
static int drain(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, drain, parent);
    F->a = arg;
    return drain_resume(self, &F->hdr);
}

struct pipes_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_process p;
    struct drain_arg out, err;
    ca_task *t[3];
    int r;
};
static int pipes_resume(ca_task *self, ca_frame *fr)
{
    struct pipes_fr *F = (struct pipes_fr *)fr;
    BEGIN(F);
    CHECK_EQ(spawn_sh(&F->p, "tr a-z A-Z; echo done >&2", CA_STDIO_PIPE, CA_STDIO_PIPE, CA_STDIO_PIPE), 0);
    CHECK(fcntl(F->p.stdin_fd, F_GETFL) & O_NONBLOCK);
    CHECK(fcntl(F->p.stdout_fd, F_GETFD) & FD_CLOEXEC);
    F->out.fd = F->p.stdout_fd;
    F->err.fd = F->p.stderr_fd;
    F->t[0] = spawn(feed, &F->p);
    F->t[1] = spawn(drain, &F->out);
    F->t[2] = spawn(drain, &F->err);
    AWAIT(F, ca_join_all__ca_start(self, &F->hdr, &F->r, F->t, 3));
    CHECK_EQ(F->r, 0);
    AWAIT(F, ca_process_wait__ca_start(self, &F->hdr, &F->r, &F->p));
    CHECK(WIFEXITED(F->r) && WEXITSTATUS(F->r) == 0);
    CHECK_EQ(F->out.got, 4000 * 21);
    CHECK(!strncmp(F->out.first, "HELLO, CHILD PROCESS\nHELLO", 26));
    CHECK(!strcmp(F->err.first, "done\n"));
    close(F->p.stdout_fd);
    close(F->p.stderr_fd);
    RETURN(F, 0);
    END(F);
}
static int pipes(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, pipes, parent);
    return pipes_resume(self, &F->hdr);
}

static void test_pipes(void)
{
    CHECK_EQ(run_async(pipes, NULL), 0);
    check_no_children();
}

/* Cancel kills (SIGKILL) and the loop reaps; a deadline leaves the child running. */
static pid_t cancelled_pid;
struct cw_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_process p;
    int r;
};
static int cw_resume(ca_task *self, ca_frame *fr)
{
    struct cw_fr *F = (struct cw_fr *)fr;
    BEGIN(F);
    CHECK_EQ(spawn_sh(&F->p, "exec sleep 100", CA_STDIO_INHERIT, CA_STDIO_INHERIT, CA_STDIO_INHERIT), 0);
    cancelled_pid = F->p.pid;
    AWAIT(F, ca_process_wait__ca_start(self, &F->hdr, &F->r, &F->p));
    CHECK_EQ(F->r, -ECANCELED);
    AWAIT(F, ca_process_wait__ca_start(self, &F->hdr, &F->r, &F->p));
    CHECK_EQ(F->r, -ECANCELED); /* sticky, as every await of a cancelled task */
    RETURN(F, 0);
    END(F);
}
static int cw(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, cw, parent);
    return cw_resume(self, &F->hdr);
}
struct cm_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_task *t;
    ca_process p;
    int r;
};
static int cm_resume(ca_task *self, ca_frame *fr)
{
    struct cm_fr *F = (struct cm_fr *)fr;
    BEGIN(F);
    F->t = spawn(cw, NULL);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 5));
    CHECK_EQ(ca_cancel(F->t), 0);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, -ECANCELED);

    /* A deadline: -ETIMEDOUT, the child runs on; SIGTERM, then the wait gets its status. */
    CHECK_EQ(spawn_sh(&F->p, "exec sleep 100", CA_STDIO_INHERIT, CA_STDIO_INHERIT, CA_STDIO_INHERIT), 0);
    ca_deadline_in(5);
    AWAIT(F, ca_process_wait__ca_start(self, &F->hdr, &F->r, &F->p));
    ca_deadline_set(CA_NEVER);
    CHECK_EQ(F->r, -ETIMEDOUT);
    CHECK_EQ(kill(F->p.pid, 0), 0); /* alive */
    CHECK_EQ(ca_process_kill(&F->p, SIGTERM), 0);
    AWAIT(F, ca_process_wait__ca_start(self, &F->hdr, &F->r, &F->p));
    CHECK(WIFSIGNALED(F->r) && WTERMSIG(F->r) == SIGTERM);
    RETURN(F, 0);
    END(F);
}
static int cm(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, cm, parent);
    return cm_resume(self, &F->hdr);
}

static void test_cancel_kills_deadline_does_not(void)
{
    CHECK_EQ(run_async(cm, NULL), 0);
    CHECK_EQ(ca_loop_close(), 0); /* reaps the killed child if its pidfd has not fired yet */
    CHECK_EQ(kill(cancelled_pid, 0), -1);
    CHECK_EQ(errno, ESRCH);
    check_no_children();
}

/* Many children at once, each awaited by its own task. */
struct many_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_process p;
    int i, r;
};
static int many_resume(ca_task *self, ca_frame *fr)
{
    struct many_fr *F = (struct many_fr *)fr;
    BEGIN(F);
    {
        char script[32];
        snprintf(script, sizeof script, "exit %d", F->i);
        CHECK_EQ(spawn_sh(&F->p, script, CA_STDIO_NULL, CA_STDIO_NULL, CA_STDIO_NULL), 0);
    }
    AWAIT(F, ca_process_wait__ca_start(self, &F->hdr, &F->r, &F->p));
    CHECK(WIFEXITED(F->r));
    CHECK_EQ(WEXITSTATUS(F->r), F->i);
    RETURN(F, 0);
    END(F);
}
INT_START(many, many, i)

static void test_many(void)
{
    enum { N = 12 };
    ca_task *t[N];
    for (int i = 0; i < N; i++)
        t[i] = spawn(many, (void *)(intptr_t)i);
    for (int i = 0; i < N; i++)
        CHECK_EQ(ca__run(t[i]), 0);
    check_no_children();
}

int main(int argc, char **argv)
{
    TEST(test_exit_status);
    TEST(test_pipes);
    TEST(test_cancel_kills_deadline_does_not);
    TEST(test_many);
    return 0;
}
