// Task groups: waiting for all members; a member failing by a negative
// result (or ca_group_fail) cancels the others; cancelling the group, the
// waiter being cancelled or timing out, nested groups: no member outlives
// its group. Last, a server's clean shutdown: one group per listener,
// cancelled by SIGTERM through a self-pipe.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.got %t.asan.got
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe > %t.vg.got && diff %t.got %t.vg.got
// RUN: %cc -Wextra -fsyntax-only %s
#include <cawait.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static long total;
static int unwound;

static async int add(int v) { await ca_sleep((uint64_t)v); total += v; return 0; }
static async ssize_t fail_after(int ms, int err) { await ca_sleep((uint64_t)ms); return -err; }
static async int sleeper(const char *name)
{
    int r = await ca_sleep(10000);
    unwound++;
    printf("  %s unwound: %d\n", name, r);
    return r; /* -ECANCELED: a cancelled member does not fail the group */
}
static async void void_failer(ca_group *g) { await ca_sleep(2); ca_group_fail(g, -EPIPE); }
static async unsigned never_fails(void) { await ca_yield(); return (unsigned)-1; } /* unsigned: not a failure */

static async int all_succeed(void)
{
    ca_group g;
    ca_group_init(&g);
    static const int ms[5] = {1, 2, 3, 4, 5};
    for (int i = 0; i < 5; i++)
        ca_group_spawn(&g, add(ms[i])); /* a subscript in the call: the group is still &g */
    ca_group_spawn(&g, never_fails());
    printf("live: %zu\n", ca_group_size(&g));
    int r = await ca_group_wait(&g);
    long twin = 0; /* the same calls, awaited one by one */
    long before = total;
    for (int i = 1; i <= 5; i++)
        await add(i);
    twin = total - before;
    printf("all: %d total=%ld twin=%ld live=%zu\n", r, before, twin, ca_group_size(&g));
    printf("closed: %d\n", ca_group_spawn(&g, add(1)) == NULL);
    return r;
}

static async int first_failure(void)
{
    ca_group g;
    ca_group_init(&g);
    ca_group_spawn(&g, sleeper("a"));
    ca_group_spawn(&g, fail_after(3, EIO));
    ca_group_spawn(&g, sleeper("b"));
    ca_group_spawn(&g, fail_after(6, ENOSPC)); /* cancelled before it fails */
    int r = await ca_group_wait(&g);
    printf("failure: %d (-EIO=%d) unwound=%d\n", r, -EIO, unwound);
    ca_group_init(&g); /* reused */
    ca_group_spawn(&g, sleeper("c"));
    ca_group_spawn(&g, void_failer(&g));
    await ca_sleep(1);
    ca_group_fail(&g, -EBADF); /* the first failure wins over void_failer's later one */
    printf("spawn after failure: %d\n", ca_group_spawn(&g, add(1)) == NULL);
    r = await ca_group_wait(&g);
    printf("explicit: %d (-EBADF=%d)\n", r, -EBADF);
    return 0;
}

static async void stopper(ca_group *g, int ms) { await ca_sleep((uint64_t)ms); ca_group_cancel(g); }

static async int waiter(ca_group *g)
{
    int r = await ca_group_wait(g);
    printf("  waiter returns %d after %d unwound\n", r, unwound);
    return r;
}

static async int inner_owner(void)
{
    ca_group inner;
    ca_group_init(&inner);
    ca_group_spawn(&inner, sleeper("inner"));
    return await ca_group_wait(&inner); /* -ECANCELED once the outer group cancels this member */
}

static async int cancelling(void)
{
    ca_group g;
    ca_group_init(&g);
    ca_group_spawn(&g, sleeper("d"));
    ca_group_spawn(&g, sleeper("e"));
    ca_task *s = ca_spawn(stopper(&g, 2));
    int r = await ca_group_wait(&g);
    printf("cancelled group: %d\n", r);
    await ca_join(s);

    /* The waiter cancelled: it cancels its members and waits for them before it returns. */
    unwound = 0;
    ca_group_init(&g);
    ca_group_spawn(&g, sleeper("f"));
    ca_group_spawn(&g, sleeper("g"));
    ca_task *w = ca_spawn(waiter(&g));
    await ca_sleep(2);
    ca_cancel(w);
    printf("cancelled waiter: %d\n", await ca_join(w));

    /* A deadline on the wait: -ETIMEDOUT, after the members have unwound. */
    unwound = 0;
    ca_group_init(&g);
    ca_group_spawn(&g, sleeper("h"));
    uint64_t old = ca_deadline_in(3);
    r = await ca_group_wait(&g);
    ca_deadline_set(old);
    printf("timed out: %d (-ETIMEDOUT=%d) unwound=%d\n", r, -ETIMEDOUT, unwound);

    /* Nested: cancelling the outer group reaches the inner group's members. */
    ca_group_init(&g);
    ca_group_spawn(&g, inner_owner());
    ca_task *s2 = ca_spawn(stopper(&g, 2));
    r = await ca_group_wait(&g);
    printf("nested: %d\n", r);
    await ca_join(s2);
    return 0;
}

/* ---- a server: one group per listener, cancelled on SIGTERM ---- */

static int sig_pipe[2], accepted;
static void on_term(int sig) { (void)sig; char c = 1; ssize_t n = write(sig_pipe[1], &c, 1); (void)n; }

static async int client_handler(int fd)
{
    char buf[64];
    ssize_t n = await ca_read(fd, buf, sizeof buf); /* waits until shutdown cancels it */
    close(fd);
    unwound++;
    return n < 0 && n != -ECANCELED ? (int)n : 0;
}

static async int listener(ca_group *clients, int lfd)
{
    for (;;) {
        int fd = await ca_accept(lfd, NULL, NULL);
        if (fd < 0)
            return fd == -ECANCELED ? 0 : fd;
        if (!ca_group_spawn(clients, client_handler(fd)))
            close(fd);
        accepted++;
    }
}

static async void on_sigterm(ca_group *g)
{
    char c;
    if (await ca_read(sig_pipe[0], &c, 1) == 1) {
        printf("  SIGTERM: shutting down %zu tasks\n", ca_group_size(g));
        ca_group_cancel(g);
    }
}

static async int connect_clients(int port, int n, int *fds)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int i = 0; i < n; i++) {
        fds[i] = socket(AF_INET, SOCK_STREAM, 0);
        ca_set_nonblock(fds[i]);
        if (await ca_connect(fds[i], (struct sockaddr *)&a, sizeof a) < 0)
            return -1;
    }
    while (accepted < n) /* let the listener take them all */
        await ca_sleep(1);
    raise(SIGTERM);
    return 0;
}

static async int server(void)
{
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *)&a, sizeof a) || listen(lfd, 16) || getsockname(lfd, (struct sockaddr *)&a, &len))
        return -1;
    ca_set_nonblock(lfd);
    if (pipe(sig_pipe))
        return -1;
    ca_set_nonblock(sig_pipe[0]);
    signal(SIGTERM, on_term);

    unwound = 0;
    ca_group g;
    ca_group_init(&g);
    ca_group_spawn(&g, listener(&g, lfd));
    ca_group_spawn(&g, on_sigterm(&g));
    int fds[3];
    ca_task *c = ca_spawn(connect_clients(ntohs(a.sin_port), 3, fds));
    int r = await ca_group_wait(&g);
    printf("server: %d, handlers unwound=%d\n", r, unwound);
    await ca_join(c);
    for (int i = 0; i < 3; i++)
        close(fds[i]);
    close(lfd), close(sig_pipe[0]), close(sig_pipe[1]);
    return r;
}

static async int run(void)
{
    await all_succeed();
    await first_failure();
    await cancelling();
    return await server();
}

int main(void)
{
    int r = ca_run(run());
    struct ca_loop_stats st;
    ca_loop_stats(&st);
    printf("end: %d tasks=%zu\n", r, st.tasks);
    return 0;
}

// A group's spawn helper takes the group; an int member fails when negative, an unsigned one never.
// SHAPE-LABEL: {{^}}static ca_task *ca__group_spawn_add(ca_task *spawner, ca_group *group, int a0){{$}}
// SHAPE: ca__group_task_new(group, spawner, add__ca_task_bytes, sizeof(*(int *)0), __alignof__(*(int *)0), 1, &v);
// SHAPE-LABEL: {{^}}static ca_task *ca__group_spawn_never_fails(ca_task *spawner, ca_group *group){{$}}
// SHAPE: ca__group_task_new(group, spawner, never_fails__ca_task_bytes, sizeof(*(unsigned int *)0), __alignof__(*(unsigned int *)0), 0, &v);

// OUT: live: 6
// OUT-NEXT: all: 0 total=15 twin=15 live=0
// OUT-NEXT: closed: 1
// OUT-NEXT:   a unwound: -125
// OUT-NEXT:   b unwound: -125
// OUT-NEXT: failure: -5 (-EIO=-5) unwound=2
// OUT-NEXT: spawn after failure: 1
// OUT-NEXT:   c unwound: -125
// OUT-NEXT: explicit: -9 (-EBADF=-9)
// OUT-NEXT:   d unwound: -125
// OUT-NEXT:   e unwound: -125
// OUT-NEXT: cancelled group: 0
// OUT-NEXT:   f unwound: -125
// OUT-NEXT:   g unwound: -125
// OUT-NEXT:   waiter returns -125 after 2 unwound
// OUT-NEXT: cancelled waiter: -125
// OUT-NEXT:   h unwound: -125
// OUT-NEXT: timed out: -110 (-ETIMEDOUT=-110) unwound=1
// OUT-NEXT:   inner unwound: -125
// OUT-NEXT: nested: 0
// OUT-NEXT:   SIGTERM: shutting down 5 tasks
// OUT-NEXT: server: 0, handlers unwound=3
// OUT-NEXT: end: 0 tasks=0
