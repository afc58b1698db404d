/*
 * A fixed client load for counting a server's instructions per request
 * (callgrind.sh): CONNS keep-alive connections to 127.0.0.1:PORT, then
 * REQUESTS `GET /hello` requests spread over them in rounds: a request on
 * each connection, then each one's response. wrk runs for a time, which
 * would make the count depend on the machine's speed; this does the same
 * work every run.   usage: load PORT REQUESTS CONNS
 *
 * A response is complete at its header's blank line plus Content-Length
 * bytes (the servers of bench/server and bench/httpd all send one). Exits
 * non-zero when a connection fails or a response is not a 200.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char REQUEST[] = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

static int dial(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int one = 1;
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        perror("load: connect");
        exit(1);
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* Read one whole response from fd; exits on a failure. */
static void read_response(int fd)
{
    char buf[4096];
    size_t have = 0, need = 0;
    for (;;) {
        ssize_t n = read(fd, buf + have, sizeof buf - 1 - have);
        if (n <= 0) {
            fprintf(stderr, "load: the server closed a connection or failed\n");
            exit(1);
        }
        have += (size_t)n;
        buf[have] = 0;
        if (!need) {
            char *end = strstr(buf, "\r\n\r\n");
            if (!end)
                continue;
            const char *cl = strstr(buf, "Content-Length:");
            if (strncmp(buf, "HTTP/1.1 200", 12) != 0 || !cl || cl > end) {
                fprintf(stderr, "load: not a 200 response with a Content-Length\n");
                exit(1);
            }
            need = (size_t)(end + 4 - buf) + strtoul(cl + 15, NULL, 10);
        }
        if (have >= need)
            return; /* keep-alive: the server sends nothing more until the next request */
    }
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: load PORT REQUESTS CONNS\n");
        return 2;
    }
    int port = atoi(argv[1]);
    long requests = atol(argv[2]);
    int conns = atoi(argv[3]);
    if (conns < 1 || requests < 0) {
        fprintf(stderr, "load: CONNS must be at least 1, REQUESTS at least 0\n");
        return 2;
    }
    int *fd = malloc((size_t)conns * sizeof *fd);
    if (!fd)
        return 1;
    for (int i = 0; i < conns; i++)
        fd[i] = dial(port);
    for (long sent = 0; sent < requests;) {
        int round = requests - sent < conns ? (int)(requests - sent) : conns;
        for (int i = 0; i < round; i++)
            if (write(fd[i], REQUEST, sizeof REQUEST - 1) != (ssize_t)(sizeof REQUEST - 1)) {
                perror("load: write");
                return 1;
            }
        for (int i = 0; i < round; i++)
            read_response(fd[i]);
        sent += round;
    }
    for (int i = 0; i < conns; i++)
        close(fd[i]);
    free(fd);
    return 0;
}
