/*
 * One connection: read a request, answer it, again while the client keeps
 * the connection alive. One task per connection, straight-line code.
 *
 * Requests are parsed by Node's http-parser (Debian's libhttp-parser-dev,
 * fuzzed upstream by OSS-Fuzz; llhttp, its successor, is not packaged in
 * Debian 12). The parser pauses itself at the end of each message, so
 * pipelined requests are answered one at a time in order; their responses
 * collect in the output buffer, which is written when the task would
 * otherwise wait for input, or when it is full.
 *
 * Limits, so that no client holds more than its own frame for long:
 *   - a request head (request line and headers) of at most HEAD_MAX bytes
 *     (431), a URL of at most URL_MAX bytes (414), a body of at most
 *     BODY_MAX bytes (413; bodies are read and dropped);
 *   - the whole request must arrive within --request-timeout of its first
 *     byte (408), however slowly it trickles in (slowloris);
 *   - an idle keep-alive connection is closed after --idle-timeout;
 *   - a batch of responses must be written within --write-timeout, and a
 *     file must make progress within it.
 * An error status closes the connection after the response, with a short
 * lingering read so the client sees the response rather than a reset.
 */
#include "httpd.h"

#include <http_parser.h>
#include <malloc.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/*
 * Buffers sized as nginx sizes its request header buffer (1 KiB by
 * default): a request is parsed as it streams in, so the input buffer
 * bounds one read, not a request; the output buffer holds a dozen
 * pipelined responses. A connection's frame is 5 KiB rather than 10.
 */
#define IN_CAP 1024
#define OUT_CAP 2048
#define URL_MAX 2048
#define HEAD_MAX 8192
#define BODY_MAX (64 * 1024)
#define HEAD_ROOM 512           /* the most put_head writes */
#define LINGER_MS 1000
#define LINGER_BYTES (64 * 1024)

/* Everything a connection needs; a local of connection(), so in its frame. */
struct conn {
    struct conn_link link;
    struct server *srv;
    int fd;
    http_parser parser;
    size_t in_off, in_len;   /* bytes not parsed yet: in[in_off, in_len) */
    size_t out_len;          /* responses not written yet: out[0, out_len) */
    /* The request being read (reset by read_request): */
    int started;             /* its first byte has been parsed */
    int head_done;
    int status;              /* an error found by a parser callback (413, 414) */
    int keep_alive;
    int method;              /* enum http_method */
    size_t head_bytes;       /* bytes parsed before its head ended */
    uint64_t body_bytes;
    uint64_t deadline;       /* for the whole request, from its first byte */
    size_t url_len;
    char in[IN_CAP];
    char out[OUT_CAP];
    char url[URL_MAX]; /* last: most requests touch only its start */
};

/* ------------------------------------------------------------ parsing */

static int on_message_begin(http_parser *p)
{
    struct conn *c = p->data;
    c->started = 1;
    c->deadline = ca_now() + c->srv->cfg->request_timeout_ms;
    return 0;
}

static int on_url(http_parser *p, const char *at, size_t n)
{
    struct conn *c = p->data;
    if (n > URL_MAX - c->url_len) {
        c->status = 414;
        http_parser_pause(p, 1);
        return 0;
    }
    memcpy(c->url + c->url_len, at, n);
    c->url_len += n;
    return 0;
}

static int on_headers_complete(http_parser *p)
{
    struct conn *c = p->data;
    c->head_done = 1;
    c->keep_alive = http_should_keep_alive(p);
    c->method = p->method;
    /* content_length is ULLONG_MAX when absent (chunked or none). */
    if (p->content_length != UINT64_MAX && p->content_length > BODY_MAX) {
        c->status = 413;
        http_parser_pause(p, 1);
    }
    return 0;
}

static int on_body(http_parser *p, const char *at, size_t n)
{
    struct conn *c = p->data;
    (void)at;
    c->body_bytes += n;
    if (c->body_bytes > BODY_MAX) { /* chunked bodies have no length up front */
        c->status = 413;
        http_parser_pause(p, 1);
    }
    return 0;
}

static int on_message_complete(http_parser *p)
{
    http_parser_pause(p, 1); /* one request at a time: execute stops here */
    return 0;
}

static const http_parser_settings parser_settings = {
    .on_message_begin = on_message_begin,
    .on_url = on_url,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

/* Parse the buffered input: 0 when a request is complete, an HTTP error
 * status, or -EAGAIN when the buffer ran out first. */
static int parse(struct conn *c)
{
    size_t n = http_parser_execute(&c->parser, &parser_settings, c->in + c->in_off, c->in_len - c->in_off);
    c->in_off += n;
    enum http_errno e = HTTP_PARSER_ERRNO(&c->parser);
    if (e == HPE_PAUSED) {
        http_parser_pause(&c->parser, 0);
        return c->status; /* 0 at the end of a message */
    }
    if (e != HPE_OK)
        return e == HPE_HEADER_OVERFLOW ? 431 : 400;
    if (!c->head_done && (c->head_bytes += n) > HEAD_MAX)
        return 431;
    return -EAGAIN;
}

/* ----------------------------------------------------------- responses */

/* The Date header's value (always DATE_LEN characters), made once a second per thread. */
#define DATE_LEN 29
static const char *http_date(void)
{
    static __thread char buf[DATE_LEN + 1];
    static __thread time_t made = -1;
    time_t now = time(NULL);
    if (now != made) {
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        made = now;
    }
    return buf;
}

/* A status line, "HTTP/1.1 200 OK", whose reason phrase starts at REASON_AT. */
struct status_line {
    const char *s;
    size_t len;
};
#define REASON_AT (sizeof "HTTP/1.1 200 " - 1)
#define LINE(code, text) \
    case code: return (struct status_line){"HTTP/1.1 " #code " " text, sizeof("HTTP/1.1 " #code " " text) - 1}

static struct status_line status_line(int status)
{
    switch (status) {
    LINE(200, "OK");
    LINE(400, "Bad Request");
    LINE(403, "Forbidden");
    LINE(404, "Not Found");
    LINE(405, "Method Not Allowed");
    LINE(408, "Request Timeout");
    LINE(413, "Content Too Large");
    LINE(414, "URI Too Long");
    LINE(431, "Request Header Fields Too Large");
    default: LINE(500, "Internal Server Error");
    }
}
#undef LINE

static void put(struct conn *c, const char *s, size_t n)
{
    memcpy(c->out + c->out_len, s, n);
    c->out_len += n;
}

/* A string literal: its length is known when compiling, and so is the copy. */
#define PUT_LIT(c, lit) put(c, lit, sizeof(lit) - 1)

static void put_num(struct conn *c, uint64_t v)
{
    char digits[20];
    int i = (int)sizeof digits;
    do
        digits[--i] = (char)('0' + v % 10);
    while (v /= 10);
    put(c, digits + i, sizeof digits - (size_t)i);
}

/* A status line and headers; the caller made HEAD_ROOM bytes of room. */
static void put_head(struct conn *c, int status, const char *type, uint64_t length)
{
    struct status_line line = status_line(status);
    put(c, line.s, line.len);
    PUT_LIT(c, "\r\nServer: cawait-httpd\r\nDate: ");
    put(c, http_date(), DATE_LEN);
    PUT_LIT(c, "\r\nContent-Type: ");
    put(c, type, strlen(type));
    PUT_LIT(c, "\r\nContent-Length: ");
    put_num(c, length);
    if (status == 405)
        PUT_LIT(c, "\r\nAllow: GET, HEAD");
    if (!c->keep_alive)
        PUT_LIT(c, "\r\nConnection: close");
    else if (c->parser.http_minor == 0)
        PUT_LIT(c, "\r\nConnection: keep-alive"); /* HTTP/1.0 asked for it */
    PUT_LIT(c, "\r\n\r\n");
}

/* A response whose body is its reason phrase (errors, 404). */
static void put_status(struct conn *c, int status)
{
    struct status_line line = status_line(status);
    size_t n = line.len - REASON_AT;
    put_head(c, status, "text/plain", n + 1);
    if (c->method != HTTP_HEAD) {
        put(c, line.s + REASON_AT, n);
        PUT_LIT(c, "\n");
    }
}

/* Write out the buffered responses: 0 or -errno (-ETIMEDOUT, -ECANCELED...). */
static async int flush(struct conn *c)
{
    if (c->out_len == 0)
        return 0;
    ca_deadline_set(ca_now() + c->srv->cfg->write_timeout_ms);
    ssize_t n = await ca_write_all(c->fd, c->out, c->out_len);
    ca_deadline_set(CA_NEVER);
    c->out_len = 0;
    return n < 0 ? (int)n : 0;
}

/* Room for one more response, flushing the earlier ones if needed. */
static async int make_room(struct conn *c, size_t n)
{
    if (c->out_len + n <= OUT_CAP)
        return 0;
    return await flush(c);
}

/* --------------------------------------------------------- the requests */

/*
 * Read the next request: 0 once it is complete (URL, method, keep-alive
 * set), an HTTP error status to answer before closing, or a negative errno
 * to close quietly (end of input, reset, idle timeout, cancelled).
 */
static async int read_request(struct conn *c)
{
    c->started = c->head_done = c->status = 0;
    c->head_bytes = c->url_len = 0;
    c->body_bytes = 0;
    c->keep_alive = 0; /* until a head says otherwise: errors close */
    c->method = HTTP_GET;
    for (;;) {
        if (c->in_off < c->in_len) {
            int st = parse(c);
            if (st != -EAGAIN)
                return st;
        }
        int r = await flush(c); /* answer pipelined requests before waiting */
        if (r < 0)
            return r;
        const struct config *cfg = c->srv->cfg;
        ca_deadline_set(c->started ? c->deadline : ca_now() + cfg->idle_timeout_ms);
        ssize_t n = await ca_read(c->fd, c->in, sizeof c->in);
        ca_deadline_set(CA_NEVER);
        if (n <= 0)
            return n == -ETIMEDOUT && c->started ? 408 : n == 0 ? -ECONNRESET : (int)n;
        c->in_off = 0;
        c->in_len = (size_t)n;
    }
}

/* The path part of the URL: up to '?' or '#'. */
static size_t path_len(const char *url, size_t len)
{
    size_t i = 0;
    while (i < len && url[i] != '?' && url[i] != '#')
        i++;
    return i;
}

/* Answer the request read last: 0, or -errno when the connection failed. */
static async int respond(struct conn *c)
{
    int r = await make_room(c, HEAD_ROOM + 64);
    if (r < 0)
        return r;
    if (c->method != HTTP_GET && c->method != HTTP_HEAD) {
        put_status(c, 405);
        return 0;
    }
    if (path_len(c->url, c->url_len) == 6 && memcmp(c->url, "/hello", 6) == 0) {
        put_head(c, 200, "text/plain", 6);
        if (c->method == HTTP_GET)
            PUT_LIT(c, "hello\n");
        return 0;
    }
    if (c->srv->cfg->rootfd < 0) {
        put_status(c, 404);
        return 0;
    }
    struct file_reply f = file_open(c->srv->cfg, c->url, c->url_len);
    if (f.status != 200) {
        put_status(c, f.status);
        return 0;
    }
    put_head(c, 200, f.type, (uint64_t)f.size);
    if (c->method == HTTP_GET && f.size > 0) {
        r = await flush(c);
        if (r == 0)
            r = await file_send(c->fd, f.fd, f.size, c->srv->cfg->write_timeout_ms);
    }
    close(f.fd);
    return r;
}

/* After an error response: stop writing, read and drop what the client
 * still sends for a moment, so that closing does not reset the connection
 * before the client has read the response. */
static async void linger(struct conn *c)
{
    shutdown(c->fd, SHUT_WR);
    ca_deadline_set(ca_now() + LINGER_MS);
    size_t total = 0;
    ssize_t n;
    while (total < LINGER_BYTES && (n = await ca_read(c->fd, c->in, sizeof c->in)) > 0)
        total += (size_t)n;
    ca_deadline_set(CA_NEVER);
}

static void link_add(struct server *s, struct conn_link *l)
{
    l->prev = NULL;
    l->next = s->conns;
    if (s->conns)
        s->conns->prev = l;
    s->conns = l;
}

static void link_del(struct server *s, struct conn_link *l)
{
    if (l->prev)
        l->prev->next = l->next;
    else
        s->conns = l->next;
    if (l->next)
        l->next->prev = l->prev;
}

async void connection(struct server *s, int fd)
{
    struct conn c;
    c.srv = s;
    c.fd = fd;
    c.in_off = c.in_len = c.out_len = 0;
    c.method = HTTP_GET;
    http_parser_init(&c.parser, HTTP_REQUEST);
    c.parser.data = &c;
    c.link.task = ca_self();
    link_add(s, &c.link); /* so that a shutdown can cancel this task */

    while (!s->stopping) {
        int st = await read_request(&c);
        if (st == 0)
            st = await respond(&c);
        if (st == 0 && c.keep_alive)
            continue;
        if (st > 0) { /* an HTTP error: say so, then close */
            c.keep_alive = 0;
            if (await make_room(&c, HEAD_ROOM + 64) == 0) {
                put_status(&c, st);
                if (await flush(&c) == 0)
                    await linger(&c);
            }
        } else if (st == 0) {
            await flush(&c); /* the last response, then close */
        }
        break;
    }

    link_del(s, &c.link);
    close(fd);
    if (--s->nconns == 0 && s->stopping)
        ca_event_set(&s->drained);
    if (s->nconns == 0 && s->busy) { /* a busy period ended: give its memory back */
        malloc_trim(0);
        s->busy = 0;
    }
}
