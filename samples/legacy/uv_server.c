/*
 * The legacy server, as libuv programs are written: each step is a
 * callback that starts the next. It serves one client: every byte read is
 * written back upper-cased; when the client leaves, everything is closed.
 */
#include "uv_server.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

static uv_tcp_t listener;
static uv_tcp_t client;

struct write_req {
    uv_write_t req;
    char data[];
};

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
    (void)h;
    buf->base = malloc(hint);
    buf->len = buf->base ? hint : 0;
}

static void on_written(uv_write_t *req, int status)
{
    (void)status;
    free(req->data);
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    if (n > 0) {
        struct write_req *w = malloc(sizeof *w + (size_t)n);
        for (ssize_t i = 0; i < n; i++)
            w->data[i] = (char)toupper((unsigned char)buf->base[i]);
        w->req.data = w;
        uv_buf_t out = uv_buf_init(w->data, (unsigned)n);
        uv_write(&w->req, s, &out, 1, on_written);
    } else if (n < 0) {
        printf("server: client left\n");
        uv_close((uv_handle_t *)s, NULL);
        uv_close((uv_handle_t *)&listener, NULL);
    }
    free(buf->base);
}

static void on_connection(uv_stream_t *l, int status)
{
    if (status < 0)
        return;
    uv_tcp_init(l->loop, &client);
    if (uv_accept(l, (uv_stream_t *)&client) == 0)
        uv_read_start((uv_stream_t *)&client, on_alloc, on_read);
    else
        uv_close((uv_handle_t *)&client, NULL);
}

int uv_server_start(uv_loop_t *loop, int *port)
{
    struct sockaddr_in addr;
    int len = sizeof addr;
    uv_ip4_addr("127.0.0.1", 0, &addr);
    uv_tcp_init(loop, &listener);
    int e = uv_tcp_bind(&listener, (const struct sockaddr *)&addr, 0);
    if (!e)
        e = uv_listen((uv_stream_t *)&listener, 16, on_connection);
    if (!e)
        e = uv_tcp_getsockname(&listener, (struct sockaddr *)&addr, &len);
    *port = ntohs(addr.sin_port);
    return e;
}
