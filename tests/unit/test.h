/*
 * Helpers for libcawait's unit tests, which are written at the ABI level
 * (abi.h): each async function is a frame struct, a resume function in
 * protothread style (a switch on hdr.state) and a start function, shaped the
 * way the cawait tool generates them.
 *
 *     struct f_fr { ca_frame hdr; unsigned state; int *ret; int r; };
 *     static int f_resume(ca_task *self, ca_frame *fr)
 *     {
 *         struct f_fr *F = (struct f_fr *)fr;
 *         BEGIN(F);
 *         AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 5));
 *         RETURN(F, F->r);
 *         END(F);
 *     }
 *     static int f_start(ca_task *self, ca_frame *parent, int *ret)
 *     { NEW_FRAME(F, f, parent); F->ret = ret; return f_resume(self, &F->hdr); }
 *
 * The running task is always called `self`. A test body is an async function
 * `int NAME(ca_task *self, ca_frame *parent, void *arg)`
 * started by run_async (ca_run) or spawn (ca_spawn). Every test ends with
 * check_clean(): no task, timer, fd wait or remote wait left, the loop
 * closes, and no fd leaked.
 */
#ifndef CAWAIT_TEST_H
#define CAWAIT_TEST_H

#include <cawait.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (!(cond)) {                                                              \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            exit(1);                                                                \
        }                                                                           \
    } while (0)
#define CHECK_EQ(a, b)                                                                         \
    do {                                                                                       \
        long long a_ = (long long)(a), b_ = (long long)(b);                                    \
        if (a_ != b_) {                                                                        \
            fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, #a, \
                    a_, #b, b_);                                                               \
            exit(1);                                                                           \
        }                                                                                      \
    } while (0)

/* xorshift64: reproducible pseudo-random numbers for the randomised tests (state must not be 0). */
static inline uint64_t test_rand(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

/* Protothread-style resume functions. */
#define BEGIN(F) switch ((F)->state) { case 0:
#define AWAIT(F, call)                   \
    do {                                 \
        (F)->state = __LINE__;           \
        int st_ = (call);                \
        if (st_ != CA_DONE)              \
            return st_; /* pass it up */ \
        /* fall through */               \
    case __LINE__:;                      \
    } while (0)
/* dst = await ca_yield(), as the tool lowers it: the result is read once the task runs again. */
#define AWAIT_YIELD(F, dst)                                 \
    do {                                                    \
        AWAIT(F, ca_yield__ca_start(self, &(F)->hdr));      \
        (dst) = ca_yield__ca_result(self);                  \
    } while (0)
#define RETURN(F, v)                                   \
    do {                                               \
        if ((F)->ret)                                  \
            *(F)->ret = (v);                           \
        ca__frame_free(self, (F));                     \
        return CA_DONE;                                \
    } while (0)
#define END(F) } return CA_DONE

/* Allocate frame F of type struct TYPE_fr, resumed by NAME_resume, on self's stack. */
#define NEW_FRAME_OF(F, TYPE, NAME, parent)                                                            \
    struct TYPE##_fr *F = ca__frame_alloc(self, sizeof(struct TYPE##_fr), _Alignof(struct TYPE##_fr)); \
    memset(F, 0, sizeof *F);                                                                           \
    F->hdr.resume = NAME##_resume;                                                                     \
    F->hdr.parent = (parent)
/* The same when the frame is NAME's own, struct NAME_fr. */
#define NEW_FRAME(F, NAME, parent) NEW_FRAME_OF(F, NAME, NAME, parent)

/*
 * The start function NAME(self, parent, arg) of an async function of one
 * int, given in arg and kept in F->FIELD of a struct TYPE_fr; FD_START for
 * an fd kept in F->fd.
 */
#define INT_START(NAME, TYPE, FIELD)                            \
    static int NAME(ca_task *self, ca_frame *parent, void *arg) \
    {                                                           \
        NEW_FRAME_OF(F, TYPE, NAME, parent);                    \
        F->FIELD = (int)(intptr_t)arg;                          \
        return NAME##_resume(self, &F->hdr);                    \
    }
#define FD_START(NAME, TYPE) INT_START(NAME, TYPE, fd)

typedef int (*test_fn)(ca_task *self, ca_frame *parent, void *arg);

/* The thunk a ca_spawn / ca_run generates: calls fn(arg) as the task's first frame. */
struct thunk_fr {
    ca_frame hdr;
    unsigned state;
    test_fn fn;
    void *arg;
};

static inline int thunk_resume(ca_task *self, ca_frame *fr)
{
    struct thunk_fr *T = (struct thunk_fr *)fr;
    if (T->state == 0) {
        T->state = 1;
        int st = T->fn(self, fr, T->arg);
        if (st != CA_DONE)
            return st;
    }
    ca__frame_free(self, fr);
    return CA_DONE;
}

/* ca_spawn(fn(arg)) */
static inline ca_task *spawn(test_fn fn, void *arg)
{
    ca_task *t = ca__task_new(NULL, 0);
    CHECK(t != NULL);
    struct thunk_fr *T = ca__frame_alloc(t, sizeof *T, _Alignof(struct thunk_fr));
    T->hdr.resume = thunk_resume;
    T->hdr.parent = ca__task_root(t);
    T->state = 0;
    T->fn = fn;
    T->arg = arg;
    ca__task_start(t, &T->hdr);
    return t;
}

/* ca_run(fn(arg)): 0 or -ECANCELED. */
static inline int run_async(test_fn fn, void *arg)
{
    return ca__run(spawn(fn, arg));
}

static inline int count_fds(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

static int test_fds_at_start = -1;

/* Nothing may be left in the calling thread's loop; close it. */
static inline void check_loop_clean(void)
{
    struct ca_loop_stats st;
    ca_loop_stats(&st);
    CHECK_EQ(st.tasks, 0);
    CHECK_EQ(st.ready, 0);
    CHECK_EQ(st.timers, 0);
    CHECK_EQ(st.io_waits, 0);
    CHECK_EQ(st.remote_waits, 0);
    CHECK_EQ(ca_loop_close(), 0);
}

/* check_loop_clean, and no fd may leak. */
static inline void check_clean(void)
{
    check_loop_clean();
    if (test_fds_at_start >= 0)
        CHECK_EQ(count_fds(), test_fds_at_start);
}

/* Run each test of a file: TEST(name) calls name() then check_clean(). */
#define TEST(name)                                 \
    do {                                           \
        if (test_fds_at_start < 0)                 \
            test_fds_at_start = count_fds();       \
        if (argc < 2 || !strcmp(argv[1], #name)) { \
            name();                                \
            check_clean();                         \
            printf("ok %s\n", #name);              \
        }                                          \
    } while (0)

#endif
