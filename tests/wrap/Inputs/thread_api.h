/* A callback-style API whose callbacks run on a thread of its own (tests/wrap). */
#ifndef THREAD_API_H
#define THREAD_API_H

#include <pthread.h>
#include <stdbool.h>

/* Several values: the wrapper returns a struct of them. */
typedef void (*ta_divide_cb)(void *ud, int status, long quotient, const char *text);
/* 0, then cb(ud, 0, a / b, "a/b") on another thread; -1 at once (no callback) when b == 0. */
int ta_divide(long a, long b, ta_divide_cb cb, void *ud);

/* One integer value: the wrapper returns it. The user data comes first here. */
void ta_square(void *ud, int x, void (*cb)(int result, void *ud));

/* A handle whose data field carries the user data, as libuv's do. */
typedef struct ta_req {
    void *data;
    int input;
    int output;
} ta_req;
typedef void (*ta_req_cb)(ta_req *req);
/* 0, then req->output = req->input + 1 and cb(req) on another thread. */
int ta_increment(ta_req *req, ta_req_cb cb);

/* Not callback-style: no user data comes back to the callback. */
int ta_no_user_data(void (*cb)(int));

/*
 * A callback that fires many times, from a thread of its own: 0, then
 * cb(ud, i, steps, "step i") for i = 1..steps, one every interval_ms
 * milliseconds, until ta_progress_stop. The string is freed when cb
 * returns. A NAME_start with a NAME_stop: a stream.
 */
typedef void (*ta_progress_cb)(void *ud, int done, int total, const char *what);
typedef struct ta_progress {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stopping, joined;
    int steps;
    unsigned interval_ms;
    ta_progress_cb cb;
    void *ud;
} ta_progress;
int ta_progress_start(ta_progress *p, int steps, unsigned interval_ms, ta_progress_cb cb, void *ud);
/* Once it returns no callback runs any more: it wakes the thread and joins it. */
void ta_progress_stop(ta_progress *p);
/* Wait until every call has been made (ta_progress_stop is still needed). */
void ta_progress_wait(ta_progress *p);

/* A NAME_start without a NAME_stop: once or many times? (Declared only for cawait-wrap's diagnostic.) */
int ta_watch_start(int fd, void (*cb)(void *ud, int events), void *ud);

#endif
