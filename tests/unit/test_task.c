/* Tasks: run queue order, lazy start, join/detach/cancel, gather, first-of, deep frame stacks. */
#include "test.h"

static char log_buf[256];
static size_t log_n;

static void log_c(char c)
{
    if (log_n + 1 < sizeof log_buf)
        log_buf[log_n++] = c;
    log_buf[log_n] = 0;
}

static void log_reset(void)
{
    log_n = 0;
    log_buf[0] = 0;
}

/* async void yielder(char id, int n): log id, yield, n times. */
struct yielder_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    char id;
    int n, i, r;
};
static int yielder_resume(ca_task *self, ca_frame *fr)
{
    struct yielder_fr *F = (struct yielder_fr *)fr;
    BEGIN(F);
    for (F->i = 0; F->i < F->n; F->i++) {
        log_c(F->id);
        AWAIT_YIELD(F, F->r);
        CHECK_EQ(F->r, 0);
    }
    RETURN(F, 0);
    END(F);
}
static int yielder(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, yielder, parent);
    F->id = (char)(intptr_t)arg;
    F->n = 3;
    return yielder_resume(self, &F->hdr);
}

/* async void spawner(void): spawn a, b, c; log 'S'; join them in order. */
struct spawner_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_task *t[3];
    int i, r;
};
static int spawner_resume(ca_task *self, ca_frame *fr)
{
    struct spawner_fr *F = (struct spawner_fr *)fr;
    BEGIN(F);
    for (F->i = 0; F->i < 3; F->i++)
        F->t[F->i] = spawn(yielder, (void *)(intptr_t)('a' + F->i));
    log_c('S'); /* nothing spawned has run yet: tasks start lazily */
    for (F->i = 0; F->i < 3; F->i++) {
        AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t[F->i]));
        CHECK_EQ(F->r, 0);
    }
    log_c('E');
    RETURN(F, 0);
    END(F);
}
static int spawner(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, spawner, parent);
    return spawner_resume(self, &F->hdr);
}

static void test_fifo_and_lazy_start(void)
{
    log_reset();
    CHECK_EQ(run_async(spawner, NULL), 0);
    CHECK(!strcmp(log_buf, "SabcabcabcE"));
}

/* A task that completes without suspending. */
static int nothing(ca_task *self, ca_frame *parent, void *arg)
{
    (void)self, (void)parent;
    if (arg)
        ++*(int *)arg;
    return CA_DONE;
}

static void test_run_at_once(void)
{
    int n = 0;
    CHECK_EQ(run_async(nothing, &n), 0);
    CHECK_EQ(n, 1);
}

/* async void sleeper(uint64_t ms): result of the sleep into *arg-> */
struct sleeper_arg {
    uint64_t ms;
    int r;
    int after_cancel; /* result of a yield after the sleep */
};
struct sleeper_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct sleeper_arg *a;
};
static int sleeper_resume(ca_task *self, ca_frame *fr)
{
    struct sleeper_fr *F = (struct sleeper_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->a->r, F->a->ms));
    AWAIT_YIELD(F, F->a->after_cancel);
    RETURN(F, 0);
    END(F);
}
static int sleeper(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, sleeper, parent);
    F->a = arg;
    return sleeper_resume(self, &F->hdr);
}

/* Join, join twice, join a detached task, detach an ended task, cancel. */
struct joins_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct sleeper_arg a, b, c;
    ca_task *ta, *tb, *tc;
    int r;
};
static int joins_resume(ca_task *self, ca_frame *fr)
{
    struct joins_fr *F = (struct joins_fr *)fr;
    BEGIN(F);
    F->a.ms = 5;
    F->ta = spawn(sleeper, &F->a);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->ta));
    CHECK_EQ(F->r, 0);
    CHECK_EQ(F->a.r, 0);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->ta)); /* released: detected */
    CHECK_EQ(F->r, -EINVAL);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, ca_self()));
    CHECK_EQ(F->r, -EDEADLK);

    F->b.ms = 1;
    F->tb = spawn(sleeper, &F->b);
    ca_detach(F->tb);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->tb));
    CHECK_EQ(F->r, -EINVAL);

    F->c.ms = 100000;
    F->tc = spawn(sleeper, &F->c);
    AWAIT_YIELD(F, F->r); /* let c start sleeping */
    CHECK_EQ(ca_cancel(F->tc), 0);
    CHECK_EQ(ca_cancel(F->tc), 0); /* sticky, and harmless twice */
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->tc));
    CHECK_EQ(F->r, -ECANCELED);
    CHECK_EQ(F->c.r, -ECANCELED);
    CHECK_EQ(F->c.after_cancel, -ECANCELED);
    CHECK_EQ(ca_cancel(F->tc), -EINVAL);

    /* Detach after the end releases at once; cancel after the end is -ESRCH. */
    F->a.ms = 0;
    F->ta = spawn(sleeper, &F->a);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 2));
    AWAIT_YIELD(F, F->r); /* its own yield may follow our wake-up */
    AWAIT_YIELD(F, F->r);
    CHECK_EQ(ca_cancel(F->ta), -ESRCH);
    ca_detach(F->ta);
    RETURN(F, 0);
    END(F);
}
static int joins(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, joins, parent);
    return joins_resume(self, &F->hdr);
}

static void test_join_detach_cancel(void)
{
    CHECK_EQ(run_async(joins, NULL), 0);
}

/* Cancel a task that has not started yet: every await fails at once. */
static void test_cancel_before_start(void)
{
    struct sleeper_arg a = {.ms = 100000};
    ca_task *t = spawn(sleeper, &a);
    CHECK_EQ(ca_cancel(t), 0);
    CHECK_EQ(ca__run(t), -ECANCELED);
    CHECK_EQ(a.r, -ECANCELED);
    CHECK_EQ(a.after_cancel, -ECANCELED);
}

/* A cancelled joiner cancels and detaches the task it joins. */
struct waiter_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_event *ev;
    int r;
};
static int waiter_resume(ca_task *self, ca_frame *fr)
{
    struct waiter_fr *F = (struct waiter_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_event_wait__ca_start(self, &F->hdr, &F->r, F->ev));
    CHECK_EQ(F->r, -ECANCELED);
    RETURN(F, 0);
    END(F);
}
static int waiter(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, waiter, parent);
    F->ev = arg;
    return waiter_resume(self, &F->hdr);
}

struct joiner_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_event ev;
    int r;
};
static int joiner_resume(ca_task *self, ca_frame *fr)
{
    struct joiner_fr *F = (struct joiner_fr *)fr;
    BEGIN(F);
    ca_event_init(&F->ev);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, spawn(waiter, &F->ev)));
    CHECK_EQ(F->r, -ECANCELED);
    RETURN(F, 0);
    END(F);
}
static int joiner(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, joiner, parent);
    return joiner_resume(self, &F->hdr);
}

struct canceller_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_task *victim;
    int r;
};
static int canceller_resume(ca_task *self, ca_frame *fr)
{
    struct canceller_fr *F = (struct canceller_fr *)fr;
    BEGIN(F);
    F->victim = spawn(joiner, NULL);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 2));
    CHECK_EQ(ca_cancel(F->victim), 0);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->victim));
    CHECK_EQ(F->r, -ECANCELED);
    AWAIT_YIELD(F, F->r); /* the detached waiter ends */
    RETURN(F, 0);
    END(F);
}
static int canceller(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, canceller, parent);
    return canceller_resume(self, &F->hdr);
}

static void test_cancel_joiner(void)
{
    CHECK_EQ(run_async(canceller, NULL), 0);
}

/* ca_run of a task that can never progress cancels it instead of hanging. */
static void test_stuck_run_is_cancelled(void)
{
    ca_event ev;
    ca_event_init(&ev);
    CHECK_EQ(run_async(waiter, &ev), -ECANCELED);
}

/* Deep recursion: frames overflow the inline chunk into growing chunks. */
struct deep_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int n, r;
    char pad[40];
};
static int deep_start(ca_task *self, ca_frame *parent, int *ret, int n);
static int deep_resume(ca_task *self, ca_frame *fr)
{
    struct deep_fr *F = (struct deep_fr *)fr;
    BEGIN(F);
    if (F->n == 0) {
        AWAIT_YIELD(F, F->r);
        RETURN(F, 0);
    }
    AWAIT(F, deep_start(self, &F->hdr, &F->r, F->n - 1));
    RETURN(F, F->r + 1);
    END(F);
}
static int deep_start(ca_task *self, ca_frame *parent, int *ret, int n)
{
    NEW_FRAME(F, deep, parent);
    F->ret = ret;
    F->n = n;
    return deep_resume(self, &F->hdr);
}

struct deeps_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int i, r;
};
static int deeps_resume(ca_task *self, ca_frame *fr)
{
    struct deeps_fr *F = (struct deeps_fr *)fr;
    BEGIN(F);
    for (F->i = 0; F->i < 50; F->i++) { /* cross the chunk boundaries again and again */
        AWAIT(F, deep_start(self, &F->hdr, &F->r, 20000));
        CHECK_EQ(F->r, 20000);
        AWAIT(F, deep_start(self, &F->hdr, &F->r, F->i));
        CHECK_EQ(F->r, F->i);
    }
    RETURN(F, 0);
    END(F);
}
static int deeps(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, deeps, parent);
    return deeps_resume(self, &F->hdr);
}

static void test_deep_frames(void)
{
    CHECK_EQ(run_async(deeps, NULL), 0);
}

/* Gather and first-of. */
struct gather_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct sleeper_arg a[4];
    ca_task *t[5];
    int st, r;
};
static int gather_resume(ca_task *self, ca_frame *fr)
{
    struct gather_fr *F = (struct gather_fr *)fr;
    BEGIN(F);
    for (int i = 0; i < 4; i++) {
        F->a[i].ms = (uint64_t)(4 - i) * 3;
        F->t[i] = spawn(sleeper, &F->a[i]);
    }
    F->t[4] = NULL; /* skipped */
    ca_cancel(F->t[2]);
    AWAIT(F, ca_join_all__ca_start(self, &F->hdr, &F->r, F->t, 5));
    CHECK_EQ(F->r, -ECANCELED); /* the first nonzero status */
    for (int i = 0; i < 5; i++)
        CHECK(F->t[i] == NULL);
    CHECK_EQ(F->a[2].r, -ECANCELED);

    for (int i = 0; i < 3; i++) {
        F->a[i].ms = (uint64_t)(3 - i) * 100; /* t[2] ends first, then t[1], then t[0]: wide gaps for loaded machines */
        F->t[i] = spawn(sleeper, &F->a[i]);
    }
    AWAIT(F, ca_join_any__ca_start(self, &F->hdr, &F->r, F->t, 3, &F->st));
    CHECK_EQ(F->r, 2);
    CHECK_EQ(F->st, 0);
    CHECK(F->t[2] == NULL);
    AWAIT(F, ca_join_any__ca_start(self, &F->hdr, &F->r, F->t, 3, NULL));
    CHECK_EQ(F->r, 1);
    CHECK_EQ(ca_cancel(F->t[0]), 0);
    AWAIT(F, ca_join_any__ca_start(self, &F->hdr, &F->r, F->t, 3, &F->st));
    CHECK_EQ(F->r, 0);
    CHECK_EQ(F->st, -ECANCELED);
    AWAIT(F, ca_join_any__ca_start(self, &F->hdr, &F->r, F->t, 3, &F->st));
    CHECK_EQ(F->r, -EINVAL); /* nothing left */

    /* A deadline on a gather: what is not joined stays joinable. */
    F->a[0].ms = 1;
    F->a[1].ms = 100000;
    F->t[0] = spawn(sleeper, &F->a[0]);
    F->t[1] = spawn(sleeper, &F->a[1]);
    ca_deadline_in(300); /* t[0] (1 ms) must end first: 20 ms was not enough under valgrind on a loaded machine */
    AWAIT(F, ca_join_all__ca_start(self, &F->hdr, &F->r, F->t, 2));
    ca_deadline_set(CA_NEVER);
    CHECK_EQ(F->r, -ETIMEDOUT);
    CHECK(F->t[0] == NULL);
    CHECK(F->t[1] != NULL);
    ca_cancel(F->t[1]);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t[1]));
    CHECK_EQ(F->r, -ECANCELED);
    RETURN(F, 0);
    END(F);
}
static int gather(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, gather, parent);
    return gather_resume(self, &F->hdr);
}

static void test_gather_first_of(void)
{
    CHECK_EQ(run_async(gather, NULL), 0);
}

/* Many tasks: spawned, all sleeping, joined. */
struct many_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_task **t;
    struct sleeper_arg *a;
    int i, r;
};
#define MANY 20000
static int many_resume(ca_task *self, ca_frame *fr)
{
    struct many_fr *F = (struct many_fr *)fr;
    BEGIN(F);
    F->t = calloc(MANY, sizeof *F->t);
    F->a = calloc(MANY, sizeof *F->a);
    for (F->i = 0; F->i < MANY; F->i++) {
        F->a[F->i].ms = (uint64_t)(F->i % 7);
        F->t[F->i] = spawn(sleeper, &F->a[F->i]);
    }
    AWAIT(F, ca_join_all__ca_start(self, &F->hdr, &F->r, F->t, MANY));
    CHECK_EQ(F->r, 0);
    free(F->t);
    free(F->a);
    RETURN(F, 0);
    END(F);
}
static int many(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, many, parent);
    return many_resume(self, &F->hdr);
}

static void test_many_tasks(void)
{
    CHECK_EQ(run_async(many, NULL), 0);
}

/*
 * A yield lets the other ready tasks run once, then returns -ECANCELED when
 * the task has been cancelled meanwhile (while it waited in the run queue),
 * -ETIMEDOUT when its deadline has passed by then. A cancelled task's
 * yield fails too, but only after the others' turn: a cancelled task that
 * keeps yielding cannot starve them.
 */
struct victim_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int r;
};
static int victim_resume(ca_task *self, ca_frame *fr)
{
    struct victim_fr *F = (struct victim_fr *)fr;
    BEGIN(F);
    log_c('v');
    AWAIT_YIELD(F, F->r); /* the other task cancels us meanwhile */
    CHECK_EQ(F->r, -ECANCELED);
    log_c('c');
    AWAIT_YIELD(F, F->r); /* fails, after the other task's turn */
    CHECK_EQ(F->r, -ECANCELED);
    log_c('c');
    RETURN(F, 0);
    END(F);
}
static int victim(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, victim, parent);
    return victim_resume(self, &F->hdr);
}

struct yc_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_task *v;
    int r;
};
static int yc_resume(ca_task *self, ca_frame *fr)
{
    struct yc_fr *F = (struct yc_fr *)fr;
    struct ca_loop_stats st;
    BEGIN(F);
    F->v = spawn(victim, NULL);
    AWAIT_YIELD(F, F->r); /* the victim yields */
    CHECK(ca_self() == self);
    ca_loop_stats(&st);
    CHECK_EQ(st.ready, 1); /* the victim, not the running task */
    log_c('k');
    CHECK_EQ(ca_cancel(F->v), 0);
    AWAIT_YIELD(F, F->r);
    CHECK_EQ(F->r, 0);
    log_c('y');
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->v));
    CHECK_EQ(F->r, -ECANCELED);

    /* Past its deadline a yield still yields, and then fails. */
    F->v = spawn(yielder, (void *)(intptr_t)'o');
    ca_deadline_set(ca_now());
    AWAIT_YIELD(F, F->r);
    CHECK_EQ(F->r, -ETIMEDOUT);
    log_c('t');
    ca_deadline_set(ca_now() + 100000);
    AWAIT_YIELD(F, F->r);
    CHECK_EQ(F->r, 0);
    log_c('y');
    ca_deadline_set(CA_NEVER);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->v));
    CHECK_EQ(F->r, 0);

    /* Cancelling itself: the running task has no pending wait to abort. */
    CHECK_EQ(ca_cancel(ca_self()), 0);
    AWAIT_YIELD(F, F->r);
    CHECK_EQ(F->r, -ECANCELED);
    RETURN(F, 0);
    END(F);
}
static int yc(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, yc, parent);
    return yc_resume(self, &F->hdr);
}

static void test_yield_cancel_deadline(void)
{
    log_reset();
    CHECK_EQ(run_async(yc, NULL), -ECANCELED);
    /* v: the victim's first run; k: it is cancelled in the run queue; c: its
       pending yield fails; y: ours came back; c: the victim's next yield
       failed after that turn.
       Then o (another task) runs before each of our yields returns: t, the
       one past the deadline, and y. */
    CHECK(!strcmp(log_buf, "vkcycotoyo"));
}

/*
 * Size classes: a task gets exactly the inline stack the tool bounds (in
 * 8-byte steps, in a slot up to 1024 bytes, beyond that in an allocation of
 * its own), or the default one; frames beyond it go to chunks and come back.
 */
#define DEFAULT_INLINE (256 - sizeof(struct ca_task)) /* internal.h's CA__SLOT_DEFAULT */

static size_t inline_bytes(ca_task *t)
{
    return t->stack.limit; /* its inline chunk is current */
}

struct fill_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    size_t room;
    char *p, *q, *a;
    int r;
};
static int fill_resume(ca_task *self, ca_frame *fr)
{
    struct fill_fr *F = (struct fill_fr *)fr;
    BEGIN(F);
    CHECK(self->stack.base == (char *)(self + 1));
    F->room = self->stack.limit - self->stack.top;
    if (F->room) { /* exactly the rest of the inline stack: no chunk */
        F->p = ca__frame_alloc(self, F->room, 8);
        CHECK(self->stack.base == (char *)(self + 1));
        CHECK(self->stack.top == self->stack.limit);
    }
    F->q = ca__frame_alloc(self, 8, 8); /* one granule more: a chunk */
    CHECK(self->stack.base != (char *)(self + 1));
    memset(F->q, 0x5a, 8);
    F->a = ca__frame_alloc(self, 40, 64); /* padded in the chunk */
    CHECK((uintptr_t)F->a % 64 == 0 && (uintptr_t)(F->a - self->stack.base) < self->stack.top);
    ca__frame_free(self, F->a);
    AWAIT_YIELD(F, F->r); /* suspended across the chunk boundary */
    CHECK(F->q[7] == 0x5a);
    ca__frame_free(self, F->q); /* the chunk stays, empty, until a frame below it is freed */
    if (F->room) {
        ca__frame_free(self, F->p);
        CHECK(self->stack.base == (char *)(self + 1));
    }
    F->p = ca__frame_alloc(self, 16, 16); /* stricter alignment than the granule */
    CHECK((uintptr_t)F->p % 16 == 0);
    ca__frame_free(self, F->p);
    F->p = ca__frame_alloc(self, 40, 64);
    CHECK((uintptr_t)F->p % 64 == 0);
    ca__frame_free(self, F->p);
    RETURN(F, 0);
    END(F);
}
static int fill(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, fill, parent);
    return fill_resume(self, &F->hdr);
}

/* Start fn(arg) in a new task of frame_bytes, run it to its end; the (released) task. */
static ca_task *run_sized(size_t frame_bytes, test_fn fn, void *arg)
{
    ca_task *t = ca__task_new(NULL, frame_bytes);
    CHECK(t != NULL);
    struct thunk_fr *T = ca__frame_alloc(t, sizeof *T, _Alignof(struct thunk_fr));
    *T = (struct thunk_fr){{thunk_resume, ca__task_root(t)}, 0, fn, arg};
    ca__task_start(t, &T->hdr);
    CHECK_EQ(ca__run(t), 0);
    return t;
}

#define R8(n) (((n) + 7) / 8 * 8)

static void test_size_classes(void)
{
    static const size_t fb[] = {0, 1, 8, 24, 48, 100, 968, 969, 5000};
    for (size_t i = 0; i < sizeof fb / sizeof *fb; i++) {
        ca_task *t = ca__task_new(NULL, fb[i]);
        CHECK(t != NULL);
        CHECK_EQ((uintptr_t)t % 8, 0);
        CHECK(t->stack.base == (char *)(t + 1) && t->stack.top == 0);
        /* More than a 1 KiB slot holds: a task of exactly its size, malloc'd on its own. */
        int big = fb[i] > 1024 - sizeof(struct ca_task);
        size_t want = fb[i] == 0 ? DEFAULT_INLINE : R8(fb[i]);
        CHECK_EQ(inline_bytes(t), want);
        /* Run it (a thunk frame that does not fit goes to a chunk), and
           check that its slot comes back to its own class only. */
        struct thunk_fr *T = ca__frame_alloc(t, sizeof *T, _Alignof(struct thunk_fr));
        *T = (struct thunk_fr){{thunk_resume, ca__task_root(t)}, 0, nothing, NULL};
        ca__task_start(t, &T->hdr);
        CHECK_EQ(ca__run(t), 0);
        if (big) { /* freed: its address may come back or not */
            run_sized(fb[i], fill, NULL);
            continue;
        }
        CHECK(run_sized(fb[i], nothing, NULL) == t);
        if (want != 8)
            CHECK(run_sized(8, nothing, NULL) != t);
    }
    /* Exactly the frames the task holds (the thunk's and fill's), then more. */
    size_t exact = R8(sizeof(struct thunk_fr)) + R8(sizeof(struct fill_fr));
    run_sized(exact, fill, NULL);
    run_sized(exact + 8, fill, NULL);
    run_sized(exact + 200, fill, NULL);
}

/* Misuse from synchronous code. */
static void test_bad_input(void)
{
    CHECK_EQ(ca_cancel(NULL), -EINVAL);
    CHECK_EQ(ca_detach(NULL), -ENOMEM); /* what a failed ca_spawn returns */
    CHECK(ca_self() == NULL);
    CHECK_EQ(ca__run(NULL), -EINVAL);
    CHECK(ca_deadline_set(5) == CA_NEVER);
}

int main(int argc, char **argv)
{
    TEST(test_run_at_once);
    TEST(test_fifo_and_lazy_start);
    TEST(test_join_detach_cancel);
    TEST(test_cancel_before_start);
    TEST(test_cancel_joiner);
    TEST(test_stuck_run_is_cancelled);
    TEST(test_deep_frames);
    TEST(test_gather_first_of);
    TEST(test_many_tasks);
    TEST(test_yield_cancel_deadline);
    TEST(test_size_classes);
    TEST(test_bad_input);
    return 0;
}
