/*
 * Files on the pool (open, write, read at the current position, stat,
 * fstat, fsync, rename, unlink, close), and ca_file_read / ca_file_write
 * on blocking pipes, sockets and /dev/null, whose flags they leave alone.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "test.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/cawait-file-XXXXXX";

struct fs_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    char a[64], b[64];
    char buf[32];
    struct stat st;
    int fd, r;
    ssize_t n;
};
static int fs_resume(ca_task *self, ca_frame *fr)
{
    struct fs_fr *F = (struct fs_fr *)fr;
    BEGIN(F);
    snprintf(F->a, sizeof F->a, "%s/a", dir);
    snprintf(F->b, sizeof F->b, "%s/b", dir);
    AWAIT(F, ca_file_open__ca_start(self, &F->hdr, &F->fd, F->a, O_CREAT | O_RDWR | O_TRUNC, 0600));
    CHECK(F->fd >= 0);
    CHECK(fcntl(F->fd, F_GETFD) & FD_CLOEXEC);
    AWAIT(F, ca_file_write__ca_start(self, &F->hdr, &F->n, F->fd, "hello ", 6));
    CHECK_EQ(F->n, 6);
    AWAIT(F, ca_file_write__ca_start(self, &F->hdr, &F->n, F->fd, "world", 5)); /* at the position: appends */
    CHECK_EQ(F->n, 5);
    AWAIT(F, ca_file_fsync__ca_start(self, &F->hdr, &F->r, F->fd));
    CHECK_EQ(F->r, 0);
    AWAIT(F, ca_file_fstat__ca_start(self, &F->hdr, &F->r, F->fd, &F->st));
    CHECK_EQ(F->r, 0);
    CHECK_EQ(F->st.st_size, 11);
    CHECK_EQ(lseek(F->fd, 0, SEEK_SET), 0);
    AWAIT(F, ca_file_read__ca_start(self, &F->hdr, &F->n, F->fd, F->buf, 5));
    CHECK_EQ(F->n, 5);
    CHECK(!memcmp(F->buf, "hello", 5));
    AWAIT(F, ca_file_read__ca_start(self, &F->hdr, &F->n, F->fd, F->buf, sizeof F->buf));
    CHECK_EQ(F->n, 6); /* the rest, from where the last read ended */
    CHECK(!memcmp(F->buf, " world", 6));
    AWAIT(F, ca_file_read__ca_start(self, &F->hdr, &F->n, F->fd, F->buf, sizeof F->buf));
    CHECK_EQ(F->n, 0); /* end of file */
    AWAIT(F, ca_file_close__ca_start(self, &F->hdr, &F->r, F->fd));
    CHECK_EQ(F->r, 0);
    AWAIT(F, ca_file_read__ca_start(self, &F->hdr, &F->n, F->fd, F->buf, 1));
    CHECK_EQ(F->n, -EBADF);

    AWAIT(F, ca_file_rename__ca_start(self, &F->hdr, &F->r, F->a, F->b));
    CHECK_EQ(F->r, 0);
    AWAIT(F, ca_file_stat__ca_start(self, &F->hdr, &F->r, F->a, &F->st));
    CHECK_EQ(F->r, -ENOENT);
    AWAIT(F, ca_file_stat__ca_start(self, &F->hdr, &F->r, F->b, &F->st));
    CHECK_EQ(F->r, 0);
    CHECK_EQ(F->st.st_size, 11);
    CHECK(S_ISREG(F->st.st_mode));
    AWAIT(F, ca_file_unlink__ca_start(self, &F->hdr, &F->r, F->b));
    CHECK_EQ(F->r, 0);
    AWAIT(F, ca_file_unlink__ca_start(self, &F->hdr, &F->r, F->b));
    CHECK_EQ(F->r, -ENOENT);
    AWAIT(F, ca_file_open__ca_start(self, &F->hdr, &F->r, F->b, O_RDONLY, 0));
    CHECK_EQ(F->r, -ENOENT);
    AWAIT(F, ca_file_open__ca_start(self, &F->hdr, &F->r, NULL, O_RDONLY, 0));
    CHECK_EQ(F->r, -EINVAL);

    /* /dev/null: epoll refuses it, reads and writes still work. */
    F->fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    AWAIT(F, ca_file_read__ca_start(self, &F->hdr, &F->n, F->fd, F->buf, sizeof F->buf));
    CHECK_EQ(F->n, 0);
    AWAIT(F, ca_file_write__ca_start(self, &F->hdr, &F->n, F->fd, "x", 1));
    CHECK_EQ(F->n, 1);
    close(F->fd);
    RETURN(F, 0);
    END(F);
}
static int fs(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, fs, parent);
    return fs_resume(self, &F->hdr);
}

static void test_path_and_fd_ops(void)
{
    CHECK_EQ(run_async(fs, NULL), 0);
}

/*
 * A blocking pipe, as a shell gives a program on stdin: a thread writes
 * 1 MiB in pieces with pauses while a task reads it with ca_file_read (where
 * ca_pread says ESPIPE); then the other way round, ca_file_write into a
 * blocking pipe that a thread drains. The pipe stays blocking.
 */
#define PIPE_BYTES (1 << 20)
static unsigned char pattern(size_t i)
{
    return (unsigned char)(i * 131 + i / 977);
}
static void *slow_writer(void *arg)
{
    int fd = (int)(intptr_t)arg;
    unsigned char buf[4096];
    for (size_t off = 0; off < PIPE_BYTES;) {
        size_t n = 1 + (off / 7) % sizeof buf;
        if (n > PIPE_BYTES - off)
            n = PIPE_BYTES - off;
        for (size_t i = 0; i < n; i++)
            buf[i] = pattern(off + i);
        CHECK_EQ(write(fd, buf, n), (ssize_t)n);
        off += n;
        if (off % 50 == 0)
            usleep(100);
    }
    close(fd);
    return NULL;
}
static void *drainer(void *arg)
{
    int fd = (int)(intptr_t)arg;
    unsigned char buf[3000];
    size_t off = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            CHECK_EQ(buf[i], pattern(off + (size_t)i));
        off += (size_t)n;
        if (off % 7 == 0)
            usleep(50);
    }
    CHECK_EQ(off, PIPE_BYTES);
    return NULL;
}

struct pp_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int *fds;
    size_t off;
    ssize_t n;
    unsigned char *big;
    unsigned char buf[5000];
};
static int pp_resume(ca_task *self, ca_frame *fr)
{
    struct pp_fr *F = (struct pp_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_pread__ca_start(self, &F->hdr, &F->n, F->fds[0], F->buf, 1, 0));
    CHECK_EQ(F->n, -ESPIPE);
    for (;;) {
        AWAIT(F, ca_file_read__ca_start(self, &F->hdr, &F->n, F->fds[0], F->buf, sizeof F->buf));
        CHECK(F->n >= 0);
        if (F->n == 0)
            break;
        for (ssize_t i = 0; i < F->n; i++)
            CHECK_EQ(F->buf[i], pattern(F->off + (size_t)i));
        F->off += (size_t)F->n;
    }
    CHECK_EQ(F->off, PIPE_BYTES);
    /* Now write 1 MiB in one call into a blocking pipe that a thread drains slowly. */
    F->big = malloc(PIPE_BYTES);
    for (size_t i = 0; i < PIPE_BYTES; i++)
        F->big[i] = pattern(i);
    AWAIT(F, ca_file_write__ca_start(self, &F->hdr, &F->n, F->fds[1], F->big, PIPE_BYTES));
    CHECK_EQ(F->n, PIPE_BYTES);
    free(F->big);
    RETURN(F, 0);
    END(F);
}
static int pp(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, pp, parent);
    F->fds = arg;
    return pp_resume(self, &F->hdr);
}

static void test_blocking_pipes(void)
{
    int in[2], out[2];
    CHECK_EQ(pipe2(in, O_CLOEXEC), 0);
    CHECK_EQ(pipe2(out, O_CLOEXEC), 0);
    pthread_t w, d;
    CHECK_EQ(pthread_create(&w, NULL, slow_writer, (void *)(intptr_t)in[1]), 0);
    CHECK_EQ(pthread_create(&d, NULL, drainer, (void *)(intptr_t)out[0]), 0);
    int fds[2] = {in[0], out[1]};
    CHECK_EQ(run_async(pp, fds), 0);
    CHECK(!(fcntl(in[0], F_GETFL) & O_NONBLOCK)); /* left blocking */
    CHECK(!(fcntl(out[1], F_GETFL) & O_NONBLOCK));
    close(out[1]);
    pthread_join(w, NULL);
    pthread_join(d, NULL);
    close(in[0]);
    close(out[0]);
}

/* A blocking socketpair: ca_file_write sends it all, ca_file_read reads what is there. */
struct sk_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int *sv;
    char buf[8];
    ssize_t n;
};
static int sk_resume(ca_task *self, ca_frame *fr)
{
    struct sk_fr *F = (struct sk_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_file_write__ca_start(self, &F->hdr, &F->n, F->sv[0], "ping", 4));
    CHECK_EQ(F->n, 4);
    AWAIT(F, ca_file_read__ca_start(self, &F->hdr, &F->n, F->sv[1], F->buf, sizeof F->buf));
    CHECK_EQ(F->n, 4);
    CHECK(!memcmp(F->buf, "ping", 4));
    RETURN(F, 0);
    END(F);
}
static int sk(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, sk, parent);
    F->sv = arg;
    return sk_resume(self, &F->hdr);
}

static void test_blocking_socket(void)
{
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    CHECK_EQ(run_async(sk, sv), 0);
    CHECK(!(fcntl(sv[0], F_GETFL) & O_NONBLOCK));
    close(sv[0]);
    close(sv[1]);
}

/*
 * A terminal (a pseudo-terminal's slave, blocking): a line typed on the
 * master side is read once it is complete; a write goes through the pool
 * and comes out on the master. The slave stays blocking.
 */
struct tty_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int master, slave;
    char buf[32];
    ssize_t n;
};
static int tty_resume(ca_task *self, ca_frame *fr)
{
    struct tty_fr *F = (struct tty_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_file_write__ca_start(self, &F->hdr, &F->n, F->slave, "to the terminal\n", 16));
    CHECK_EQ(F->n, 16);
    CHECK_EQ(write(F->master, "typed line\n", 11), 11);
    AWAIT(F, ca_file_read__ca_start(self, &F->hdr, &F->n, F->slave, F->buf, sizeof F->buf));
    CHECK_EQ(F->n, 11);
    CHECK(!memcmp(F->buf, "typed line\n", 11));
    RETURN(F, 0);
    END(F);
}
static int tty(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, tty, parent);
    F->master = ((int *)arg)[0];
    F->slave = ((int *)arg)[1];
    return tty_resume(self, &F->hdr);
}

static void test_terminal(void)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    CHECK(m >= 0);
    CHECK_EQ(grantpt(m), 0);
    CHECK_EQ(unlockpt(m), 0);
    int s = open(ptsname(m), O_RDWR | O_NOCTTY | O_CLOEXEC);
    CHECK(s >= 0);
    CHECK(isatty(s));
    int fds[2] = {m, s};
    CHECK_EQ(run_async(tty, fds), 0);
    CHECK(!(fcntl(s, F_GETFL) & O_NONBLOCK));
    char out[64] = {0};
    ssize_t n = read(m, out, sizeof out - 1); /* the terminal turned \n into \r\n */
    CHECK(n >= 16);
    CHECK(!strncmp(out, "to the terminal", 15));
    close(s);
    close(m);
}

/*
 * Cancelled: a read of an empty blocking pipe ends at once; an open that
 * the pool completes after the cancel (of a FIFO, which waits for a
 * writer) has its fd closed for the task (check_clean counts fds).
 */
struct cn_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int fd;
    char buf[4];
    ssize_t n;
    int r;
};
static char fifo[64];
static int cn_resume(ca_task *self, ca_frame *fr)
{
    struct cn_fr *F = (struct cn_fr *)fr;
    BEGIN(F);
    if (F->fd >= 0) {
        AWAIT(F, ca_file_read__ca_start(self, &F->hdr, &F->n, F->fd, F->buf, sizeof F->buf));
        CHECK_EQ(F->n, -ECANCELED);
    } else {
        AWAIT(F, ca_file_open__ca_start(self, &F->hdr, &F->r, fifo, O_RDONLY, 0));
        CHECK_EQ(F->r, -ECANCELED);
    }
    RETURN(F, 0);
    END(F);
}
FD_START(cn, cn)
struct cm_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int fd;
    ca_task *t;
    int r;
};
static int cm_resume(ca_task *self, ca_frame *fr)
{
    struct cm_fr *F = (struct cm_fr *)fr;
    BEGIN(F);
    F->t = spawn(cn, (void *)(intptr_t)F->fd);
    AWAIT_YIELD(F, F->r);
    CHECK_EQ(ca_cancel(F->t), 0);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, -ECANCELED);
    RETURN(F, 0);
    END(F);
}
FD_START(cm, cm)

static void test_cancel(void)
{
    int p[2];
    CHECK_EQ(pipe2(p, O_CLOEXEC), 0);
    CHECK_EQ(run_async(cm, (void *)(intptr_t)p[0]), 0);
    close(p[0]);
    close(p[1]);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    CHECK_EQ(mkfifo(fifo, 0600), 0);
    CHECK_EQ(run_async(cm, (void *)(intptr_t)-1), 0);
    int w = open(fifo, O_WRONLY | O_CLOEXEC); /* the pool's open completes now, for nobody */
    CHECK(w >= 0);
    close(w);
    unlink(fifo);
    /* ca_loop_close (check_clean) joins the pool: the open has finished, its fd closed. */
}

int main(int argc, char **argv)
{
    CHECK(mkdtemp(dir) != NULL);
    TEST(test_path_and_fd_ops);
    TEST(test_blocking_pipes);
    TEST(test_blocking_socket);
    TEST(test_terminal);
    TEST(test_cancel);
    rmdir(dir);
    return 0;
}
