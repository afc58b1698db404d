/*
 * The legacy program, all libuv callbacks: resolve "localhost", connect
 * to the server (uv_server.c), send "ping N" three times, 20 ms apart, each
 * after the previous answer came back, then close.
 *   resolve -> connect -> write -> read (until '\n') -> timer -> write ...
 *
 * Expected output (of this program, ca_ping.c and mixed_ping.c alike):
 *   resolved localhost
 *   connected
 *   PING 1
 *   PING 2
 *   PING 3
 *   client: done
 *   server: client left
 */
#include "uv_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uv_loop_t *loop;
static uv_getaddrinfo_t resolver;
static uv_connect_t connect_req;
static uv_tcp_t sock;
static uv_timer_t timer;
static uv_write_t write_req;
static char port_str[8], line[64], reply[64];
static size_t reply_len;
static int pings;

static void send_ping(void);

static void on_timer(uv_timer_t *t)
{
    (void)t;
    send_ping();
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
    (void)h, (void)hint;
    *buf = uv_buf_init(reply + reply_len, (unsigned)(sizeof reply - 1 - reply_len));
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    (void)buf;
    if (n < 0) {
        fprintf(stderr, "client: read: %s\n", uv_strerror((int)n));
        uv_close((uv_handle_t *)s, NULL);
        uv_close((uv_handle_t *)&timer, NULL);
        return;
    }
    reply_len += (size_t)n;
    char *nl = memchr(reply, '\n', reply_len);
    if (!nl)
        return; /* not the whole line yet */
    printf("%.*s\n", (int)(nl - reply), reply);
    reply_len = 0;
    uv_read_stop(s);
    if (pings < 3) {
        uv_timer_start(&timer, on_timer, 20, 0);
    } else {
        printf("client: done\n");
        uv_close((uv_handle_t *)s, NULL);
        uv_close((uv_handle_t *)&timer, NULL);
    }
}

static void on_write(uv_write_t *req, int status)
{
    if (status < 0) {
        fprintf(stderr, "client: write: %s\n", uv_strerror(status));
        return;
    }
    uv_read_start(req->handle, on_alloc, on_read);
}

static void send_ping(void)
{
    snprintf(line, sizeof line, "ping %d\n", ++pings);
    uv_buf_t b = uv_buf_init(line, (unsigned)strlen(line));
    uv_write(&write_req, (uv_stream_t *)&sock, &b, 1, on_write);
}

static void on_connect(uv_connect_t *req, int status)
{
    (void)req;
    if (status < 0) {
        fprintf(stderr, "client: connect: %s\n", uv_strerror(status));
        uv_close((uv_handle_t *)&sock, NULL);
        uv_close((uv_handle_t *)&timer, NULL);
        return;
    }
    printf("connected\n");
    send_ping();
}

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
    (void)req;
    if (status < 0) {
        fprintf(stderr, "client: resolve: %s\n", uv_strerror(status));
        uv_close((uv_handle_t *)&timer, NULL);
        return;
    }
    printf("resolved localhost\n");
    uv_tcp_init(loop, &sock);
    uv_tcp_connect(&connect_req, &sock, res->ai_addr, on_connect);
    uv_freeaddrinfo(res);
}

int main(void)
{
    loop = uv_default_loop();
    int port;
    if (uv_server_start(loop, &port) != 0)
        return 1;
    snprintf(port_str, sizeof port_str, "%d", port);
    uv_timer_init(loop, &timer);
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM};
    uv_getaddrinfo(loop, &resolver, on_resolved, "localhost", port_str, &hints);
    uv_run(loop, UV_RUN_DEFAULT);
    return uv_loop_close(loop) != 0;
}
