/*
 * libcawait's private header: the loop structure every module of the
 * runtime shares (the task's is in abi.h, for generated code's fast paths),
 * and the `ca__` functions they call in one another.
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

#include <assert.h> /* invariants, checked in debug builds and the sanitizer tests (tests/unit) */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/*
 * Every allocation of the runtime goes through these, so that a test
 * (tests/unit/test_fault.c, built with CA__FAULT_INJECT) can make the Nth
 * one fail; free is free.
 */
#ifdef CA__FAULT_INJECT
void *ca__malloc(size_t n);
void *ca__calloc(size_t n, size_t size);
void *ca__realloc(void *p, size_t n);
#else
#define ca__malloc malloc
#define ca__calloc calloc
#define ca__realloc realloc
#endif

#define CA__LIKELY(x) __builtin_expect(!!(x), 1)
#define CA__UNLIKELY(x) __builtin_expect(!!(x), 0)
/* clang-format would take (p) for a cast */
/* clang-format off */
#define CA__CONTAINER(p, type, member) ((type *)((char *)(p) - offsetof(type, member)))
/* clang-format on */

#define CA__NEVER UINT64_MAX
/* Whether t has an entry in the side table: a joiner, or a deadline its timer does not hold. */
static inline int ca__side_has(const ca_task *t)
{
    return (t->flags & CA__T_JOINED) || (t->flags & (CA__T_DEADLINE | CA__T_ARMED)) == CA__T_DEADLINE;
}

_Static_assert(sizeof(struct ca_task) == 48,
               "a task asleep two awaits deep (24 + 24 bytes of frames) takes a 96-byte slot");
_Static_assert(offsetof(struct ca_task, stack) == 0, "abi.h needs the stack first");

/*
 * Slab slots (stack.c): the task, then its inline frame stack. Slot sizes go
 * in 8-byte steps from CA__SLOT_MIN to CA__SLOT_MAX, one size class each.
 * A task whose frames the tool bounds gets a slot of exactly that much
 * stack. Any other gets CA__SLOT_DEFAULT: its frames are unbounded because
 * it recurses or calls into code the tool cannot see, so it is likely
 * deeper than the typical bounded task; 208 bytes hold a handful of 24 to
 * 64-byte frames plus an op frame before a 512-byte chunk has to be
 * malloc'd, while a slot stays well under the cost of that chunk.
 */
#define CA__SLOT_MIN (sizeof(struct ca_task) + 8)
#define CA__SLOT_BIG 255       /* ca_task.slot of a task malloc'd on its own (stack.c) */
#define CA__BIG_MAX (1u << 30) /* a bigger bound is treated as unknown */
#define CA__SLOT_MAX 1024
#define CA__SLOT_DEFAULT 256
#define CA__NSLOTS ((CA__SLOT_MAX - CA__SLOT_MIN) / 8 + 1)
_Static_assert(CA__NSLOTS <= 256, "ca_task.slot is a byte");

/* The slots of one size class. */
struct ca__slots {
    ca_task *free;    /* released tasks (LIFO through ca_task.next) */
    char *bump, *end; /* the part of the newest slab not carved yet */
};

/*
 * The side table (side.c): what few tasks have at a time, keyed by task,
 * an entry only while the task has a joiner, or a deadline that no timer
 * holds (ca__side_has says which tasks have one, so no other task ever
 * probes). Open addressing with linear probing, at most half full.
 */
struct ca__side {
    ca_task *task;     /* NULL: a free slot */
    ca_task *joiner;   /* the task waiting in ca_join / ca_join_any, or NULL */
    uint64_t deadline; /* CA__NEVER when none */
};
struct ca__sides {
    struct ca__side *v;
    uint32_t n, mask; /* mask: capacity - 1 (capacity a power of two), 0 with no array */
};
/*
 * An entry's home slot is ca__side_hash(task) & mask. Task addresses are
 * arithmetic progressions (slab slots 256 bytes apart, say), which a single
 * multiply spreads badly for some strides: with Fibonacci hashing, 64 slab
 * tasks of 256 bytes formed one probe run of about 40 entries in 128 slots,
 * and samples/httpd spent 3,000 instructions a request probing it.
 * MurmurHash3's finalizer mixes every bit into every bit.
 */
static inline uint32_t ca__side_hash(const ca_task *t)
{
    uint64_t h = (uint64_t)(uintptr_t)t;
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    h *= UINT64_C(0xc4ceb9fe1a85ec53);
    h ^= h >> 33;
    return (uint32_t)h;
}

/*
 * The timers: two binary min-heaps (timer_heap.c), each entry keyed by the
 * time it fires in ms << 20 | an insertion sequence common to both (FIFO
 * for ties, across the heaps too). A sleeping task is in no list, so its
 * key lives in the task (sleep_key) and its entry in the sleep heap is just
 * the task: 8 bytes a sleeper. The wait heap holds deadlines' timers
 * (time.c): a task's entry there carries the key and the task's deadline,
 * which may be later than the key (the deadline moved later: the timer
 * fires early and is re-keyed, see time.c) or CA__NEVER (cleared).
 */
#define CA__KEY_SEQ_BITS 20
struct ca__timer {
    uint64_t key;
    ca_task *task;
    uint64_t deadline; /* wait heap: the task's deadline (time.c) */
};
struct ca__timers {
    struct {
        ca_task **v;
        uint32_t n, cap;
    } sleep;
    struct {
        struct ca__timer *v;
        uint32_t n, cap;
    } wait;
    uint32_t seq;
};

/* Per-fd state (io.c): its waiters (one reader and one writer at most) and what it may be ready for. */
/*
 * ca__fdw.ready. CA__FD_EOF: an edge said hang-up, a state no later edge
 * reports again, so reads always try. CA__FD_DOUBT: the file may have ended
 * (end of file, an error, an aborted wait), so the program may have closed
 * it with close(2): check the registration before trusting the table.
 * CA__FD_CHECKED: the current wait's registration was checked (io.c's sweep).
 */
enum { CA__FD_RD = 1, CA__FD_WR = 2, CA__FD_EOF = 4, CA__FD_DOUBT = 8, CA__FD_CHECKED = 16 };
enum { CA__FD_UNKNOWN, CA__FD_STREAM, CA__FD_OTHER }; /* ca__fdw.kind */
struct ca__fdw {
    ca_task *rd, *wr;
    uint8_t reg;    /* registered with the loop's epoll (edge-triggered, both directions) */
    uint8_t ready;  /* CA__FD_RD, CA__FD_WR: may be ready (meaningful while reg); CA__FD_EOF, _DOUBT, _CHECKED */
    uint8_t kind;   /* CA__FD_STREAM: a short read means the fd was drained */
    uint32_t since; /* loop time (ms, truncated) when the newest wait began */
};

struct ca__pool;
struct big;

/*
 * The run queue: a FIFO ring through ca_task.next; tail is the newest task
 * (NULL when empty) and tail->next the oldest. The task that runs stays
 * first in the ring while it runs (loop.c's run_ready), so that when it
 * yields, making it the tail moves it to the back with one store.
 */
struct ca__runq {
    ca_task *tail;
};

struct ca_loop {
    int epfd;
    int evfd;     /* eventfd: wakes epoll_wait for remote completions */
    uint64_t now; /* cached CLOCK_MONOTONIC in ms */
    struct ca__runq ready;
    bool in_tasks; /* run_ready is resuming tasks (see ca__current) */
    struct ca__timers timers;
    size_t ntasks;       /* tasks created and not released */
    size_t timed_waits;  /* tasks suspended in a wait a timer ends (CA__T_TIMED) */
    size_t io_waits;     /* tasks waiting in the fd table */
    size_t remote_waits; /* tasks waiting on a future or the pool */
    int running;         /* ca__run is on the C stack */

    struct ca__fdw *fds;
    int nfds;
    uint64_t fd_check_at; /* when io.c's sweep checks the registrations of long waits; CA__NEVER: none */

    /* Task slab allocator: every slab, and the slots of each size class. */
    void *slabs;
    struct ca__slots slots[CA__NSLOTS];
    struct big *bigs; /* tasks malloc'd on their own (CA__SLOT_BIG) */

    struct ca__sides sides; /* deadlines and joiners */

    /* Spare frame-stack chunks, so a call at a chunk boundary does not malloc. */
    struct ca__chunk *spare_chunks;
    int nspare;
    size_t freed_bytes; /* freed to malloc since the last ca__mem_trim */

    /* Remote completions: futures resolved from other threads (or pool jobs). */
    pthread_mutex_t remote_mu;
    ca_future *remote_head;

    struct ca__pool *pool;
    unsigned pool_size;

    /* aux.c: an epoll of the runtime's own fds (signalfd, pidfds), itself
       watched by epfd; -1 until first use. */
    int auxfd;
    struct ca__signals *signals; /* signal.c */
    struct ca__reaper *reapers;  /* process.c: children killed by a cancel, not yet reaped */
};

extern __thread ca_loop *ca__cur_loop;

/* loop.c */
ca_loop *ca__loop(void);                        /* the calling thread's loop, made on first use; NULL on failure */
void ca__remote_post(ca_loop *l, ca_future *f); /* caller holds l->remote_mu */

/* side.c */
struct ca__side *ca__side_get(ca_loop *l, const ca_task *t); /* t must have an entry (ca__side_has) */
int ca__side_reserve(ca_loop *l, size_t n);                  /* room for n more entries: 0 or -ENOMEM */
/*
 * Set or clear (CA__NEVER) the deadline of t, which is not ARMED, the one
 * it had in *old (one lookup for both): 0, or -ENOMEM when t needs an entry
 * and none can be made. (An ARMED task's deadline is in its timer: time.c.)
 */
int ca__deadline_put(ca_loop *l, ca_task *t, uint64_t when, uint64_t *old);
/* Set or clear (NULL) t's joiner: 0, or -ENOMEM as above (never after ca__side_reserve). */
int ca__joiner_put(ca_loop *l, ca_task *t, ca_task *joiner);
ca_task *ca__joiner_take(ca_loop *l, ca_task *t); /* t's joiner (NULL when none), cleared */
void ca__side_drop(ca_loop *l, ca_task *t);       /* t is released: forget its entry */
void ca__side_free(ca_loop *l);
/* t's deadline, wherever it is kept: CA__NEVER, its timer's entry, or the side table. */
static inline uint64_t ca__deadline(ca_loop *l, const ca_task *t)
{
    if (!(t->flags & CA__T_DEADLINE))
        return CA__NEVER;
    if (t->flags & CA__T_ARMED)
        return l->timers.wait.v[t->timer - 1].deadline;
    return ca__side_get(l, t)->deadline;
}

/* task.c */
/* Write v where t's pending wait puts its result. */
static inline void ca__set_result(ca_task *t, long v)
{
    if (t->flags & CA__T_RETLONG)
        *(long *)t->wait_ret = v;
    else
        *(int *)t->wait_ret = (int)v;
}
void ca__abort(ca_loop *l, ca_task *t, int err); /* end t's wait early with err */
/* The status an ended task reports to its joiner or to ca_run: 0, or -ECANCELED. */
static inline int ca__end_status(const ca_task *t)
{
    assert(t->flags & CA__T_DONE);
    return (t->flags & CA__T_CANCELLED) ? -ECANCELED : 0;
}
/* 0 when t may start a wait now, or the -errno every runtime await returns. */
static inline int ca__check(ca_loop *l, ca_task *t)
{
    /* One test of the flags when there is neither a cancel nor a deadline. */
    if (CA__LIKELY(!(t->flags & (CA__T_CANCELLED | CA__T_DEADLINE | CA__T_NOMEM))))
        return 0;
    if (t->flags & CA__T_CANCELLED)
        return -ECANCELED;
    if (t->flags & CA__T_NOMEM)
        return -ENOMEM;
    if (ca__deadline(l, t) <= l->now)
        return -ETIMEDOUT;
    return 0;
}
/*
 * For fast paths: true when ca__check(l, t) is 0 and that is known without
 * a look-up: no cancel, no pending error, and no deadline, or one whose
 * timer is armed (it holds the deadline) that has not passed. False: ask
 * ca__check. A wait begun then without ca__suspend needs its TIMED bit
 * (ca__timed_bit) when t has a deadline: its timer is armed already.
 */
static inline bool ca__check_fast(const ca_loop *l, const ca_task *t)
{
    uint16_t f = t->flags;
    if (CA__LIKELY(!(f & (CA__T_CANCELLED | CA__T_DEADLINE | CA__T_NOMEM))))
        return true;
    return (f & (CA__T_CANCELLED | CA__T_NOMEM | CA__T_ARMED)) == CA__T_ARMED &&
           l->timers.wait.v[t->timer - 1].deadline > l->now;
}
/* After ca__check_fast: t, about to wait, counts as a timed wait when it has a deadline; its flag bit. */
static inline uint16_t ca__timed_bit(ca_loop *l, const ca_task *t)
{
    if (!(t->flags & CA__T_DEADLINE))
        return 0;
    l->timed_waits++;
    return CA__T_TIMED;
}
/*
 * Record the wait of t, the running task, and take it out of the run queue;
 * arm the deadline timer when t has a deadline. 0 or -ENOMEM. (t->next is
 * free from then on: whoever needs t->wait_obj sets it after.)
 */
static inline int ca__suspend(ca_loop *l, ca_task *t, ca_frame *fr, void *ret, bool retlong, int kind);
/* Undo a successful ca__suspend: t goes on running. */
void ca__unsuspend(ca_loop *l, ca_task *t);
static inline void ca__ready_push(ca_loop *l, ca_task *t)
{
    ca_task *tail = l->ready.tail;
    if (tail) {
        t->next = tail->next;
        tail->next = t;
    } else {
        t->next = t;
    }
    l->ready.tail = t;
}
/* The loop's timer functions the inline task functions here call (time.c). */
int ca__deadline_arm(ca_loop *l, ca_task *t);
void ca__sleep_disarm(ca_loop *l, ca_task *t);
/* t's wait, which a timer ends (CA__T_TIMED), ends: a sleep's timer goes; a deadline's stays (time.c). */
static inline void ca__untime(ca_loop *l, ca_task *t)
{
    t->flags &= (uint16_t)~CA__T_TIMED;
    l->timed_waits--;
    if (CA__UNLIKELY(t->wait == CA__W_SLEEP))
        ca__sleep_disarm(l, t);
}
/* Resume t's op frame without a result (it retries its call). */
static inline void ca__wake_retry(ca_loop *l, ca_task *t)
{
    assert(t->wait != CA__W_NONE && t->wait != CA__W_READY); /* it waits: it is in no run queue */
    if (CA__UNLIKELY(t->flags & CA__T_TIMED))
        ca__untime(l, t);
    t->wait = CA__W_READY;
    ca__ready_push(l, t);
}
/* End t's wait with result v. */
static inline void ca__wake(ca_loop *l, ca_task *t, long v)
{
    ca__set_result(t, v);
    ca__wake_retry(l, t);
}
/*
 * The task running now, or NULL: a running task stays first in the run
 * queue until it suspends or ends, and user code runs only then (so the
 * driver does not have to store the running task at every switch).
 */
static inline ca_task *ca__current(const ca_loop *l)
{
    return l->in_tasks && l->ready.tail ? l->ready.tail->next : NULL;
}
/* Take t, the first task of the run queue (the running one), out of it. */
static inline void ca__ready_unlink(ca_loop *l, ca_task *t)
{
    assert(l->ready.tail && l->ready.tail->next == t);
    if (t->next == t)
        l->ready.tail = NULL;
    else
        l->ready.tail->next = t->next;
}
/*
 * Inline: every wait of every task begins here. A wait under a deadline
 * needs the deadline's timer: the one armed by an earlier wait usually
 * (it stays armed, time.c), else it is armed now.
 */
static inline int ca__suspend(ca_loop *l, ca_task *t, ca_frame *fr, void *ret, bool retlong, int kind)
{
    unsigned timed = 0;
    if (CA__UNLIKELY(t->flags & CA__T_DEADLINE) && kind != CA__W_SLEEP && kind != CA__W_GROUP_DRAIN) {
        if (!(t->flags & CA__T_ARMED)) {
            int e = ca__deadline_arm(l, t);
            if (e)
                return e;
        }
        l->timed_waits++;
        timed = CA__T_TIMED;
    }
    t->wait_fr = fr;
    t->wait_ret = ret;
    t->flags = (uint16_t)((t->flags & ~(CA__T_RETLONG | CA__T_ABORTED)) | (retlong ? CA__T_RETLONG : 0) | timed);
    t->wait = (uint8_t)kind;
    ca__ready_unlink(l, t);
    return 0;
}
void ca__task_release(ca_loop *l, ca_task *t);
void ca__task_end(ca_loop *l, ca_task *t); /* its first frame has returned CA_DONE */

/* stack.c */
ca_task *ca__task_alloc(ca_loop *l, size_t frame_bytes); /* NULL when out of memory */
void ca__task_free(ca_loop *l, ca_task *t);              /* back to its size class */
void ca__stack_reset(ca_task *t);                        /* pop every chunk above the inline one */
void ca__chunks_free(ca_loop *l);
void ca__mem_trim(ca_loop *l); /* give spare chunks and malloc's free pages back to the system */
void ca__slabs_free(ca_loop *l);
/* Call fn on every task of l that is not released (fn may release it). */
void ca__tasks_each(ca_loop *l, void (*fn)(ca_loop *, ca_task *));
/* A runtime primitive's own frame (its resume point is its own business). */
void *ca__op_alloc(ca_task *t, size_t size, int (*resume)(ca_task *, ca_frame *), ca_frame *parent);
/* A runtime function's own frame of type `type` (one that awaits other calls), zeroed. */
void *ca__frame_new(ca_task *t, size_t size, size_t align, int (*resume)(ca_task *, ca_frame *), ca_frame *parent);
#define CA__FRAME_NEW(t, type, resume, parent) \
    ((type *)ca__frame_new((t), sizeof(type), _Alignof(type), (resume), (parent)))
void ca__op_free(ca_task *t, ca_frame *op);

/*
 * timer_heap.c (the data structure; no loop knowledge). `sleep` says which
 * heap: t's timer is in the sleep heap exactly while t->wait is CA__W_SLEEP.
 */
/* 0 or -ENOMEM; a wait-heap entry's deadline is `when`. */
int ca__timers_add(struct ca__timers *ts, ca_task *t, uint64_t when, bool sleep);
void ca__timers_del(struct ca__timers *ts, ca_task *t, bool sleep); /* t must be in that heap */
/* Move t's wait-heap entry (its deadline stays) to fire at `when`, after the others due then. */
void ca__timers_rekey(struct ca__timers *ts, ca_task *t, uint64_t when);
static inline struct ca__timer *ca__timers_entry(struct ca__timers *ts, const ca_task *t)
{
    return &ts->wait.v[t->timer - 1]; /* t is in the wait heap */
}
/* The first timer to fire (its deadline in *when), or NULL. */
static inline ca_task *ca__timers_min(const struct ca__timers *ts, uint64_t *when)
{
    if (ts->sleep.n && (!ts->wait.n || ts->sleep.v[0]->sleep_key < ts->wait.v[0].key)) {
        *when = ts->sleep.v[0]->sleep_key >> CA__KEY_SEQ_BITS;
        return ts->sleep.v[0];
    }
    if (!ts->wait.n)
        return NULL;
    *when = ts->wait.v[0].key >> CA__KEY_SEQ_BITS;
    return ts->wait.v[0].task;
}
static inline size_t ca__timers_count(const struct ca__timers *ts)
{
    return (size_t)ts->sleep.n + ts->wait.n;
}
void ca__timers_free(struct ca__timers *ts);

/* time.c */
uint64_t ca__clock_ms(void);
void ca__timers_run(ca_loop *l);
void ca__deadline_disarm(ca_loop *l, ca_task *t); /* t is released: its deadline's timer goes */
/* ca__deadline_arm (declared above): t has a deadline and no timer for it: arm one, 0 or -ENOMEM.
   ca__sleep_disarm: t's sleep, which has its timer, ends. */

/* io.c */
void ca__io_event(ca_loop *l, int fd, uint32_t events);
void ca__io_abort(ca_loop *l, ca_task *t);
/* Check the registrations of the fds waited on for a while (the loop calls it at l->fd_check_at). */
void ca__io_check(ca_loop *l);
/* fd is a new file (its number may have been another's): forget its registration (l may be NULL). */
void ca__fd_new(ca_loop *l, int fd);
/* fd is about to be closed: its waits end with -EBADF, its registration is forgotten (l may be NULL). */
void ca__fd_closing(ca_loop *l, int fd);
void ca__io_free(ca_loop *l);

/* future.c */
void ca__future_abort(ca_loop *l, ca_task *t);
void ca__remote_run(ca_loop *l);
int ca__future_wait(ca_loop *l, ca_task *t, ca_frame *parent, intptr_t *ret, ca_future *f, int kind);

/* pool.c */
void ca__pool_free(ca_loop *l);
void ca__blocking_done(ca_future *f); /* drops the loop's reference on a pool job */

/* sync.c: FIFO wait queues (tail is meaningful only while head is not NULL) */
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
/*
 * A wait in a queue goes through an op frame that begins with this (chan.c
 * adds the element), so that an abort finds the queue from wait_fr.
 */
struct ca__qop {
    ca_frame hdr;
    struct ca_waitq_ *q;
};
int ca__qop_resume(ca_task *t, ca_frame *fr); /* the result is written: free the op frame */
/* Suspend t in q through op (made with ca__qop_resume): CA_PENDING, or CA_DONE with *ret = -errno. */
int ca__queue_wait(ca_task *t, struct ca__qop *op, int *ret, struct ca_waitq_ *q);
void ca__queue_abort(ca_loop *l, ca_task *t);

/*
 * A wait that a module outside task.c implements (signals, child
 * processes): wait kind CA__W_OP, and wait_fr is an op frame that begins
 * with this. ca__abort calls `abort` to take the task out of whatever it
 * waits in, then writes the error and wakes it as for any other wait.
 */
struct ca__wop {
    ca_frame hdr;
    void (*abort)(ca_loop *l, ca_task *t);
};
/* Suspend t through op (kind CA__W_OP, counted in remote_waits): 0, or -ENOMEM. */
int ca__wop_suspend(ca_loop *l, ca_task *t, struct ca__wop *op, void *ret, bool retlong);
/* End t's CA__W_OP wait with result v. */
void ca__wop_wake(ca_loop *l, ca_task *t, long v);
int ca__wop_resume(ca_task *t, ca_frame *fr); /* the result is written: free the op frame */

/*
 * aux.c: the runtime's own fds, each watched for readability (level-
 * triggered) in an epoll nested in the loop's. `ready` runs on the loop
 * thread when the fd is readable.
 */
struct ca__watch {
    void (*ready)(ca_loop *l, struct ca__watch *w);
};
int ca__watch_add(ca_loop *l, int fd, struct ca__watch *w); /* 0 or -errno */
void ca__watch_del(ca_loop *l, int fd); /* before closing fd: a child being spawned may hold a copy */
void ca__aux_run(ca_loop *l);
void ca__aux_free(ca_loop *l);
void ca__signals_free(ca_loop *l); /* signal.c: give the signals back */
void ca__reapers_free(ca_loop *l); /* process.c: reap what cancels killed */

/* pool.c: ca_blocking, and whether fn was queued (it then runs, whatever the wait's result). */
int ca__blocking(ca_task *t, ca_frame *parent, intptr_t *ret, intptr_t (*fn)(void *), void *arg, bool *queued);

/*
 * req.c: a blocking call on the pool whose data the request owns (one
 * malloc'd block, freed here). `run` runs on the pool and returns the
 * result; `finish` (optional) runs on the loop thread when the task takes
 * the result (it copies data out to the caller); `abandon` (optional)
 * releases what run made when the task gave up before taking it (it may
 * run on a pool thread).
 */
struct ca__req {
    intptr_t (*run)(struct ca__req *r);
    void (*finish)(struct ca__req *r);
    void (*abandon)(struct ca__req *r);
    intptr_t result;
    int refs;
    bool ran, taken;
    bool must_run; /* the call must happen (a close): run it on the loop's thread when the pool cannot take it */
};
/* Await r (NULL: -ENOMEM) on the pool; the result goes to *ret (ssize_t when retlong, else int). */
int ca__req_await(ca_task *t, ca_frame *parent, void *ret, bool retlong, struct ca__req *r);

/*
 * A task's kept value (CA__T_KEPT): this record is the first thing on its
 * frame stack, so it sits at the base of the inline chunk and outlives
 * every frame; a group member's record (CA__T_GROUP) extends it.
 */
struct ca__kept {
    void *value;        /* where the first frame writes its value; NULL for void */
    uint32_t size;      /* of the value */
    uint32_t neg_fails; /* a signed integer: a negative value fails the group */
};
struct ca__member {
    struct ca__kept kept;
    ca_group *group;
    ca_task *prev, *next; /* the group's live tasks */
};
static inline struct ca__kept *ca__kept(ca_task *t)
{
    return (struct ca__kept *)(void *)(t + 1);
}

/* join.c */
void ca__join_any_done(ca_loop *l, ca_task *joiner, ca_task *child);
void ca__join_any_abort(ca_loop *l, ca_task *t);
void ca__join_value_done(ca_loop *l, ca_task *joiner, ca_task *child); /* joiner waits in CA__W_JOIN_VALUE */

/* group.c */
void ca__group_add(ca_group *g, ca_task *t);     /* t's member record is made; link it */
void ca__group_task_end(ca_loop *l, ca_task *t); /* a member has ended: unlink, judge, release */

#endif
