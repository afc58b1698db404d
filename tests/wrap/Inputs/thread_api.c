/* The API of thread_api.h: each call starts a thread that sleeps a little, then calls back. */
#include "thread_api.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct job {
    void (*run)(struct job *);
    long a, b;
    void *ud;
    void *cb;
};

static void *thread_main(void *arg)
{
    struct job *j = arg;
    nanosleep(&(struct timespec){0, 2000000}, NULL); /* long enough that the task really waits */
    j->run(j);
    free(j);
    return NULL;
}

static int start(void (*run)(struct job *), long a, long b, void *ud, void *cb)
{
    struct job *j = malloc(sizeof *j);
    *j = (struct job){run, a, b, ud, cb};
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int r = pthread_create(&t, &attr, thread_main, j);
    pthread_attr_destroy(&attr);
    if (r != 0)
        free(j);
    return r;
}

static void run_divide(struct job *j)
{
    ((ta_divide_cb)j->cb)(j->ud, 0, j->a / j->b, "a/b");
}

int ta_divide(long a, long b, ta_divide_cb cb, void *ud)
{
    if (b == 0)
        return -1;
    return start(run_divide, a, b, ud, (void *)cb);
}

static void run_square(struct job *j)
{
    ((void (*)(int, void *))j->cb)((int)(j->a * j->a), j->ud);
}

void ta_square(void *ud, int x, void (*cb)(int result, void *ud))
{
    start(run_square, x, 0, ud, (void *)cb);
}

static void run_increment(struct job *j)
{
    ta_req *req = j->ud;
    req->output = req->input + 1;
    ((ta_req_cb)j->cb)(req);
}

int ta_increment(ta_req *req, ta_req_cb cb)
{
    return start(run_increment, 0, 0, req, (void *)cb);
}

int ta_no_user_data(void (*cb)(int))
{
    cb(0);
    return 0;
}

/* Until p->stopping or ms have passed; p->mu held. */
static void nap(ta_progress *p, unsigned ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000 + (until.tv_nsec + (long)(ms % 1000) * 1000000) / 1000000000;
    until.tv_nsec = (until.tv_nsec + (long)(ms % 1000) * 1000000) % 1000000000;
    while (!p->stopping && pthread_cond_timedwait(&p->cv, &p->mu, &until) == 0)
        ;
}

static void *progress_main(void *arg)
{
    ta_progress *p = arg;
    pthread_mutex_lock(&p->mu);
    for (int i = 1; i <= p->steps && !p->stopping; i++) {
        if (p->interval_ms)
            nap(p, p->interval_ms);
        if (p->stopping)
            break;
        pthread_mutex_unlock(&p->mu);
        char *what = malloc(16);
        snprintf(what, 16, "step %d", i);
        p->cb(p->ud, i, p->steps, what);
        free(what);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int ta_progress_start(ta_progress *p, int steps, unsigned interval_ms, ta_progress_cb cb, void *ud)
{
    *p = (ta_progress){.steps = steps, .interval_ms = interval_ms, .cb = cb, .ud = ud};
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    int r = pthread_create(&p->thread, NULL, progress_main, p);
    if (r != 0) {
        pthread_cond_destroy(&p->cv);
        pthread_mutex_destroy(&p->mu);
    }
    return r;
}

void ta_progress_wait(ta_progress *p)
{
    pthread_join(p->thread, NULL);
    p->joined = true;
}

void ta_progress_stop(ta_progress *p)
{
    pthread_mutex_lock(&p->mu);
    p->stopping = true;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    if (!p->joined)
        pthread_join(p->thread, NULL);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
}
