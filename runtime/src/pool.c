/*
 * The thread pool of a loop: pool_size threads (default 4), started on the
 * first ca_blocking of the loop and joined by ca_loop_close.
 *
 * A job is malloc'd, queued under the pool mutex, run by a worker, and
 * completed through a future embedded in the job (future.c wakes the task on
 * the loop thread via the loop's eventfd). The job has two references, the
 * worker's and the loop's; the loop drops its own when the task resumes or
 * its wait is aborted, so a cancelled task never leaves the worker writing
 * to freed memory. Jobs still queued when the loop closes run before the
 * workers exit.
 *
 * Workers start with every signal blocked (a thread inherits its creator's
 * mask), so a signal meant for the program is never handled on the pool,
 * whether the pool starts before or after the program awaits the signal.
 */
#include "internal.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_POOL 256

struct job {
    struct job *next;
    intptr_t (*fn)(void *);
    void *arg;
    ca_future fut;
    int refs;
    /* ca_pread / ca_pwrite */
    int fd;
    void *buf;
    size_t len;
    off_t off;
};

struct ca__pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct job *head, *tail;
    int stop;
    unsigned n;
    pthread_t th[];
};

static void job_unref(struct job *j)
{
    if (__atomic_sub_fetch(&j->refs, 1, __ATOMIC_ACQ_REL) == 0)
        free(j);
}

void ca__blocking_done(ca_future *f)
{
    job_unref(CA__CONTAINER(f, struct job, fut));
}

static void *worker(void *arg)
{
    struct ca__pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->head && !p->stop)
            pthread_cond_wait(&p->cv, &p->mu);
        struct job *j = p->head;
        if (!j)
            break;
        p->head = j->next;
        if (!p->head)
            p->tail = NULL;
        pthread_mutex_unlock(&p->mu);
        ca_future_resolve(&j->fut, j->fn(j->arg));
        job_unref(j);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static int pool_start(ca_loop *l)
{
    struct ca__pool *p = ca__calloc(1, sizeof *p + l->pool_size * sizeof(pthread_t));
    if (!p)
        return -ENOMEM;
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p);
        return -ENOMEM;
    }
    if (pthread_cond_init(&p->cv, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        free(p);
        return -ENOMEM;
    }
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    while (p->n < l->pool_size && pthread_create(&p->th[p->n], NULL, worker, p) == 0)
        p->n++;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (p->n == 0) {
        pthread_cond_destroy(&p->cv);
        pthread_mutex_destroy(&p->mu);
        free(p);
        return -EAGAIN;
    }
    l->pool_size = p->n;
    l->pool = p;
    return 0;
}

void ca__pool_free(ca_loop *l)
{
    struct ca__pool *p = l->pool;
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < p->n; i++)
        pthread_join(p->th[i], NULL);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
    l->pool = NULL;
}

int ca_loop_set_pool_size(unsigned n)
{
    ca_loop *l = ca__loop();
    if (!l)
        return -ENOMEM;
    if (l->pool)
        return -EBUSY;
    if (n == 0 || n > MAX_POOL)
        return -EINVAL;
    l->pool_size = n;
    return 0;
}

/* Queue j on the loop's pool (starting it) and wait for its future. */
static int submit_and_wait(ca_task *t, ca_frame *parent, intptr_t *ret, struct job *j, bool *queued)
{
    ca_loop *l = ca__cur_loop;
    int e = l->pool ? 0 : pool_start(l);
    if (e) {
        free(j);
        *ret = e;
        return CA_DONE;
    }
    if (queued)
        *queued = true;
    ca_future_init(&j->fut);
    j->refs = 2;
    j->next = NULL;
    struct ca__pool *p = l->pool;
    pthread_mutex_lock(&p->mu);
    if (p->tail)
        p->tail->next = j;
    else
        p->head = j;
    p->tail = j;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    int r = ca__future_wait(l, t, parent, ret, &j->fut, CA__W_BLOCKING);
    if (r == CA_DONE)
        job_unref(j);
    return r;
}

int ca_blocking__ca_start(ca_task *t, ca_frame *parent, intptr_t *ret, intptr_t (*fn)(void *), void *arg)
{
    return ca__blocking(t, parent, ret, fn, arg, NULL);
}

int ca__blocking(ca_task *t, ca_frame *parent, intptr_t *ret, intptr_t (*fn)(void *), void *arg, bool *queued)
{
    if (queued)
        *queued = false;
    int e = ca__check(ca__cur_loop, t);
    if (e || !fn) {
        *ret = e ? e : -EINVAL;
        return CA_DONE;
    }
    struct job *j = ca__malloc(sizeof *j);
    if (!j) {
        *ret = -ENOMEM;
        return CA_DONE;
    }
    j->fn = fn;
    j->arg = arg;
    return submit_and_wait(t, parent, ret, j, queued);
}

void *ca__block_new(size_t size, void (*run)(struct ca__block *self))
{
    struct ca__block *b = size >= sizeof *b ? ca__calloc(1, size) : NULL;
    if (b) {
        b->run = run;
        b->refs = 2; /* the awaiting frame's and the pool's */
    }
    return b;
}

void ca__block_release(struct ca__block *b)
{
    if (b && __atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) == 0)
        free(b);
}

static intptr_t run_block(void *arg)
{
    struct ca__block *b = arg;
    b->run(b);
    ca__block_release(b);
    return 0;
}

int ca__blocking_block__ca_start(ca_task *t, ca_frame *parent, intptr_t *ret, struct ca__block *b)
{
    if (!b) {
        *ret = -ENOMEM;
        return CA_DONE;
    }
    int r = ca_blocking__ca_start(t, parent, ret, run_block, b);
    if (r == CA_DONE && *ret != 0) /* it never reached the pool: drop the pool's reference */
        ca__block_release(b);
    return r;
}

static intptr_t do_pread(void *arg)
{
    struct job *j = arg;
    ssize_t n = pread(j->fd, j->buf, j->len, j->off);
    return n < 0 ? -errno : n;
}

static intptr_t do_pwrite(void *arg)
{
    struct job *j = arg;
    ssize_t n = pwrite(j->fd, j->buf, j->len, j->off);
    return n < 0 ? -errno : n;
}

static int file_op(ca_task *t, ca_frame *parent, ssize_t *ret, intptr_t (*fn)(void *), int fd, void *buf, size_t len,
                   off_t off)
{
    _Static_assert(sizeof(ssize_t) == sizeof(intptr_t), "ssize_t results travel as intptr_t");
    int e = ca__check(ca__cur_loop, t);
    if (e) {
        *ret = e;
        return CA_DONE;
    }
    struct job *j = ca__malloc(sizeof *j);
    if (!j) {
        *ret = -ENOMEM;
        return CA_DONE;
    }
    j->fn = fn;
    j->arg = j;
    j->fd = fd;
    j->buf = buf;
    j->len = len;
    j->off = off;
    return submit_and_wait(t, parent, (intptr_t *)ret, j, NULL);
}

int ca_pread__ca_start(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, void *buf, size_t len, off_t off)
{
    return file_op(t, parent, ret, do_pread, fd, buf, len, off);
}

int ca_pwrite__ca_start(ca_task *t, ca_frame *parent, ssize_t *ret, int fd, const void *buf, size_t len, off_t off)
{
    return file_op(t, parent, ret, do_pwrite, fd, (void *)buf, len, off);
}
