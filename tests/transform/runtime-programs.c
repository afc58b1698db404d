// The runtime's pieces for whole programs, through the tool: a file written
// and read back at its position, a child process fed and drained through
// pipes, a signal awaited by two tasks, a name resolved on the pool, an
// inbox fed by another thread. The tool sees their declarations as runtime
// awaits: each call goes to its __ca_start, and a task's frame bytes count
// the runtime's op frames (two for ca_file_read, one for ca_signal_wait).
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cawait %t.in.c -o %t.report.c --frame-report | FileCheck %s --check-prefix=FRAMES
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe | FileCheck %s --check-prefix=OUT
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan | FileCheck %s --check-prefix=OUT
#include <cawait.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static async ssize_t read_one(int fd, char *c)
{
    return await ca_file_read(fd, c, 1);
}

static async int file_round_trip(const char *path)
{
    int fd = await ca_file_open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    if (fd < 0)
        return fd;
    await ca_file_write(fd, "cawait reads files\n", 19);
    lseek(fd, 0, SEEK_SET);
    char line[64];
    size_t n = 0;
    char c;
    while (n < sizeof line - 1 && await read_one(fd, &c) == 1)
        line[n++] = c;
    line[n] = 0;
    printf("file: %s", line);
    await ca_file_close(fd);
    return await ca_file_unlink(path);
}

static async void drain(int fd, char *out, size_t cap)
{
    size_t n = 0;
    ssize_t r;
    while (n < cap - 1 && (r = await ca_read(fd, out + n, cap - 1 - n)) > 0)
        n += (size_t)r;
    out[n] = 0;
}

static async int child_process(void)
{
    char *argv[] = {"tr", "a-z", "A-Z", NULL};
    struct ca_process_options o = {.file = "tr", .argv = argv};
    o.stdio[0].how = CA_STDIO_PIPE;
    o.stdio[1].how = CA_STDIO_PIPE;
    ca_process p;
    int r = ca_process_spawn(&p, &o);
    if (r < 0)
        return r;
    char out[64];
    ca_task *reader = ca_spawn(drain(p.stdout_fd, out, sizeof out));
    await ca_write_all(p.stdin_fd, "shout this\n", 11);
    close(p.stdin_fd);
    await ca_join(reader);
    int st = await ca_process_wait(&p);
    close(p.stdout_fd);
    printf("child: %s", out);
    printf("child exited: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}

static async void hangup_waiter(int id)
{
    int s = await ca_signal_wait(SIGHUP);
    printf("waiter %d got %s\n", id, s == SIGHUP ? "SIGHUP" : "something else");
}

static async int signals(void)
{
    ca_task *a = ca_spawn(hangup_waiter(1));
    ca_task *b = ca_spawn(hangup_waiter(2));
    await ca_yield();
    raise(SIGHUP); /* would end the program, were it not awaited */
    await ca_join(a);
    await ca_join(b);
    return 0;
}

static async int resolve(void)
{
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res;
    int r = await ca_getaddrinfo("localhost", "80", &hints, &res);
    if (r < 0)
        return r;
    char host[64];
    r = await ca_getnameinfo(res->ai_addr, res->ai_addrlen, host, sizeof host, NULL, 0, NI_NUMERICHOST);
    printf("localhost is %s\n", host);
    freeaddrinfo(res);
    return r;
}

static void *counter(void *arg)
{
    for (int i = 1; i <= 100; i++)
        while (ca_inbox_post(arg, &i) == -EAGAIN)
            usleep(100);
    ca_inbox_close(arg);
    return NULL;
}

static async int inbox(void)
{
    ca_inbox *ib = ca_inbox_new(8, sizeof(int));
    pthread_t th;
    pthread_create(&th, NULL, counter, ib);
    int v, sum = 0;
    while (await ca_inbox_recv(ib, &v) == 0)
        sum += v;
    pthread_join(th, NULL);
    ca_inbox_free(ib);
    printf("inbox sum: %d\n", sum);
    return 0;
}

static async int program(const char *path)
{
    int r = await file_round_trip(path);
    r = r ? r : await child_process();
    r = r ? r : await signals();
    r = r ? r : await resolve();
    r = r ? r : await inbox();
    if (r)
        printf("error: %s\n", ca_strerror(r));
    return r;
}

int main(int argc, char **argv)
{
    char path[256];
    snprintf(path, sizeof path, "%s.data", argv[0]);
    (void)argc;
    int r = ca_run(program(path));
    return r || ca_loop_close() != 0;
}

// SHAPE: ca_file_read__ca_start(
// SHAPE: ca_file_open__ca_start(
// SHAPE: ca_process_wait__ca_start(
// SHAPE: ca_signal_wait__ca_start(
// SHAPE: ca_getaddrinfo__ca_start(
// SHAPE: ca_inbox_recv__ca_start(

// read_one's task holds its frame and ca_file_read's two op frames (2 x 80).
// FRAMES: {{^}}read_one [[#FB:]]
// FRAMES-SAME: {{^}} [[#FB+160]]{{$}}
// FRAMES: {{^}}hangup_waiter [[#HW:]]
// FRAMES-SAME: {{^}} [[#HW+80]]{{$}}

// OUT: file: cawait reads files
// OUT-NEXT: child: SHOUT THIS
// OUT-NEXT: child exited: 0
// OUT-NEXT: waiter 1 got SIGHUP
// OUT-NEXT: waiter 2 got SIGHUP
// OUT-NEXT: localhost is 127.0.0.1
// OUT-NEXT: inbox sum: 5050
