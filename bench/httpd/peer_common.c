/* See peer_common.h. */
#include "peer_common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char *http_date(void)
{
    static char buf[32];
    static time_t made = -1;
    time_t now = time(NULL);
    if (now != made) {
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        made = now;
    }
    return buf;
}

static void put(struct peer_conn *c, const char *s)
{
    size_t n = strlen(s);
    memcpy(c->out + c->out_len, s, n);
    c->out_len += n;
}

static void respond(struct peer_conn *c, int status, int keep_alive)
{
    put(c, status == 200 ? "HTTP/1.1 200 OK" : status == 404 ? "HTTP/1.1 404 Not Found" : "HTTP/1.1 400 Bad Request");
    put(c, "\r\nServer: cawait-httpd\r\nDate: ");
    put(c, http_date());
    put(c, "\r\nContent-Type: text/plain\r\nContent-Length: ");
    put(c, status == 200 ? "6" : status == 404 ? "10" : "12");
    if (!keep_alive)
        put(c, "\r\nConnection: close");
    put(c, "\r\n\r\n");
    put(c, status == 200 ? "hello\n" : status == 404 ? "Not Found\n" : "Bad Request\n");
}

static int on_message_begin(http_parser *p)
{
    ((struct peer_conn *)p->data)->url_len = 0;
    return 0;
}

static int on_url(http_parser *p, const char *at, size_t n)
{
    struct peer_conn *c = p->data;
    if (c->url_len + n <= sizeof c->url)
        memcpy(c->url + c->url_len, at, n);
    c->url_len += n;
    return 0;
}

static int on_message_complete(http_parser *p)
{
    struct peer_conn *c = p->data;
    int hello = c->url_len == 6 && memcmp(c->url, "/hello", 6) == 0;
    int ka = http_should_keep_alive(p);
    respond(c, hello ? 200 : 404, ka);
    if (!ka)
        c->close_after = 1;
    if (PEER_OUT_CAP - c->out_len < 512)
        http_parser_pause(p, 1);
    return 0;
}

static const http_parser_settings settings = {
    .on_message_begin = on_message_begin, .on_url = on_url, .on_message_complete = on_message_complete,
};

void peer_conn_init(struct peer_conn *c)
{
    http_parser_init(&c->parser, HTTP_REQUEST);
    c->parser.data = c;
    c->out_len = 0;
    c->close_after = 0;
}

int peer_feed(struct peer_conn *c, const char *buf, size_t n, size_t *used)
{
    *used = http_parser_execute(&c->parser, &settings, buf, n);
    enum http_errno e = HTTP_PARSER_ERRNO(&c->parser);
    if (e == HPE_PAUSED) {
        http_parser_pause(&c->parser, 0);
        return -1;
    }
    if (e != HPE_OK) {
        respond(c, 400, 0);
        c->close_after = 1;
        *used = n;
    }
    return 0;
}

int peer_listen(int port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 4096) < 0)
        return -1;
    return fd;
}
