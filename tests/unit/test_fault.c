/*
 * Fault injection: the runtime built with CA__FAULT_INJECT takes its memory
 * from ca__malloc/ca__calloc/ca__realloc below, which fail the Nth
 * allocation (mode ONE) or every allocation from the Nth on (mode FROM).
 * One scenario touches every part of the runtime that allocates (the loop,
 * task slots and a task too big for one, timers, deadlines, joiners, the fd
 * table, a channel, the thread pool); it is run for N = 1, 2, ... until a
 * run makes no allocation fail. Each run must see every call succeed or
 * fail with -ENOMEM (-EAGAIN where a pool thread cannot start), never
 * crash, and leave nothing behind: ca_loop_shutdown ends what is left, and
 * ASan or valgrind check that no byte leaked.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "test.h"

#include <fcntl.h>
#include <unistd.h>

static long fault_at, fault_count;
static int fault_from; /* mode FROM: every allocation from the Nth on fails */
static long faults;    /* allocations made to fail in this run */

static int fail_now(void)
{
    long n = __atomic_add_fetch(&fault_count, 1, __ATOMIC_RELAXED); /* pool threads allocate nothing, but be safe */
    if (n == fault_at || (fault_from && n > fault_at)) {
        __atomic_add_fetch(&faults, 1, __ATOMIC_RELAXED);
        return 1;
    }
    return 0;
}
void *ca__malloc(size_t n)
{
    return fail_now() ? NULL : malloc(n);
}
void *ca__calloc(size_t n, size_t size)
{
    return fail_now() ? NULL : calloc(n, size);
}
void *ca__realloc(void *p, size_t n)
{
    return fail_now() ? NULL : realloc(p, n);
}

/* A result that is a success (want) or an allowed failure. */
#define OK_OR_NOMEM(r, want) CHECK((r) == (want) || (r) == -ENOMEM)

static intptr_t twice(void *arg)
{
    return 2 * (intptr_t)arg;
}

/* A child: sleep 1 ms (a timer). */
struct child_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int r;
};
static int child_resume(ca_task *self, ca_frame *fr)
{
    struct child_fr *F = (struct child_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 1));
    CHECK(F->r == 0 || F->r == -ENOMEM || F->r == -ECANCELED);
    RETURN(F, 0);
    END(F);
}
static int child(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, child, parent);
    return child_resume(self, &F->hdr);
}

/* spawn(fn) into a task of frame_bytes, or NULL when out of memory. */
static ca_task *try_spawn(size_t frame_bytes, test_fn fn, void *arg)
{
    ca_task *t = ca__task_new(NULL, frame_bytes);
    if (!t)
        return NULL;
    struct thunk_fr *T = ca__frame_alloc(t, sizeof *T, _Alignof(struct thunk_fr));
    *T = (struct thunk_fr){{thunk_resume, ca__task_root(t)}, 0, fn, arg};
    ca__task_start(t, &T->hdr);
    return t;
}

struct scen_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_task *kids[3];
    ca_chan *ch;
    int p[2], i, r, v;
    ssize_t n;
    intptr_t x;
    char c;
};
static int scen_resume(ca_task *self, ca_frame *fr)
{
    struct scen_fr *F = (struct scen_fr *)fr;
    BEGIN(F);
    /* Tasks: two in slots, one too big for a slot. */
    F->kids[0] = try_spawn(0, child, NULL);
    F->kids[1] = try_spawn(2000, child, NULL);
    F->kids[2] = try_spawn(200, child, NULL);
    /* A deadline, then an await under it. */
    ca_deadline_in(100000);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 0));
    OK_OR_NOMEM(F->r, 0);
    ca_deadline_set(CA_NEVER);
    /* A channel. */
    F->ch = ca_chan_new(1, sizeof(int));
    if (F->ch) {
        F->v = 7;
        AWAIT(F, ca_chan_send__ca_start(self, &F->hdr, &F->r, F->ch, &F->v));
        OK_OR_NOMEM(F->r, 0);
        if (F->r == 0) {
            AWAIT(F, ca_chan_recv__ca_start(self, &F->hdr, &F->r, F->ch, &F->v));
            OK_OR_NOMEM(F->r, 0);
        }
        ca_chan_free(F->ch);
    }
    /* An fd wait (the fd table) on a pipe that a sleeping child will not fill: the deadline ends it. */
    CHECK_EQ(pipe2(F->p, O_NONBLOCK | O_CLOEXEC), 0);
    ca_deadline_in(2);
    AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->p[0], &F->c, 1));
    CHECK(F->n == -ETIMEDOUT || F->n == -ENOMEM);
    ca_deadline_set(CA_NEVER);
    ca_close(F->p[0]);
    ca_close(F->p[1]);
    /* The pool. */
    AWAIT(F, ca_blocking__ca_start(self, &F->hdr, &F->x, twice, (void *)(intptr_t)21));
    CHECK(F->x == 42 || F->x == -ENOMEM || F->x == -EAGAIN);
    /* Join what was spawned; a join that cannot record itself leaves the child to the shutdown. */
    for (F->i = 0; F->i < 3; F->i++) {
        if (!F->kids[F->i])
            continue;
        AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->kids[F->i]));
        OK_OR_NOMEM(F->r, 0);
    }
    RETURN(F, 0);
    END(F);
}
static int scen(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, scen, parent);
    return scen_resume(self, &F->hdr);
}

/* One run with the Nth allocation failing: whether any allocation failed. */
static int run_with_fault(long n, int from)
{
    fault_at = n;
    fault_from = from;
    fault_count = 0;
    faults = 0;
    ca_task *t = try_spawn(900, scen, NULL); /* its bound: no frame of it needs a chunk */
    if (t) {
        int r = ca__run(t);
        CHECK(r == 0 || r == -ECANCELED);
    }
    fault_at = 0; /* the clean-up allocates nothing, but must not fail either */
    CHECK_EQ(ca_loop_shutdown(), 0);
    return faults > 0;
}

static void test_every_allocation_fails(void)
{
    long n;
    for (n = 1; run_with_fault(n, 0); n++)
        ;
    CHECK(n > 8); /* the scenario does allocate: the loop, slabs, a big task, timers, side table, fds, chan, pool */
    printf("  %ld allocations, each made to fail once\n", n - 1);
    for (n = 1; run_with_fault(n, 1); n++)
        ;
    printf("  and every allocation from the Nth on, for each N\n");
}

int main(int argc, char **argv)
{
    TEST(test_every_allocation_fails);
    return 0;
}
