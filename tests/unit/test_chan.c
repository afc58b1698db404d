/* Channels: order under back-pressure, rendezvous, close and drain, free with waiters, cancel. */
#include "test.h"

struct prod_arg {
    ca_chan *c;
    int from, n;
    int closes;
    int err; /* the first failed send */
};
struct prod_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct prod_arg *a;
    int i, v, r;
};
static int prod_resume(ca_task *self, ca_frame *fr)
{
    struct prod_fr *F = (struct prod_fr *)fr;
    BEGIN(F);
    for (F->i = 0; F->i < F->a->n; F->i++) {
        F->v = F->a->from + F->i;
        AWAIT(F, ca_chan_send__ca_start(self, &F->hdr, &F->r, F->a->c, &F->v));
        if (F->r) {
            F->a->err = F->r;
            break;
        }
    }
    if (F->a->closes)
        ca_chan_close(F->a->c);
    RETURN(F, 0);
    END(F);
}
static int prod(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, prod, parent);
    F->a = arg;
    return prod_resume(self, &F->hdr);
}

struct cons_arg {
    ca_chan *c;
    int got, sum, last;
    int in_order;
};
struct cons_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    struct cons_arg *a;
    int v, r;
};
static int cons_resume(ca_task *self, ca_frame *fr)
{
    struct cons_fr *F = (struct cons_fr *)fr;
    BEGIN(F);
    for (;;) {
        AWAIT(F, ca_chan_recv__ca_start(self, &F->hdr, &F->r, F->a->c, &F->v));
        if (F->r)
            break;
        if (F->a->in_order)
            CHECK_EQ(F->v, F->a->last + 1);
        F->a->last = F->v;
        F->a->got++;
        F->a->sum += F->v;
    }
    CHECK_EQ(F->r, -EPIPE);
    RETURN(F, 0);
    END(F);
}
static int cons(ca_task *self, ca_frame *parent, void *arg)
{
    NEW_FRAME(F, cons, parent);
    F->a = arg;
    return cons_resume(self, &F->hdr);
}

static void pipeline(size_t cap)
{
    ca_chan *c = ca_chan_new(cap, sizeof(int));
    CHECK(c);
    struct prod_arg p = {c, 1, 5000, 1, 0};
    struct cons_arg k = {c, 0, 0, 0, 1};
    ca_detach(spawn(prod, &p));
    CHECK_EQ(run_async(cons, &k), 0);
    CHECK_EQ(k.got, 5000);
    CHECK_EQ(k.last, 5000);
    CHECK_EQ(p.err, 0);
    ca_chan_free(c);
}

static void test_bounded(void)
{
    pipeline(4);
    pipeline(1);
}

static void test_rendezvous(void)
{
    pipeline(0);
}

/* Three producers, two consumers; the consumers drain after close. */
static void test_mpmc(void)
{
    ca_chan *c = ca_chan_new(3, sizeof(int));
    struct prod_arg p[3];
    struct cons_arg k[2];
    ca_task *tp[3], *tk[2];
    for (int i = 0; i < 3; i++) {
        p[i] = (struct prod_arg){c, i * 1000, 1000, 0, 0};
        tp[i] = spawn(prod, &p[i]);
    }
    for (int i = 0; i < 2; i++) {
        k[i] = (struct cons_arg){c, 0, 0, 0, 0};
        tk[i] = spawn(cons, &k[i]);
    }
    for (int i = 0; i < 3; i++)
        CHECK_EQ(ca__run(tp[i]), 0);
    ca_chan_close(c);
    for (int i = 0; i < 2; i++)
        CHECK_EQ(ca__run(tk[i]), 0);
    CHECK_EQ(k[0].got + k[1].got, 3000);
    CHECK_EQ(k[0].sum + k[1].sum, 2999 * 3000 / 2);
    ca_chan_free(c);
}

/* Close with senders waiting, send after close, free with a receiver waiting, cancel a sender. */
struct cl_fr {
    ca_frame hdr;
    unsigned state;
    int *ret;
    ca_chan *c, *d;
    ca_task *t;
    struct prod_arg p;
    struct cons_arg k;
    int v, r;
};
static int cl_resume(ca_task *self, ca_frame *fr)
{
    struct cl_fr *F = (struct cl_fr *)fr;
    BEGIN(F);
    F->c = ca_chan_new(1, sizeof(int));
    F->v = 1;
    AWAIT(F, ca_chan_send__ca_start(self, &F->hdr, &F->r, F->c, &F->v));
    CHECK_EQ(F->r, 0);
    ca_deadline_in(5); /* full: the second send times out */
    AWAIT(F, ca_chan_send__ca_start(self, &F->hdr, &F->r, F->c, &F->v));
    CHECK_EQ(F->r, -ETIMEDOUT);
    ca_deadline_set(CA_NEVER);
    ca_chan_close(F->c);
    AWAIT(F, ca_chan_send__ca_start(self, &F->hdr, &F->r, F->c, &F->v));
    CHECK_EQ(F->r, -EPIPE);
    AWAIT(F, ca_chan_recv__ca_start(self, &F->hdr, &F->r, F->c, &F->v)); /* drains */
    CHECK_EQ(F->r, 0);
    CHECK_EQ(F->v, 1);
    AWAIT(F, ca_chan_recv__ca_start(self, &F->hdr, &F->r, F->c, &F->v));
    CHECK_EQ(F->r, -EPIPE);
    ca_chan_free(F->c);

    /* Free with a receiver waiting: it resumes with -EPIPE. */
    F->d = ca_chan_new(2, sizeof(int));
    F->k = (struct cons_arg){F->d, 0, 0, 0, 1};
    F->t = spawn(cons, &F->k);
    AWAIT_YIELD(F, F->r);
    ca_chan_free(F->d);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, 0);

    /* Cancel a sender blocked on a rendezvous channel. */
    F->c = ca_chan_new(0, sizeof(int));
    F->p = (struct prod_arg){F->c, 0, 1, 0, 0};
    F->t = spawn(prod, &F->p);
    AWAIT_YIELD(F, F->r);
    ca_cancel(F->t);
    AWAIT(F, ca_join__ca_start(self, &F->hdr, &F->r, F->t));
    CHECK_EQ(F->r, -ECANCELED);
    CHECK_EQ(F->p.err, -ECANCELED);
    ca_chan_free(F->c);
    RETURN(F, 0);
    END(F);
}
static int cl(ca_task *self, ca_frame *parent, void *arg)
{
    (void)arg;
    NEW_FRAME(F, cl, parent);
    return cl_resume(self, &F->hdr);
}

static void test_close_free_cancel(void)
{
    CHECK_EQ(run_async(cl, NULL), 0);
    CHECK(ca_chan_new(4, 0) == NULL);
    CHECK(ca_chan_new((size_t)-1, 16) == NULL);
    ca_chan_close(NULL);
    ca_chan_free(NULL);
}

int main(int argc, char **argv)
{
    TEST(test_bounded);
    TEST(test_rendezvous);
    TEST(test_mpmc);
    TEST(test_close_free_cancel);
    return 0;
}
