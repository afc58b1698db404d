/*
 * Memory for tasks and their frames.
 *
 * Tasks come from a per-loop slab allocator with one size class per slot
 * size (internal.h: the task, then its inline frame stack, sized from the
 * tool's bound on the task's frames). Each class carves slots off its newest
 * slab of SLAB_BYTES as needed and keeps released slots in a LIFO free list
 * through ca_task.next; the task remembers its class (ca_task.slot). Slabs
 * go back to the system only when the loop is closed.
 *
 * A task's frame stack starts in its inline chunk. When a frame does not
 * fit, a chunk twice the size of the current one (at least FIRST_CHUNK, at
 * least the frame) is pushed; its header remembers the chunk below. Freeing
 * a frame below an empty chunk pops that chunk. Popped chunks of standard
 * size are kept in a small per-loop cache, so a call that crosses a chunk
 * boundary in a loop does not call malloc each time. Chunks stop doubling at
 * CA__CHUNK_MAX, so that offsets in a chunk fit the stack's 32 bits (abi.h);
 * a bigger frame aborts, as out of memory would.
 *
 * Invariant: frames are freed in LIFO order (abi.h); a chunk above the
 * current one never exists, and only the current chunk may be empty.
 */
#include "internal.h"

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
    _Alignas(16) char slots[];
};

static char *inline_base(ca_task *t)
{
    return (char *)(t + 1);
}

static struct ca__chunk *chunk_of(char *base)
{
    return CA__CONTAINER(base, struct ca__chunk, data);
}

/* The slot size of a task with frame_bytes of frames (0: unknown). */
static size_t slot_size(size_t frame_bytes)
{
    if (frame_bytes - 1 < CA__SLOT_MAX - sizeof(struct ca_task)) /* 0 < frame_bytes, and it fits */
        return sizeof(struct ca_task) + ((frame_bytes + 7) & ~(size_t)7);
    return CA__SLOT_DEFAULT;
}

static bool slab_new(ca_loop *l, struct ca__slots *c)
{
    struct slab *s = malloc(SLAB_BYTES);
    if (!s)
        return false;
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
    if ((size_t)(c->end - c->bump) < size && !slab_new(l, c))
        return NULL;
    ca_task *t = (ca_task *)c->bump;
    c->bump += size;
    return task_init(t, size, k);
}

ca_task *ca__task_alloc(ca_loop *l, size_t frame_bytes)
{
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
    struct ca__chunk *c = malloc(sizeof *c + cap);
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
    if (cap > CA__CHUNK_MAX)
        cap = CA__CHUNK_MAX;
    while (cap < need && cap < CA__CHUNK_MAX) /* powers of two, so cap stays <= CA__CHUNK_MAX */
        cap *= 2;
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

/* Pop the current chunk (it must be empty). */
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
