/*
 * The interface between the C that the cawait tool generates and libcawait.
 * Users never call these names; they are public only because generated code
 * is compiled in the user's translation units.
 *
 * An async function `T f(P...)` becomes
 *
 *     int f__ca_start(ca_task *t, ca_frame *parent, T *ret, P...);   (no ret when T is void)
 *
 * which allocates f's frame on t's frame stack and runs f until it ends or
 * suspends. It returns a status:
 *
 *   CA_DONE     f has ended: the result is in *ret and the frame is freed;
 *   CA_PENDING  f waits for something (a timer, an fd, another task...):
 *               the task is out of the run queue until that wait ends;
 *   CA_YIELD    f yielded: the task stays in the run queue and is resumed
 *               after the tasks ahead of it.
 *
 * (ca_yield__ca_start alone takes no ret: a yield's result is read when the
 * task resumes, see runtime.h.)
 *
 * A generator `async ca_gen(T) g(P...)` has instead
 *
 *     ca_frame *g__ca_gen(ca_task *t, ca_frame *parent, void *slot, int *more, P...);
 *     void g__ca_drop(ca_task *t, ca_frame *g_frame);
 *
 * g__ca_gen makes its frame; each resume of that frame runs g to its next
 * yield (the value in *slot, *more = 1) or its end (*more = 0). The consumer
 * releases the frame with g__ca_drop, which, when g stopped at a yield
 * (the consumer left its ca_for early), first runs what leaving g's scopes
 * there would run: cleanups of its locals, drops of generators g iterates.
 * The runtime never frees a suspended frame (a task is released only after
 * its first frame has ended), so no frame carries a destroy hook: only
 * generators, which their consumers may abandon, have one, as a function.
 *
 * An async function pointer (`async int (*p)(P...)`, or a pointer typed
 * with an async typedef) holds f__ca_start cast to the pointer's declared C
 * type; `await p(args)` casts it back to `int (*)(ca_task *, ca_frame *,
 * T *, P...)` and calls it. Every async function that takes no variable
 * arguments has that entry, those lowered to plain C included, so a pointer
 * made in one file can be awaited in another.
 *
 * In the last two cases the frame stays; when f ends later it writes *ret,
 * frees its frame and returns CA_DONE to the runtime, which then resumes
 * `parent`. The task travels as an argument, never in the frame: a frame
 * header is two pointers, so a task asleep two awaits deep stays small.
 *
 * A frame whose callee returns a status other than CA_DONE saves its resume
 * point and returns that same status, so the status reaches the runtime's
 * driver in a register. By convention every frame's first member after the
 * header is that resume point, `unsigned state` (0 = start of the body;
 * debuggers read it there); only the frame's own resume function reads it.
 * The leaf that really waits (a runtime primitive: sleep, I/O, yield...)
 * records in the task which frame to resume. Resuming a task runs, in the
 * runtime's driver loop,
 *
 *     for (fr = innermost; ; fr = fr->parent) {
 *         if ((status = fr->resume(task, fr)) != CA_DONE) break;
 *         if (fr->parent == ca__task_root(task)) { the task has ended; break; }
 *     }
 *
 * so a long chain of frames finishing one after another never deepens the
 * C stack. (A frame that has ended has freed itself, but it stays readable
 * until its task allocates again: the driver reads its parent after.)
 */
#ifndef CAWAIT_ABI_H
#define CAWAIT_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { CA_DONE = 0, CA_PENDING = 1, CA_YIELD = 2 };

typedef struct ca_frame ca_frame;
typedef struct ca_task ca_task;

/* The header every async frame begins with (followed by `unsigned state`). */
struct ca_frame {
    int (*resume)(ca_task *t, ca_frame *self); /* continue at the resume point: a status, as f__ca_start */
    ca_frame *parent;                          /* resumed when this frame ends */
};

/*
 * Every ca_task begins with this: the current chunk of its LIFO frame stack.
 * Frames live in [base, base + top); the chunk ends at base + limit. Offsets
 * rather than pointers keep the task 8 bytes smaller: a chunk holds at most
 * CA__CHUNK_MAX bytes, so top <= limit <= 2^31.
 */
struct ca__stack {
    char *base;
    uint32_t top, limit;
};
#define CA__CHUNK_MAX ((size_t)1 << 31)

/*
 * The task. Its fields are private to libcawait: they are here only because
 * fast paths inlined into generated code (the frame allocator below,
 * runtime.h's ca_yield) use them. What only some tasks have at a time (a
 * deadline, a joiner) lives in a per-loop side table instead, so that a
 * million sleeping tasks stay small. The task's first chunk of frame stack
 * follows it in its slab slot.
 */
/* What a suspended task waits for (ca_task.wait). */
enum ca__wait {
    CA__W_NONE,        /* not started yet */
    CA__W_READY,       /* waits for nothing: in the run queue (its result written) or running */
    CA__W_SLEEP,       /* in the sleep heap; sleep_key is its timer's key */
    CA__W_IO,          /* in the fd table; wait_fr is an io op frame */
    CA__W_QUEUE,       /* in a wait queue; wait_fr is an op frame naming the queue */
    CA__W_JOIN,        /* wait_obj is the task being joined */
    CA__W_JOIN_VALUE,  /* wait_obj is the task being joined; wait_fr an op frame taking its value */
    CA__W_JOIN_ANY,    /* wait_fr is a join-any op frame */
    CA__W_GROUP,       /* wait_obj is the group (ca_group_wait); wait_fr its op frame */
    CA__W_GROUP_DRAIN, /* the same, after a cancel or timeout: waits for the members, not abortable */
    CA__W_FUTURE,      /* wait_obj is the future */
    CA__W_BLOCKING,    /* wait_obj is the future inside a pool job */
    CA__W_OP           /* wait_fr is an op frame that knows how to withdraw the wait (signals, child processes) */
};
/* ca_task.flags */
enum {
    CA__T_DONE = 1 << 0,      /* the first frame has ended */
    CA__T_DETACHED = 1 << 1,  /* released when it ends */
    CA__T_CANCELLED = 1 << 2, /* sticky: every runtime await fails */
    CA__T_ABORTED = 1 << 3,   /* the pending wait was ended by cancel/timeout */
    CA__T_RETLONG = 1 << 4,   /* wait_ret points to a long, not an int */
    CA__T_RUNOWNED = 1 << 5,  /* ca__run waits for it */
    CA__T_FREED = 1 << 6,     /* back in its slab's free list */
    CA__T_DEADLINE = 1 << 7,  /* has a deadline (in the loop's side table, or its timer's entry when ARMED) */
    CA__T_JOINED = 1 << 8,    /* has a joiner (in the loop's side table) */
    CA__T_NOMEM = 1 << 9,     /* sticky: a deadline could not be recorded, every runtime await fails */
    CA__T_KEPT = 1 << 10,     /* keeps its value: a result record at the base of its inline stack */
    CA__T_GROUP = 1 << 11,    /* belongs to a group: a member record follows the result record */
    CA__T_ARMED = 1 << 12,    /* its deadline's timer is in the wait heap (slot in `timer`), which holds the deadline */
    CA__T_TIMED = 1 << 13     /* suspended in a wait that a timer ends (a sleep, or a wait under a deadline) */
};
struct ca_task {
    struct ca__stack stack; /* must be first: the inline allocator below */
    ca_frame *wait_fr;      /* resumed when the wait ends (or the yield's turn comes) */
    void *wait_ret;         /* where the wait's result goes (int or long) */
    __extension__ union {   /* anonymous (C11); __extension__ keeps -std=c99 -pedantic quiet */
        ca_task *next;      /* the run queue, a wait queue, or the free list */
        void *wait_obj;     /* JOIN, FUTURE, BLOCKING: what the task waits on (it is in no list then) */
        uint64_t sleep_key; /* SLEEP: its key in the sleep heap (in no list either) */
    };
    uint32_t timer; /* slot + 1 in the sleep heap (when wait is SLEEP) or the wait heap (when ARMED); 0 when none */
    uint16_t flags;
    uint8_t wait; /* enum ca__wait (a byte: stored with one instruction) */
    uint8_t slot; /* size class of its slab slot */
};

void *ca__frame_alloc_slow(ca_task *t, size_t size, size_t align); /* aborts when out of memory */
void ca__frame_free_slow(ca_task *t, void *frame);

/*
 * Allocate a frame of `size` bytes aligned to `align` (a power of two; the
 * stack's granule is 8 bytes, so a constant align <= 8 costs nothing) on t's
 * frame stack.
 */
static inline void *ca__frame_alloc(ca_task *t, size_t size, size_t align)
{
    struct ca__stack *s = (struct ca__stack *)t;
    size_t off = s->top;
    size = (size + 7) & ~(size_t)7;
    if (align > 8) /* pad the address, not the offset: base is only 8-byte aligned */
        off += (size_t)(0 - ((uintptr_t)s->base + off)) & (align - 1);
    if (__builtin_expect(off + size <= s->limit, 1)) {
        s->top = (uint32_t)(off + size);
        return s->base + off;
    }
    return ca__frame_alloc_slow(t, size, align);
}

/* Free a live frame of t and every frame allocated after it (LIFO). */
static inline void ca__frame_free(ca_task *t, void *frame)
{
    struct ca__stack *s = (struct ca__stack *)t;
    uintptr_t off = (uintptr_t)frame - (uintptr_t)s->base;
    if (__builtin_expect(off < s->top, 1))
        s->top = (uint32_t)off;
    else
        ca__frame_free_slow(t, frame);
}

/*
 * The most frame stack a runtime primitive's own op frame takes while it
 * waits, on top of the task's innermost frame (I/O takes that much; ca_sleep,
 * ca_yield and ca_join take none; a few, such as ca_connect_host and
 * ca_recvfrom, are a frame of this size awaiting another primitive, and
 * the tool counts two).
 */
#define CA__OP_FRAME_MAX 80

/*
 * Tasks, as ca_run and ca_spawn use them. `spawner` is the task that spawns
 * (the new task runs on the loop of the spawner), or NULL in synchronous
 * code (the calling thread's loop, made on first use). `frame_bytes` is the
 * most frame stack the task will ever hold when the tool can bound it, each
 * frame rounded up to the 8-byte granule (plus CA__OP_FRAME_MAX if the task
 * may wait in a primitive that takes an op frame), or 0 when unknown: the
 * task is then allocated with that much stack inline, when it is small
 * enough. Frames beyond the inline stack still work (they go to malloc'd
 * chunks). NULL when out of memory.
 */
ca_task *ca__task_new(ca_task *spawner, size_t frame_bytes);
/*
 * A task that keeps the value of its call for a joiner (ca_join_value...):
 * spawned into a typed handle (ca_task_of(T)). It is made as ca__task_new
 * does, then a record at the bottom of its frame stack holds its value of
 * `size` bytes aligned to `align` (size 0 for void); *value is where the
 * first frame must write it. `frame_bytes` counts the frames only. NULL
 * when out of memory.
 */
ca_task *ca__task_new_kept(ca_task *spawner, size_t frame_bytes, size_t size, size_t align, void **value);
/*
 * The same for ca_group_spawn(g, CALL): the task belongs to g (it is
 * released when it ends; nobody joins it). `negative_fails`: the value is a
 * signed integer, and a negative one fails the group. NULL when out of
 * memory or when g is not open (failed, cancelled or closed).
 */
struct ca_group;
ca_task *ca__group_task_new(struct ca_group *g, ca_task *spawner, size_t frame_bytes, size_t size, size_t align,
                            int negative_fails, void **value);
/* The parent to give the task's first frame; it is never resumed. */
ca_frame *ca__task_root(ca_task *t);
/* Schedule t: `first`, a frame on t's stack whose parent is the root, is resumed from the loop. */
void ca__task_start(ca_task *t, ca_frame *first);
/* Synchronous code: run the loop until t (already started) ends, then release t. 0, or -ECANCELED. */
int ca__run(ca_task *t);

#ifdef __cplusplus
}
#endif

#endif
