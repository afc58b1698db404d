/*
 * The side table (deadlines and joiners kept outside the task) against a
 * naive model: random sets, clears, takes and drops on a few thousand
 * tasks, compared step by step, with the table's own invariants checked
 * (an entry exactly for the tasks whose flags say so, no hole inside a
 * probe run, at most half full).
 */
#include "internal.h"
#include "test.h"

#define NT 4000

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint64_t next_rand(void)
{
    return test_rand(&rng);
}

static ca_task tasks[NT];
static uint64_t model_dl[NT];
static ca_task *model_j[NT];

static void check_task(ca_loop *l, int i)
{
    ca_task *t = &tasks[i];
    CHECK_EQ(!!(t->flags & CA__T_DEADLINE), model_dl[i] != CA__NEVER);
    CHECK_EQ(!!(t->flags & CA__T_JOINED), model_j[i] != NULL);
    CHECK(ca__deadline(l, t) == model_dl[i]);
    if (ca__side_has(t))
        CHECK(ca__side_get(l, t)->joiner == model_j[i]);
}

static void check_table(ca_loop *l)
{
    struct ca__sides *s = &l->sides;
    uint32_t used = 0, cap = s->v ? s->mask + 1 : 0;
    for (uint32_t i = 0; i < cap; i++) {
        ca_task *t = s->v[i].task;
        if (!t)
            continue;
        used++;
        CHECK(ca__side_has(t));
        /* Every slot from t's home up to i is taken, or find would stop short. */
        for (uint32_t k = ca__side_hash(t) & s->mask; k != i; k = (k + 1) & s->mask)
            CHECK(s->v[k].task != NULL);
    }
    CHECK_EQ(used, s->n);
    CHECK(2 * (uint64_t)s->n <= cap || cap == 0);
    uint32_t want = 0;
    for (int i = 0; i < NT; i++) {
        want += ca__side_has(&tasks[i]) != 0;
        check_task(l, i);
    }
    CHECK_EQ(want, s->n);
}

static void run_round(int active, int steps)
{
    ca_loop *l = ca_loop_current();
    memset(tasks, 0, sizeof tasks);
    for (int i = 0; i < NT; i++) {
        model_dl[i] = CA__NEVER;
        model_j[i] = NULL;
    }
    for (int s = 0; s < steps; s++) {
        int i = (int)(next_rand() % (uint64_t)active), op = (int)(next_rand() % 8);
        ca_task *t = &tasks[i];
        switch (op) {
        case 0:
        case 1: { /* set a deadline */
            uint64_t when = next_rand() % 1000, old;
            CHECK_EQ(ca__deadline_put(l, t, when, &old), 0);
            CHECK(old == model_dl[i]);
            model_dl[i] = when;
            break;
        }
        case 2: { /* clear it */
            uint64_t old;
            CHECK_EQ(ca__deadline_put(l, t, CA__NEVER, &old), 0);
            CHECK(old == model_dl[i]);
            model_dl[i] = CA__NEVER;
            break;
        }
        case 3:
        case 4: { /* set a joiner */
            ca_task *j = &tasks[next_rand() % NT];
            CHECK_EQ(ca__joiner_put(l, t, j), 0);
            model_j[i] = j;
            break;
        }
        case 5: /* clear it */
            CHECK_EQ(ca__joiner_put(l, t, NULL), 0);
            model_j[i] = NULL;
            break;
        case 6: /* take it */
            CHECK(ca__joiner_take(l, t) == model_j[i]);
            model_j[i] = NULL;
            break;
        default: /* the task is released */
            ca__side_drop(l, t);
            model_dl[i] = CA__NEVER;
            model_j[i] = NULL;
            break;
        }
        check_task(l, i);
        if (s % 499 == 0)
            check_table(l);
    }
    check_table(l);
    for (int i = 0; i < NT; i++)
        ca__side_drop(l, &tasks[i]);
    CHECK_EQ(l->sides.n, 0);
}

static void test_side_vs_model(void)
{
    run_round(40, 20000);    /* a few tasks: entries come and go in a small table */
    run_round(NT, 60000);    /* growth to thousands of entries */
    run_round(NT / 4, 60000); /* mostly long probe runs being shifted back */
}

/* ca__side_reserve: after it, n entries go in without failing or growing. */
static void test_side_reserve(void)
{
    ca_loop *l = ca_loop_current();
    memset(tasks, 0, sizeof tasks);
    CHECK_EQ(ca__side_reserve(l, 0), 0);
    CHECK_EQ(ca__side_reserve(l, 1000), 0);
    struct ca__side *v = l->sides.v;
    for (int i = 0; i < 1000; i++)
        CHECK_EQ(ca__joiner_put(l, &tasks[i], &tasks[NT - 1]), 0);
    CHECK(l->sides.v == v);
    CHECK_EQ(l->sides.n, 1000);
    for (int i = 0; i < 1000; i++)
        CHECK(ca__joiner_take(l, &tasks[i]) == &tasks[NT - 1]);
    CHECK_EQ(l->sides.n, 0);
}

/*
 * Tasks in a slab are a fixed stride apart: their entries must not gather
 * in one probe run (64 deadlines of 256-byte slots once took about 40
 * probes a lookup). For each stride of a slot size class, the mean probe
 * length of 64 entries (the table at its fullest, half) stays short.
 */
static void test_side_strides(void)
{
    ca_loop *l = ca_loop_current();
    static _Alignas(16) char slab[64 * 1024 + 64 * 16];
    for (size_t stride = CA__SLOT_MIN; stride <= CA__SLOT_MAX; stride += 8) {
        ca_task *ts[64];
        uint64_t old;
        for (int i = 0; i < 64; i++) {
            ts[i] = (ca_task *)(void *)(slab + (size_t)i * stride);
            memset(ts[i], 0, sizeof *ts[i]);
            CHECK_EQ(ca__deadline_put(l, ts[i], 1000 + (uint64_t)i, &old), 0);
        }
        struct ca__sides *s = &l->sides;
        uint64_t probes = 0;
        for (uint32_t i = 0; i <= s->mask; i++)
            if (s->v[i].task)
                probes += ((i - ca__side_hash(s->v[i].task)) & s->mask) + 1;
        if (probes > 64 * 3)
            fprintf(stderr, "stride %zu: %llu probes for 64 entries\n", stride, (unsigned long long)probes);
        CHECK(probes <= 64 * 3);
        for (int i = 0; i < 64; i++)
            ca__side_drop(l, ts[i]);
        CHECK_EQ(s->n, 0);
    }
}

int main(int argc, char **argv)
{
    TEST(test_side_vs_model);
    TEST(test_side_reserve);
    TEST(test_side_strides);
    return 0;
}
