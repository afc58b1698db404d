/* The API of thread_api.h: each call starts a thread that sleeps a little, then calls back. */
#include "thread_api.h"

#include <pthread.h>
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
