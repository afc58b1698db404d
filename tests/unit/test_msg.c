/* Datagrams and messages: UDP on 127.0.0.1 with addresses, recvmsg/sendmsg passing an fd, cancel. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "test.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <unistd.h>

static int udp_socket(struct sockaddr_in *addr, int flags)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | flags, 0);
    CHECK(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    CHECK_EQ(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof *addr;
    CHECK_EQ(getsockname(fd, (struct sockaddr *)addr, &len), 0);
    return fd;
}

/* An echo server: receives N datagrams, sends each back to where it came from, upper-cased. */
enum { N = 50 };
struct echo_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int fd, i;
    struct sockaddr_in from;
    socklen_t flen;
    char buf[64];
    ssize_t n;
};
static int echo_resume(ca_task *self, ca_frame *fr)
{
    struct echo_fr *F = (struct echo_fr *)fr;
    BEGIN(F);
    for (F->i = 0; F->i < N; F->i++) {
        F->flen = sizeof F->from;
        AWAIT(F, ca_recvfrom__ca_start(self, &F->hdr, &F->n, F->fd, F->buf, sizeof F->buf, 0,
                                       (struct sockaddr *)&F->from, &F->flen));
        CHECK(F->n > 0);
        CHECK_EQ(F->flen, sizeof F->from);
        for (ssize_t k = 0; k < F->n; k++)
            if (F->buf[k] >= 'a' && F->buf[k] <= 'z')
                F->buf[k] = (char)(F->buf[k] - 'a' + 'A');
        AWAIT(F, ca_sendto__ca_start(self, &F->hdr, &F->n, F->fd, F->buf, (size_t)F->n, 0,
                                     (struct sockaddr *)&F->from, F->flen));
        CHECK(F->n > 0);
    }
    RETURN(F, 0);
    END(F);
}
FD_START(echo, echo)

struct cli_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int fd, sfd, i;
    struct sockaddr_in me, server, from;
    socklen_t flen;
    ca_task *t;
    char out[32], buf[64];
    ssize_t n;
    int r;
};
static int cli_resume(ca_task *self, ca_frame *fr)
{
    struct cli_fr *F = (struct cli_fr *)fr;
    BEGIN(F);
    /* The server's socket is blocking: each attempt uses MSG_DONTWAIT, so the loop never blocks. */
    F->sfd = udp_socket(&F->server, 0);
    F->fd = udp_socket(&F->me, SOCK_NONBLOCK);
    F->t = spawn(echo, (void *)(intptr_t)F->sfd);
    for (F->i = 0; F->i < N; F->i++) {
        snprintf(F->out, sizeof F->out, "datagram %d", F->i);
        AWAIT(F, ca_sendto__ca_start(self, &F->hdr, &F->n, F->fd, F->out, strlen(F->out), 0,
                                     (struct sockaddr *)&F->server, sizeof F->server));
        CHECK_EQ(F->n, (ssize_t)strlen(F->out));
        F->flen = sizeof F->from;
        AWAIT(F, ca_recvfrom__ca_start(self, &F->hdr, &F->n, F->fd, F->buf, sizeof F->buf - 1, 0,
                                       (struct sockaddr *)&F->from, &F->flen));
        CHECK_EQ(F->n, (ssize_t)strlen(F->out));
        F->buf[F->n] = 0;
        snprintf(F->out, sizeof F->out, "DATAGRAM %d", F->i);
        CHECK(!strcmp(F->buf, F->out));
        CHECK_EQ(F->from.sin_port, F->server.sin_port); /* the reply's source is the server */
    }
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, 0);
    /* MSG_DONTWAIT never waits; a bad fd fails. */
    AWAIT(F, ca_recvfrom__ca_start(self, &F->hdr, &F->n, F->fd, F->buf, sizeof F->buf, MSG_DONTWAIT, NULL, NULL));
    CHECK_EQ(F->n, -EAGAIN);
    AWAIT(F, ca_recvfrom__ca_start(self, &F->hdr, &F->n, -1, F->buf, sizeof F->buf, 0, NULL, NULL));
    CHECK_EQ(F->n, -EBADF);
    close(F->fd);
    close(F->sfd);
    RETURN(F, 0);
    END(F);
}
static int cli(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, cli, parent);
    return cli_resume(self, &F->hdr);
}

static void test_udp(void)
{
    CHECK_EQ(run_async(cli, NULL), 0);
}

/* sendmsg/recvmsg: two iovecs and an fd (SCM_RIGHTS) over a unix socketpair; the receiver waits first. */
struct rm_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int fd;
    char a[4], b[8];
    struct iovec iov[2];
    struct msghdr msg;
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    ssize_t n;
};
static int rm_resume(ca_task *self, ca_frame *fr)
{
    struct rm_fr *F = (struct rm_fr *)fr;
    BEGIN(F);
    F->iov[0] = (struct iovec){F->a, sizeof F->a};
    F->iov[1] = (struct iovec){F->b, sizeof F->b};
    F->msg.msg_iov = F->iov;
    F->msg.msg_iovlen = 2;
    F->msg.msg_control = F->ctl.buf;
    F->msg.msg_controllen = sizeof F->ctl.buf;
    AWAIT(F, ca_recvmsg__ca_start(self, &F->hdr, &F->n, F->fd, &F->msg, MSG_CMSG_CLOEXEC));
    CHECK_EQ(F->n, 10);
    CHECK(!memcmp(F->a, "head", 4));
    CHECK(!memcmp(F->b, "body!!", 6));
    {
        struct cmsghdr *c = CMSG_FIRSTHDR(&F->msg);
        CHECK(c != NULL);
        CHECK_EQ(c->cmsg_type, SCM_RIGHTS);
        int got;
        memcpy(&got, CMSG_DATA(c), sizeof got);
        CHECK(got >= 0);
        CHECK_EQ(write(got, "via passed fd", 13), 13);
        close(got);
    }
    RETURN(F, 0);
    END(F);
}
FD_START(rm, rm)

struct sm_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int *fds; /* socket, fd to pass */
    ca_task *t;
    struct iovec iov[2];
    struct msghdr msg;
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    ssize_t n;
    int r;
};
static int sm_resume(ca_task *self, ca_frame *fr)
{
    struct sm_fr *F = (struct sm_fr *)fr;
    BEGIN(F);
    F->t = spawn(rm, (void *)(intptr_t)F->fds[1]);
    AWAIT_YIELD(F, F->r); /* the receiver waits now */
    F->iov[0] = (struct iovec){"head", 4};
    F->iov[1] = (struct iovec){"body!!", 6};
    F->msg.msg_iov = F->iov;
    F->msg.msg_iovlen = 2;
    F->msg.msg_control = F->ctl.buf;
    F->msg.msg_controllen = sizeof F->ctl.buf;
    {
        struct cmsghdr *c = CMSG_FIRSTHDR(&F->msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &F->fds[2], sizeof(int));
    }
    AWAIT(F, ca_sendmsg__ca_start(self, &F->hdr, &F->n, F->fds[0], &F->msg, 0));
    CHECK_EQ(F->n, 10);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, 0);
    RETURN(F, 0);
    END(F);
}
static int sm(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, sm, parent);
    F->fds = arg;
    return sm_resume(self, &F->hdr);
}

static void test_msg_with_fd(void)
{
    int sv[2], p[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
    CHECK_EQ(pipe2(p, O_CLOEXEC), 0);
    int fds[3] = {sv[0], sv[1], p[1]};
    CHECK_EQ(run_async(sm, fds), 0);
    char buf[32] = {0};
    CHECK_EQ(read(p[0], buf, sizeof buf), 13);
    CHECK(!strcmp(buf, "via passed fd"));
    close(p[0]);
    close(p[1]);
    close(sv[0]);
    close(sv[1]);
}

/* A waiting recvfrom cancelled, and one with a deadline. */
struct cr_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int fd;
    char buf[8];
    ssize_t n;
};
static int cr_resume(ca_task *self, ca_frame *fr)
{
    struct cr_fr *F = (struct cr_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_recvfrom__ca_start(self, &F->hdr, &F->n, F->fd, F->buf, sizeof F->buf, 0, NULL, NULL));
    RETURN(F, (int)F->n);
    END(F);
}
FD_START(cr, cr)
struct cc_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int fd;
    struct sockaddr_in a;
    ca_task *t;
    char buf[8];
    ssize_t n;
    int r;
};
static int cc_resume(ca_task *self, ca_frame *fr)
{
    struct cc_fr *F = (struct cc_fr *)fr;
    BEGIN(F);
    F->fd = udp_socket(&F->a, SOCK_NONBLOCK);
    F->t = spawn(cr, (void *)(intptr_t)F->fd);
    AWAIT_YIELD(F, F->r);
    CHECK_EQ(ca_cancel(F->t), 0);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, -ECANCELED);
    ca_deadline_in(3);
    AWAIT(F, ca_recvfrom__ca_start(self, &F->hdr, &F->n, F->fd, F->buf, sizeof F->buf, 0, NULL, NULL));
    ca_deadline_set(CA_NEVER);
    CHECK_EQ(F->n, -ETIMEDOUT);
    close(F->fd);
    RETURN(F, 0);
    END(F);
}
static int cc(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, cc, parent);
    return cc_resume(self, &F->hdr);
}

static void test_cancel_deadline(void)
{
    CHECK_EQ(run_async(cc, NULL), 0);
}

int main(int argc, char **argv)
{
    TEST(test_udp);
    TEST(test_msg_with_fd);
    TEST(test_cancel_deadline);
    return 0;
}
