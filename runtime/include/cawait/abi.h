/*
 * The interface between the C that the cawait tool generates and libcawait.
 * Users never call these names; they are public only because generated code
 * is compiled in the user's translation units.
 *
 * An async function `T f(P...)` becomes
 *
 *     int f__ca_start(ca_frame *parent, T *ret, P...);   (no ret when T is void)
 *
 * which allocates f's frame on the task's frame stack, runs f until it ends
 * or suspends, and returns CA_DONE (the result is in *ret and the frame is
 * freed) or CA_PENDING (the frame stays; when f ends later it writes *ret,
 * frees its frame and returns CA_DONE to the runtime, which then resumes
 * `parent`).
 *
 * A frame that suspends returns CA_PENDING after saving its resume point in
 * `state`. The leaf that really waits (a runtime primitive: sleep, I/O,
 * future...) records in the task which frame to resume when the wait ends.
 * Resuming a task runs, in the runtime's driver loop,
 *
 *     for (fr = innermost; ; fr = parent) {
 *         parent = fr->parent;
 *         if (fr->resume(fr) == CA_PENDING) break;
 *         if (parent == ca__task_root(task)) { the task has ended; break; }
 *     }
 *
 * so a long chain of frames finishing one after another never deepens the
 * C stack.
 */
#ifndef CAWAIT_ABI_H
#define CAWAIT_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { CA_DONE = 0, CA_PENDING = 1 };

typedef struct ca_frame ca_frame;
typedef struct ca_task ca_task;

/* The header every async frame begins with. */
struct ca_frame {
    int (*resume)(ca_frame *self); /* continue at `state`; CA_DONE or CA_PENDING */
    ca_frame *parent;              /* resumed when this frame ends */
    ca_task *task;                 /* the task whose frame stack holds this frame */
    unsigned state;                /* resume point; 0 = start of the body */
};

/*
 * Every ca_task begins with this: the current chunk of its LIFO frame stack.
 * Frames live in [base, top); the chunk ends at limit.
 */
struct ca__stack {
    char *top;
    char *base;
    char *limit;
};

void *ca__frame_alloc_slow(ca_task *t, size_t size); /* aborts when out of memory */
void ca__frame_free_slow(ca_task *t, void *frame);

/* Allocate a frame of `size` bytes (16-byte aligned) on t's frame stack. */
static inline void *ca__frame_alloc(ca_task *t, size_t size)
{
    struct ca__stack *s = (struct ca__stack *)t;
    size = (size + 15) & ~(size_t)15;
    if (__builtin_expect((size_t)(s->limit - s->top) >= size, 1)) {
        void *p = s->top;
        s->top += size;
        return p;
    }
    return ca__frame_alloc_slow(t, size);
}

/* Free a live frame of t and every frame allocated after it (LIFO). */
static inline void ca__frame_free(ca_task *t, void *frame)
{
    struct ca__stack *s = (struct ca__stack *)t;
    uintptr_t off = (uintptr_t)frame - (uintptr_t)s->base;
    if (__builtin_expect(off < (uintptr_t)(s->top - s->base), 1))
        s->top = (char *)frame;
    else
        ca__frame_free_slow(t, frame);
}

/*
 * Tasks, as ca_run and ca_spawn use them. `spawner` is the frame that spawns
 * (the new task runs on its task's loop), or NULL in synchronous code (the
 * calling thread's loop, made on first use). NULL when out of memory.
 */
ca_task *ca__task_new(ca_frame *spawner);
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
