/*
 * A program for the gdb tests (tests/integration/run_gdb.sh): async frames
 * three deep, and a second task suspended in a sleep. The markers name the
 * lines the tests break on and expect in backtraces.
 */
#include <cawait.h>
#include <stdio.h>

static int hits;
static ca_task *bg_task;

static async int sleeper(int ms)
{
    int naps = 0;
    while (naps < 3) {
        await ca_sleep((uint64_t)ms); /* AWAIT_SLEEPER */
        naps++;
    }
    return naps;
}

static async int leaf(int depth)
{
    char tag[8]; int seen = depth; /* seen: a scalar kept in a register (one line: the markers' lines stay) */
    snprintf(tag, sizeof tag, "d%d", depth);
    await ca_sleep(1); /* AWAIT_LEAF */
    /*
     * Stopping here, the frame has been resumed by the loop after the sleep:
     * on the C stack there is only this function, under the runtime's driver
     * loop; the awaiting callers are in the chain that cawait-frames prints.
     * (This comment also keeps the breakpoint's line clear of the lines the
     * lowered await above spans in the generated C; see run_gdb.sh.)
     */
    hits += depth; seen += 100; /* NEXT_TO_AWAIT */
    tag[0] = 'D'; /* BREAK_LEAF */
    return tag[1] - '0' + (seen < 100);
}

static async int middle(int n)
{
    int sum = 0;
    for (int i = 1; i <= n; i++)
        sum += await leaf(i) * 10; /* AWAIT_MIDDLE */
    return sum;
}

static async long outer(void)
{
    bg_task = ca_spawn(sleeper(50));
    long total = await middle(2); /* AWAIT_OUTER */
    ca_cancel(bg_task);
    await ca_join(bg_task);
    return total + hits;
}

int main(void)
{
    printf("result %ld\n", ca_run(outer()));
    return 0;
}
