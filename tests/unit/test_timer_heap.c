/*
 * The timer heap against a naive model: random inserts, removals of random
 * members and pops of the minimum, compared step by step with an unsorted
 * array searched linearly. Ties must come out in insertion order.
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
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int model_min(struct model *m, int n)
{
    int b = 0;
    for (int i = 1; i < n; i++)
        if (m[i].when < m[b].when || (m[i].when == m[b].when && m[i].seq < m[b].seq))
            b = i;
    return b;
}

static void check_heap_shape(struct ca__heap *h)
{
    for (uint32_t i = 0; i < h->n; i++) {
        CHECK_EQ(h->v[i].task->timer, i + 1);
        if (i > 0)
            CHECK(h->v[(i - 1) / 2].key <= h->v[i].key);
    }
}

static void run_round(int range, int steps)
{
    static ca_task tasks[NT];
    static struct model m[NT];
    struct ca__heap h = {0};
    int n = 0;
    uint64_t seq = 0;
    memset(tasks, 0, sizeof tasks);
    for (int s = 0; s < steps; s++) {
        int op = (int)(next_rand() % 10);
        if (op < 5 && n < NT) { /* insert a task not in the heap */
            int id;
            do
                id = (int)(next_rand() % NT);
            while (tasks[id].timer);
            uint64_t when = next_rand() % (uint64_t)range;
            CHECK_EQ(ca__heap_insert(&h, &tasks[id], when), 0);
            m[n++] = (struct model){when, seq++, id};
        } else if (op < 7 && n > 0) { /* remove a random member */
            int k = (int)(next_rand() % (uint64_t)n);
            ca__heap_remove(&h, &tasks[m[k].id]);
            CHECK_EQ(tasks[m[k].id].timer, 0);
            m[k] = m[--n];
        } else if (n > 0) { /* pop the minimum */
            uint64_t when;
            ca_task *t = ca__heap_min(&h, &when);
            int k = model_min(m, n);
            CHECK(t == &tasks[m[k].id]);
            CHECK_EQ(when, m[k].when);
            ca__heap_remove(&h, t);
            m[k] = m[--n];
        }
        CHECK_EQ(h.n, n);
        if (s % 97 == 0)
            check_heap_shape(&h);
    }
    check_heap_shape(&h);
    ca__heap_free(&h);
}

static void test_heap_vs_model(void)
{
    for (int r = 0; r < 20; r++) {
        run_round(5, 20000);       /* many ties */
        run_round(1 << 30, 20000); /* few ties */
    }
}

static void test_heap_drain_order(void)
{
    static ca_task tasks[NT];
    struct ca__heap h = {0};
    memset(tasks, 0, sizeof tasks);
    for (int i = 0; i < NT; i++)
        CHECK_EQ(ca__heap_insert(&h, &tasks[i], (uint64_t)(NT - i) / 3), 0);
    uint64_t prev = 0, when;
    ca_task *t, *prev_t = NULL;
    while ((t = ca__heap_min(&h, &when))) {
        CHECK(when >= prev);
        if (when == prev && prev_t)
            CHECK(t > prev_t); /* equal deadlines in insertion order */
        prev = when;
        prev_t = t;
        ca__heap_remove(&h, t);
    }
    ca__heap_free(&h);
}

int main(int argc, char **argv)
{
    TEST(test_heap_vs_model);
    TEST(test_heap_drain_order);
    return 0;
}
