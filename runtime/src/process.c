/*
 * Child processes: start a program with posix_spawn, optionally with pipes
 * to its stdin, stdout and stderr, and await its exit.
 *
 * Each child gets a pidfd (Linux 5.3), which becomes readable when the
 * child exits; a task that awaits the exit watches it (aux.c), and reaps
 * the child with waitpid when it fires. Nothing is process-wide: no
 * SIGCHLD handler, no waitpid(-1), so other code that starts and reaps its
 * own children is left alone. Where pidfd_open is missing (kernels before
 * 5.3, valgrind 3.19) the wait polls waitpid with WNOHANG instead, from 1
 * ms up to every 50 ms.
 *
 * Cancelling the wait kills the child with SIGKILL (a cancelled task can
 * await nothing more, so it could not wait for a child that ignores
 * SIGTERM; send SIGTERM with ca_process_kill and wait with a deadline for a
 * polite stop). The loop then reaps it in the background (a reaper watches
 * its pidfd), or at ca_loop_close at the latest, so it never lingers as a
 * zombie.
 */
#include "internal.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define NO_PIDFD (-2) /* p->pidfd of a child not reaped yet, on a system without pidfds */
#define POLL_MAX_MS 50

struct proc_op {
    struct ca__wop w;
    struct ca__watch watch;
    ca_process *p;
    ca_task *task;
};
_Static_assert(sizeof(struct proc_op) <= CA__OP_FRAME_MAX, "abi.h bounds op frames");

/* A child killed by a cancel, reaped when its pidfd fires. */
struct ca__reaper {
    struct ca__watch watch;
    struct ca__reaper *prev, *next;
    pid_t pid;
    int pidfd;
};

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

int ca_process_spawn(ca_process *p, const struct ca_process_options *o)
{
    if (!p || !o || !o->file || !o->argv)
        return -EINVAL;
    memset(p, 0, sizeof *p);
    p->pidfd = p->stdin_fd = p->stdout_fd = p->stderr_fd = -1;
    int *parent_end[3] = {&p->stdin_fd, &p->stdout_fd, &p->stderr_fd};
    int child_end[3] = {-1, -1, -1};
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    int e = posix_spawn_file_actions_init(&fa);
    if (e)
        return -e;
    e = posix_spawnattr_init(&at);
    if (e) {
        posix_spawn_file_actions_destroy(&fa);
        return -e;
    }
    for (int i = 0; i < 3 && !e; i++) {
        switch (o->stdio[i].how) {
        case CA_STDIO_INHERIT:
            break;
        case CA_STDIO_PIPE: {
            int pp[2];
            if (pipe2(pp, O_CLOEXEC) < 0) {
                e = errno;
                break;
            }
            child_end[i] = pp[i == 0 ? 0 : 1];
            *parent_end[i] = pp[i == 0 ? 1 : 0];
            ca__fd_new(ca__cur_loop, *parent_end[i]); /* new files: no registration of an old fd holds (io.c) */
            if (fcntl(*parent_end[i], F_SETFL, O_NONBLOCK) < 0)
                e = errno;
            else
                e = posix_spawn_file_actions_adddup2(&fa, child_end[i], i);
            break;
        }
        case CA_STDIO_NULL:
            e = posix_spawn_file_actions_addopen(&fa, i, "/dev/null", i == 0 ? O_RDONLY : O_WRONLY, 0);
            break;
        case CA_STDIO_FD:
            e = o->stdio[i].fd < 0 ? EBADF : posix_spawn_file_actions_adddup2(&fa, o->stdio[i].fd, i);
            break;
        default:
            e = EINVAL;
        }
    }
    if (!e && o->cwd)
        e = posix_spawn_file_actions_addchdir_np(&fa, o->cwd);
    /* The child starts with no signal blocked and every signal at its default:
       the loop's thread blocks the signals it awaits, and exec keeps masks. */
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    if (!e)
        e = posix_spawnattr_setsigmask(&at, &none);
    if (!e)
        e = posix_spawnattr_setsigdefault(&at, &all);
    if (!e)
        e = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = 0;
    if (!e)
        e = (strchr(o->file, '/') ? posix_spawn : posix_spawnp)(&pid, o->file, &fa, &at, o->argv,
                                                                o->envp ? o->envp : environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    for (int i = 0; i < 3; i++)
        close_fd(&child_end[i]);
    if (!e) {
        p->pidfd = pidfd_open(pid, 0);
        if (p->pidfd < 0)
            p->pidfd = NO_PIDFD;
    }
    if (e) {
        for (int i = 0; i < 3; i++)
            close_fd(parent_end[i]);
        return -e;
    }
    p->pid = pid;
    return 0;
}

int ca_process_kill(ca_process *p, int signo)
{
    if (!p)
        return -EINVAL;
    if (p->pidfd == NO_PIDFD) /* not reaped: the pid is still the child's */
        return kill(p->pid, signo) < 0 ? -errno : 0;
    if (p->pidfd < 0)
        return -ESRCH;
    return pidfd_send_signal(p->pidfd, signo, NULL, 0) < 0 ? -errno : 0;
}

/* The child has been reaped with status st. */
static void reaped(ca_process *p, int st)
{
    if (p->pidfd >= 0)
        close(p->pidfd);
    p->pidfd = -1;
    p->status = st;
}

/* Non-blocking reap: true once done. */
static bool try_reap(ca_process *p)
{
    int st;
    pid_t r = waitpid(p->pid, &st, WNOHANG);
    if (r == p->pid)
        reaped(p, st);
    else if (r < 0) /* reaped by someone else (waitpid(-1), SIGCHLD ignored) */
        reaped(p, -errno);
    return r != 0;
}

static void reaper_ready(ca_loop *l, struct ca__watch *w)
{
    struct ca__reaper *r = CA__CONTAINER(w, struct ca__reaper, watch);
    if (waitpid(r->pid, NULL, WNOHANG) == 0)
        return;
    ca__watch_del(l, r->pidfd);
    close(r->pidfd);
    if (r->prev)
        r->prev->next = r->next;
    else
        l->reapers = r->next;
    if (r->next)
        r->next->prev = r->prev;
    free(r);
}

/* Kill p's child and leave its reaping to the loop; p is done with it. */
static void kill_and_reap_later(ca_loop *l, ca_process *p)
{
    if (p->pidfd == NO_PIDFD) { /* nothing to watch: SIGKILL ends it at once, wait here */
        kill(p->pid, SIGKILL);
        waitpid(p->pid, NULL, 0);
        reaped(p, -ECHILD);
        return;
    }
    pidfd_send_signal(p->pidfd, SIGKILL, NULL, 0);
    struct ca__reaper *r = ca__malloc(sizeof *r);
    if (r) {
        r->watch.ready = reaper_ready;
        r->pid = p->pid;
        r->pidfd = p->pidfd;
        r->prev = NULL;
        r->next = l->reapers;
        if (ca__watch_add(l, r->pidfd, &r->watch) == 0) {
            if (l->reapers)
                l->reapers->prev = r;
            l->reapers = r;
            p->pidfd = -1;
            p->status = -ECHILD;
            return;
        }
        free(r);
    }
    waitpid(p->pid, NULL, 0); /* no memory: the child dies of SIGKILL at once, wait here */
    reaped(p, -ECHILD);
}

void ca__reapers_free(ca_loop *l)
{
    while (l->reapers) {
        struct ca__reaper *r = l->reapers;
        l->reapers = r->next;
        waitpid(r->pid, NULL, 0); /* killed already: it is gone or going */
        close(r->pidfd);
        free(r);
    }
}

static void proc_ready(ca_loop *l, struct ca__watch *w)
{
    struct proc_op *op = CA__CONTAINER(w, struct proc_op, watch);
    ca_process *p = op->p;
    /* Unwatched before try_reap closes it: a child being spawned may hold a
       copy of the pidfd until its exec, and the registration would live on. */
    ca__watch_del(l, p->pidfd);
    if (!try_reap(p)) {
        ca__watch_add(l, p->pidfd, w); /* not reapable yet after all */
        return;
    }
    p->waiter = NULL;
    ca__wop_wake(l, op->task, p->status);
}

static void proc_abort(ca_loop *l, ca_task *t)
{
    struct proc_op *op = (struct proc_op *)t->wait_fr;
    ca_process *p = op->p;
    ca__watch_del(l, p->pidfd);
    p->waiter = NULL;
    if (t->flags & CA__T_CANCELLED)
        kill_and_reap_later(l, p);
}

/* Without a pidfd: try waitpid, sleep, try again (backing off). */
struct poll_fr {
    ca_frame hdr;
    unsigned state;
    int r;
    unsigned ms;
    ca_process *p;
    int *ret;
};

static int poll_resume(ca_task *t, ca_frame *fr)
{
    struct poll_fr *F = (struct poll_fr *)fr;
    int r;
    for (;;) {
        if (F->state == 1 && F->r < 0) { /* the sleep was cancelled or timed out */
            r = F->r;
            if (r == -ECANCELED)
                kill_and_reap_later(ca__cur_loop, F->p);
            break;
        }
        if (try_reap(F->p)) {
            r = F->p->status;
            break;
        }
        F->state = 1;
        F->ms = F->ms ? (F->ms * 2 < POLL_MAX_MS ? F->ms * 2 : POLL_MAX_MS) : 1;
        int st = ca_sleep__ca_start(t, &F->hdr, &F->r, F->ms);
        if (st != CA_DONE)
            return st;
    }
    F->p->waiter = NULL;
    *F->ret = r;
    ca__frame_free(t, F);
    return CA_DONE;
}

static int poll_wait(ca_task *t, ca_frame *parent, int *ret, ca_process *p)
{
    struct poll_fr *F = CA__FRAME_NEW(t, struct poll_fr, poll_resume, parent);
    F->p = p;
    F->ret = ret;
    p->waiter = t;
    return poll_resume(t, &F->hdr);
}

int ca_process_wait__ca_start(ca_task *t, ca_frame *parent, int *ret, ca_process *p)
{
    ca_loop *l = ca__cur_loop;
    if (!p) {
        *ret = -EINVAL;
        return CA_DONE;
    }
    int e = ca__check(l, t);
    if (e == -ECANCELED && p->pidfd != -1 && !p->waiter)
        kill_and_reap_later(l, p);
    if (!e && p->waiter)
        e = -EBUSY;
    if (!e && p->pidfd == NO_PIDFD)
        return poll_wait(t, parent, ret, p);
    if (!e && p->pidfd >= 0 && !try_reap(p)) {
        struct proc_op *op = ca__op_alloc(t, sizeof *op, ca__wop_resume, parent);
        op->w.abort = proc_abort;
        op->watch.ready = proc_ready;
        op->p = p;
        op->task = t;
        e = ca__watch_add(l, p->pidfd, &op->watch);
        if (!e) {
            e = ca__wop_suspend(l, t, &op->w, ret, false);
            if (e)
                ca__watch_del(l, p->pidfd);
        }
        if (!e) {
            p->waiter = t;
            return CA_PENDING;
        }
        ca__op_free(t, &op->w.hdr);
    }
    *ret = e ? e : p->status;
    return CA_DONE;
}
