/*
 * Deadlines' timers kept armed between waits (time.c): moving a deadline
 * later is a store, not a heap operation; the timer fires early and is
 * re-keyed to the deadline; a move earlier re-keys at once; a cleared
 * deadline's timer goes when it comes due; a passed deadline keeps its
 * value; a sleep takes the task's timer slot back; a task that ends with
 * its timer armed leaves nothing behind; and such timers neither count as
 * pending timers nor hide a stuck task. The heap is inspected through the
 * private header.
 */
#include "internal.h"
#include "test.h"

#include <unistd.h>

static struct ca__timers *heap(void)
{
    return &ca__cur_loop->timers;
}

/* When t's deadline timer fires (ms), t being ARMED. */
static uint64_t key_ms(ca_task *t)
{
    CHECK(t->flags & CA__T_ARMED);
    return ca__timers_entry(heap(), t)->key >> CA__KEY_SEQ_BITS;
}

static size_t pending_timers(void)
{
    struct ca_loop_stats st;
    ca_loop_stats(&st);
    return st.timers;
}

/* A task that sets the event it is given, without waiting. */
static int setter(ca_task *self, ca_frame *parent, void *arg)
{
    (void)self;
    (void)parent;
    ca_event_set(arg);
    return CA_DONE;
}

/* F waits on F->ev, which a task spawned just before sets: a wait that ends well before any deadline. */
#define WOKEN_WAIT(F)                                                                  \
    do {                                                                               \
        ca_event_init(&(F)->ev);                                                       \
        CHECK_EQ(ca_detach(spawn(setter, &(F)->ev)), 0);                               \
        AWAIT(F, ca_event_wait__ca_start(self, &(F)->hdr, &(F)->r, &(F)->ev));         \
        CHECK_EQ((F)->r, 0);                                                           \
    } while (0)
/* F waits on F->ev, which nobody sets. */
#define LOST_WAIT(F)                                                                   \
    do {                                                                               \
        ca_event_init(&(F)->ev);                                                       \
        AWAIT(F, ca_event_wait__ca_start(self, &(F)->hdr, &(F)->r, &(F)->ev));         \
    } while (0)

struct dl_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int i, r;
    uint64_t t0, when, key;
    ca_event ev;
};

/*
 * Many moves later: the first wait arms the timer, the next thousand waits
 * and moves leave the heap alone (the same key, one entry).
 */
static int later_resume(ca_task *self, ca_frame *fr)
{
    struct dl_fr *F = (struct dl_fr *)fr;
    BEGIN(F);
    F->t0 = ca_now();
    CHECK(ca_deadline_set(F->t0 + 100000) == CA_NEVER);
    WOKEN_WAIT(F);
    F->key = key_ms(self);
    CHECK_EQ(F->key, F->t0 + 100000);
    CHECK_EQ(heap()->wait.n, 1);
    CHECK_EQ(pending_timers(), 0); /* armed, but no wait for it to end */
    for (F->i = 0; F->i < 1000; F->i++) {
        F->when = F->t0 + 200000 + (uint64_t)F->i;
        CHECK(ca_deadline_set(F->when) == (F->i ? F->when - 1 : F->t0 + 100000));
        WOKEN_WAIT(F);
        CHECK_EQ(key_ms(self), F->key); /* not touched */
        CHECK_EQ(heap()->wait.n, 1);
    }
    CHECK(ca_deadline_set(CA_NEVER) == F->when);
    CHECK_EQ(key_ms(self), F->key);
    RETURN(F, 0);
    END(F);
}
INT_START(later, dl, i)

static void test_moves_later(void)
{
    CHECK_EQ(run_async(later, NULL), 0);
}

/*
 * Expiry re-insertion: the timer's key comes due while the task waits under
 * a later deadline; it is re-keyed to the deadline, and the wait times out
 * at the deadline, not before. A passed deadline keeps its value.
 */
static int expiry_resume(ca_task *self, ca_frame *fr)
{
    struct dl_fr *F = (struct dl_fr *)fr;
    BEGIN(F);
    F->t0 = ca_now();
    ca_deadline_set(F->t0 + 20);
    WOKEN_WAIT(F);
    F->when = ca_now() + 60;
    ca_deadline_set(F->when);
    LOST_WAIT(F);
    CHECK_EQ(F->r, -ETIMEDOUT);
    CHECK(ca_now() >= F->when);
    CHECK(ca_deadline_set(CA_NEVER) == F->when);
    RETURN(F, 0);
    END(F);
}
INT_START(expiry, dl, i)

static void test_expiry_reinserts(void)
{
    CHECK_EQ(run_async(expiry, NULL), 0);
}

/* A move earlier after moves later re-keys at once: the wait ends at the earlier deadline. */
static int earlier_resume(ca_task *self, ca_frame *fr)
{
    struct dl_fr *F = (struct dl_fr *)fr;
    BEGIN(F);
    ca_deadline_set(ca_now() + 100000);
    WOKEN_WAIT(F);
    for (F->i = 0; F->i < 10; F->i++) {
        F->key = ca_now() + 200000 + (uint64_t)F->i;
        ca_deadline_set(F->key);
        WOKEN_WAIT(F);
    }
    F->t0 = ca_now();
    F->when = F->t0 + 20;
    CHECK(ca_deadline_set(F->when) == F->key);
    CHECK_EQ(key_ms(self), F->when);
    LOST_WAIT(F);
    CHECK_EQ(F->r, -ETIMEDOUT);
    CHECK(ca_now() >= F->when);
    CHECK(ca_now() - F->t0 < 50000);
    ca_deadline_set(CA_NEVER);
    RETURN(F, 0);
    END(F);
}
INT_START(earlier, dl, i)

static void test_move_earlier(void)
{
    CHECK_EQ(run_async(earlier, NULL), 0);
}

/* A task that sleeps ms (its arg), then sets late_event. */
struct late_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int ms, r;
};
static ca_event *late_event;
static int late_resume(ca_task *self, ca_frame *fr)
{
    struct late_fr *F = (struct late_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, (uint64_t)F->ms));
    CHECK_EQ(pending_timers(), 0); /* the waiter's deadline was cleared: its wait has no timer */
    ca_event_set(late_event);
    RETURN(F, 0);
    END(F);
}
INT_START(late, late, ms)

/*
 * Clear after moves: the timer stays armed, cleared; its old key passes
 * while the task waits without a deadline (nothing happens to the wait),
 * and the timer is gone after.
 */
static int cleared_resume(ca_task *self, ca_frame *fr)
{
    struct dl_fr *F = (struct dl_fr *)fr;
    BEGIN(F);
    ca_deadline_set(ca_now() + 5);
    WOKEN_WAIT(F);
    ca_deadline_set(ca_now() + 10);
    WOKEN_WAIT(F);
    F->when = ca_now() + 15;
    ca_deadline_set(F->when);
    WOKEN_WAIT(F);
    CHECK(ca_deadline_set(CA_NEVER) == F->when);
    CHECK(self->flags & CA__T_ARMED);
    CHECK(!(self->flags & CA__T_DEADLINE));
    CHECK_EQ(heap()->wait.n, 1);
    ca_event_init(&F->ev);
    late_event = &F->ev;
    CHECK_EQ(ca_detach(spawn(late, (void *)(intptr_t)60)), 0);
    AWAIT(F, ca_event_wait__ca_start(self, &F->hdr, &F->r, &F->ev));
    CHECK_EQ(F->r, 0); /* no timeout */
    CHECK(ca_now() >= F->when);
    CHECK(!(self->flags & CA__T_ARMED)); /* the cleared timer went when it came due */
    CHECK_EQ(heap()->wait.n, 0);
    CHECK(ca_deadline_set(CA_NEVER) == CA_NEVER);
    RETURN(F, 0);
    END(F);
}
INT_START(cleared, dl, i)

static void test_clear_after_moves(void)
{
    CHECK_EQ(run_async(cleared, NULL), 0);
}

/*
 * A cleared timer does not hide a stuck task: its wait on an event that
 * nobody sets is cancelled at once, not when the old deadline comes.
 */
static int stuck_resume(ca_task *self, ca_frame *fr)
{
    struct dl_fr *F = (struct dl_fr *)fr;
    BEGIN(F);
    F->t0 = ca_now();
    ca_deadline_set(F->t0 + 100000);
    WOKEN_WAIT(F);
    ca_deadline_set(CA_NEVER);
    CHECK_EQ(heap()->wait.n, 1);
    LOST_WAIT(F);
    CHECK_EQ(F->r, -ECANCELED);
    CHECK(ca_now() - F->t0 < 50000);
    RETURN(F, 0);
    END(F);
}
INT_START(stuck, dl, i)

static void test_cleared_timer_not_stuck(void)
{
    CHECK_EQ(run_async(stuck, NULL), -ECANCELED);
}

/*
 * A sleep takes the task's one timer slot: the armed deadline goes back to
 * the side table (ca_deadline_set still returns it), and still ends a sleep.
 */
static int sleeper_resume(ca_task *self, ca_frame *fr)
{
    struct dl_fr *F = (struct dl_fr *)fr;
    BEGIN(F);
    F->when = ca_now() + 100000;
    ca_deadline_set(F->when);
    WOKEN_WAIT(F);
    CHECK(self->flags & CA__T_ARMED);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 1));
    CHECK_EQ(F->r, 0);
    CHECK(!(self->flags & CA__T_ARMED));
    CHECK_EQ(heap()->wait.n, 0);
    F->t0 = ca_now();
    CHECK(ca_deadline_set(F->t0 + 10) == F->when);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 100000));
    CHECK_EQ(F->r, -ETIMEDOUT);
    CHECK(ca_now() >= F->t0 + 10);
    /* armed again by a wait, then asleep past the deadline */
    F->t0 = ca_now();
    ca_deadline_set(F->t0 + 10);
    WOKEN_WAIT(F);
    CHECK(self->flags & CA__T_ARMED);
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 100000));
    CHECK_EQ(F->r, -ETIMEDOUT);
    CHECK(ca_now() >= F->t0 + 10);
    CHECK(ca_deadline_set(CA_NEVER) == F->t0 + 10);
    RETURN(F, 0);
    END(F);
}
INT_START(sleeper, dl, i)

static void test_sleep_with_armed_deadline(void)
{
    CHECK_EQ(run_async(sleeper, NULL), 0);
}

/*
 * Reads with deadlines through io.c's fast paths: the first read arms the
 * timer; the next ones wait at once (the pipe is known drained) under it,
 * counted as timed waits while they wait; a move earlier times one out.
 */
struct rd_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int i, fd[2];
    ssize_t n;
    uint64_t t0;
    char c[2];
};
static int writer_fd;
static int writer(ca_task *self, ca_frame *parent, void *arg)
{
    (void)self;
    (void)parent;
    (void)arg;
    CHECK_EQ(pending_timers(), 1); /* the reader's wait, under its deadline */
    CHECK_EQ(write(writer_fd, "x", 1), 1);
    return CA_DONE;
}
static int reads_resume(ca_task *self, ca_frame *fr)
{
    struct rd_fr *F = (struct rd_fr *)fr;
    BEGIN(F);
    CHECK_EQ(pipe(F->fd), 0);
    CHECK_EQ(ca_set_nonblock(F->fd[0]), 0);
    writer_fd = F->fd[1];
    for (F->i = 0; F->i < 100; F->i++) {
        ca_deadline_set(ca_now() + 100000 + (uint64_t)F->i);
        CHECK_EQ(ca_detach(spawn(writer, NULL)), 0);
        AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->fd[0], F->c, 2));
        CHECK_EQ(F->n, 1); /* short: the pipe is known drained, the next read waits at once */
        ca_deadline_set(CA_NEVER);
        CHECK_EQ(heap()->wait.n, 1);
    }
    F->t0 = ca_now();
    ca_deadline_set(F->t0 + 10);
    AWAIT(F, ca_read__ca_start(self, &F->hdr, &F->n, F->fd[0], F->c, 2));
    CHECK_EQ(F->n, -ETIMEDOUT);
    CHECK(ca_now() >= F->t0 + 10);
    /* passed: every await fails at once, the fast write path included */
    AWAIT(F, ca_write_all__ca_start(self, &F->hdr, &F->n, F->fd[1], "y", 1));
    CHECK_EQ(F->n, -ETIMEDOUT);
    ca_deadline_set(CA_NEVER);
    AWAIT(F, ca_write_all__ca_start(self, &F->hdr, &F->n, F->fd[1], "y", 1));
    CHECK_EQ(F->n, 1);
    ca_close(F->fd[0]);
    ca_close(F->fd[1]);
    RETURN(F, 0);
    END(F);
}
INT_START(reads, rd, i)

static void test_reads_under_moving_deadline(void)
{
    CHECK_EQ(run_async(reads, NULL), 0);
}

/*
 * Tasks that end with their timer armed (deadline set or cleared, joined or
 * detached) leave no timer: test.h's check_clean sees an empty loop.
 */
static int ender_resume(ca_task *self, ca_frame *fr)
{
    struct dl_fr *F = (struct dl_fr *)fr;
    BEGIN(F);
    ca_deadline_set(ca_now() + 100000 + (uint64_t)F->i);
    WOKEN_WAIT(F);
    if (F->i % 2)
        ca_deadline_set(CA_NEVER);
    RETURN(F, 0);
    END(F);
}
INT_START(ender, dl, i)

struct enders_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int i, r;
    ca_task *t[64];
};
static int enders_resume(ca_task *self, ca_frame *fr)
{
    struct enders_fr *F = (struct enders_fr *)fr;
    BEGIN(F);
    for (F->i = 0; F->i < 64; F->i++) {
        F->t[F->i] = spawn(ender, (void *)(intptr_t)F->i);
        if (F->i % 3 == 0) {
            ca_detach(F->t[F->i]);
            F->t[F->i] = NULL;
        }
    }
    for (F->i = 0; F->i < 64; F->i++)
        if (F->t[F->i])
            AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t[F->i]));
    RETURN(F, 0);
    END(F);
}
static int enders(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, enders, parent);
    return enders_resume(self, &F->hdr);
}

static void test_end_armed(void)
{
    CHECK_EQ(run_async(enders, NULL), 0);
    CHECK_EQ(heap()->wait.n, 0);
}

int main(int argc, char **argv)
{
    TEST(test_moves_later);
    TEST(test_expiry_reinserts);
    TEST(test_move_earlier);
    TEST(test_clear_after_moves);
    TEST(test_cleared_timer_not_stuck);
    TEST(test_sleep_with_armed_deadline);
    TEST(test_reads_under_moving_deadline);
    TEST(test_end_armed);
    return 0;
}
