/*
 * The timers' two heaps against a naive model: random inserts (into the
 * sleep heap, whose keys are in the tasks, or the wait heap), removals of
 * random members, re-keys of wait-heap members (their deadline travels
 * with the entry) and pops of the earliest timer of both, compared step by
 * step with an unsorted array searched linearly. Ties must come out in
 * insertion order (a re-key counts as an insertion), across the heaps too.
 */
#include "internal.h"
#include "test.h"

#define NT 3000

struct model {
    uint64_t when, seq;
    int id;
};

static uint64_t rng = 88172645463325252ull;
static uint64_t next_rand(void)
{
    return test_rand(&rng);
}

static int model_min(struct model *m, int n)
{
    int b = 0;
    for (int i = 1; i < n; i++)
        if (m[i].when < m[b].when || (m[i].when == m[b].when && m[i].seq < m[b].seq))
            b = i;
    return b;
}

/* As the runtime does: a task's timer is in the sleep heap while it sleeps. */
static bool asleep(const ca_task *t)
{
    return t->wait == CA__W_SLEEP;
}

static void del(struct ca__timers *ts, ca_task *t)
{
    ca__timers_del(ts, t, asleep(t));
    t->wait = CA__W_NONE;
}

/* Heap order, slots and sides; when_of[id]: when tasks[id] fires in the model, dl_of[id] its entry's deadline. */
static void check_shape(const struct ca__timers *ts, const ca_task *tasks, const uint64_t *when_of,
                        const uint64_t *dl_of)
{
    for (uint32_t i = 0; i < ts->sleep.n; i++) {
        const ca_task *t = ts->sleep.v[i];
        CHECK_EQ(t->timer, i + 1);
        CHECK(asleep(t));
        CHECK_EQ(t->sleep_key >> 20, when_of[t - tasks]);
        if (i > 0)
            CHECK(ts->sleep.v[(i - 1) / 2]->sleep_key <= t->sleep_key);
    }
    for (uint32_t i = 0; i < ts->wait.n; i++) {
        const ca_task *t = ts->wait.v[i].task;
        CHECK_EQ(t->timer, i + 1);
        CHECK(!asleep(t));
        CHECK_EQ(ts->wait.v[i].key >> 20, when_of[t - tasks]);
        CHECK_EQ(ts->wait.v[i].deadline, dl_of[t - tasks]);
        if (i > 0)
            CHECK(ts->wait.v[(i - 1) / 2].key <= ts->wait.v[i].key);
    }
}

static void run_round(int range, int steps)
{
    static ca_task tasks[NT];
    static struct model m[NT];
    static uint64_t when_of[NT], dl_of[NT];
    struct ca__timers ts = {0};
    int n = 0;
    uint64_t seq = 0;
    memset(tasks, 0, sizeof tasks);
    for (int s = 0; s < steps; s++) {
        int op = (int)(next_rand() % 10);
        if (op < 5 && n < NT) { /* insert a task that has no timer, into either heap */
            int id;
            do
                id = (int)(next_rand() % NT);
            while (tasks[id].timer);
            uint64_t when = next_rand() % (uint64_t)range;
            bool sleep = next_rand() % 2;
            tasks[id].wait = sleep ? CA__W_SLEEP : CA__W_QUEUE;
            CHECK_EQ(ca__timers_add(&ts, &tasks[id], when, sleep), 0);
            when_of[id] = dl_of[id] = when;
            m[n++] = (struct model){when, seq++, id};
        } else if (op < 7 && n > 0) { /* remove a random member */
            int k = (int)(next_rand() % (uint64_t)n);
            del(&ts, &tasks[m[k].id]);
            CHECK_EQ(tasks[m[k].id].timer, 0);
            m[k] = m[--n];
        } else if (op == 7 && n > 0 && !asleep(&tasks[m[n - 1].id])) { /* re-key one (the model's last), in the wait heap */
            uint64_t when = next_rand() % (uint64_t)range;
            ca__timers_rekey(&ts, &tasks[m[n - 1].id], when);
            when_of[m[n - 1].id] = when;
            m[n - 1].when = when;
            m[n - 1].seq = seq++;
        } else if (n > 0) { /* pop the earliest */
            uint64_t when;
            ca_task *t = ca__timers_min(&ts, &when);
            int k = model_min(m, n);
            CHECK(t == &tasks[m[k].id]);
            CHECK_EQ(when, m[k].when);
            del(&ts, t);
            m[k] = m[--n];
        }
        CHECK_EQ(ca__timers_count(&ts), n);
        if (s % 97 == 0)
            check_shape(&ts, tasks, when_of, dl_of);
    }
    check_shape(&ts, tasks, when_of, dl_of);
    ca__timers_free(&ts);
}

static void test_heap_vs_model(void)
{
    for (int r = 0; r < 20; r++) {
        run_round(5, 20000);       /* many ties */
        run_round(1 << 30, 20000); /* few ties */
    }
}

/* Drained, both heaps give every timer in deadline order, ties in insertion order. */
static void test_heap_drain_order(void)
{
    static ca_task tasks[NT];
    struct ca__timers ts = {0};
    memset(tasks, 0, sizeof tasks);
    for (int i = 0; i < NT; i++) {
        bool sleep = i % 3 != 0;
        tasks[i].wait = sleep ? CA__W_SLEEP : CA__W_IO;
        CHECK_EQ(ca__timers_add(&ts, &tasks[i], (uint64_t)(NT - i) / 3, sleep), 0);
    }
    uint64_t prev = 0, when;
    ca_task *t, *prev_t = NULL;
    int n = 0;
    while ((t = ca__timers_min(&ts, &when))) {
        CHECK(when >= prev);
        if (when == prev && prev_t)
            CHECK(t > prev_t); /* equal deadlines in insertion order */
        prev = when;
        prev_t = t;
        del(&ts, t);
        n++;
    }
    CHECK_EQ(n, NT);
    ca__timers_free(&ts);
}

/* Deadlines beyond 2^44 ms are clamped, still in insertion order. */
static void test_heap_far_deadlines(void)
{
    static ca_task tasks[4];
    struct ca__timers ts = {0};
    memset(tasks, 0, sizeof tasks);
    for (int i = 0; i < 4; i++) {
        tasks[i].wait = i % 2 ? CA__W_SLEEP : CA__W_FUTURE;
        CHECK_EQ(ca__timers_add(&ts, &tasks[i], CA__NEVER - (uint64_t)i, i % 2), 0);
    }
    for (int i = 0; i < 4; i++) {
        uint64_t when;
        CHECK(ca__timers_min(&ts, &when) == &tasks[i]);
        CHECK_EQ(when, (UINT64_C(1) << 44) - 1);
        del(&ts, &tasks[i]);
    }
    CHECK(ca__timers_min(&ts, &(uint64_t){0}) == NULL);
    ca__timers_free(&ts);
}

int main(int argc, char **argv)
{
    TEST(test_heap_vs_model);
    TEST(test_heap_drain_order);
    TEST(test_heap_far_deadlines);
    return 0;
}
