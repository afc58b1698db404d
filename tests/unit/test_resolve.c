/* Name resolution on the pool, and ca_connect_host, on 127.0.0.1 and localhost only. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "test.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <unistd.h>

/* A listening socket on 127.0.0.1 (non-blocking): its port in *port. */
static int listener(unsigned *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    CHECK_EQ(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(listen(fd, 8), 0);
    socklen_t len = sizeof a;
    CHECK_EQ(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

struct gai_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct addrinfo hints, *res;
    struct sockaddr_in sin;
    char host[64], serv[16];
    int r;
};
static int gai_resume(ca_task *self, ca_frame *fr)
{
    struct gai_fr *F = (struct gai_fr *)fr;
    BEGIN(F);
    F->hints.ai_family = AF_INET;
    F->hints.ai_socktype = SOCK_STREAM;
    AWAIT(F, ca_getaddrinfo__ca_start(self, &F->hdr, &F->r, "127.0.0.1", "8080", &F->hints, &F->res));
    CHECK_EQ(F->r, 0);
    CHECK(F->res != NULL);
    CHECK_EQ(F->res->ai_family, AF_INET);
    memcpy(&F->sin, F->res->ai_addr, sizeof F->sin);
    CHECK_EQ(ntohs(F->sin.sin_port), 8080);
    CHECK_EQ(ntohl(F->sin.sin_addr.s_addr), INADDR_LOOPBACK);
    freeaddrinfo(F->res);

    /* localhost resolves (from /etc/hosts) to a loopback address. */
    F->hints.ai_family = AF_UNSPEC;
    AWAIT(F, ca_getaddrinfo__ca_start(self, &F->hdr, &F->r, "localhost", NULL, &F->hints, &F->res));
    CHECK_EQ(F->r, 0);
    for (struct addrinfo *ai = F->res; ai; ai = ai->ai_next)
        CHECK(ai->ai_family == AF_INET || ai->ai_family == AF_INET6);
    freeaddrinfo(F->res);

    /* getaddrinfo's own errors come back as CA_EAI codes, named by ca_strerror. */
    F->hints.ai_flags = AI_NUMERICHOST;
    AWAIT(F, ca_getaddrinfo__ca_start(self, &F->hdr, &F->r, "not-an-address", NULL, &F->hints, &F->res));
    CHECK_EQ(F->r, CA_EAI(EAI_NONAME));
    CHECK(F->res == NULL);
    CHECK(!strcmp(ca_strerror(F->r), gai_strerror(EAI_NONAME)));
    CHECK(!strcmp(ca_strerror(-ENOENT), strerror(ENOENT)));
    AWAIT(F, ca_getaddrinfo__ca_start(self, &F->hdr, &F->r, NULL, NULL, NULL, &F->res));
    CHECK_EQ(F->r, -EINVAL);

    /* And back: 127.0.0.1:8080, numerically. */
    AWAIT(F, ca_getnameinfo__ca_start(self, &F->hdr, &F->r, (struct sockaddr *)&F->sin, sizeof F->sin, F->host,
                                      sizeof F->host, F->serv, sizeof F->serv, NI_NUMERICHOST | NI_NUMERICSERV));
    CHECK_EQ(F->r, 0);
    CHECK(!strcmp(F->host, "127.0.0.1"));
    CHECK(!strcmp(F->serv, "8080"));
    AWAIT(F, ca_getnameinfo__ca_start(self, &F->hdr, &F->r, (struct sockaddr *)&F->sin, sizeof F->sin, F->host,
                                      sizeof F->host, NULL, 0, NI_NUMERICHOST));
    CHECK_EQ(F->r, 0);
    RETURN(F, 0);
    END(F);
}
static int gai(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, gai, parent);
    return gai_resume(self, &F->hdr);
}

static void test_getaddrinfo_getnameinfo(void)
{
    CHECK_EQ(run_async(gai, NULL), 0);
}

/* ca_connect_host to a listener by address and by name; refused on a closed port. */
struct ch_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    unsigned port;
    int lfd, fd, afd;
    char buf[4];
    ssize_t n;
};
static int ch_resume(ca_task *self, ca_frame *fr)
{
    struct ch_fr *F = (struct ch_fr *)fr;
    BEGIN(F);
    F->lfd = listener(&F->port);
    AWAIT(F, ca_connect_host__ca_start(self, &F->hdr, &F->fd, "127.0.0.1", F->port));
    CHECK(F->fd >= 0);
    CHECK(fcntl(F->fd, F_GETFL) & O_NONBLOCK);
    CHECK(fcntl(F->fd, F_GETFD) & FD_CLOEXEC);
    AWAIT(F, ca_accept__ca_start(self, &F->hdr, &F->afd, F->lfd, NULL, NULL));
    CHECK(F->afd >= 0);
    AWAIT(F, ca_write_all__ca_start(self, &F->hdr, &F->n, F->fd, "abc", 3));
    AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->afd, F->buf, sizeof F->buf));
    CHECK_EQ(F->n, 3);
    close(F->fd);
    close(F->afd);

    /* By name: localhost may list ::1 first, which nothing listens on; the next address connects. */
    AWAIT(F, ca_connect_host__ca_start(self, &F->hdr, &F->fd, "localhost", F->port));
    CHECK(F->fd >= 0);
    AWAIT(F, ca_accept__ca_start(self, &F->hdr, &F->afd, F->lfd, NULL, NULL));
    CHECK(F->afd >= 0);
    close(F->fd);
    close(F->afd);
    close(F->lfd);

    /* Nothing listens any more. */
    AWAIT(F, ca_connect_host__ca_start(self, &F->hdr, &F->fd, "127.0.0.1", F->port));
    CHECK_EQ(F->fd, -ECONNREFUSED);
    AWAIT(F, ca_connect_host__ca_start(self, &F->hdr, &F->fd, "127.0.0.1", 70000));
    CHECK_EQ(F->fd, -EINVAL);
    RETURN(F, 0);
    END(F);
}
static int ch(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, ch, parent);
    return ch_resume(self, &F->hdr);
}

static void test_connect_host(void)
{
    CHECK_EQ(run_async(ch, NULL), 0);
}

/* Cancelled while resolving: the list the pool returns later is freed (valgrind, ASan). */
struct cg_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct addrinfo *res;
    int r;
};
static int cg_resume(ca_task *self, ca_frame *fr)
{
    struct cg_fr *F = (struct cg_fr *)fr;
    BEGIN(F);
    {
        char host[16] = "localhost"; /* a copy that dies with this block: the pool has its own */
        AWAIT(F, ca_getaddrinfo__ca_start(self, &F->hdr, &F->r, host, "80", NULL, &F->res));
    }
    CHECK(F->r == -ECANCELED || F->r == 0);
    if (F->r == 0)
        freeaddrinfo(F->res); /* resolved before the cancel came */
    else
        CHECK(F->res == NULL);
    RETURN(F, 0);
    END(F);
}
static int cg(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, cg, parent);
    return cg_resume(self, &F->hdr);
}
struct cgm_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_task *t[8];
    int i, r;
};
static int cgm_resume(ca_task *self, ca_frame *fr)
{
    struct cgm_fr *F = (struct cgm_fr *)fr;
    BEGIN(F);
    for (F->i = 0; F->i < 8; F->i++)
        F->t[F->i] = spawn(cg, NULL);
    AWAIT_YIELD(F, F->r);
    for (F->i = 0; F->i < 8; F->i++)
        ca_cancel(F->t[F->i]);
    AWAIT(F, ca_join_all__ca_start(self, &F->hdr, &F->r, F->t, 8));
    CHECK(F->r == -ECANCELED || F->r == 0); /* 0: every lookup had ended before the cancels */
    RETURN(F, 0);
    END(F);
}
static int cgm(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, cgm, parent);
    return cgm_resume(self, &F->hdr);
}

static void test_cancel(void)
{
    for (int i = 0; i < 10; i++)
        CHECK_EQ(run_async(cgm, NULL), 0);
}

int main(int argc, char **argv)
{
    TEST(test_getaddrinfo_getnameinfo);
    TEST(test_connect_host);
    TEST(test_cancel);
    return 0;
}
