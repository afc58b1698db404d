// The runtime under the tool's code, all at once: 600 tasks in random
// interleavings of yields, sleeps, channel sends and receives, a mutex
// around a shared counter, deadlines that expire inside a wait, children
// spawned and joined or cancelled. Every total printed is checked against
// what the tasks themselves counted, and the loop must end empty.
// RUN: %cawait %s -o %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe | FileCheck %s
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan | FileCheck %s
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe | FileCheck %s
#include <cawait.h>
#include <stdio.h>

enum { TASKS = 600, STEPS = 40 };

static ca_chan *chan;
static ca_mutex mu;
static long counter, increments, sent, received, timeouts, cancelled_children, joined_children;

static unsigned next_rand(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

static async int child(int ms)
{
    int r = await ca_sleep((uint64_t)ms);
    return r;
}

static async void worker(unsigned seed)
{
    for (int step = 0; step < STEPS; step++) {
        switch (next_rand(&seed) % 7) {
        case 0:
            await ca_yield();
            break;
        case 1:
            await ca_sleep(next_rand(&seed) % 3);
            break;
        case 2: {
            int v = (int)(next_rand(&seed) % 100);
            if (await ca_chan_send(chan, &v) == 0)
                sent += v;
            break;
        }
        case 3: {
            /* A receive that may wait; a deadline bounds it so that no task waits forever. */
            int v;
            uint64_t old = ca_deadline_in(5);
            int r = await ca_chan_recv(chan, &v);
            ca_deadline_set(old);
            if (r == 0)
                received += v;
            else if (r == -ETIMEDOUT)
                timeouts++;
            break;
        }
        case 4:
            if (await ca_mutex_lock(&mu) == 0) {
                long seen = counter;
                await ca_yield(); /* others run while the lock is held */
                counter = seen + 1;
                increments++;
                ca_mutex_unlock(&mu);
            }
            break;
        case 5: {
            uint64_t old = ca_deadline_in(1);
            if (await ca_sleep(50) == -ETIMEDOUT)
                timeouts++;
            ca_deadline_set(old);
            break;
        }
        default: {
            ca_task *c = ca_spawn(child((int)(next_rand(&seed) % 4)));
            if (next_rand(&seed) % 2) {
                if (await ca_join(c) == 0)
                    joined_children++;
            } else {
                ca_cancel(c);
                if (await ca_join(c) == -ECANCELED)
                    cancelled_children++;
            }
        }
        }
    }
}

/* Receives what is left in the channel once every worker has ended. */
static async void drain(void)
{
    int v;
    uint64_t old = ca_deadline_in(20);
    while (await ca_chan_recv(chan, &v) == 0)
        received += v;
    ca_deadline_set(old);
}

static async int run(void)
{
    static ca_task *tasks[TASKS];
    for (int i = 0; i < TASKS; i++)
        tasks[i] = ca_spawn(worker(1234u + (unsigned)i * 7919u));
    int r = await ca_join_all(tasks, TASKS);
    await drain();
    return r;
}

int main(void)
{
    chan = ca_chan_new(1000000, sizeof(int)); /* room for every send: no sender ever waits */
    ca_mutex_init(&mu);
    int r = ca_run(run());
    ca_chan_free(chan);
    struct ca_loop_stats st;
    ca_loop_stats(&st);
    printf("join_all=%d\n", r);
    printf("mutex counter %s\n", counter == increments && increments > 0 ? "ok" : "WRONG");
    printf("channel totals %s\n", sent == received && sent > 0 ? "ok" : "WRONG");
    printf("timeouts %s, children joined %s, cancelled %s\n", timeouts > 0 ? "seen" : "none",
           joined_children > 0 ? "seen" : "none", cancelled_children > 0 ? "seen" : "none");
    printf("loop empty %s\n", st.tasks + st.ready + st.timers + st.io_waits + st.remote_waits == 0 ? "ok" : "WRONG");
    printf("close %d\n", ca_loop_close());
    return 0;
}
// CHECK: join_all=0
// CHECK-NEXT: mutex counter ok
// CHECK-NEXT: channel totals ok
// CHECK-NEXT: timeouts seen, children joined seen, cancelled seen
// CHECK-NEXT: loop empty ok
// CHECK-NEXT: close 0
