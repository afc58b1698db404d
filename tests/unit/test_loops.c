/*
 * Several loops at once: two threads each run their own loop with tasks that
 * sleep, yield and use a channel, and a future crosses from one loop to the
 * other. Each thread checks its own results and that its loop closes clean.
 */
#include "test.h"

#include <pthread.h>

struct ping_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_chan *c;
    int i, v, r;
};
static int ping_resume(ca_task *self, ca_frame *fr)
{
    struct ping_fr *F = (struct ping_fr *)fr;
    BEGIN(F);
    for (F->i = 0; F->i < 2000; F->i++) {
        F->v = F->i;
        AWAIT(F, ca_chan_send__ca_start(self, &F->hdr, &F->r, F->c, &F->v));
        CHECK_EQ(F->r, 0);
        if (F->i % 100 == 0)
            AWAIT(F, ca_sleep__ca_start(self, &F->hdr, &F->r, 1));
        else
            AWAIT_YIELD(F, F->r);
    }
    ca_chan_close(F->c);
    RETURN(F, 0);
    END(F);
}
static int ping(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, ping, parent);
    F->c = arg;
    return ping_resume(self, &F->hdr);
}

struct loop_arg {
    ca_future *mine;   /* resolved by the other thread */
    ca_future *theirs; /* resolved here */
    intptr_t got;
    long sum;
};
struct main_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct loop_arg *a;
    ca_chan *c;
    int v, r;
};
static int main_resume(ca_task *self, ca_frame *fr)
{
    struct main_fr *F = (struct main_fr *)fr;
    BEGIN(F);
    F->c = ca_chan_new(8, sizeof(int));
    ca_detach(spawn(ping, F->c));
    for (;;) {
        AWAIT(F, ca_chan_recv__ca_start(self, &F->hdr, &F->r, F->c, &F->v));
        if (F->r)
            break;
        F->a->sum += F->v;
    }
    ca_chan_free(F->c);
    CHECK_EQ(ca_future_resolve(F->a->theirs, (intptr_t)pthread_self() & 0xffff), 0);
    AWAIT(F, ca_future_wait__ca_start(self, &F->hdr, &F->a->got, F->a->mine));
    RETURN(F, 0);
    END(F);
}
static int main_task(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, main, parent);
    F->a = arg;
    return main_resume(self, &F->hdr);
}

static void *thread_main(void *arg)
{
    struct loop_arg *a = arg;
    CHECK_EQ(run_async(main_task, a), 0);
    check_loop_clean(); /* the other thread's loop may still hold its fds */
    return NULL;
}

static void test_two_loops(void)
{
    for (int round = 0; round < 20; round++) {
        ca_future f1, f2;
        ca_future_init(&f1);
        ca_future_init(&f2);
        struct loop_arg a = {&f1, &f2, 0, 0}, b = {&f2, &f1, 0, 0};
        pthread_t t1, t2;
        CHECK_EQ(pthread_create(&t1, NULL, thread_main, &a), 0);
        CHECK_EQ(pthread_create(&t2, NULL, thread_main, &b), 0);
        pthread_join(t1, NULL);
        pthread_join(t2, NULL);
        CHECK_EQ(a.sum, 1999 * 2000 / 2);
        CHECK_EQ(b.sum, 1999 * 2000 / 2);
        CHECK_EQ(a.got, (intptr_t)t2 & 0xffff);
        CHECK_EQ(b.got, (intptr_t)t1 & 0xffff);
    }
}

int main(int argc, char **argv)
{
    TEST(test_two_loops);
    return 0;
}
