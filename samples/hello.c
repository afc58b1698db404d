/*
 * cawait's first sample: tasks that sleep and await each other.
 *
 * Three workers run at once on one thread; each sleeps a little between
 * steps, so their output interleaves by time, and the main task awaits
 * them all. Expected output (the order is fixed by the sleep times):
 *
 *   worker 1 step 0
 *   worker 2 step 0
 *   worker 3 step 0
 *   worker 1 step 1
 *   worker 1 step 2
 *   worker 2 step 1
 *   worker 3 step 1
 *   worker 2 step 2
 *   worker 3 step 2
 *   total = 36
 */
#include <cawait.h>
#include <stdio.h>

static long total;
static uint64_t start; /* ca_now() when the workers began */

static async int step(int id, int i)
{
    printf("worker %d step %d\n", id, i);
    /* Until a fixed time rather than for a fixed time: 60, 140, 220 ms
       apart, and a late wake-up on a loaded machine does not shift the
       later steps, so the order of the output holds. */
    uint64_t due = start + (uint64_t)((i + 1) * (id * 80 - 20));
    if (due > ca_now())
        await ca_sleep(due - ca_now());
    return id * (i + 1);
}

static async void worker(int id)
{
    for (int i = 0; i < 3; i++)
        total += await step(id, i);
}

static async long run_all(void)
{
    ca_task *tasks[3];
    start = ca_now();
    for (int id = 1; id <= 3; id++)
        tasks[id - 1] = ca_spawn(worker(id));
    for (int i = 0; i < 3; i++)
        await ca_join(tasks[i]);
    return total;
}

int main(void)
{
    printf("total = %ld\n", ca_run(run_all()));
    return 0;
}
