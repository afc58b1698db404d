/*
 * The libuv peer: one loop, uv_read_start per connection, responses written
 * with uv_try_write (uv_write for what the socket does not take at once).
 *   usage: uv_httpd PORT
 */
#include "peer_common.h"

#include <stdlib.h>
#include <string.h>
#include <uv.h>

struct conn {
    uv_tcp_t tcp;
    char in[4096];
    struct peer_conn pc;
};

struct pending_write {
    uv_write_t req;
    char data[];
};

static void on_close(uv_handle_t *h)
{
    free(h->data);
}

static void on_written(uv_write_t *req, int status)
{
    (void)status;
    free(req->data);
}

static void alloc_in(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
    struct conn *c = h->data;
    (void)hint;
    *buf = uv_buf_init(c->in, sizeof c->in);
}

/* Write out c's responses: what the socket does not take now is queued. */
static void flush(struct conn *c)
{
    uv_buf_t b = uv_buf_init(c->pc.out, (unsigned)c->pc.out_len);
    int n = c->pc.out_len ? uv_try_write((uv_stream_t *)&c->tcp, &b, 1) : 0;
    if (n == UV_EAGAIN)
        n = 0;
    if (n >= 0 && (size_t)n < c->pc.out_len) {
        size_t rest = c->pc.out_len - (size_t)n;
        struct pending_write *w = malloc(sizeof *w + rest);
        memcpy(w->data, c->pc.out + n, rest);
        w->req.data = w;
        uv_buf_t rb = uv_buf_init(w->data, (unsigned)rest);
        uv_write(&w->req, (uv_stream_t *)&c->tcp, &rb, 1, on_written);
    }
    c->pc.out_len = 0;
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct conn *c = s->data;
    if (n < 0) {
        uv_close((uv_handle_t *)s, on_close);
        return;
    }
    size_t off = 0;
    while (off < (size_t)n) {
        size_t used;
        int full = peer_feed(&c->pc, buf->base + off, (size_t)n - off, &used);
        off += used;
        if (full)
            flush(c);
    }
    flush(c);
    if (c->pc.close_after) {
        uv_read_stop(s);
        uv_close((uv_handle_t *)s, on_close); /* queued writes are cancelled: not for a benchmark */
    }
}

static void on_connection(uv_stream_t *server, int status)
{
    if (status < 0)
        return;
    struct conn *c = malloc(sizeof *c);
    uv_tcp_init(server->loop, &c->tcp);
    c->tcp.data = c;
    peer_conn_init(&c->pc);
    if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0) {
        uv_close((uv_handle_t *)&c->tcp, on_close);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1); /* as httpd and nginx */
    uv_read_start((uv_stream_t *)&c->tcp, alloc_in, on_read);
}

int main(int argc, char **argv)
{
    uv_loop_t *loop = uv_default_loop();
    uv_tcp_t server;
    struct sockaddr_in addr;
    uv_ip4_addr("127.0.0.1", argc > 1 ? atoi(argv[1]) : 8080, &addr);
    uv_tcp_init(loop, &server);
    if (uv_tcp_bind(&server, (const struct sockaddr *)&addr, 0) != 0 ||
        uv_listen((uv_stream_t *)&server, 4096, on_connection) != 0)
        return 1;
    return uv_run(loop, UV_RUN_DEFAULT);
}
