/*
 * libcawait's private header: the task and loop structures every module of
 * the runtime shares, and the `ca__` functions they call in one another.
 *
 * Threading: a loop and all of its tasks, timers, fd waits and wait queues
 * are touched only by the thread that owns the loop (the thread whose
 * ca__cur_loop points at it). The only cross-thread entry points are the
 * loop's remote queue (future resolution, thread-pool completions), guarded
 * by loop->remote_mu, and the thread pool's own job queue.
 */
#ifndef CAWAIT_INTERNAL_H
#define CAWAIT_INTERNAL_H

#include <cawait.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define CA__LIKELY(x) __builtin_expect(!!(x), 1)
#define CA__UNLIKELY(x) __builtin_expect(!!(x), 0)
#define CA__CONTAINER(p, type, member) ((type *)((char *)(p) - offsetof(type, member)))

/* What a suspended task waits for (ca_task.wait). */
enum ca__wait {
    CA__W_NONE,     /* running, or ended */
    CA__W_READY,    /* in the run queue; its result is already written */
    CA__W_YIELD,    /* in the run queue because of ca_yield */
    CA__W_SLEEP,    /* in the timer heap */
    CA__W_IO,       /* in the fd table; wait_fr is an io op frame */
    CA__W_QUEUE,    /* in a wait queue (struct ca_waitq_); wait_obj is the queue */
    CA__W_JOIN,     /* wait_obj is the task being joined */
    CA__W_JOIN_ANY, /* wait_obj is a join-any op frame */
    CA__W_FUTURE,   /* wait_obj is the future */
    CA__W_BLOCKING  /* wait_obj is the future inside a pool job */
};

/* ca_task.flags */
enum {
    CA__T_DONE = 1 << 0,      /* the first frame has ended */
    CA__T_DETACHED = 1 << 1,  /* released when it ends */
    CA__T_CANCELLED = 1 << 2, /* sticky: every runtime await fails */
    CA__T_ABORTED = 1 << 3,   /* the pending wait was ended by cancel/timeout */
    CA__T_RETLONG = 1 << 4,   /* wait_ret points to a long, not an int */
    CA__T_RUNOWNED = 1 << 5,  /* ca__run waits for it */
    CA__T_FREED = 1 << 6,     /* back in the slab's free list */
    CA__T_DEADLINE = 1 << 7   /* deadline != CA__NEVER (ca_deadline_set keeps it so) */
};

#define CA__NEVER UINT64_MAX

/*
 * A task. Its first chunk of frame stack follows it in the same slab object
 * (CA__INLINE_STACK bytes), so a task whose frames fit there costs one slab
 * slot and no malloc.
 */
struct ca_task {
    struct ca__stack stack; /* must be first: abi.h's inline allocator */
    ca_frame *wait_fr;      /* resumed when the wait ends */
    void *wait_ret;         /* where the wait's result goes (int or long) */
    ca_task *next;          /* run queue, a wait queue, or the free list */
    ca_task *joiner;        /* the task waiting in ca_join / ca_join_any */
    void *wait_obj;         /* what the task waits on (see enum ca__wait) */
    uint64_t deadline;      /* ca_deadline_set; CA__NEVER when none */
    uint32_t timer;         /* slot in the timer heap + 1; 0 when none */
    uint16_t flags;
    uint8_t wait; /* enum ca__wait (a byte: stored with one instruction) */
    uint8_t spare;
};

#define CA__INLINE_STACK 80
#define CA__TASK_SLOT (sizeof(struct ca_task) + CA__INLINE_STACK)

_Static_assert(sizeof(struct ca_task) % 16 == 0, "frames after the task must be 16-byte aligned");
_Static_assert(offsetof(struct ca_task, stack) == 0, "abi.h needs the stack first");

/* The timer heap: a binary min-heap of (key, task) kept in an array. */
struct ca__timer {
    uint64_t key; /* deadline in ms << 20 | insertion sequence (FIFO for ties) */
    ca_task *task;
};
struct ca__heap {
    struct ca__timer *v;
    uint32_t n, cap;
    uint32_t seq;
};

/* Per-fd waiters (one reader and one writer at most). */
struct ca__fdw {
    ca_task *rd, *wr;
    uint8_t added; /* registered with epoll at least once */
};

struct ca__pool;

/*
 * The run queue: FIFO through ca_task.next. tailp points at the link the
 * next push writes (&head when empty), so a push never branches.
 */
struct ca__runq {
    ca_task *head;
    ca_task **tailp;
};

struct ca_loop {
    int epfd;
    int evfd;       /* eventfd: wakes epoll_wait for remote completions */
    uint64_t now;   /* cached CLOCK_MONOTONIC in ms */
    struct ca__runq ready;
    ca_task *current;
    struct ca__heap timers;
    size_t ntasks;       /* tasks created and not released */
    size_t io_waits;     /* tasks waiting in the fd table */
    size_t remote_waits; /* tasks waiting on a future or the pool */
    int running;         /* ca__run is on the C stack */

    struct ca__fdw *fds;
    int nfds;

    /* Task slab allocator. */
    ca_task *free_tasks;
    void *slabs;

    /* Spare frame-stack chunks, so a call at a chunk boundary does not malloc. */
    struct ca__chunk *spare_chunks;
    int nspare;

    /* Remote completions: futures resolved from other threads (or pool jobs). */
    pthread_mutex_t remote_mu;
    ca_future *remote_head;

    struct ca__pool *pool;
    unsigned pool_size;
};

extern __thread ca_loop *ca__cur_loop;

/* loop.c */
ca_loop *ca__loop(void); /* the calling thread's loop, made on first use; NULL on failure */
void ca__remote_post(ca_loop *l, ca_future *f); /* caller holds l->remote_mu */

/* task.c */
/* Write v where t's pending wait puts its result. */
static inline void ca__set_result(ca_task *t, long v)
{
    if (t->flags & CA__T_RETLONG)
        *(long *)t->wait_ret = v;
    else
        *(int *)t->wait_ret = (int)v;
}
void ca__wake(ca_loop *l, ca_task *t, long v);   /* end t's wait with result v */
void ca__wake_retry(ca_loop *l, ca_task *t);     /* resume t's op frame without a result */
void ca__abort(ca_loop *l, ca_task *t, int err); /* end t's wait early with err */
/* 0 when t may start a wait now, or the -errno every runtime await returns. */
static inline int ca__check(ca_loop *l, ca_task *t)
{
    /* One test of the flags when there is neither a cancel nor a deadline. */
    if (CA__LIKELY(!(t->flags & (CA__T_CANCELLED | CA__T_DEADLINE))))
        return 0;
    if (t->flags & CA__T_CANCELLED)
        return -ECANCELED;
    if (t->deadline <= l->now)
        return -ETIMEDOUT;
    return 0;
}
/* Record the wait of t; arm the deadline timer when t has one. 0 or -ENOMEM. */
int ca__suspend(ca_loop *l, ca_task *t, ca_frame *fr, void *ret, bool retlong, int kind, void *obj);
/* FIFO wait queues: tail is meaningful only while head is not NULL. */
static inline void ca__waitq_push(struct ca_waitq_ *q, ca_task *t)
{
    t->next = NULL;
    if (q->head)
        q->tail->next = t;
    else
        q->head = t;
    q->tail = t;
}
static inline ca_task *ca__waitq_pop(struct ca_waitq_ *q)
{
    ca_task *t = q->head;
    if (t)
        q->head = t->next;
    return t;
}
static inline void ca__ready_push(ca_loop *l, ca_task *t)
{
    t->next = NULL;
    *l->ready.tailp = t;
    l->ready.tailp = &t->next;
}
static inline ca_task *ca__ready_pop(ca_loop *l)
{
    ca_task *t = l->ready.head;
    if (t && !(l->ready.head = t->next))
        l->ready.tailp = &l->ready.head;
    return t;
}
bool ca__waitq_remove(struct ca_waitq_ *q, ca_task *t);
void ca__task_release(ca_loop *l, ca_task *t);
void ca__task_end(ca_loop *l, ca_task *t); /* its first frame has returned CA_DONE */
ca_task *ca__task_alloc(ca_loop *l); /* stack.c; NULL when out of memory */
void ca__stack_reset(ca_task *t);     /* pop every chunk above the inline one */
void ca__chunks_free(ca_loop *l);
void ca__slabs_free(ca_loop *l);
/* A runtime primitive's own frame (its resume point is its own business). */
void *ca__op_alloc(ca_task *t, size_t size, int (*resume)(ca_frame *, ca_task *), ca_frame *parent);
void ca__op_free(ca_task *t, ca_frame *op);

/* timer_heap.c (the data structure; no loop knowledge) */
int ca__heap_insert(struct ca__heap *h, ca_task *t, uint64_t when);
void ca__heap_remove(struct ca__heap *h, ca_task *t);
static inline ca_task *ca__heap_min(const struct ca__heap *h, uint64_t *when)
{
    if (h->n == 0)
        return NULL;
    *when = h->v[0].key >> 20;
    return h->v[0].task;
}
void ca__heap_free(struct ca__heap *h);

/* time.c */
uint64_t ca__clock_ms(void);
void ca__timers_run(ca_loop *l);
int ca__timer_arm(ca_loop *l, ca_task *t, uint64_t when);
void ca__timer_disarm(ca_loop *l, ca_task *t);

/* io.c */
void ca__io_event(ca_loop *l, int fd, uint32_t events);
void ca__io_abort(ca_loop *l, ca_task *t);
void ca__io_free(ca_loop *l);

/* future.c */
void ca__future_abort(ca_loop *l, ca_task *t);
void ca__remote_run(ca_loop *l);
int ca__future_wait(ca_loop *l, ca_task *t, ca_frame *parent, intptr_t *ret, ca_future *f, int kind);

/* pool.c */
void ca__pool_free(ca_loop *l);
void ca__blocking_done(ca_future *f); /* drops the loop's reference on a pool job */

/* sync.c / chan.c / gather */
void ca__queue_abort(ca_loop *l, ca_task *t);
void ca__join_any_done(ca_loop *l, ca_task *joiner, ca_task *child);
void ca__join_any_abort(ca_loop *l, ca_task *t);

#endif
