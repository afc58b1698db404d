/* Mutex, semaphore and event between tasks: exclusion, FIFO hand-off, misuse, cancel, deadline. */
#include "test.h"

static int inside, max_inside, turns[64], nturns;

struct locker_arg {
    ca_mutex *m;
    ca_sem *s;
    int id;
};
struct locker_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct locker_arg *a;
    int i, r;
};
static int locker_resume(ca_frame *fr, ca_task *self)
{
    struct locker_fr *F = (struct locker_fr *)fr;
    BEGIN(F);
    for (F->i = 0; F->i < 3; F->i++) {
        if (F->a->m)
            AWAIT(F, ca_mutex_lock__ca_start(self, &F->hdr, &F->r, F->a->m));
        else
            AWAIT(F, ca_sem_acquire__ca_start(self, &F->hdr, &F->r, F->a->s));
        CHECK_EQ(F->r, 0);
        if (++inside > max_inside)
            max_inside = inside;
        if (nturns < 64)
            turns[nturns++] = F->a->id;
        AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 1));
        inside--;
        if (F->a->m)
            CHECK_EQ(ca_mutex_unlock(F->a->m), 0);
        else
            CHECK_EQ(ca_sem_release(F->a->s), 0);
    }
    RETURN(F, 0);
    END(F);
}
static int locker(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, locker, parent);
    F->a = arg;
    return locker_resume(&F->hdr, self);
}

static void test_mutex(void)
{
    ca_mutex m;
    ca_mutex_init(&m);
    struct locker_arg a[4];
    ca_task *t[4];
    inside = max_inside = nturns = 0;
    for (int i = 0; i < 4; i++) {
        a[i] = (struct locker_arg){&m, NULL, i};
        t[i] = spawn(locker, &a[i]);
    }
    for (int i = 0; i < 4; i++)
        CHECK_EQ(ca__run(t[i]), 0);
    CHECK_EQ(max_inside, 1);
    CHECK_EQ(nturns, 12);
    for (int i = 0; i < 12; i++) /* FIFO hand-off: strict round robin */
        CHECK_EQ(turns[i], i % 4);
    CHECK_EQ(ca_mutex_unlock(&m), -EPERM);
    CHECK_EQ(ca_mutex_trylock(&m), 0);
    CHECK_EQ(ca_mutex_trylock(&m), -EBUSY);
    CHECK_EQ(ca_mutex_unlock(&m), 0);
    CHECK_EQ(ca_mutex_unlock(NULL), -EINVAL);
}

static void test_semaphore(void)
{
    ca_sem s;
    CHECK_EQ(ca_sem_init(&s, -1), -EINVAL);
    CHECK_EQ(ca_sem_init(&s, 2), 0);
    struct locker_arg a[5];
    ca_task *t[5];
    inside = max_inside = nturns = 0;
    for (int i = 0; i < 5; i++) {
        a[i] = (struct locker_arg){NULL, &s, i};
        t[i] = spawn(locker, &a[i]);
    }
    for (int i = 0; i < 5; i++)
        CHECK_EQ(ca__run(t[i]), 0);
    CHECK_EQ(max_inside, 2);
    CHECK_EQ(s.count, 2);
    CHECK_EQ(ca_sem_try_acquire(&s), 0);
    CHECK_EQ(ca_sem_try_acquire(&s), 0);
    CHECK_EQ(ca_sem_try_acquire(&s), -EAGAIN);
    s.count = 0x7fffffffffffffffL;
    CHECK_EQ(ca_sem_release(&s), -EOVERFLOW);
}

/* Event: every waiter wakes on set; waits return at once while set; cancel and deadline. */
static int woke;
struct ew_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_event *e;
    int r;
};
static int ew_resume(ca_frame *fr, ca_task *self)
{
    struct ew_fr *F = (struct ew_fr *)fr;
    BEGIN(F);
    AWAIT(F, ca_event_wait__ca_start(self, &F->hdr, &F->r, F->e));
    if (F->r == 0)
        woke++;
    RETURN(F, F->r);
    END(F);
}
static int ew(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, ew, parent);
    F->e = arg;
    return ew_resume(&F->hdr, self);
}
struct ev_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_event e;
    ca_mutex m;
    ca_task *t[3];
    int r;
};
static int ev_resume(ca_frame *fr, ca_task *self)
{
    struct ev_fr *F = (struct ev_fr *)fr;
    BEGIN(F);
    ca_event_init(&F->e);
    for (int i = 0; i < 3; i++)
        F->t[i] = spawn(ew, &F->e);
    AWAIT(F, ca_yield__ca_start(self, &F->hdr, &F->r));
    CHECK_EQ(woke, 0);
    ca_cancel(F->t[1]);
    ca_event_set(&F->e);
    AWAIT(F, ca_join_all__ca_start(self, &F->hdr, &F->r, F->t, 3));
    CHECK_EQ(F->r, -ECANCELED);
    CHECK_EQ(woke, 2);
    AWAIT(F, ca_event_wait__ca_start(self, &F->hdr, &F->r, &F->e));
    CHECK_EQ(F->r, 0);
    ca_event_clear(&F->e);
    ca_deadline_in(3);
    AWAIT(F, ca_event_wait__ca_start(self, &F->hdr, &F->r, &F->e));
    CHECK_EQ(F->r, -ETIMEDOUT);
    ca_deadline_set(CA_NEVER);

    /* A lock wait that times out leaves the mutex consistent. */
    ca_mutex_init(&F->m);
    AWAIT(F, ca_mutex_lock__ca_start(self, &F->hdr, &F->r, &F->m));
    CHECK_EQ(F->r, 0);
    ca_deadline_in(3);
    AWAIT(F, ca_mutex_lock__ca_start(self, &F->hdr, &F->r, &F->m));
    ca_deadline_set(CA_NEVER);
    CHECK_EQ(F->r, -ETIMEDOUT);
    CHECK_EQ(ca_mutex_unlock(&F->m), 0);
    CHECK_EQ(ca_mutex_unlock(&F->m), -EPERM);
    RETURN(F, 0);
    END(F);
}
static int ev(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, ev, parent);
    return ev_resume(&F->hdr, self);
}

static void test_event(void)
{
    woke = 0;
    CHECK_EQ(run_async(ev, NULL), 0);
}

int main(int argc, char **argv)
{
    TEST(test_mutex);
    TEST(test_semaphore);
    TEST(test_event);
    return 0;
}
