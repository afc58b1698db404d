/*
 * The client of uv_ping.c, converted: the chain of callbacks
 *   resolve -> connect -> write -> read (until '\n') -> timer -> write ...
 * becomes one function that reads from top to bottom.
 */
#include "ca_client.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Read one '\n'-terminated line into buf (without the '\n'): its length or -errno. */
static async ssize_t read_line(int fd, char *buf, size_t cap)
{
    size_t len = 0;
    char *nl;
    while (!(nl = memchr(buf, '\n', len))) {
        if (len == cap)
            return -EMSGSIZE;
        ssize_t n = await ca_read(fd, buf + len, cap - len);
        if (n <= 0)
            return n < 0 ? n : -ECONNRESET;
        len += (size_t)n;
    }
    *nl = 0;
    return nl - buf;
}

async int ping_client(const char *port)
{
    struct addrinfo *res;
    int r = await resolve("localhost", port, &res);
    if (r != 0) {
        fprintf(stderr, "client: resolve: error %d\n", r);
        return 1;
    }
    printf("resolved localhost\n");
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    r = fd < 0 ? -1 : await ca_connect(fd, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    if (r < 0) {
        fprintf(stderr, "client: connect: %s\n", strerror(-r));
        return 1;
    }
    printf("connected\n");
    char line[64];
    for (int i = 1; i <= 3 && r >= 0; i++) {
        if (i > 1)
            await ca_sleep(20);
        int len = snprintf(line, sizeof line, "ping %d\n", i);
        if ((r = (int)await ca_write_all(fd, line, (size_t)len)) >= 0 &&
            (r = (int)await read_line(fd, line, sizeof line)) >= 0)
            printf("%s\n", line);
    }
    if (r >= 0)
        printf("client: done\n");
    close(fd);
    return r < 0;
}
