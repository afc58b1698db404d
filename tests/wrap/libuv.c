// cawait-wrap on libuv's uv.h: uv_getaddrinfo (several values: a struct),
// uv_fs_open and uv_fs_stat (a request whose data field carries the state;
// the result stays in the request), uv_timer_start (a handle; --once, as a
// NAME_start with a NAME_stop is a stream otherwise: libuv-stream.c). Checks the
// generated shape, then runs the wrappers with libuv's loop driven from
// cawait's, as samples/legacy/mixed_ping.c does.
// REQUIRES: libuv
// RUN: rm -rf %t && mkdir -p %t
// RUN: %cawait-wrap %uv_h --include "<uv.h>" --only uv_getaddrinfo,uv_fs_open,uv_fs_stat --once uv_timer_start -o %t/uv_wrap.c
// RUN: FileCheck --input-file=%t/uv_wrap.h %s --check-prefix=HDR
// RUN: FileCheck --input-file=%t/uv_wrap.c %s --check-prefix=SRC
// RUN: %cawait %t/uv_wrap.c -o %t/uv_wrap.out.c
// RUN: %strip-checks %s > %t/main.c
// RUN: %cawait %t/main.c -o %t/main.out.c -- -I%t
// RUN: %cc -I%t %t/main.out.c %t/uv_wrap.out.c %libcawait -luv -o %t/exe
// RUN: %t/exe %s | FileCheck %s --check-prefix=OUT
// RUN: %cc %asan -I%t %t/main.out.c %t/uv_wrap.out.c %libcawait -luv -o %t/asan
// RUN: %t/asan %s | FileCheck %s --check-prefix=OUT
//
// A function that is not callback-style is refused by name, at its declaration:
// RUN: not %cawait-wrap %uv_h --only uv_fs_stat,uv_queue_work,uv_loop_init,no_such_fn --once uv_read_start -o %t/bad.c 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not test -e %t/bad.c
// BAD-DAG: uv.h:{{[0-9]+}}:{{[0-9]+}}: error: cannot wrap 'uv_queue_work': it takes more than one callback (besides an allocator)
// BAD-DAG: uv.h:{{[0-9]+}}:{{[0-9]+}}: error: cannot wrap 'uv_read_start': it takes an allocator callback, for calls that fire many times: wrap it with --stream
// BAD-DAG: uv.h:{{[0-9]+}}:{{[0-9]+}}: error: cannot wrap 'uv_loop_init': it takes no callback (a function-pointer parameter)
// BAD: uv.h: error: no function 'no_such_fn' is declared

// HDR:      #include <uv.h>
// HDR:      async int uv_timer_start_async(uv_timer_t *handle, uint64_t timeout, uint64_t repeat);
// HDR:      int ca_err;
// HDR-NEXT: int status;
// HDR-NEXT: struct addrinfo *res;
// HDR-NEXT: } uv_getaddrinfo_result;
// HDR-NEXT: async uv_getaddrinfo_result uv_getaddrinfo_async(uv_loop_t *loop, uv_getaddrinfo_t *req, const char *node, const char *service, const struct addrinfo *hints);
// HDR:      async int uv_fs_open_async(uv_loop_t *loop, uv_fs_t *req, const char *path, int flags, int mode);
// HDR:      async int uv_fs_stat_async(uv_loop_t *loop, uv_fs_t *req, const char *path);

// SRC:      static void uv_timer_start__wrap_cb(uv_timer_t *handle)
// SRC:      int wrap_started = uv_timer_start(handle, uv_timer_start__wrap_cb, timeout, repeat);
// SRC:      static void uv_getaddrinfo__wrap_cb(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
// SRC-NEXT: {
// SRC-NEXT:     struct uv_getaddrinfo__wrap *w = req->data;
// SRC-NEXT:     if (!w)
// SRC-NEXT:         return;
// SRC-NEXT:     req->data = NULL;
// SRC-NEXT:     w->res.status = status;
// SRC-NEXT:     w->res.res = res;
// SRC-NEXT:     ca_future_resolve(&w->done, 0);
// SRC:      req->data = wrap_w;
// SRC-NEXT: int wrap_started = uv_getaddrinfo(loop, req, uv_getaddrinfo__wrap_cb, node, service, hints);

#include "uv_wrap.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>

static uv_loop_t *loop;
static bool done;
static uv_timer_t timer; /* libuv keeps it until its close callback, after the tasks end */

/* Run libuv's loop inside cawait's until the work is done (samples/legacy/mixed_ping.c). */
static async void drive_libuv(void)
{
    while (!done) {
        if (!uv_loop_alive(loop)) { /* between two requests of the task */
            await ca_yield();
            continue;
        }
        int timeout = uv_backend_timeout(loop);
        if (timeout != 0) {
            uint64_t old = ca_deadline_set(timeout > 0 ? ca_now() + (uint64_t)timeout : CA_NEVER);
            await ca_wait_readable(uv_backend_fd(loop));
            ca_deadline_set(old);
        }
        uv_run(loop, UV_RUN_NOWAIT);
    }
}

static async int work(const char *path)
{
    uv_timer_init(loop, &timer);
    uint64_t before = uv_now(loop);
    int r = await uv_timer_start_async(&timer, 20, 0);
    printf("timer: %d, at least 20 ms: %s\n", r, uv_now(loop) - before >= 20 ? "yes" : "no");
    // OUT: timer: 0, at least 20 ms: yes
    uv_close((uv_handle_t *)&timer, NULL);

    uv_fs_t req;
    r = await uv_fs_stat_async(loop, &req, path);
    printf("stat: %d, result %d, size matches: %s\n", r, (int)req.result,
           req.statbuf.st_size > 1000 ? "yes" : "no");
    // OUT-NEXT: stat: 0, result 0, size matches: yes
    uv_fs_req_cleanup(&req);
    r = await uv_fs_open_async(loop, &req, "/nonexistent/file", O_RDONLY, 0);
    printf("open: %d, result %s\n", r, uv_err_name((int)req.result));
    // OUT-NEXT: open: 0, result ENOENT
    uv_fs_req_cleanup(&req);

    uv_getaddrinfo_t gai;
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM};
    uv_getaddrinfo_result g = await uv_getaddrinfo_async(loop, &gai, "localhost", "80", &hints);
    struct sockaddr_in *sin = g.ca_err == 0 && g.status == 0 ? (struct sockaddr_in *)g.res->ai_addr : NULL;
    printf("getaddrinfo: %d %d, port %d\n", g.ca_err, g.status, sin ? ntohs(sin->sin_port) : -1);
    // OUT-NEXT: getaddrinfo: 0 0, port 80
    uv_freeaddrinfo(g.res);
    done = true;
    return 0;
}

static async int run(const char *path)
{
    ca_task *libuv = ca_spawn(drive_libuv());
    int r = await work(path);
    await ca_join(libuv);
    return r;
}

int main(int argc, char **argv)
{
    (void)argc;
    loop = uv_default_loop();
    int r = ca_run(run(argv[1]));
    uv_run(loop, UV_RUN_DEFAULT); /* the timer's close callback */
    return r || uv_loop_close(loop) != 0;
}
