/*
 * Memory for tasks and their frames.
 *
 * Tasks come from a per-loop slab allocator with one size class per slot
 * size (internal.h: the task, then its inline frame stack, sized from the
 * tool's bound on the task's frames). Each class carves slots off its newest
 * slab of SLAB_BYTES as needed and keeps released slots in a LIFO free list
 * through ca_task.next; the task remembers its class (ca_task.slot). Slabs
 * go back to the system only when the loop is closed: they hold small
 * tasks (at most CA__SLOT_MAX bytes each), as many as were alive at once.
 * A task whose bounded frames need more than a slot holds (a connection's
 * 16 KiB buffer) is malloc'd on its own, at exactly its size, and freed
 * when it is released (CA__SLOT_BIG).
 *
 * A task's frame stack starts in its inline chunk. When a frame does not
 * fit, a chunk twice the size of the current one (at least FIRST_CHUNK) is
 * pushed, or just the frame's size when that is more; its header remembers
 * the chunk below. Freeing a frame below an empty chunk pops that chunk.
 * Popped chunks of up to MAX_SPARE_CAP are kept in a small per-loop cache,
 * so a call that crosses a chunk boundary in a loop does not call malloc
 * each time. Chunks stop at CA__CHUNK_MAX, so that offsets in a chunk fit
 * the stack's 32 bits (abi.h); a bigger frame is out of memory.
 *
 * Memory freed to malloc is counted (loop.freed_bytes); once enough was
 * freed, the loop gives the spare chunks and malloc's free pages back to
 * the system when it next finds nothing to do (ca__mem_trim, loop.c).
 *
 * Invariant: frames are freed in LIFO order (abi.h); a chunk above the
 * current one never exists, and only the current chunk may be empty.
 */
#include "internal.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLAB_BYTES (64 * 1024)
#define FIRST_CHUNK 512
#define MAX_SPARE_CHUNKS 16
#define MAX_SPARE_CAP (64 * 1024)

struct ca__chunk {
    struct ca__chunk *next_spare;
    struct ca__stack prev; /* the chunk below, as it was */
    size_t cap;
    _Alignas(16) char data[];
};

struct slab {
    struct slab *next;
    size_t slot_size; /* every slot of a slab is of one class */
    _Alignas(16) char slots[];
};

/* What precedes a big task in its allocation: the loop's list of them (for ca__tasks_each). */
struct big {
    struct big *prev, *next;
};
_Static_assert(sizeof(struct big) % 16 == 0, "a big task stays 16-byte aligned");

static char *inline_base(ca_task *t)
{
    return (char *)(t + 1);
}

static struct ca__chunk *chunk_of(char *base)
{
    return CA__CONTAINER(base, struct ca__chunk, data);
}

/* The slot size of a task with frame_bytes of frames (0: unknown; more than a slot holds: see ca__task_alloc). */
static size_t slot_size(size_t frame_bytes)
{
    if (frame_bytes - 1 < CA__SLOT_MAX - sizeof(struct ca_task)) /* 0 < frame_bytes, and it fits */
        return sizeof(struct ca_task) + ((frame_bytes + 7) & ~(size_t)7);
    return CA__SLOT_DEFAULT;
}

static bool slab_new(ca_loop *l, struct ca__slots *c, size_t size)
{
    struct slab *s = ca__malloc(SLAB_BYTES);
    if (!s)
        return false;
    s->slot_size = size;
    s->next = l->slabs;
    l->slabs = s;
    c->bump = s->slots;
    c->end = (char *)s + SLAB_BYTES;
    return true;
}

/* A task in slot t of `size` bytes, class k. */
static ca_task *task_init(ca_task *t, size_t size, size_t k)
{
    t->stack.base = inline_base(t);
    t->stack.top = 0;
    t->stack.limit = (uint32_t)(size - sizeof *t);
    t->wait_fr = NULL;
    t->wait_ret = NULL;
    t->next = NULL;
    t->timer = 0;
    t->flags = 0;
    t->wait = CA__W_NONE;
    t->slot = (uint8_t)k;
    return t;
}

/* Class k has no free slot: carve one. Out of line and tail-called, so that the common path saves no registers. */
__attribute__((noinline)) static ca_task *task_carve(ca_loop *l, struct ca__slots *c, size_t size, size_t k)
{
    if ((size_t)(c->end - c->bump) < size && !slab_new(l, c, size))
        return NULL;
    ca_task *t = (ca_task *)c->bump;
    c->bump += size;
    return task_init(t, size, k);
}

/* A task too big for a slot: its own allocation, exactly its size. */
__attribute__((noinline)) static ca_task *task_big(ca_loop *l, size_t frame_bytes)
{
    size_t size = sizeof(struct ca_task) + ((frame_bytes + 7) & ~(size_t)7);
    struct big *b = ca__malloc(sizeof *b + size);
    if (!b)
        return NULL;
    b->prev = NULL;
    b->next = l->bigs;
    if (b->next)
        b->next->prev = b;
    l->bigs = b;
    return task_init((ca_task *)(b + 1), size, CA__SLOT_BIG);
}

static void big_free(ca_loop *l, ca_task *t)
{
    struct big *b = (struct big *)t - 1;
    if (b->prev)
        b->prev->next = b->next;
    else
        l->bigs = b->next;
    if (b->next)
        b->next->prev = b->prev;
    l->freed_bytes += sizeof *b + sizeof *t + t->stack.limit;
    free(b);
}

ca_task *ca__task_alloc(ca_loop *l, size_t frame_bytes)
{
    if (CA__UNLIKELY(frame_bytes > CA__SLOT_MAX - sizeof(struct ca_task)) && frame_bytes <= CA__BIG_MAX)
        return task_big(l, frame_bytes);
    size_t size = slot_size(frame_bytes), k = (size - CA__SLOT_MIN) / 8;
    struct ca__slots *c = &l->slots[k];
    ca_task *t = c->free;
    if (CA__UNLIKELY(!t))
        return task_carve(l, c, size, k);
    c->free = t->next;
    return task_init(t, size, k);
}

void ca__task_free(ca_loop *l, ca_task *t)
{
    assert(!(t->flags & CA__T_FREED));
    if (CA__UNLIKELY(t->slot == CA__SLOT_BIG)) {
        big_free(l, t);
        return;
    }
    struct ca__slots *c = &l->slots[t->slot];
    t->flags = CA__T_FREED;
    t->next = c->free;
    c->free = t;
}

static void chunk_put(ca_loop *l, struct ca__chunk *c)
{
    if (l && l->nspare < MAX_SPARE_CHUNKS && c->cap <= MAX_SPARE_CAP) {
        c->next_spare = l->spare_chunks;
        l->spare_chunks = c;
        l->nspare++;
    } else {
        if (l)
            l->freed_bytes += sizeof *c + c->cap;
        free(c);
    }
}

static struct ca__chunk *chunk_get(ca_loop *l, size_t cap)
{
    for (struct ca__chunk **p = l ? &l->spare_chunks : NULL; p && *p; p = &(*p)->next_spare) {
        if ((*p)->cap >= cap) {
            struct ca__chunk *c = *p;
            *p = c->next_spare;
            l->nspare--;
            return c;
        }
    }
    struct ca__chunk *c = ca__malloc(sizeof *c + cap);
    if (c)
        c->cap = cap;
    return c;
}

void *ca__frame_alloc_slow(ca_task *t, size_t size, size_t align)
{
    struct ca__stack *s = &t->stack;
    /* Chunk data is 16-byte aligned; a stricter frame may need up to align - 16 bytes of padding. */
    size_t need = size + (align > 16 ? align - 16 : 0);
    size_t cap = s->base == inline_base(t) ? FIRST_CHUNK : chunk_of(s->base)->cap * 2;
    if (cap < need) /* a big frame: its own size, not the next power of two */
        cap = (need + 63) & ~(size_t)63;
    if (cap > CA__CHUNK_MAX)
        cap = CA__CHUNK_MAX;
    struct ca__chunk *c = need <= cap ? chunk_get(ca__cur_loop, cap) : NULL; /* NULL: too big */
    if (!c) {
        fprintf(stderr, "cawait: out of memory allocating a %zu-byte async frame\n", size);
        abort();
    }
    c->prev = *s;
    size_t off = (size_t)(0 - (uintptr_t)c->data) & (align - 1);
    s->base = c->data;
    s->top = (uint32_t)(off + size);
    s->limit = (uint32_t)c->cap;
    return c->data + off;
}

/* Pop the current chunk: its frames have been freed, or are dropped with their task (ca__stack_reset). */
static void chunk_pop(ca_task *t)
{
    struct ca__stack *s = &t->stack;
    struct ca__chunk *c = chunk_of(s->base);
    *s = c->prev;
    chunk_put(ca__cur_loop, c);
}

/*
 * Freeing a frame frees every frame above it too, as the inline fast path
 * does within one chunk: a generator abandoned by `return` inside `ca_for`
 * is released with the frame of the function that returns. Only the chunks
 * above the freed frame's own chunk go: the driver (loop.c) reads a frame's
 * parent after the frame has freed itself.
 */
void ca__frame_free_slow(ca_task *t, void *frame)
{
    struct ca__stack *s = &t->stack;
    uintptr_t off;
    while ((off = (uintptr_t)frame - (uintptr_t)s->base) >= s->top) {
        if (s->base == inline_base(t)) {
            fprintf(stderr, "cawait: async frame %p freed out of LIFO order\n", frame);
            abort();
        }
        chunk_pop(t);
    }
    s->top = (uint32_t)off;
}

void ca__stack_reset(ca_task *t)
{
    while (t->stack.base != inline_base(t))
        chunk_pop(t);
    t->stack.top = 0;
}

void *ca__op_alloc(ca_task *t, size_t size, int (*resume)(ca_task *, ca_frame *), ca_frame *parent)
{
    ca_frame *op = ca__frame_alloc(t, size, _Alignof(void *)); /* op frames hold pointers and integers */
    op->resume = resume;
    op->parent = parent;
    return op;
}

void *ca__frame_new(ca_task *t, size_t size, size_t align, int (*resume)(ca_task *, ca_frame *), ca_frame *parent)
{
    ca_frame *f = ca__frame_alloc(t, size, align);
    memset(f, 0, size);
    f->resume = resume;
    f->parent = parent;
    return f;
}

void ca__op_free(ca_task *t, ca_frame *op)
{
    ca__frame_free(t, op);
}

void ca__chunks_free(ca_loop *l)
{
    while (l->spare_chunks) {
        struct ca__chunk *c = l->spare_chunks;
        l->spare_chunks = c->next_spare;
        free(c);
    }
    l->nspare = 0;
}

void ca__mem_trim(ca_loop *l)
{
    ca__chunks_free(l);
    malloc_trim(0);
    l->freed_bytes = 0;
}

void ca__tasks_each(ca_loop *l, void (*fn)(ca_loop *, ca_task *))
{
    for (struct slab *s = l->slabs; s; s = s->next) {
        size_t size = s->slot_size;
        struct ca__slots *c = &l->slots[(size - CA__SLOT_MIN) / 8];
        /* The class's newest slab is carved up to its bump pointer, older ones as far as a slot fits. */
        char *end = c->end == (char *)s + SLAB_BYTES ? c->bump : s->slots + (SLAB_BYTES - sizeof *s) / size * size;
        for (char *p = s->slots; p < end; p += size)
            if (!(((ca_task *)p)->flags & CA__T_FREED))
                fn(l, (ca_task *)p);
    }
    for (struct big *b = l->bigs, *next; b; b = next) {
        next = b->next; /* fn may release the task */
        fn(l, (ca_task *)(b + 1));
    }
}

void ca__slabs_free(ca_loop *l)
{
    struct slab *s = l->slabs;
    while (s) {
        struct slab *next = s->next;
        free(s);
        s = next;
    }
    l->slabs = NULL;
    memset(l->slots, 0, sizeof l->slots);
}
