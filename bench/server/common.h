/*
 * What every server of bench/server does: listen on 127.0.0.1:PORT (argv[1]),
 * answer each `GET /hello` of a keep-alive connection with the same small
 * response. A request is complete at its blank line; the benchmark's
 * client (wrk) sends the next one only after the response, so a read
 * holds at most one request.
 */
#ifndef BENCH_SERVER_COMMON_H
#define BENCH_SERVER_COMMON_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char RESPONSE[] = "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\nHello, world!";
#define RESPONSE_LEN (sizeof RESPONSE - 1)

/* A non-blocking listening socket on 127.0.0.1:port; exits on failure. */
static inline int listen_on(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 4096) < 0) {
        perror("listen");
        exit(1);
    }
    return fd;
}

static inline int port_arg(int argc, char **argv)
{
    return argc > 1 ? atoi(argv[1]) : 8080;
}

/* Whether buf[0..n) ends a request (its blank line). */
static inline int request_complete(const char *buf, size_t n)
{
    return n >= 4 && !memcmp(buf + n - 4, "\r\n\r\n", 4);
}

#endif
