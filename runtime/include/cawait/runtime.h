/*
 * libcawait's API: loops, tasks, time, I/O, the thread pool, futures,
 * channels and synchronisation between tasks; datagrams and messages,
 * files, name resolution, signals, child processes, and inboxes that other
 * threads post into.
 *
 * Conventions (libuv's):
 *   - Every function returns 0 (or a count, an index, a value) on success
 *     and a negative errno value on failure. Nothing aborts on bad input.
 *   - Out of memory: calls return -ENOMEM (ca_spawn gives NULL: see
 *     ca_detach). When ca_deadline_set cannot record a deadline, every
 *     later runtime await of the task returns -ENOMEM, as a cancel makes
 *     them return -ECANCELED. Only a frame beyond what the tool could bound
 *     (recursion, a call into another file) that needs a new chunk of frame
 *     stack when none can be had prints a message and aborts (abi.h), and so
 *     does ca_run when it cannot make its task: generated code has no error
 *     path there. (docs/runtime.md: what allocates.)
 *   - An `async` function is awaited from async code (`await ca_sleep(10)`);
 *     each one is declared twice, as users see it and as generated code calls
 *     it (`..._ca_start`, see abi.h).
 *   - Cancellation is sticky: once ca_cancel(t) has been called, the await
 *     t is suspended in and every later runtime await of t returns
 *     -ECANCELED at once.
 *   - Deadlines: a task may carry a deadline (ca_deadline_set). While the
 *     loop's clock is at or past it, every runtime await of the task returns
 *     -ETIMEDOUT at once, and an await that is suspended when it passes
 *     returns -ETIMEDOUT then. This is the timeout on any awaitable: set a
 *     deadline, await anything (a whole async call tree), restore it.
 *
 * Threads: each thread has its own loop, made on first use; a task, and
 * every channel, mutex, semaphore and event it waits on, belong to the loop
 * of the thread that created the task and may be used only from that thread.
 * Futures are the bridge: ca_future_resolve may be called from any thread.
 *
 * Marks for the cawait tool: every async function declared here carries
 * one of the three below, which says what it costs a waiting task. The tool
 * knows the runtime's awaits by these marks, not by their names or by the
 * directory the header is in. A new runtime await needs one (the lit test
 * tests/passes/runtime-marks.c fails otherwise):
 *
 *     CA__AWAIT_IN_TASK async int ca_sleep(uint64_t ms);
 *
 *   CA__AWAIT_IN_TASK   waits in the task itself: pushes no frame.
 *   CA__AWAIT_OP_FRAME  pushes one op frame, at most CA__OP_FRAME_MAX bytes.
 *   CA__AWAIT_OP_FRAMES(n)  n op frames at once (an op frame awaiting
 *                       another runtime await that pushes one: n = 2).
 *   CA__AWAIT_ON_RESUME pushes nothing, its __ca_start takes no result
 *                       pointer, and its result is read after the task
 *                       resumes, with NAME__ca_result(task) (ca_yield).
 *
 * They are annotate attributes under clang (which the tool is built on) and
 * nothing under other compilers, so gcc and clangd read plain C.
 */
#ifndef CAWAIT_RUNTIME_H
#define CAWAIT_RUNTIME_H

#include "abi.h"
#include "keywords.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#if defined(__GLIBC__) && !defined(__USE_POSIX)
#include <bits/types/sigset_t.h> /* strict ISO C: <signal.h> leaves sigset_t out */
#endif

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__clang__)
#define CA__RUNTIME_MARK(what) __attribute__((annotate("cawait_runtime " what)))
#else
#define CA__RUNTIME_MARK(what)
#endif
#define CA__STR_(x) #x
#define CA__STR(x) CA__STR_(x)
#define CA__AWAIT_IN_TASK CA__RUNTIME_MARK("in_task")
#define CA__AWAIT_OP_FRAMES(n) CA__RUNTIME_MARK("op_frames " #n " " CA__STR(CA__OP_FRAME_MAX))
#define CA__AWAIT_OP_FRAME CA__AWAIT_OP_FRAMES(1)
#define CA__AWAIT_ON_RESUME CA__RUNTIME_MARK("on_resume")

typedef struct ca_loop ca_loop;
typedef struct ca_chan ca_chan;
typedef struct ca_inbox ca_inbox;
struct addrinfo;
struct stat;

/* ------------------------------------------------------------------ loops */

/* Counters of what a loop still holds; a test's leak check wants all zero. */
struct ca_loop_stats {
    size_t tasks;        /* tasks not yet released (running, waiting or not joined) */
    size_t ready;        /* tasks in the run queue */
    size_t timers;       /* tasks with a timer (asleep, or waiting with a deadline) */
    size_t io_waits;     /* tasks waiting for an fd */
    size_t remote_waits; /* tasks waiting for a future, the thread pool, an inbox, a signal or a child */
    size_t pool_threads; /* threads of the loop's pool */
};

/* The calling thread's loop, made on first use; NULL when it cannot be made. */
ca_loop *ca_loop_current(void);
/* Fill *st with the calling thread's loop counters (all zero when it has none). */
void ca_loop_stats(struct ca_loop_stats *st);
/*
 * Free the calling thread's loop (its epoll and eventfd descriptors, its
 * thread pool, its caches). -EBUSY, and nothing freed, while a task of it is
 * not released. The next use of the runtime in this thread makes a new loop.
 *
 * When ca_run returns, the loop's other tasks stay as they are: ready tasks
 * wait for the next turn, sleeping and waiting ones keep their timers and
 * fds, and the next ca_run of this thread runs them on. To end a program's
 * tasks, use ca_loop_shutdown.
 */
int ca_loop_close(void);
/*
 * From synchronous code: cancel every task of the calling thread's loop,
 * run the loop until each has unwound to its end (tasks spawned meanwhile
 * are cancelled too), release them all, joined or not (their ca_task
 * pointers are dangling from then on), and close the loop. 0; -EBUSY from
 * inside ca_run (a task). A task that ignores -ECANCELED and loops forever
 * keeps it from returning, as it would keep ca_run from returning.
 */
int ca_loop_shutdown(void);
/*
 * Set the number of threads of the calling thread's loop's pool (default 4,
 * at most 256). -EBUSY once the pool has started (on the first ca_blocking).
 */
int ca_loop_set_pool_size(unsigned n);

/* ------------------------------------------------------------------ tasks */

/* (ca_spawn(CALL) and ca_run(CALL) are in keywords.h; the tool expands them.) */

/*
 * Wait for t to end: 0, or -ECANCELED if t was cancelled; t is released.
 * -EINVAL if t is detached or already released (detected as long as its
 * memory was not reused by a new task), -EBUSY if another task is joining
 * it, -EDEADLK if t is the calling task. -ETIMEDOUT when the caller's
 * deadline passes; t stays joinable. When the caller is cancelled, t is
 * cancelled and detached and -ECANCELED is returned.
 */
CA__AWAIT_IN_TASK async int ca_join(ca_task *t);
int ca_join__ca_start(ca_task *self, ca_frame *parent, int *ret, ca_task *t);
/*
 * Nobody will join t; it is released when it ends (now, if it has ended).
 * 0; -ENOMEM when t is NULL, which is what ca_spawn returns when it has no
 * memory for the task (the call never ran, its arguments are still the
 * caller's), so that `if (ca_detach(ca_spawn(serve(fd))) < 0) ca_close(fd);`
 * loses nothing; -EINVAL when t is already detached or released, or is the
 * task a ca_run waits for; -EBUSY while another task joins it.
 */
int ca_detach(ca_task *t);
/*
 * Cancel t (see the conventions above). 0, -ESRCH if t has already ended,
 * -EINVAL if t is released. The calling task may cancel itself.
 */
int ca_cancel(ca_task *t);
/* The task running now, or NULL in synchronous code. */
ca_task *ca_self(void);
/*
 * Let every other ready task run once. Then 0, or -ECANCELED if the task
 * has been cancelled by then (a cancelled task's yield fails at once,
 * without switching), or -ETIMEDOUT if its deadline has passed by then.
 */
CA__AWAIT_ON_RESUME async int ca_yield(void);
/*
 * Inline, as the cheapest wait: a yield only records where to resume and
 * returns CA_YIELD, which the frames pass up to the runtime's driver; the
 * driver moves the task to the back of the run queue, or resumes it at
 * once when it is cancelled. Its result is read when the await returns
 * (the tool calls ca_yield__ca_result after the resume point, and not at
 * all when the result is unused), so a yield writes nothing else.
 */
static inline int ca_yield__ca_start(ca_task *self, ca_frame *parent)
{
    self->wait_fr = parent;
    return CA_YIELD;
}
int ca__yield_error(ca_task *self); /* the task is cancelled or has a deadline */
static inline int ca_yield__ca_result(ca_task *self)
{
    if (__builtin_expect(!(self->flags & (CA__T_CANCELLED | CA__T_DEADLINE | CA__T_NOMEM)), 1))
        return 0;
    return ca__yield_error(self);
}

/*
 * Gather: join every non-NULL task of tasks[0..n) and set its entry to
 * NULL. 0 when all ended with 0, else the first nonzero status in array
 * order. On -ETIMEDOUT the entries not yet joined are left joinable; when
 * the caller is cancelled they are cancelled and detached (and set NULL)
 * and -ECANCELED is returned.
 */
CA__AWAIT_OP_FRAME async int ca_join_all(ca_task **tasks, size_t n);
int ca_join_all__ca_start(ca_task *self, ca_frame *parent, int *ret, ca_task **tasks, size_t n);
/*
 * First-of: wait until one of the non-NULL tasks of tasks[0..n) ends, join
 * it (its status in *status when status is not NULL), set its entry to NULL
 * and return its index. The others are untouched. -EINVAL when no entry is
 * a joinable task, -ECANCELED, -ETIMEDOUT.
 */
CA__AWAIT_OP_FRAME async int ca_join_any(ca_task **tasks, size_t n, int *status);
int ca_join_any__ca_start(ca_task *self, ca_frame *parent, int *ret, ca_task **tasks, size_t n, int *status);

/*
 * Task values (asyncio's `await task`). A task spawned into a typed handle,
 *     ca_task_of(int) t = ca_spawn(f(x));
 * keeps the value of its call, and the joiner takes it:
 *     int v;
 *     if (await ca_join_value(t, &v) == 0) ... v is f(x)'s value ...
 * 0 with *value written, or -ECANCELED when t was cancelled (then *value is
 * left alone: a cancelled task never reports a value), with every error of
 * ca_join and -EINVAL when t keeps no value of *value's size (it was not
 * spawned into a typed handle, or is a task of another type). The tool
 * checks *value's type against the handle's where it sees both; the size
 * is also checked at run time (the __ca_start macros below read it from the
 * pointer's type).
 */
CA__AWAIT_OP_FRAME async int ca_join_value(ca_task *t, void *value);
int ca__join_value(ca_task *self, ca_frame *parent, int *ret, ca_task *t, void *value, size_t size);
/* The size of *p, or 0 (not checked) when p is a void pointer. */
/* clang-format would space the _Generic associations as labels */
/* clang-format off */
#define CA__SIZEOF_TARGET(p) _Generic((p), void *: (size_t)0, const void *: (size_t)0, default: sizeof *(p))
/* clang-format on */
#define ca_join_value__ca_start(self, parent, ret, t, value) \
    ca__join_value(self, parent, ret, t, value, CA__SIZEOF_TARGET(value))
/*
 * Gather with values: ca_join_all, and the value of each task that ended
 * uncancelled goes to values[i] (an array of n values of the tasks' type);
 * when statuses is not NULL, statuses[i] gets each joined task's status (0
 * or -ECANCELED). -EINVAL, and nothing joined, when a non-NULL entry keeps
 * no value of that size.
 */
CA__AWAIT_OP_FRAME async int ca_join_all_values(ca_task **tasks, size_t n, void *values, int *statuses);
int ca__join_all_values(ca_task *self, ca_frame *parent, int *ret, ca_task **tasks, size_t n, void *values, size_t size,
                        int *statuses);
#define ca_join_all_values__ca_start(self, parent, ret, tasks, n, values, statuses) \
    ca__join_all_values(self, parent, ret, tasks, n, values, CA__SIZEOF_TARGET(values), statuses)
/*
 * First-of with a value: ca_join_any, and the value of the task that ended
 * goes to *value when its status is 0. -EINVAL when a non-NULL entry keeps
 * no value of that size.
 */
CA__AWAIT_OP_FRAME async int ca_join_any_value(ca_task **tasks, size_t n, void *value, int *status);
int ca__join_any_value(ca_task *self, ca_frame *parent, int *ret, ca_task **tasks, size_t n, void *value, size_t size,
                       int *status);
#define ca_join_any_value__ca_start(self, parent, ret, tasks, n, value, status) \
    ca__join_any_value(self, parent, ret, tasks, n, value, CA__SIZEOF_TARGET(value), status)

/* ----------------------------------------------------------------- groups */

/*
 * Task groups (structured concurrency: trio's nurseries, asyncio's
 * TaskGroup). The user owns the storage:
 *
 *     ca_group g;
 *     ca_group_init(&g);
 *     ca_group_spawn(&g, serve_client(fd));   (a ca_task *, or NULL)
 *     ...
 *     int r = await ca_group_wait(&g);        (every member has ended)
 *
 * The group owns its members: they are released when they end, and nobody
 * joins or detaches them (ca_join gives -EINVAL); ca_cancel on one is fine.
 * A member FAILS when its call returns a negative value of a signed integer
 * type (int, long, ssize_t...: the -errno convention) without having been
 * cancelled, or when ca_group_fail is called. The first failure is kept and
 * every other member is cancelled. Cancelling the group cancels every
 * member. Once failed or cancelled, the group spawns nothing more
 * (ca_group_spawn gives NULL); once ca_group_wait has returned, it is
 * closed, and ca_group_init may reuse it.
 *
 * No member outlives the group: ca_group_wait returns only when every
 * member has ended, even when the waiting task is cancelled or its deadline
 * passes (the group is cancelled then, and the wait goes on until the
 * members, whose awaits now fail at once, have unwound). Keep the group's
 * storage until ca_group_wait has returned.
 */
enum { CA__G_OPEN, CA__G_SHUTDOWN, CA__G_CLOSED }; /* ca_group.state */
typedef struct ca_group {
    struct ca_task *first, *last; /* its live members, in spawn order */
    struct ca_task *waiter;       /* the task in ca_group_wait */
    size_t live;                  /* members not ended yet */
    int error;                    /* the first failure, or 0 */
    int state;
} ca_group;
/* Make g an empty, open group. */
void ca_group_init(ca_group *g);
/*
 * Wait until every member of g has ended: 0, or the first failure (the
 * failing member's negative value, or ca_group_fail's err); -ECANCELED or
 * -ETIMEDOUT when the caller was cancelled or its deadline passed (after
 * the members have ended); -EBUSY when another task waits on g, -EDEADLK
 * when the caller is a member of g, -EINVAL when g is NULL. g is closed.
 */
CA__AWAIT_OP_FRAME async int ca_group_wait(ca_group *g);
int ca_group_wait__ca_start(ca_task *self, ca_frame *parent, int *ret, ca_group *g);
/* Cancel every member of g; later spawns into g fail. 0, or -EINVAL once g is closed. */
int ca_group_cancel(ca_group *g);
/*
 * Fail g with err (negative): kept if it is the first failure, then the
 * group is cancelled (the calling task too, when it is a member). 0, or
 * -EINVAL when err >= 0 or g is closed.
 */
int ca_group_fail(ca_group *g, int err);
/* Members of g that have not ended yet. */
size_t ca_group_size(const ca_group *g);

/* ------------------------------------------------------------------- time */

#define CA_NEVER UINT64_MAX /* no deadline */

/* The loop's clock: CLOCK_MONOTONIC in ms, read once per loop iteration. */
uint64_t ca_now(void);
/* Sleep ms milliseconds: 0, -ECANCELED or -ETIMEDOUT. */
CA__AWAIT_IN_TASK async int ca_sleep(uint64_t ms);
int ca_sleep__ca_start(ca_task *self, ca_frame *parent, int *ret, uint64_t ms);
/*
 * Set the calling task's deadline to `when` (ca_now() units; CA_NEVER for
 * none) and return the previous one, so that
 *     uint64_t old = ca_deadline_set(ca_now() + 100);
 *     r = await something();
 *     ca_deadline_set(old);
 * puts a 100 ms timeout on something(). In synchronous code it does nothing
 * and returns CA_NEVER.
 */
uint64_t ca_deadline_set(uint64_t when);
/* Like ca_deadline_set(ca_now() + ms), but never later than the current deadline. */
uint64_t ca_deadline_in(uint64_t ms);

/* -------------------------------------------------------------------- I/O */

/*
 * The fds must be non-blocking (ca_set_nonblock); a blocking fd would block
 * the loop. Each call first tries the syscall and waits for readiness only
 * on EAGAIN (or without trying, when the loop knows the fd has nothing to
 * read: see docs/runtime.md). One task may wait to read and one to write on
 * an fd at a time (-EBUSY otherwise).
 *
 * An fd's first wait registers it with the loop for good. Close such an fd
 * with ca_close (or ca_file_close): its waits end at once. close(2), dup2
 * and the like work too: the loop notices that the number's file changed
 * (at once when the old file was seen ending, otherwise within about
 * a second), and a wait on it ends with -EBADF or goes on on the new file.
 */
int ca_set_nonblock(int fd);
/*
 * Close fd: a task waiting on it resumes with -EBADF, the loop forgets its
 * registration, then close(2). 0 or -errno (close's, EINTR excepted: the fd
 * is closed then too). Usable from synchronous code and from any task.
 */
int ca_close(int fd);
CA__AWAIT_OP_FRAME async ssize_t ca_read(int fd, void *buf, size_t len);
int ca_read__ca_start(ca_task *self, ca_frame *parent, ssize_t *ret, int fd, void *buf, size_t len);
CA__AWAIT_OP_FRAME async ssize_t ca_write(int fd, const void *buf, size_t len);
int ca_write__ca_start(ca_task *self, ca_frame *parent, ssize_t *ret, int fd, const void *buf, size_t len);
/* Write all len bytes: len, or -errno (the count written before the error is lost). */
CA__AWAIT_OP_FRAME async ssize_t ca_write_all(int fd, const void *buf, size_t len);
int ca_write_all__ca_start(ca_task *self, ca_frame *parent, ssize_t *ret, int fd, const void *buf, size_t len);
CA__AWAIT_OP_FRAME async ssize_t ca_recv(int fd, void *buf, size_t len, int flags);
int ca_recv__ca_start(ca_task *self, ca_frame *parent, ssize_t *ret, int fd, void *buf, size_t len, int flags);
CA__AWAIT_OP_FRAME async ssize_t ca_send(int fd, const void *buf, size_t len, int flags);
int ca_send__ca_start(ca_task *self, ca_frame *parent, ssize_t *ret, int fd, const void *buf, size_t len, int flags);
/* Accept a connection: a new non-blocking, close-on-exec fd. addr and len may be NULL. */
CA__AWAIT_OP_FRAME async int ca_accept(int fd, struct sockaddr *addr, socklen_t *len);
int ca_accept__ca_start(ca_task *self, ca_frame *parent, int *ret, int fd, struct sockaddr *addr, socklen_t *len);
/* Connect a non-blocking socket: 0 once connected. */
CA__AWAIT_OP_FRAME async int ca_connect(int fd, const struct sockaddr *addr, socklen_t len);
int ca_connect__ca_start(ca_task *self, ca_frame *parent, int *ret, int fd, const struct sockaddr *addr, socklen_t len);
/* Wait until fd is readable (or writable, or has an error or hang-up): 0 or -errno. */
CA__AWAIT_OP_FRAME async int ca_wait_readable(int fd);
int ca_wait_readable__ca_start(ca_task *self, ca_frame *parent, int *ret, int fd);
CA__AWAIT_OP_FRAME async int ca_wait_writable(int fd);
int ca_wait_writable__ca_start(ca_task *self, ca_frame *parent, int *ret, int fd);

/*
 * Datagrams and messages, as recvfrom(2), sendto(2), recvmsg(2), sendmsg(2):
 * the count or -errno. They also work on a blocking socket (each attempt is
 * made with MSG_DONTWAIT); with MSG_DONTWAIT in flags they never wait.
 */
CA__AWAIT_OP_FRAMES(2)
async ssize_t ca_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *addr, socklen_t *alen);
int ca_recvfrom__ca_start(ca_task *self, ca_frame *parent, ssize_t *ret, int fd, void *buf, size_t len, int flags,
                          struct sockaddr *addr, socklen_t *alen);
CA__AWAIT_OP_FRAMES(2)
async ssize_t ca_sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *addr, socklen_t alen);
int ca_sendto__ca_start(ca_task *self, ca_frame *parent, ssize_t *ret, int fd, const void *buf, size_t len, int flags,
                        const struct sockaddr *addr, socklen_t alen);
CA__AWAIT_OP_FRAMES(2) async ssize_t ca_recvmsg(int fd, struct msghdr *msg, int flags);
int ca_recvmsg__ca_start(ca_task *self, ca_frame *parent, ssize_t *ret, int fd, struct msghdr *msg, int flags);
CA__AWAIT_OP_FRAMES(2) async ssize_t ca_sendmsg(int fd, const struct msghdr *msg, int flags);
int ca_sendmsg__ca_start(ca_task *self, ca_frame *parent, ssize_t *ret, int fd, const struct msghdr *msg, int flags);

/* ------------------------------------------------------- name resolution */

/*
 * getaddrinfo(3) on the thread pool: 0 with the list in *res (free it with
 * freeaddrinfo), or a negative error: -ECANCELED, -ETIMEDOUT, -ENOMEM,
 * -errno, or CA_EAI(code) for getaddrinfo's own EAI_* codes
 * (r == CA_EAI(EAI_NONAME)); ca_strerror names them all. node, service and
 * hints are copied: they need not outlive a cancelled await.
 */
/* clang-format would take (code) for a cast */
/* clang-format off */
#define CA_EAI(code) ((code) - 3000)
/* clang-format on */
CA__AWAIT_OP_FRAME async int ca_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                                            struct addrinfo **res);
int ca_getaddrinfo__ca_start(ca_task *self, ca_frame *parent, int *ret, const char *node, const char *service,
                             const struct addrinfo *hints, struct addrinfo **res);
/* getnameinfo(3) on the thread pool; host and serv are written only on success. Errors as above. */
CA__AWAIT_OP_FRAME async int ca_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, size_t hostlen,
                                            char *serv, size_t servlen, int flags);
int ca_getnameinfo__ca_start(ca_task *self, ca_frame *parent, int *ret, const struct sockaddr *sa, socklen_t salen,
                             char *host, size_t hostlen, char *serv, size_t servlen, int flags);
/*
 * Resolve host (a name or an address) and connect a TCP socket to port,
 * trying each address in getaddrinfo's order until one accepts: a
 * connected non-blocking, close-on-exec fd, or the last address's error
 * (or the resolution's, as ca_getaddrinfo). A deadline covers the whole.
 */
CA__AWAIT_OP_FRAMES(2) async int ca_connect_host(const char *host, unsigned port);
int ca_connect_host__ca_start(ca_task *self, ca_frame *parent, int *ret, const char *host, unsigned port);
/* A message for any error of this API: -errno values and CA_EAI codes. */
const char *ca_strerror(int err);

/* ------------------------------------------------------------------ files */

/*
 * Read or write at fd's current position, whatever fd is: a regular file
 * (on the pool), a pipe, a terminal, a socket, /dev/stdin (where ca_pread
 * fails with ESPIPE). The fd's blocking mode is left as it is: a terminal
 * or pipe shared with other processes is not made non-blocking under them
 * (blocking pipes and terminals are read after poll says they are ready,
 * and written in PIPE_BUF pieces; see docs/runtime.md for each kind).
 * ca_file_read: the count, 0 at end of file, -errno; ca_file_write writes
 * all len bytes: len or -errno. Buffers given to the pool are copied, so a
 * cancelled call never touches the caller's buffer after it returns.
 */
CA__AWAIT_OP_FRAMES(2) async ssize_t ca_file_read(int fd, void *buf, size_t len);
int ca_file_read__ca_start(ca_task *self, ca_frame *parent, ssize_t *ret, int fd, void *buf, size_t len);
CA__AWAIT_OP_FRAMES(2) async ssize_t ca_file_write(int fd, const void *buf, size_t len);
int ca_file_write__ca_start(ca_task *self, ca_frame *parent, ssize_t *ret, int fd, const void *buf, size_t len);
/*
 * On the pool, as the system calls: open (O_CLOEXEC added; the fd, and
 * closed for you if the await was cancelled), close (the fd is closed
 * whatever happens: on the loop's thread when the pool cannot take it),
 * stat, fstat, fsync, rename, unlink. 0 (open: the fd) or -errno,
 * -ECANCELED, -ETIMEDOUT. Paths are copied.
 */
CA__AWAIT_OP_FRAME async int ca_file_open(const char *path, int flags, mode_t mode);
int ca_file_open__ca_start(ca_task *self, ca_frame *parent, int *ret, const char *path, int flags, mode_t mode);
CA__AWAIT_OP_FRAME async int ca_file_close(int fd);
int ca_file_close__ca_start(ca_task *self, ca_frame *parent, int *ret, int fd);
CA__AWAIT_OP_FRAME async int ca_file_stat(const char *path, struct stat *st);
int ca_file_stat__ca_start(ca_task *self, ca_frame *parent, int *ret, const char *path, struct stat *st);
CA__AWAIT_OP_FRAME async int ca_file_fstat(int fd, struct stat *st);
int ca_file_fstat__ca_start(ca_task *self, ca_frame *parent, int *ret, int fd, struct stat *st);
CA__AWAIT_OP_FRAME async int ca_file_fsync(int fd);
int ca_file_fsync__ca_start(ca_task *self, ca_frame *parent, int *ret, int fd);
CA__AWAIT_OP_FRAME async int ca_file_rename(const char *from, const char *to);
int ca_file_rename__ca_start(ca_task *self, ca_frame *parent, int *ret, const char *from, const char *to);
CA__AWAIT_OP_FRAME async int ca_file_unlink(const char *path);
int ca_file_unlink__ca_start(ca_task *self, ca_frame *parent, int *ret, const char *path);

/* ---------------------------------------------------------------- signals */

/*
 * Wait until signal signo arrives: signo, or -EINVAL (SIGKILL, SIGSTOP, the
 * fault signals SIGSEGV, SIGBUS, SIGILL, SIGFPE, glibc's own), -EBUSY (the
 * loop of another thread owns the signal), -ECANCELED, -ETIMEDOUT.
 * The first wait makes the signal the loop's until ca_loop_close: it no
 * longer has its old effect (a SIGINT does not kill the program), one that
 * arrives while no task waits is kept for the next wait (standard signals
 * coalesce), every task waiting for it when it arrives is woken, and the
 * thread pool never runs its handler. Other threads of the program need
 * not block it: a delivery to them is forwarded to the loop's thread.
 * ca_loop_close gives the signal back (a pending one is then delivered as
 * before the first wait). Children started with ca_process_spawn begin
 * with every signal unblocked and at its default.
 */
CA__AWAIT_OP_FRAME async int ca_signal_wait(int signo);
int ca_signal_wait__ca_start(ca_task *self, ca_frame *parent, int *ret, int signo);
/* Wait for any signal of set (not kept: a stack set is fine): the one delivered; errors as above. */
CA__AWAIT_OP_FRAME async int ca_signal_wait_any(const sigset_t *set);
int ca_signal_wait_any__ca_start(ca_task *self, ca_frame *parent, int *ret, const sigset_t *set);

/* -------------------------------------------------------- child processes */

enum { CA_STDIO_INHERIT, CA_STDIO_PIPE, CA_STDIO_NULL, CA_STDIO_FD };
struct ca_process_options {
    const char *file;  /* the program: a path, or a name searched in PATH when it has no '/' */
    char *const *argv; /* argv[0] included, NULL-terminated */
    char *const *envp; /* NULL: the caller's environment */
    const char *cwd;   /* NULL: the caller's */
    struct {
        int how; /* CA_STDIO_INHERIT (0, the default), _PIPE, _NULL (/dev/null), _FD (give it fd) */
        int fd;
    } stdio[3]; /* the child's stdin, stdout, stderr */
};
/* A child process. pid and the *_fd are the caller's to read; the rest is private. */
typedef struct ca_process {
    pid_t pid;
    int stdin_fd, stdout_fd, stderr_fd; /* the caller's ends of CA_STDIO_PIPE pipes, else -1 */
    int pidfd;
    int status;
    struct ca_task *waiter;
} ca_process;
/*
 * Start a child with posix_spawn: 0, or -errno (-ENOENT when the program
 * is not found).
 * The pipes' ends in p are non-blocking and close-on-exec, for ca_read,
 * ca_write and friends, and the caller closes them. Await
 * ca_process_wait(p) for every child, or it stays a zombie.
 */
int ca_process_spawn(ca_process *p, const struct ca_process_options *opts);
/*
 * Wait for the child to exit and reap it: its wait status (>= 0: use
 * WIFEXITED, WEXITSTATUS, WIFSIGNALED, WTERMSIG; at once when it has been
 * reaped already), -EBUSY (another task waits for it), -ETIMEDOUT (it goes
 * on running: wait again or kill it), -ECANCELED: the child is killed with
 * SIGKILL and reaped by the loop in the background; p no longer has a child
 * (a later wait returns -ECHILD).
 */
CA__AWAIT_OP_FRAME async int ca_process_wait(ca_process *p);
int ca_process_wait__ca_start(ca_task *self, ca_frame *parent, int *ret, ca_process *p);
/* Send signo to the child: 0, -ESRCH once it has been reaped, -errno. */
int ca_process_kill(ca_process *p, int signo);

/* ------------------------------------------------------------ thread pool */

/*
 * Run fn(arg) on the loop's thread pool and return its value; the task
 * resumes on the loop thread. -ENOMEM, -EAGAIN (no thread could start),
 * -ECANCELED or -ETIMEDOUT; a cancelled or timed-out call's fn still runs
 * to its end on the pool, and its value is dropped.
 */
CA__AWAIT_IN_TASK async intptr_t ca_blocking(intptr_t (*fn)(void *), void *arg);
int ca_blocking__ca_start(ca_task *self, ca_frame *parent, intptr_t *ret, intptr_t (*fn)(void *), void *arg);
/*
 * `await ca_to_thread(f(args), &status)` (keywords.h) is lowered by the tool
 * onto these: a block holding f's arguments and result, shared by the
 * awaiting frame and the pool. Each side releases it when done with it (the
 * last frees it), so a cancelled call's f may finish after its task has
 * moved on. ca__block_new returns a zeroed block with two references, or
 * NULL. ca__blocking_block runs b->run(b) on the pool: 0 once it has run,
 * else -ENOMEM (b NULL), -EAGAIN, -ECANCELED or -ETIMEDOUT, never a value of
 * f's. ca__block_release(NULL) does nothing.
 */
struct ca__block {
    void (*run)(struct ca__block *self);
    int refs;
};
void *ca__block_new(size_t size, void (*run)(struct ca__block *self));
void ca__block_release(struct ca__block *b);
int ca__blocking_block__ca_start(ca_task *self, ca_frame *parent, intptr_t *ret, struct ca__block *b);
/* pread(2) / pwrite(2) on the pool, for regular files: the count or -errno. */
CA__AWAIT_IN_TASK async ssize_t ca_pread(int fd, void *buf, size_t len, off_t off);
int ca_pread__ca_start(ca_task *self, ca_frame *parent, ssize_t *ret, int fd, void *buf, size_t len, off_t off);
CA__AWAIT_IN_TASK async ssize_t ca_pwrite(int fd, const void *buf, size_t len, off_t off);
int ca_pwrite__ca_start(ca_task *self, ca_frame *parent, ssize_t *ret, int fd, const void *buf, size_t len, off_t off);

/* ---------------------------------------------------------------- futures */

/*
 * A value that arrives later, typically from a callback, possibly on another
 * thread. The user owns the storage; the fields are private. One task may
 * wait at a time. Keep the future alive until its waiter has resumed (or,
 * with no waiter, until ca_future_resolve has returned).
 */
typedef struct ca_future {
    intptr_t value;
    struct ca_task *waiter;
    struct ca_loop *loop;
    struct ca_future *next;
    int state;
    int claimed;
} ca_future;

/* Make f empty. */
void ca_future_init(ca_future *f);
/* Resolve f with v, from any thread: 0, or -EALREADY when already resolved. */
int ca_future_resolve(ca_future *f, intptr_t v);
/*
 * The value f was resolved with (at once when it already is). -EBUSY if
 * another task waits on f; -ECANCELED, -ETIMEDOUT. A value that happens to
 * equal one of these is indistinguishable from them.
 */
CA__AWAIT_IN_TASK async intptr_t ca_future_wait(ca_future *f);
int ca_future_wait__ca_start(ca_task *self, ca_frame *parent, intptr_t *ret, ca_future *f);

/* --------------------------------------------------------------- channels */

/*
 * A bounded FIFO of `capacity` elements of elem_size bytes (capacity 0: a
 * rendezvous, send waits for a receiver). NULL when out of memory or
 * elem_size is 0.
 */
ca_chan *ca_chan_new(size_t capacity, size_t elem_size);
/* Copy *elem into c, waiting while it is full: 0, -EPIPE once closed, -ECANCELED, -ETIMEDOUT. */
CA__AWAIT_OP_FRAME async int ca_chan_send(ca_chan *c, const void *elem);
int ca_chan_send__ca_start(ca_task *self, ca_frame *parent, int *ret, ca_chan *c, const void *elem);
/* Take the oldest element into *elem, waiting while c is empty: 0, -EPIPE once closed and drained. */
CA__AWAIT_OP_FRAME async int ca_chan_recv(ca_chan *c, void *elem);
int ca_chan_recv__ca_start(ca_task *self, ca_frame *parent, int *ret, ca_chan *c, void *elem);
/* Close c: waiting senders get -EPIPE, receivers drain what is left then get -EPIPE. */
void ca_chan_close(ca_chan *c);
/* Close c and free it. Tasks still waiting on it resume with -EPIPE first. */
void ca_chan_free(ca_chan *c);

/* ---------------------------------------------------------------- inboxes */

/*
 * An inbox: a FIFO of at most `capacity` (> 0) elements of elem_size bytes
 * that any thread posts into without blocking, and one task at a time
 * receives from. For callback APIs that fire many times, on other threads
 * (a ca_future fires once). NULL when out of memory or a size is 0.
 */
ca_inbox *ca_inbox_new(size_t capacity, size_t elem_size);
/* Copy *elem in, from any thread, never waiting: 0, -EAGAIN when full, -EPIPE once closed. */
int ca_inbox_post(ca_inbox *ib, const void *elem);
/*
 * Take the oldest element into *elem, waiting while the inbox is empty: 0,
 * -EPIPE once closed and drained, -EBUSY (another task receives),
 * -ECANCELED, -ETIMEDOUT.
 */
CA__AWAIT_OP_FRAME async int ca_inbox_recv(ca_inbox *ib, void *elem);
int ca_inbox_recv__ca_start(ca_task *self, ca_frame *parent, int *ret, ca_inbox *ib, void *elem);
/*
 * Take the oldest element into *elem without waiting, from the receiving
 * thread (a plain function: usable in cleanup code and by a cancelled task):
 * 0, -EAGAIN when empty, -EPIPE once closed and drained, -EBUSY while a task
 * waits in ca_inbox_recv.
 */
int ca_inbox_try_recv(ca_inbox *ib, void *elem);
/* From any thread: later posts fail with -EPIPE; the receiver drains what is left. */
void ca_inbox_close(ca_inbox *ib);
/* Free ib (no thread may post any more): 0, or -EBUSY while a task waits in it. */
int ca_inbox_free(ca_inbox *ib);

/* ------------------------------------------------------ synchronisation */

/* Private: a FIFO of waiting tasks. */
struct ca_waitq_ {
    struct ca_task *head, *tail;
};

/* A counting semaphore; FIFO hand-off to waiters. */
typedef struct ca_sem {
    long count;
    struct ca_waitq_ q;
} ca_sem;
/* Set s's count to n (n >= 0; -EINVAL otherwise). */
int ca_sem_init(ca_sem *s, long n);
/* Take one unit, waiting while the count is 0: 0, -ECANCELED, -ETIMEDOUT. */
CA__AWAIT_OP_FRAME async int ca_sem_acquire(ca_sem *s);
int ca_sem_acquire__ca_start(ca_task *self, ca_frame *parent, int *ret, ca_sem *s);
/* Take one unit without waiting: 0 or -EAGAIN. */
int ca_sem_try_acquire(ca_sem *s);
/* Give one unit back (to the oldest waiter if any): 0, or -EOVERFLOW. */
int ca_sem_release(ca_sem *s);

/* A mutex between tasks of one loop; not recursive; FIFO hand-off. */
typedef struct ca_mutex {
    ca_sem sem;
} ca_mutex;
void ca_mutex_init(ca_mutex *m);
/* 0 once m is the caller's, -ECANCELED, -ETIMEDOUT. */
CA__AWAIT_OP_FRAME async int ca_mutex_lock(ca_mutex *m);
int ca_mutex_lock__ca_start(ca_task *self, ca_frame *parent, int *ret, ca_mutex *m);
/* 0, or -EBUSY. */
int ca_mutex_trylock(ca_mutex *m);
/* 0, or -EPERM when m is not locked. */
int ca_mutex_unlock(ca_mutex *m);

/* A manual-reset event: wait returns at once while it is set. */
typedef struct ca_event {
    int set;
    struct ca_waitq_ q;
} ca_event;
void ca_event_init(ca_event *e);
/* Set e and wake every waiter. */
void ca_event_set(ca_event *e);
void ca_event_clear(ca_event *e);
/* 0 once e is set, -ECANCELED, -ETIMEDOUT. */
CA__AWAIT_OP_FRAME async int ca_event_wait(ca_event *e);
int ca_event_wait__ca_start(ca_task *self, ca_frame *parent, int *ret, ca_event *e);

#ifdef __cplusplus
}
#endif

#endif
