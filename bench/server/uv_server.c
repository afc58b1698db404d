/* The libuv peer: uv_read_start per connection; each complete request answered with uv_try_write. */
#include <uv.h>

#include "common.h"

struct conn {
    uv_tcp_t tcp;
    size_t have;
    char buf[16384];
};

static void on_close(uv_handle_t *h)
{
    free(h->data);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
    (void)suggested;
    struct conn *c = h->data;
    *b = uv_buf_init(c->buf + c->have, (unsigned)(sizeof c->buf - c->have));
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    (void)b;
    struct conn *c = s->data;
    if (n == 0)
        return;
    if (n > 0) {
        c->have += (size_t)n;
        if (!request_complete(c->buf, c->have)) {
            if (c->have < sizeof c->buf)
                return;
        } else {
            c->have = 0;
            uv_buf_t r = uv_buf_init((char *)RESPONSE, RESPONSE_LEN);
            if (uv_try_write(s, &r, 1) == (int)RESPONSE_LEN)
                return;
        }
    }
    uv_close((uv_handle_t *)s, on_close);
}

static void on_conn(uv_stream_t *srv, int status)
{
    if (status < 0)
        return;
    struct conn *c = malloc(sizeof *c);
    if (!c)
        return;
    c->have = 0;
    uv_tcp_init(srv->loop, &c->tcp);
    c->tcp.data = c;
    if (uv_accept(srv, (uv_stream_t *)&c->tcp) < 0 || uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) < 0)
        uv_close((uv_handle_t *)&c->tcp, on_close);
}

int main(int argc, char **argv)
{
    uv_loop_t *loop = uv_default_loop();
    uv_tcp_t srv;
    uv_tcp_init(loop, &srv);
    struct sockaddr_in sa;
    uv_ip4_addr("127.0.0.1", port_arg(argc, argv), &sa);
    if (uv_tcp_bind(&srv, (const struct sockaddr *)&sa, 0) < 0 || uv_listen((uv_stream_t *)&srv, 4096, on_conn) < 0) {
        fprintf(stderr, "uv listen failed\n");
        return 1;
    }
    return uv_run(loop, UV_RUN_DEFAULT);
}
