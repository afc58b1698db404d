/*
 * Signals as events: ca_signal_wait(SIGTERM) waits until SIGTERM arrives.
 *
 * The first wait for a signal makes it the loop's: the loop's thread
 * blocks it and reads it from a signalfd (aux.c watches it), and a handler
 * is installed that forwards the signal to the loop's thread (tgkill) if
 * the kernel delivers it to another thread that does not block it (a
 * thread the program started before the first wait). The pool's threads
 * block every signal from their start (pool.c), whatever the order.
 * A signal stays the loop's until ca_loop_close, which gives it back (old
 * handler, old mask): so a signal that arrives while no task waits for it
 * stays pending (standard signals coalesce into one) and the next wait gets
 * it, instead of killing the program between two waits.
 *
 * The signalfd's mask is the union of what the waiting tasks wait for, so
 * the kernel keeps every other signal pending for a later wait; every task
 * that waits for a signal when it is read is woken with it. One signal is
 * read at a time, and the mask follows the waiters after each, so a signal
 * is never read for nobody.
 *
 * One loop at a time owns a signal in the process: a wait for a signal that
 * another thread's loop owns fails with -EBUSY.
 */
#include "internal.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NSIGS 64 /* 1..64, a bit each */
/* clang-format would take (s) for a cast */
/* clang-format off */
#define BIT(s) ((uint64_t)1 << ((s) - 1))
/* clang-format on */

/* The thread whose loop owns each signal (0: none); read by the handler. */
static pid_t owner[NSIGS + 1];

struct sig_op {
    struct ca__wop w;
    struct sig_op *prev, *next;
    ca_task *task;
    uint64_t mask;
};
_Static_assert(sizeof(struct sig_op) <= CA__OP_FRAME_MAX, "abi.h bounds op frames");

struct ca__signals {
    int fd;
    struct ca__watch watch;
    uint64_t owned;             /* blocked in this thread, handled by this loop */
    uint64_t preblocked;        /* of those, the ones the thread blocked already (left blocked at the end) */
    uint64_t fdmask;            /* the signalfd's mask */
    struct sig_op *head, *tail; /* the waiters, oldest first (woken in that order) */
    struct sigaction old[NSIGS + 1];
};

static bool awaitable(int s)
{
    if (s < 1 || s > NSIGS || s > SIGRTMAX)
        return false;
    if (s >= 32 && s < SIGRTMIN) /* glibc's own (thread cancellation, setxid) */
        return false;
    /* Cannot be caught, or mean a fault in the thread that gets them. */
    return s != SIGKILL && s != SIGSTOP && s != SIGSEGV && s != SIGBUS && s != SIGILL && s != SIGFPE;
}

static void to_set(uint64_t mask, sigset_t *set)
{
    sigemptyset(set);
    for (int s = 1; s <= NSIGS; s++)
        if (mask & BIT(s))
            sigaddset(set, s);
}

/* Runs in a thread that does not block the signal: hand it to the owner's thread. */
static void forward(int signo)
{
    int saved = errno;
    pid_t tid = __atomic_load_n(&owner[signo], __ATOMIC_ACQUIRE);
    if (tid)
        syscall(SYS_tgkill, getpid(), tid, signo);
    errno = saved;
}

/* The signalfd's mask follows the waiters. */
static void sync_mask(struct ca__signals *g)
{
    uint64_t m = 0;
    for (struct sig_op *op = g->head; op; op = op->next)
        m |= op->mask;
    if (m == g->fdmask)
        return;
    sigset_t set;
    to_set(m, &set);
    if (signalfd(g->fd, &set, 0) >= 0)
        g->fdmask = m;
}

static void unlink_op(struct ca__signals *g, struct sig_op *op)
{
    if (op->prev)
        op->prev->next = op->next;
    else
        g->head = op->next;
    if (op->next)
        op->next->prev = op->prev;
    else
        g->tail = op->prev;
}

static void on_readable(ca_loop *l, struct ca__watch *w)
{
    struct ca__signals *g = CA__CONTAINER(w, struct ca__signals, watch);
    struct signalfd_siginfo si;
    while (g->fdmask && read(g->fd, &si, sizeof si) == (ssize_t)sizeof si) {
        int s = (int)si.ssi_signo;
        if (s < 1 || s > NSIGS)
            continue;
        for (struct sig_op *op = g->head, *next; op; op = next) {
            next = op->next;
            if (op->mask & BIT(s)) {
                unlink_op(g, op);
                ca__wop_wake(l, op->task, s);
            }
        }
        sync_mask(g);
    }
}

static void sig_abort(ca_loop *l, ca_task *t)
{
    unlink_op(l->signals, (struct sig_op *)t->wait_fr);
    sync_mask(l->signals);
}

static struct ca__signals *signals_get(ca_loop *l)
{
    if (l->signals)
        return l->signals;
    struct ca__signals *g = ca__calloc(1, sizeof *g);
    if (!g)
        return NULL;
    sigset_t none;
    sigemptyset(&none);
    g->fd = signalfd(-1, &none, SFD_NONBLOCK | SFD_CLOEXEC);
    g->watch.ready = on_readable;
    if (g->fd < 0 || ca__watch_add(l, g->fd, &g->watch) < 0) {
        if (g->fd >= 0)
            close(g->fd);
        free(g);
        return NULL;
    }
    return l->signals = g;
}

/* Make the signals of mask the loop's: 0, -EBUSY (another loop's), -errno. */
static int own(struct ca__signals *g, uint64_t mask)
{
    pid_t tid = gettid();
    uint64_t claimed = 0;
    for (int s = 1; s <= NSIGS; s++) {
        if (!(mask & BIT(s)) || (g->owned & BIT(s)))
            continue;
        pid_t none = 0;
        if (!__atomic_compare_exchange_n(&owner[s], &none, tid, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            for (int c = 1; c <= NSIGS; c++) /* undo this call's claims */
                if (claimed & BIT(c))
                    __atomic_store_n(&owner[c], 0, __ATOMIC_RELEASE);
            return -EBUSY;
        }
        claimed |= BIT(s);
    }
    if (!claimed)
        return 0;
    sigset_t set, before;
    to_set(claimed, &set);
    pthread_sigmask(SIG_BLOCK, &set, &before);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward;
    sa.sa_flags = SA_RESTART;
    sigfillset(&sa.sa_mask);
    for (int s = 1; s <= NSIGS; s++) {
        if (!(claimed & BIT(s)))
            continue;
        if (sigismember(&before, s))
            g->preblocked |= BIT(s);
        sigaction(s, &sa, &g->old[s]);
    }
    g->owned |= claimed;
    return 0;
}

void ca__signals_free(ca_loop *l)
{
    struct ca__signals *g = l->signals;
    if (!g)
        return;
    ca__watch_del(l, g->fd);
    close(g->fd);
    for (int s = 1; s <= NSIGS; s++) {
        if (g->owned & BIT(s)) {
            sigaction(s, &g->old[s], NULL);
            __atomic_store_n(&owner[s], 0, __ATOMIC_RELEASE);
        }
    }
    /* Last: a signal still pending is delivered now, to the program's own disposition. */
    sigset_t set;
    to_set(g->owned & ~g->preblocked, &set);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    free(g);
    l->signals = NULL;
}

static int wait_mask(ca_task *t, ca_frame *parent, int *ret, uint64_t mask)
{
    ca_loop *l = ca__cur_loop;
    int e = ca__check(l, t);
    struct ca__signals *g = NULL;
    if (!e && !(g = signals_get(l)))
        e = -ENOMEM;
    if (!e)
        e = own(g, mask);
    if (e) {
        *ret = e;
        return CA_DONE;
    }
    struct sig_op *op = ca__op_alloc(t, sizeof *op, ca__wop_resume, parent);
    op->w.abort = sig_abort;
    op->task = t;
    op->mask = mask;
    e = ca__wop_suspend(l, t, &op->w, ret, false);
    if (e) {
        ca__op_free(t, &op->w.hdr);
        *ret = e;
        return CA_DONE;
    }
    op->next = NULL;
    op->prev = g->tail;
    if (g->tail)
        g->tail->next = op;
    else
        g->head = op;
    g->tail = op;
    sync_mask(g); /* a signal already pending makes the signalfd readable at once */
    return CA_PENDING;
}

int ca_signal_wait__ca_start(ca_task *t, ca_frame *parent, int *ret, int signo)
{
    if (!awaitable(signo)) {
        *ret = -EINVAL;
        return CA_DONE;
    }
    return wait_mask(t, parent, ret, BIT(signo));
}

int ca_signal_wait_any__ca_start(ca_task *t, ca_frame *parent, int *ret, const sigset_t *set)
{
    uint64_t mask = 0;
    for (int s = 1; set && s <= NSIGS; s++) {
        if (sigismember(set, s) == 1) {
            if (!awaitable(s)) {
                *ret = -EINVAL;
                return CA_DONE;
            }
            mask |= BIT(s);
        }
    }
    if (!mask) {
        *ret = -EINVAL;
        return CA_DONE;
    }
    return wait_mask(t, parent, ret, mask);
}
