/*
 * Fault injection: the runtime built with CA__FAULT_INJECT takes its memory
 * from ca__malloc/ca__calloc/ca__realloc below, which fail the Nth
 * allocation (mode ONE) or every allocation from the Nth on (mode FROM).
 * Each scenario touches one part of the runtime that allocates: the core
 * (the loop, task slots and a task too big for one, timers, deadlines,
 * joiners, the fd table, a channel, the thread pool), files, inboxes, name
 * resolution, child processes, signals, groups and task values. Each is
 * run for N = 1, 2, ... until a run makes no allocation fail, in both
 * modes. Each run must see every call succeed or fail with -ENOMEM (-EAGAIN
 * where a pool thread cannot start), never crash, and leave nothing
 * behind: ca_loop_shutdown ends what is left, the test's fd count is
 * checked at the end, and ASan or valgrind check that no byte leaked.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "test.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static long fault_at, fault_count;
static int fault_from; /* mode FROM: every allocation from the Nth on fails */
static long faults;    /* allocations made to fail in this run */

static int fail_now(void)
{
    long n = __atomic_add_fetch(&fault_count, 1, __ATOMIC_RELAXED); /* pool threads allocate nothing, but be safe */
    if (n == fault_at || (fault_from && n > fault_at)) {
        __atomic_add_fetch(&faults, 1, __ATOMIC_RELAXED);
        return 1;
    }
    return 0;
}
void *ca__malloc(size_t n)
{
    return fail_now() ? NULL : malloc(n);
}
void *ca__calloc(size_t n, size_t size)
{
    return fail_now() ? NULL : calloc(n, size);
}
void *ca__realloc(void *p, size_t n)
{
    return fail_now() ? NULL : realloc(p, n);
}

/* A result that is a success (want) or an allowed failure. */
#define OK_OR_NOMEM(r, want) CHECK((r) == (want) || (r) == -ENOMEM)
/* The same for a call on the thread pool, which may fail to start a thread. */
#define POOL_OK(r, want) CHECK((r) == (want) || (r) == -ENOMEM || (r) == -EAGAIN)
#define POOL_FAILED(r) ((r) == -ENOMEM || (r) == -EAGAIN)

static intptr_t twice(void *arg)
{
    return 2 * (intptr_t)arg;
}

/* A child: sleep 1 ms (a timer). */
struct child_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int r;
};
static int child_resume(ca_task *self, ca_frame *fr)
{
    struct child_fr *F = (struct child_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 1));
    CHECK(F->r == 0 || F->r == -ENOMEM || F->r == -ECANCELED);
    RETURN(F, 0);
    END(F);
}
static int child(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, child, parent);
    return child_resume(self, &F->hdr);
}

/* spawn(fn) into a task of frame_bytes, or NULL when out of memory. */
static ca_task *try_spawn(size_t frame_bytes, test_fn fn, void *arg)
{
    ca_task *t = ca__task_new(NULL, frame_bytes);
    if (!t)
        return NULL;
    struct thunk_fr *T = ca__frame_alloc(t, sizeof *T, _Alignof(struct thunk_fr));
    *T = (struct thunk_fr){{thunk_resume, ca__task_root(t)}, 0, fn, arg};
    ca__task_start(t, &T->hdr);
    return t;
}

struct core_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_task *kids[3];
    ca_chan *ch;
    int p[2], i, r, v;
    ssize_t n;
    intptr_t x;
    char c;
};
static int core_resume(ca_task *self, ca_frame *fr)
{
    struct core_fr *F = (struct core_fr *)fr;
    BEGIN(F);
    /* Tasks: two in slots, one too big for a slot. */
    F->kids[0] = try_spawn(0, child, NULL);
    F->kids[1] = try_spawn(2000, child, NULL);
    F->kids[2] = try_spawn(200, child, NULL);
    /* A deadline, then an await under it. */
    ca_deadline_in(100000);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 0));
    OK_OR_NOMEM(F->r, 0);
    ca_deadline_set(CA_NEVER);
    /* A channel. */
    F->ch = ca_chan_new(1, sizeof(int));
    if (F->ch) {
        F->v = 7;
        AWAIT(F, ca_chan_send__ca_start(self, &F->hdr, &F->r, F->ch, &F->v));
        OK_OR_NOMEM(F->r, 0);
        if (F->r == 0) {
            AWAIT(F, ca_chan_recv__ca_start(self, &F->hdr, &F->r, F->ch, &F->v));
            OK_OR_NOMEM(F->r, 0);
        }
        ca_chan_free(F->ch);
    }
    /* An fd wait (the fd table) on a pipe that a sleeping child will not fill: the deadline ends it. */
    CHECK_EQ(pipe2(F->p, O_NONBLOCK | O_CLOEXEC), 0);
    ca_deadline_in(2);
    AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->p[0], &F->c, 1));
    CHECK(F->n == -ETIMEDOUT || F->n == -ENOMEM);
    ca_deadline_set(CA_NEVER);
    ca_close(F->p[0]);
    ca_close(F->p[1]);
    /* The pool. */
    AWAIT(F, ca_blocking__ca_start(self, &F->hdr, &F->x, twice, (void *)(intptr_t)21));
    CHECK(F->x == 42 || F->x == -ENOMEM || F->x == -EAGAIN);
    /* Join what was spawned; a join that cannot record itself leaves the child to the shutdown. */
    for (F->i = 0; F->i < 3; F->i++) {
        if (!F->kids[F->i])
            continue;
        AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->kids[F->i]));
        OK_OR_NOMEM(F->r, 0);
    }
    RETURN(F, 0);
    END(F);
}
static int core(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, core, parent);
    return core_resume(self, &F->hdr);
}

/* ------------------------------------------------------------------ files */

static char path_a[64], path_b[64];

/* A child that writes one byte into a pipe when the reader waits (its wait may have failed). */
static int pipe_filler(ca_task *self, ca_frame *parent, void *arg)
{
    (void)self, (void)parent;
    struct ca_loop_stats st;
    ca_loop_stats(&st);
    if (st.io_waits)
        CHECK_EQ(write((int)(intptr_t)arg, "z", 1), 1);
    return CA_DONE;
}

struct files_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int fd, r, p[2];
    ssize_t n;
    struct stat st;
    char buf[16];
    ca_task *filler;
};
static int files_resume(ca_task *self, ca_frame *fr)
{
    struct files_fr *F = (struct files_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_file_open__ca_start(self, &F->hdr, &F->fd, path_a, O_CREAT | O_RDWR | O_TRUNC, 0600));
    CHECK(F->fd >= 0 || POOL_FAILED(F->fd));
    if (F->fd >= 0) {
        AWAIT(F, ca_file_write__ca_start(self, &F->hdr, &F->n, F->fd, "hello", 5));
        POOL_OK(F->n, 5);
        AWAIT(F, ca_pwrite__ca_start(self, &F->hdr, &F->n, F->fd, "HE", 2, 0));
        POOL_OK(F->n, 2);
        AWAIT(F, ca_file_fsync__ca_start(self, &F->hdr, &F->r, F->fd));
        POOL_OK(F->r, 0);
        AWAIT(F, ca_file_fstat__ca_start(self, &F->hdr, &F->r, F->fd, &F->st));
        POOL_OK(F->r, 0);
        AWAIT(F, ca_pread__ca_start(self, &F->hdr, &F->n, F->fd, F->buf, sizeof F->buf, 0));
        CHECK(F->n >= 0 || POOL_FAILED(F->n));
        CHECK_EQ(lseek(F->fd, 0, SEEK_SET), 0);
        AWAIT(F, ca_file_read__ca_start(self, &F->hdr, &F->n, F->fd, F->buf, sizeof F->buf));
        CHECK(F->n >= 0 || POOL_FAILED(F->n));
        /* Closed whatever happens: the fd count at the end of the test says so. */
        AWAIT(F, ca_file_close__ca_start(self, &F->hdr, &F->r, F->fd));
        CHECK_EQ(F->r, 0);
    }
    AWAIT(F, ca_file_stat__ca_start(self, &F->hdr, &F->r, path_a, &F->st));
    CHECK(F->r == 0 || F->r == -ENOENT || POOL_FAILED(F->r));
    AWAIT(F, ca_file_rename__ca_start(self, &F->hdr, &F->r, path_a, path_b));
    CHECK(F->r == 0 || F->r == -ENOENT || POOL_FAILED(F->r));
    AWAIT(F, ca_file_unlink__ca_start(self, &F->hdr, &F->r, path_b));
    CHECK(F->r == 0 || F->r == -ENOENT || POOL_FAILED(F->r));
    unlink(path_a); /* what a failed call left */
    unlink(path_b);
    /* A blocking pipe: poll, then the loop's wait (the fd table) when it is empty. */
    CHECK_EQ(pipe2(F->p, O_CLOEXEC), 0);
    AWAIT(F, ca_file_write__ca_start(self, &F->hdr, &F->n, F->p[1], "xy", 2));
    CHECK_EQ(F->n, 2);
    AWAIT(F, ca_file_read__ca_start(self, &F->hdr, &F->n, F->p[0], F->buf, sizeof F->buf));
    CHECK_EQ(F->n, 2);
    F->filler = try_spawn(0, pipe_filler, (void *)(intptr_t)F->p[1]);
    if (F->filler) {
        ca_detach(F->filler);
        AWAIT(F, ca_file_read__ca_start(self, &F->hdr, &F->n, F->p[0], F->buf, sizeof F->buf));
        OK_OR_NOMEM(F->n, 1);
    }
    ca_close(F->p[0]);
    ca_close(F->p[1]);
    RETURN(F, 0);
    END(F);
}
static int files(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, files, parent);
    return files_resume(self, &F->hdr);
}

/* ---------------------------------------------------------------- inboxes */

/* Another thread posts 1, 2, 3 (waiting while the inbox is full), then closes it. */
static void *poster(void *arg)
{
    ca_inbox *ib = arg;
    for (int v = 1; v <= 3; v++) {
        int r;
        while ((r = ca_inbox_post(ib, &v)) == -EAGAIN)
            sched_yield();
        if (r == -EPIPE) /* the receiver gave up */
            return NULL;
        CHECK_EQ(r, 0);
    }
    ca_inbox_close(ib);
    return NULL;
}

struct inbox_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_inbox *ib;
    pthread_t th;
    int r, v, want;
};
static int inbox_resume(ca_task *self, ca_frame *fr)
{
    struct inbox_fr *F = (struct inbox_fr *)fr;
    BEGIN(F);
    F->ib = ca_inbox_new(2, sizeof(int));
    if (!F->ib)
        RETURN(F, 0);
    CHECK_EQ(pthread_create(&F->th, NULL, poster, F->ib), 0);
    ca_deadline_in(100000); /* a deadline: a side table entry and a timer */
    for (F->want = 1;; F->want++) {
        AWAIT(F, ca_inbox_recv__ca_start(self, &F->hdr, &F->r, F->ib, &F->v));
        if (F->r != 0)
            break;
        CHECK_EQ(F->v, F->want);
    }
    CHECK(F->r == -ENOMEM || (F->r == -EPIPE && F->want == 4));
    ca_deadline_set(CA_NEVER);
    ca_inbox_close(F->ib); /* after a failure: the poster stops */
    CHECK_EQ(pthread_join(F->th, NULL), 0);
    CHECK_EQ(ca_inbox_free(F->ib), 0);
    RETURN(F, 0);
    END(F);
}
static int inbox(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, inbox, parent);
    return inbox_resume(self, &F->hdr);
}

/* ------------------------------------------------------- name resolution */

struct resolve_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct addrinfo hints, *res;
    struct sockaddr_in sa;
    int r, lfd, fd;
    char host[64], serv[16];
};
static int resolve_resume(ca_task *self, ca_frame *fr)
{
    struct resolve_fr *F = (struct resolve_fr *)fr;
    socklen_t sl = sizeof F->sa;
    BEGIN(F);
    F->hints.ai_family = AF_INET;
    F->hints.ai_socktype = SOCK_STREAM;
    F->hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    AWAIT(F, ca_getaddrinfo__ca_start(self, &F->hdr, &F->r, "127.0.0.1", "80", &F->hints, &F->res));
    POOL_OK(F->r, 0);
    if (F->r == 0) {
        AWAIT(F, ca_getnameinfo__ca_start(self, &F->hdr, &F->r, F->res->ai_addr, F->res->ai_addrlen, F->host,
                                          sizeof F->host, F->serv, sizeof F->serv, NI_NUMERICHOST | NI_NUMERICSERV));
        POOL_OK(F->r, 0);
        if (F->r == 0)
            CHECK(!strcmp(F->host, "127.0.0.1") && !strcmp(F->serv, "80"));
        freeaddrinfo(F->res);
    }
    /* A listener to connect to by name (the connection waits in its backlog). */
    F->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    F->sa.sin_family = AF_INET;
    F->sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK_EQ(bind(F->lfd, (struct sockaddr *)&F->sa, sizeof F->sa), 0);
    CHECK_EQ(getsockname(F->lfd, (struct sockaddr *)&F->sa, &sl), 0);
    CHECK_EQ(listen(F->lfd, 4), 0);
    AWAIT(F, ca_connect_host__ca_start(self, &F->hdr, &F->fd, "127.0.0.1", ntohs(F->sa.sin_port)));
    CHECK(F->fd >= 0 || POOL_FAILED(F->fd));
    if (F->fd >= 0)
        ca_close(F->fd);
    close(F->lfd);
    RETURN(F, 0);
    END(F);
}
static int resolve(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, resolve, parent);
    return resolve_resume(self, &F->hdr);
}

/* ------------------------------------------------------ child processes */

/* The children of a run; what a failed wait left is reaped after the run. */
static ca_process procs[2];

/* Await procs[1]'s exit; the scenario cancels it (which kills the child). */
struct pwait_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int r;
};
static int pwait_resume(ca_task *self, ca_frame *fr)
{
    struct pwait_fr *F = (struct pwait_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_process_wait__ca_start(self, &F->hdr, &F->r, &procs[1]));
    CHECK(F->r == -ECANCELED || F->r == -ENOMEM);
    RETURN(F, 0);
    END(F);
}
static int pwait(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, pwait, parent);
    return pwait_resume(self, &F->hdr);
}

struct process_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int r;
    ssize_t n;
    char buf[16];
    ca_task *waiter;
};
static int process_resume(ca_task *self, ca_frame *fr)
{
    struct process_fr *F = (struct process_fr *)fr;
    struct ca_process_options o;
    BEGIN(F);
    /* sh echoes a line from its stdin pipe to its stdout pipe. */
    memset(&o, 0, sizeof o);
    o.file = "/bin/sh";
    o.argv = (char *const[]){"sh", "-c", "read x; echo $x", NULL};
    o.stdio[0].how = o.stdio[1].how = CA_STDIO_PIPE;
    CHECK_EQ(ca_process_spawn(&procs[0], &o), 0);
    AWAIT(F, ca_write_all__ca_start(self, &F->hdr, &F->n, procs[0].stdin_fd, "hi\n", 3));
    CHECK_EQ(F->n, 3);
    ca_close(procs[0].stdin_fd);
    AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, procs[0].stdout_fd, F->buf, sizeof F->buf));
    OK_OR_NOMEM(F->n, 3);
    ca_close(procs[0].stdout_fd);
    AWAIT(F, ca_process_wait__ca_start(self, &F->hdr, &F->r, &procs[0]));
    CHECK(F->r >= 0 || F->r == -ENOMEM);
    if (F->n == 3) /* (otherwise sh may die of SIGPIPE) */
        OK_OR_NOMEM(F->r, 0);
    /* cat waits for its stdin, until the task awaiting it is cancelled: it is killed and reaped. */
    memset(&o, 0, sizeof o);
    o.file = "cat";
    o.argv = (char *const[]){"cat", NULL};
    o.stdio[0].how = CA_STDIO_PIPE;
    CHECK_EQ(ca_process_spawn(&procs[1], &o), 0);
    F->waiter = try_spawn(0, pwait, NULL);
    if (F->waiter) {
        AWAIT_YIELD(F, F->r);
        ca_cancel(F->waiter);
        ca_detach(F->waiter);
    }
    ca_close(procs[1].stdin_fd);
    RETURN(F, 0);
    END(F);
}
static int process(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, process, parent);
    return process_resume(self, &F->hdr);
}

/* After a run: reap a child whose wait failed (the call may be made again; here the test does it). */
static void procs_reap(void)
{
    for (int i = 0; i < 2; i++) {
        ca_process *p = &procs[i];
        if (p->pid > 0 && p->pidfd != -1) {
            kill(p->pid, SIGKILL);
            waitpid(p->pid, NULL, 0);
            if (p->pidfd >= 0)
                close(p->pidfd);
        }
        memset(p, 0, sizeof *p);
    }
}

/* ---------------------------------------------------------------- signals */

struct sigw_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int r;
};
static int sigw_resume(ca_task *self, ca_frame *fr)
{
    struct sigw_fr *F = (struct sigw_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_signal_wait__ca_start(self, &F->hdr, &F->r, SIGUSR1));
    /* -ECANCELED: its join failed, so the scenario ended, and ca_loop_shutdown cancelled it. */
    CHECK(F->r == SIGUSR1 || F->r == -ENOMEM || F->r == -ECANCELED);
    RETURN(F, 0);
    END(F);
}
static int sigw(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, sigw, parent);
    return sigw_resume(self, &F->hdr);
}

struct signals_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int r;
    ca_task *t;
};
static int signals_resume(ca_task *self, ca_frame *fr)
{
    struct signals_fr *F = (struct signals_fr *)fr;
    struct ca_loop_stats st;
    BEGIN(F);
    F->t = try_spawn(0, sigw, NULL);
    if (!F->t)
        RETURN(F, 0);
    AWAIT_YIELD(F, F->r);
    ca_loop_stats(&st);
    if (st.remote_waits == 1) /* it waits: SIGUSR1 is the loop's (raised otherwise, it would kill the test) */
        CHECK_EQ(raise(SIGUSR1), 0);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    OK_OR_NOMEM(F->r, 0);
    RETURN(F, 0);
    END(F);
}
static int signals(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, signals, parent);
    return signals_resume(self, &F->hdr);
}

/* ------------------------------------------------- groups and task values */

/* async int member(int v): yield once, return v (a negative v fails its group). */
struct member_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int v, r;
};
static int member_resume(ca_task *self, ca_frame *fr)
{
    struct member_fr *F = (struct member_fr *)fr;
    BEGIN(F);
    AWAIT_YIELD(F, F->r);
    RETURN(F, F->r ? F->r : F->v);
    END(F);
}
static ca_frame *member_make(ca_task *self, ca_frame *parent, int *ret, int v)
{
    NEW_FRAME(F, member, parent);
    F->ret = ret;
    F->v = v;
    return &F->hdr;
}
/* ca_group_spawn(g, member(v)), or (g NULL) ca_task_of(int) t = ca_spawn(member(v)): NULL when out of memory. */
static ca_task *member_spawn(ca_group *g, int v)
{
    void *value;
    ca_task *t = g ? ca__group_task_new(g, NULL, 0, sizeof(int), _Alignof(int), 1, &value)
                   : ca__task_new_kept(NULL, 0, sizeof(int), _Alignof(int), &value);
    if (t)
        ca__task_start(t, member_make(t, ca__task_root(t), value, v));
    return t;
}

struct groups_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_group g;
    ca_task *t[4];
    int r, n, v, vs[4], st[4], i;
};
/* Spawn up to 3 kept tasks of values 1, 2, 3 into F->t (F->n of them). */
static void spawn_kept(struct groups_fr *F)
{
    F->n = 0;
    for (int v = 1; v <= 3; v++)
        if ((F->t[F->n] = member_spawn(NULL, v)))
            F->n++;
}
static int groups_resume(ca_task *self, ca_frame *fr)
{
    struct groups_fr *F = (struct groups_fr *)fr;
    BEGIN(F);
    /* A group: two members, one fails; and a group that is cancelled. */
    ca_group_init(&F->g);
    member_spawn(&F->g, 1);
    member_spawn(&F->g, -EPERM);
    AWAIT(F, ca_group_wait__ca_start(self, &F->hdr, &F->r, &F->g));
    CHECK(F->r == 0 || F->r == -EPERM || F->r == -ENOMEM);
    ca_group_init(&F->g);
    member_spawn(&F->g, 1);
    ca_group_cancel(&F->g);
    AWAIT(F, ca_group_wait__ca_start(self, &F->hdr, &F->r, &F->g));
    CHECK(F->r == 0 || F->r == -ECANCELED || F->r == -ENOMEM);
    /* Task values: one at a time, all, the first. A join that fails leaves its task to the shutdown. */
    spawn_kept(F);
    for (F->i = 0; F->i < F->n; F->i++) {
        AWAIT(F, ca__join_value(self, &F->hdr, &F->r, F->t[F->i], &F->v, sizeof F->v));
        OK_OR_NOMEM(F->r, 0);
        if (F->r == 0)
            CHECK(F->v >= 1 && F->v <= 3);
    }
    spawn_kept(F);
    if (F->n) {
        AWAIT(F, ca__join_all_values(self, &F->hdr, &F->r, F->t, (size_t)F->n, F->vs, sizeof F->vs[0], F->st));
        OK_OR_NOMEM(F->r, 0);
    }
    spawn_kept(F);
    if (F->n) {
        AWAIT(F, ca__join_any_value(self, &F->hdr, &F->r, F->t, (size_t)F->n, &F->v, sizeof F->v, &F->st[0]));
        CHECK(F->r >= 0 || F->r == -ENOMEM);
        for (F->i = 0; F->i < F->n; F->i++)
            if (F->t[F->i])
                ca_detach(F->t[F->i]);
    }
    RETURN(F, 0);
    END(F);
}
static int groups(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, groups, parent);
    return groups_resume(self, &F->hdr);
}

/* ------------------------------------------------------------------ runs */

/* One run of fn with the Nth allocation failing (every one from the Nth on, in mode FROM): whether any failed. */
static int run_with_fault(test_fn fn, long n, int from)
{
    fault_at = n;
    fault_from = from;
    fault_count = 0;
    faults = 0;
    ca_task *t = try_spawn(2048, fn, NULL); /* its bound: no frame of it needs a chunk */
    if (t) {
        int r = ca__run(t);
        CHECK(r == 0 || r == -ECANCELED);
    }
    fault_at = 0; /* the clean-up allocates nothing, but must not fail either */
    CHECK_EQ(ca_loop_shutdown(), 0);
    procs_reap();
    return faults > 0;
}

/* Run fn for every N in both modes: how many allocations a run makes. */
static long every_n(test_fn fn, const char *name)
{
    long n;
    for (n = 1; run_with_fault(fn, n, 0); n++)
        ;
    long made = n - 1;
    for (n = 1; run_with_fault(fn, n, 1); n++)
        ;
    printf("  %s: %ld allocations, each made to fail once, and every one from the Nth on\n", name, made);
    return made;
}

static void test_core(void)
{
    /* The scenario does allocate: the loop, slabs, a big task, timers, side table, fds, chan, pool. */
    CHECK(every_n(core, "core") > 8);
}

static void test_files(void)
{
    snprintf(path_a, sizeof path_a, "/tmp/cawait-fault-%d-a", (int)getpid());
    snprintf(path_b, sizeof path_b, "/tmp/cawait-fault-%d-b", (int)getpid());
    CHECK(every_n(files, "files") > 3); /* the loop, the pool, requests, the fd table */
}

static void test_inbox(void)
{
    CHECK(every_n(inbox, "inbox") > 2); /* the loop, the inbox, the deadline */
}

static void test_resolve(void)
{
    CHECK(every_n(resolve, "resolve") > 3); /* the loop, the pool, requests, the fd table */
}

static void test_process(void)
{
    CHECK(every_n(process, "process") > 2); /* the loop, the fd table, a reaper */
}

static void on_sigusr1(int signo)
{
    (void)signo;
}

static void test_signals(void)
{
    /* A run whose join fails ends before the loop has read the signal: at
       ca_loop_close it is delivered to the program's disposition, this. */
    struct sigaction sa = {.sa_handler = on_sigusr1};
    CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
    CHECK(every_n(signals, "signals") > 2); /* the loop, the slots, the signals' state */
}

static void test_groups(void)
{
    CHECK(every_n(groups, "groups and values") > 2); /* the loop, slots, the side table */
}

int main(int argc, char **argv)
{
    TEST(test_core);
    TEST(test_files);
    TEST(test_inbox);
    TEST(test_resolve);
    TEST(test_process);
    TEST(test_signals);
    TEST(test_groups);
    return 0;
}
