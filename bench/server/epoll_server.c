#define _GNU_SOURCE
/*
 * The hand-written peer: one thread, level-triggered epoll, each connection
 * registered once (EPOLL_CTL_ADD when accepted); a readable connection gets
 * one read and, for a complete request, one write.
 */
#include <errno.h>
#include <sys/epoll.h>

#include "common.h"

struct conn {
    size_t have;
    char buf[16384];
};

int main(int argc, char **argv)
{
    int lfd = listen_on(port_arg(argc, argv));
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    struct epoll_event evs[256];
    for (;;) {
        int n = epoll_wait(ep, evs, 256, -1);
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (!c) { /* the listening socket */
                int fd;
                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    struct conn *nc = malloc(sizeof *nc + sizeof(int));
                    if (!nc) {
                        close(fd);
                        continue;
                    }
                    nc->have = 0;
                    *(int *)(nc + 1) = fd;
                    struct epoll_event ce = {.events = EPOLLIN, .data.ptr = nc};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ce);
                }
                continue;
            }
            int fd = *(int *)(c + 1);
            ssize_t r = read(fd, c->buf + c->have, sizeof c->buf - c->have);
            if (r < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (r > 0) {
                c->have += (size_t)r;
                if (!request_complete(c->buf, c->have)) {
                    if (c->have < sizeof c->buf)
                        continue;
                } else {
                    c->have = 0;
                    /* A 90-byte response into an empty socket buffer: all of it goes. */
                    if (write(fd, RESPONSE, RESPONSE_LEN) == (ssize_t)RESPONSE_LEN)
                        continue;
                }
            }
            close(fd); /* EOF, error, or a request too big */
            free(c);
        }
    }
}
