/*
 * Half-way through the conversion: the server is still the libuv callback
 * code of uv_server.c, unchanged; the client is the converted one
 * (ca_client.c). Both run on one thread, on one loop.
 *
 * Which loop drives which: cawait's drives libuv's. libuv exposes its
 * epoll descriptor (uv_backend_fd), which becomes readable when any libuv
 * handle has an event, and the time until its next timer
 * (uv_backend_timeout); one task waits for that descriptor, with the timer
 * as a deadline, and then runs one non-blocking turn of libuv
 * (UV_RUN_NOWAIT). The other way round would need cawait's epoll
 * descriptor, which the runtime does not expose, and the converted code,
 * which grows, is the one that should own the thread.
 *
 * The client's resolver shows the other half of a gradual conversion:
 * async code calling a callback API that is still libuv's. The callback
 * resolves a ca_future, which the task awaits.
 */
#include "ca_client.h"
#include "uv_server.h"

#include <stdio.h>

static uv_loop_t *loop;

/* Run libuv's loop inside cawait's until libuv has nothing left to do. */
static async void drive_libuv(void)
{
    while (uv_loop_alive(loop)) {
        int timeout = uv_backend_timeout(loop); /* ms; -1: no timer; 0: work is pending */
        if (timeout != 0) {
            uint64_t old = ca_deadline_set(timeout > 0 ? ca_now() + (uint64_t)timeout : CA_NEVER);
            int r = await ca_wait_readable(uv_backend_fd(loop));
            ca_deadline_set(old);
            if (r == -ECANCELED)
                return;
        }
        uv_run(loop, UV_RUN_NOWAIT);
    }
}

/* uv_getaddrinfo as an awaitable. The task must not be cancelled while it
 * waits: the request (in this frame) stays libuv's until its callback. */
struct lookup {
    uv_getaddrinfo_t req;
    ca_future done;
    struct addrinfo *res;
};

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
    struct lookup *l = req->data;
    l->res = res;
    ca_future_resolve(&l->done, status);
}

async int resolve(const char *host, const char *port, struct addrinfo **res)
{
    struct lookup l = {.res = NULL};
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM};
    ca_future_init(&l.done);
    l.req.data = &l;
    int r = uv_getaddrinfo(loop, &l.req, on_resolved, host, port, &hints);
    if (r == 0)
        r = (int)await ca_future_wait(&l.done);
    *res = l.res;
    return r;
}

static async int ping(const char *port)
{
    ca_task *libuv = ca_spawn(drive_libuv());
    int r = await ping_client(port);
    await ca_join(libuv); /* until the libuv server has closed everything */
    return r;
}

int main(void)
{
    loop = uv_default_loop();
    int port;
    if (uv_server_start(loop, &port) != 0)
        return 1;
    char port_str[8];
    snprintf(port_str, sizeof port_str, "%d", port);
    int r = ca_run(ping(port_str));
    return r || uv_loop_close(loop) != 0;
}
