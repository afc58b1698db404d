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
static int locker_resume(ca_task *self, ca_frame *fr)
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
    return locker_resume(self, &F->hdr);
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
static int ew_resume(ca_task *self, ca_frame *fr)
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
    return ew_resume(self, &F->hdr);
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
static int ev_resume(ca_task *self, ca_frame *fr)
{
    struct ev_fr *F = (struct ev_fr *)fr;
    BEGIN(F);
    ca_event_init(&F->e);
    for (int i = 0; i < 3; i++)
        F->t[i] = spawn(ew, &F->e);
    AWAIT_YIELD(F, F->r);
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
    return ev_resume(self, &F->hdr);
}

static void test_event(void)
{
    woke = 0;
    CHECK_EQ(run_async(ev, NULL), 0);
}

/*
 * Cancel and time out waiters in the middle, at the head and at the tail of
 * a wait queue (each wait's op frame tells the abort which queue): the
 * others keep their FIFO order, and the queue stays consistent for the
 * waiters that come after.
 */
enum { SEM, MUTEX, EVENT };
struct qw_arg {
    int kind;
    void *obj;
    char id;
    int r;
    uint64_t deadline_ms; /* 0: none */
};
static char got[16];
static int ngot;
struct qw_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct qw_arg *a;
};
static int qw_resume(ca_task *self, ca_frame *fr)
{
    struct qw_fr *F = (struct qw_fr *)fr;
    BEGIN(F);
    if (F->a->deadline_ms)
        ca_deadline_in(F->a->deadline_ms);
    if (F->a->kind == SEM)
        AWAIT(F, ca_sem_acquire__ca_start(self, &F->hdr, &F->a->r, F->a->obj));
    else if (F->a->kind == MUTEX)
        AWAIT(F, ca_mutex_lock__ca_start(self, &F->hdr, &F->a->r, F->a->obj));
    else
        AWAIT(F, ca_event_wait__ca_start(self, &F->hdr, &F->a->r, F->a->obj));
    ca_deadline_set(CA_NEVER);
    if (F->a->r == 0) {
        got[ngot++] = F->a->id;
        if (F->a->kind == MUTEX)
            CHECK_EQ(ca_mutex_unlock(F->a->obj), 0); /* hand it on */
    }
    RETURN(F, 0);
    END(F);
}
static int qw(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, qw, parent);
    F->a = arg;
    return qw_resume(self, &F->hdr);
}

struct qcancel_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    int kind;
    ca_sem sem;
    ca_mutex mutex;
    ca_event event;
    struct qw_arg a[7]; /* a[6]: a newcomer */
    ca_task *t[6];
    int i, r;
};
static int qcancel_resume(ca_task *self, ca_frame *fr)
{
    struct qcancel_fr *F = (struct qcancel_fr *)fr;
    void *obj;
    BEGIN(F);
    ca_sem_init(&F->sem, 0);
    ca_mutex_init(&F->mutex);
    ca_event_init(&F->event);
    if (F->kind == MUTEX)
        CHECK_EQ(ca_mutex_trylock(&F->mutex), 0);
    obj = F->kind == SEM ? (void *)&F->sem : F->kind == MUTEX ? (void *)&F->mutex : (void *)&F->event;
    ngot = 0;
    for (F->i = 0; F->i < 6; F->i++) {
        F->a[F->i] = (struct qw_arg){F->kind, obj, (char)('0' + F->i), 1, F->i == 3 ? 5 : 0};
        F->t[F->i] = spawn(qw, &F->a[F->i]);
    }
    AWAIT_YIELD(F, F->r); /* all six wait now */
    CHECK_EQ(F->r, 0);
    CHECK_EQ(ca_cancel(F->t[2]), 0); /* the middle */
    CHECK_EQ(ca_cancel(F->t[0]), 0); /* the head */
    CHECK_EQ(ca_cancel(F->t[5]), 0); /* the tail */
    AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 20)); /* t[3] times out meanwhile */
    CHECK_EQ(F->a[0].r, -ECANCELED);
    CHECK_EQ(F->a[2].r, -ECANCELED);
    CHECK_EQ(F->a[5].r, -ECANCELED);
    CHECK_EQ(F->a[3].r, -ETIMEDOUT);
    CHECK_EQ(ngot, 0);
    /* A newcomer queues behind the survivors: the tail was fixed. */
    F->a[6] = (struct qw_arg){F->kind, F->a[1].obj, 'n', 1, 0};
    ca_detach(spawn(qw, &F->a[6]));
    AWAIT_YIELD(F, F->r);
    if (F->kind == SEM) {
        for (F->i = 0; F->i < 3; F->i++)
            CHECK_EQ(ca_sem_release(&F->sem), 0);
    } else if (F->kind == MUTEX) {
        CHECK_EQ(ca_mutex_unlock(&F->mutex), 0); /* each waiter unlocks for the next */
    } else {
        ca_event_set(&F->event);
    }
    AWAIT(F, ca_join_all__ca_start(self, &F->hdr, &F->r, F->t, 6));
    CHECK_EQ(F->r, -ECANCELED);
    AWAIT_YIELD(F, F->r); /* the newcomer ends */
    got[ngot] = 0;
    CHECK(!strcmp(got, "14n"));
    if (F->kind == SEM)
        CHECK_EQ(F->sem.count, 0);
    if (F->kind == MUTEX)
        CHECK_EQ(ca_mutex_trylock(&F->mutex), 0);
    RETURN(F, 0);
    END(F);
}
INT_START(qcancel, qcancel, kind)

static void test_cancel_queue_waiters(void)
{
    CHECK_EQ(run_async(qcancel, (void *)(intptr_t)SEM), 0);
    CHECK_EQ(run_async(qcancel, (void *)(intptr_t)MUTEX), 0);
    CHECK_EQ(run_async(qcancel, (void *)(intptr_t)EVENT), 0);
}

int main(int argc, char **argv)
{
    TEST(test_mutex);
    TEST(test_semaphore);
    TEST(test_event);
    TEST(test_cancel_queue_waiters);
    return 0;
}
