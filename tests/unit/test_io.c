/* I/O: pipes, socketpairs and TCP over epoll; EAGAIN handled inside; errors, cancel, deadlines. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "test.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <unistd.h>

static void nb_pipe(int p[2])
{
    CHECK_EQ(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
}

/* Reader: read until EOF into a buffer; writer: sleep, write, close. */
struct rd_arg {
    int fd;
    char buf[64];
    ssize_t total;
};
struct rd_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct rd_arg *a;
    ssize_t n;
};
static int rd_resume(ca_task *self, ca_frame *fr)
{
    struct rd_fr *F = (struct rd_fr *)fr;
    BEGIN(F);
    for (;;) {
        AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->a->fd, F->a->buf + F->a->total,
                                   sizeof F->a->buf - 1 - (size_t)F->a->total));
        if (F->n <= 0)
            break;
        F->a->total += F->n;
    }
    CHECK_EQ(F->n, 0);
    RETURN(F, 0);
    END(F);
}
static int rd(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, rd, parent);
    F->a = arg;
    return rd_resume(self, &F->hdr);
}

struct wr_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int fd, r;
    ssize_t n;
};
static int wr_resume(ca_task *self, ca_frame *fr)
{
    struct wr_fr *F = (struct wr_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 5));
    AWAIT(F, ca_write__ca_start(self, &F->hdr, &F->n, F->fd, "hello ", 6));
    CHECK_EQ(F->n, 6);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 2));
    AWAIT(F, ca_write_all__ca_start(self, &F->hdr, &F->n, F->fd, "world", 5));
    CHECK_EQ(F->n, 5);
    close(F->fd);
    RETURN(F, 0);
    END(F);
}
FD_START(wr, wr)

static void test_pipe(void)
{
    int p[2];
    nb_pipe(p);
    struct rd_arg a = {.fd = p[0]};
    ca_detach(spawn(wr, (void *)(intptr_t)p[1]));
    CHECK_EQ(run_async(rd, &a), 0);
    CHECK(!strcmp(a.buf, "hello world"));
    close(p[0]);
}

/* write_all of 4 MiB through a socketpair while another task reads it. */
#define BIG (4 << 20)
struct sink_arg {
    int fd;
    size_t got;
    unsigned sum;
};
struct sink_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct sink_arg *a;
    char buf[8192];
    ssize_t n;
};
static int sink_resume(ca_task *self, ca_frame *fr)
{
    struct sink_fr *F = (struct sink_fr *)fr;
    BEGIN(F);
    for (;;) {
        AWAIT(F, ca_recv__ca_start(self, &F->hdr, &F->n, F->a->fd, F->buf, sizeof F->buf, 0));
        if (F->n <= 0)
            break;
        for (ssize_t i = 0; i < F->n; i++)
            F->a->sum = F->a->sum * 31 + (unsigned char)F->buf[i];
        F->a->got += (size_t)F->n;
    }
    RETURN(F, 0);
    END(F);
}
static int sink(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, sink, parent);
    F->a = arg;
    return sink_resume(self, &F->hdr);
}

struct source_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int fd;
    char *data;
    ssize_t n;
};
static int source_resume(ca_task *self, ca_frame *fr)
{
    struct source_fr *F = (struct source_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_write_all__ca_start(self, &F->hdr, &F->n, F->fd, F->data, BIG));
    CHECK_EQ(F->n, BIG);
    AWAIT(F, ca_send__ca_start(self, &F->hdr, &F->n, F->fd, "!", 1, MSG_NOSIGNAL));
    CHECK_EQ(F->n, 1);
    shutdown(F->fd, SHUT_WR);
    RETURN(F, 0);
    END(F);
}

static int source(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, source, parent);
    F->fd = ((int *)arg)[0];
    F->data = *(char **)((int *)arg + 2);
    return source_resume(self, &F->hdr);
}

static void test_write_all_big(void)
{
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
    char *data = malloc(BIG);
    unsigned sum = 0;
    for (size_t i = 0; i < BIG; i++) {
        data[i] = (char)(i * 7 + i / 4096);
        sum = sum * 31 + (unsigned char)data[i];
    }
    sum = sum * 31 + '!';
    struct {
        int fd[2];
        char *data;
    } src = {{sv[0], 0}, data};
    struct sink_arg k = {.fd = sv[1]};
    ca_detach(spawn(source, &src));
    CHECK_EQ(run_async(sink, &k), 0);
    CHECK_EQ(k.got, BIG + 1);
    CHECK_EQ(k.sum, sum);
    free(data);
    close(sv[0]);
    close(sv[1]);
}

/* TCP: accept and connect on loopback, echo one message. */
struct srv_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int lfd, cfd;
    char buf[16];
    ssize_t n;
};
static int srv_resume(ca_task *self, ca_frame *fr)
{
    struct srv_fr *F = (struct srv_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_accept__ca_start(self, &F->hdr, &F->cfd, F->lfd, NULL, NULL));
    CHECK(F->cfd >= 0);
    CHECK(fcntl(F->cfd, F_GETFL) & O_NONBLOCK);
    CHECK(fcntl(F->cfd, F_GETFD) & FD_CLOEXEC);
    AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->cfd, F->buf, sizeof F->buf));
    CHECK_EQ(F->n, 4);
    AWAIT(F, ca_write_all__ca_start(self, &F->hdr, &F->n, F->cfd, F->buf, 4));
    CHECK_EQ(F->n, 4);
    close(F->cfd);
    RETURN(F, 0);
    END(F);
}
INT_START(srv, srv, lfd)

struct cli_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct sockaddr_in sa;
    int fd, r;
    char buf[16];
    ssize_t n;
};
static int cli_resume(ca_task *self, ca_frame *fr)
{
    struct cli_fr *F = (struct cli_fr *)fr;
    BEGIN(F);
    F->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    AWAIT(F, ca_connect__ca_start(self, &F->hdr, &F->r, F->fd, (struct sockaddr *)&F->sa, sizeof F->sa));
    CHECK_EQ(F->r, 0);
    AWAIT(F, ca_wait_writable__ca_start(self, &F->hdr, &F->r, F->fd));
    CHECK_EQ(F->r, 0);
    AWAIT(F, ca_send__ca_start(self, &F->hdr, &F->n, F->fd, "ping", 4, MSG_NOSIGNAL));
    CHECK_EQ(F->n, 4);
    AWAIT(F, ca_wait_readable__ca_start(self, &F->hdr, &F->r, F->fd));
    CHECK_EQ(F->r, 0);
    AWAIT(F, ca_recv__ca_start(self, &F->hdr, &F->n, F->fd, F->buf, sizeof F->buf, 0));
    CHECK_EQ(F->n, 4);
    CHECK(!memcmp(F->buf, "ping", 4));
    close(F->fd);
    RETURN(F, 0);
    END(F);
}
static int cli(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, cli, parent);
    F->sa = *(struct sockaddr_in *)arg;
    return cli_resume(self, &F->hdr);
}

static void test_tcp(void)
{
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    CHECK_EQ(bind(lfd, (struct sockaddr *)&sa, sizeof sa), 0);
    socklen_t sl = sizeof sa;
    CHECK_EQ(getsockname(lfd, (struct sockaddr *)&sa, &sl), 0);
    CHECK_EQ(listen(lfd, 16), 0);
    ca_task *s = spawn(srv, (void *)(intptr_t)lfd);
    CHECK_EQ(run_async(cli, &sa), 0);
    CHECK_EQ(ca__run(s), 0);
    close(lfd);
}

/* Errors, a second reader, cancel and deadline of a pending read. */
struct errs_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int p[2];
    ca_task *other;
    char buf[8];
    ssize_t n;
    int r;
    uint64_t old;
};
static int blocked_reader(ca_task *self, ca_frame *parent, void *arg);
static int errs_resume(ca_task *self, ca_frame *fr)
{
    struct errs_fr *F = (struct errs_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, -1, F->buf, 1));
    CHECK_EQ(F->n, -EBADF);
    AWAIT(F, ca_write__ca_start(self, &F->hdr, &F->n, 1000000, F->buf, 1));
    CHECK_EQ(F->n, -EBADF);
    AWAIT(F, ca_wait_readable__ca_start(self, &F->hdr, &F->r, -1));
    CHECK_EQ(F->r, -EBADF);
    nb_pipe(F->p);

    F->other = spawn(blocked_reader, F->p);
    AWAIT_YIELD(F, F->r); /* it waits on p[0] now */
    AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->p[0], F->buf, 1));
    CHECK_EQ(F->n, -EBUSY);
    CHECK_EQ(ca_cancel(F->other), 0);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->other));
    CHECK_EQ(F->r, -ECANCELED);

    F->old = ca_deadline_in(10);
    AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->p[0], F->buf, 1));
    CHECK_EQ(F->n, -ETIMEDOUT);
    ca_deadline_set(F->old);

    /* The fd works again after the aborted waits; after ca_close its number may come back. */
    CHECK_EQ(write(F->p[1], "x", 1), 1);
    AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->p[0], F->buf, 8));
    CHECK_EQ(F->n, 1);
    CHECK_EQ(ca_close(F->p[0]), 0);
    CHECK_EQ(ca_close(F->p[1]), 0);
    CHECK_EQ(ca_close(F->p[1]), -EBADF);
    nb_pipe(F->p); /* probably the same numbers */
    F->other = spawn(wr, (void *)(intptr_t)F->p[1]);
    AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->p[0], F->buf, 6));
    CHECK_EQ(F->n, 6);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->other));
    close(F->p[0]);
    RETURN(F, 0);
    END(F);
}
static int errs(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, errs, parent);
    return errs_resume(self, &F->hdr);
}

struct blocked_reader_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int fd;
    char c;
    ssize_t n;
};
static int blocked_reader_resume(ca_task *self, ca_frame *fr)
{
    struct blocked_reader_fr *F = (struct blocked_reader_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->fd, &F->c, 1));
    CHECK_EQ(F->n, -ECANCELED);
    RETURN(F, 0);
    END(F);
}
static int blocked_reader(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, blocked_reader, parent);
    F->fd = ((int *)arg)[0];
    return blocked_reader_resume(self, &F->hdr);
}

static void test_errors_cancel_deadline(void)
{
    CHECK_EQ(run_async(errs, NULL), 0);
    CHECK_EQ(ca_set_nonblock(-1), -EBADF);
}

int main(int argc, char **argv)
{
    TEST(test_pipe);
    TEST(test_write_all_big);
    TEST(test_tcp);
    TEST(test_errors_cancel_deadline);
    return 0;
}
