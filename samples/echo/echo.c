/*
 * The smallest complete server and client: a TCP echo.
 *
 *   sample_echo server [PORT]        echo every connection back (PORT 0: any
 *                                    free port); prints "listening on PORT"
 *   sample_echo client PORT WORDS... send the words and a newline, print
 *                                    what comes back
 *
 * The server runs one task per connection; the client is a single task.
 */
#include <cawait.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static async void echo(int fd)
{
    char buf[4096];
    ssize_t n;
    while ((n = await ca_read(fd, buf, sizeof buf)) > 0)
        if (await ca_write_all(fd, buf, (size_t)n) < 0)
            break;
    close(fd);
}

static async int server(int port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lfd, 128) < 0 ||
        getsockname(lfd, (struct sockaddr *)&sa, &len) < 0) {
        perror("echo server");
        return 1;
    }
    printf("listening on %d\n", ntohs(sa.sin_port));
    fflush(stdout);
    for (;;) {
        int fd = await ca_accept(lfd, NULL, NULL);
        if (fd < 0) { /* the client left first, or we are out of fds: retry soon */
            await ca_sleep(10);
            continue;
        }
        ca_task *t = ca_spawn(echo(fd));
        if (t)
            ca_detach(t);
        else
            close(fd);
    }
}

static async int client(int port, int argc, char **argv)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || await ca_connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        perror("echo client: connect");
        return 1;
    }
    for (int i = 0; i < argc; i++) {
        const char *sep = i + 1 < argc ? " " : "\n";
        if (await ca_write_all(fd, argv[i], strlen(argv[i])) < 0 || await ca_write_all(fd, sep, 1) < 0)
            return 1;
    }
    shutdown(fd, SHUT_WR); /* the server sees the end, echoes the rest and closes */
    char buf[4096];
    ssize_t n;
    while ((n = await ca_read(fd, buf, sizeof buf)) > 0)
        fwrite(buf, 1, (size_t)n, stdout);
    close(fd);
    return n < 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "server") == 0)
        return ca_run(server(argc > 2 ? atoi(argv[2]) : 7000));
    if (argc >= 4 && strcmp(argv[1], "client") == 0)
        return ca_run(client(atoi(argv[2]), argc - 3, argv + 3));
    fprintf(stderr, "usage: sample_echo server [PORT] | client PORT WORDS...\n");
    return 2;
}
