/* A callback-style API whose callbacks run on a thread of its own (tests/wrap). */
#ifndef THREAD_API_H
#define THREAD_API_H

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

#endif
