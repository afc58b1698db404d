/*
 * libcawait's runtime benchmarks, and their C peers (ucontext, pthreads).
 * The async code is written as users write it; CMake runs it through cawait,
 * so what is measured is the tool's output on the runtime. Each mode prints
 * one line "key value" for run.sh to put in a table:
 *
 *   yield N        two tasks alternating ca_yield: ns per switch
 *   ucontext N     two ucontexts alternating swapcontext: ns per switch
 *   pthread N      two threads handing a turn over with a mutex + condvar: ns per switch
 *   spawn N        ca_spawn + ca_join of an empty task, from a task: ns each
 *   spawn-value N  ca_spawn into a ca_task_of(int) + ca_join_value: ns each
 *   group N        ca_group_spawn of tasks returning an int, 1000 a group, + ca_group_wait: ns a task
 *   pthread-spawn N  pthread_create + pthread_join of an empty thread: ns each
 *   memory N       N tasks asleep two awaits deep (sleeper -> nap -> ca_sleep):
 *                  RSS bytes per task (task, frames, timer)
 *   memory-args N  the same with an argument and results: sleeper(ms) does
 *                  `if (await nap(ms) == 0) woke++;`, nap(ms) `return await ca_sleep(ms);`
 *   ucontext-memory N  N ucontexts suspended on 64 KB mmap'd stacks: RSS bytes each
 *   pthread-memory N   N idle threads: RSS bytes each (kernel stacks not included)
 */
#define _GNU_SOURCE
#include <cawait.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ------------------------------------------------------------------ yield */

static long n_iter;

async void yielder(void)
{
    for (long i = 0; i < n_iter; i++)
        await ca_yield();
}

static double bench_yield(long n)
{
    n_iter = n;
    ca_task *a = ca_spawn(yielder());
    double t0 = now_ns();
    ca_detach(a);
    ca_run(yielder());
    return (now_ns() - t0) / (2.0 * n);
}

/* --------------------------------------------------------------- ucontext */

static ucontext_t uc_main, uc_a, uc_b;
static void uc_fn(int which)
{
    ucontext_t *me = which ? &uc_b : &uc_a, *other = which ? &uc_a : &uc_b;
    for (long i = 0; i < n_iter; i++)
        swapcontext(me, other);
    swapcontext(me, &uc_main);
}

static double bench_ucontext(long n)
{
    static char sa[65536], sb[65536];
    n_iter = n;
    getcontext(&uc_a);
    uc_a.uc_stack.ss_sp = sa;
    uc_a.uc_stack.ss_size = sizeof sa;
    uc_a.uc_link = &uc_main;
    makecontext(&uc_a, (void (*)(void))uc_fn, 1, 0);
    getcontext(&uc_b);
    uc_b.uc_stack.ss_sp = sb;
    uc_b.uc_stack.ss_size = sizeof sb;
    uc_b.uc_link = &uc_main;
    makecontext(&uc_b, (void (*)(void))uc_fn, 1, 1);
    double t0 = now_ns();
    swapcontext(&uc_main, &uc_a);
    return (now_ns() - t0) / (2.0 * n);
}

/* ---------------------------------------------------------------- pthread */

static pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pc = PTHREAD_COND_INITIALIZER;
static int turn;

static void *pt_fn(void *arg)
{
    int me = (int)(intptr_t)arg;
    pthread_mutex_lock(&pm);
    for (long i = 0; i < n_iter; i++) {
        while (turn != me)
            pthread_cond_wait(&pc, &pm);
        turn = !me;
        pthread_cond_signal(&pc);
    }
    pthread_mutex_unlock(&pm);
    return NULL;
}

static double bench_pthread(long n)
{
    pthread_t a, b;
    n_iter = n;
    turn = 0;
    double t0 = now_ns();
    pthread_create(&a, NULL, pt_fn, (void *)0);
    pthread_create(&b, NULL, pt_fn, (void *)1);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return (now_ns() - t0) / (2.0 * n);
}

/* ------------------------------------------------------------ spawn + join */

async void empty(void)
{
}

async void spawn_join_loop(void)
{
    for (long i = 0; i < n_iter; i++)
        if (await ca_join(ca_spawn(empty())) != 0)
            abort();
}

static double bench_spawn(long n)
{
    n_iter = n;
    double t0 = now_ns();
    ca_run(spawn_join_loop());
    return (now_ns() - t0) / n;
}

/* A task's value: typed spawn + ca_join_value, and group members. */
async int answer(long i)
{
    return (int)i;
}

async void spawn_value_loop(void)
{
    for (long i = 0; i < n_iter; i++) {
        ca_task_of(int) t = ca_spawn(answer(i));
        int v = -1;
        if (await ca_join_value(t, &v) != 0 || v != (int)i)
            abort();
    }
}

static double bench_spawn_value(long n)
{
    n_iter = n;
    double t0 = now_ns();
    ca_run(spawn_value_loop());
    return (now_ns() - t0) / n;
}

async void group_loop(void)
{
    ca_group g;
    for (long i = 0; i < n_iter; i += 1000) {
        ca_group_init(&g);
        for (long j = 0; j < 1000; j++)
            if (!ca_group_spawn(&g, answer(j)))
                abort();
        if (await ca_group_wait(&g) != 0)
            abort();
    }
}

static double bench_group(long n)
{
    n_iter = n;
    double t0 = now_ns();
    ca_run(group_loop());
    return (now_ns() - t0) / n;
}

/* ----------------------------------------------------------------- memory */

async void nap(void)
{
    await ca_sleep(1000000000);
}

async void sleeper(void)
{
    await nap();
}

/* The shape of issue 15's goal: the argument is read only before the first await. */
static long woke;

async int nap_ms(int ms)
{
    return await ca_sleep(ms);
}

async void sleeper_ms(int ms)
{
    if (await nap_ms(ms) == 0)
        woke++;
}

static long rss_bytes(void)
{
    long size, res;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%ld %ld", &size, &res) != 2)
        abort();
    fclose(f);
    return res * sysconf(_SC_PAGESIZE);
}

/* Sleeps 1 ms, after every sleeper is asleep, then measures. */
async long measure(void)
{
    await ca_sleep(1);
    return rss_bytes();
}

static double bench_memory(long n, int args)
{
    ca_loop_current();
    long before = rss_bytes();
    for (long i = 0; i < n; i++)
        if (args)
            ca_detach(ca_spawn(sleeper_ms(1000000000)));
        else
            ca_detach(ca_spawn(sleeper()));
    long after = ca_run(measure());
    struct ca_loop_stats st;
    ca_loop_stats(&st);
    if ((long)st.timers != n)
        abort();
    return (double)(after - before) / n;
}

/* ------------------------------------------------------ the peers' memory */

/* N ucontexts, each suspended in its function on its own 64 KB stack (mmap: untouched pages cost nothing). */
static ucontext_t uc_back, uc_discard; /* uc_discard: where a parked context is saved, never resumed */
static void uc_park(void)
{
    swapcontext(&uc_discard, &uc_back);
}

static double bench_ucontext_memory(long n)
{
    long before = rss_bytes();
    for (long i = 0; i < n; i++) {
        ucontext_t *uc = malloc(sizeof *uc);
        void *stack = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (!uc || stack == MAP_FAILED || getcontext(uc) != 0)
            abort();
        uc->uc_stack.ss_sp = stack;
        uc->uc_stack.ss_size = 65536;
        uc->uc_link = NULL;
        makecontext(uc, uc_park, 0);
        swapcontext(&uc_back, uc);
    }
    return (double)(rss_bytes() - before) / n;
}

/* N idle threads blocked on a condition variable (their kernel stacks are not in RSS). */
static pthread_mutex_t idle_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t idle_cv = PTHREAD_COND_INITIALIZER;
static long idle_count;
static int idle_release;

static void *idle_thread(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&idle_mu);
    idle_count++;
    pthread_cond_broadcast(&idle_cv);
    while (!idle_release)
        pthread_cond_wait(&idle_cv, &idle_mu);
    pthread_mutex_unlock(&idle_mu);
    return NULL;
}

static double bench_pthread_memory(long n)
{
    pthread_t *th = malloc(n * sizeof *th);
    long before = rss_bytes();
    for (long i = 0; i < n; i++)
        if (pthread_create(&th[i], NULL, idle_thread, NULL) != 0)
            abort();
    pthread_mutex_lock(&idle_mu);
    while (idle_count < n)
        pthread_cond_wait(&idle_cv, &idle_mu);
    double per = (double)(rss_bytes() - before) / n;
    idle_release = 1;
    pthread_cond_broadcast(&idle_cv);
    pthread_mutex_unlock(&idle_mu);
    for (long i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    free(th);
    return per;
}

/* pthread_create + pthread_join of an empty thread: the thread peer of spawn + join. */
static void *idle_thread_empty(void *arg)
{
    return arg;
}

static double bench_pthread_spawn(long n)
{
    double t0 = now_ns();
    for (long i = 0; i < n; i++) {
        pthread_t t;
        if (pthread_create(&t, NULL, idle_thread_empty, NULL) != 0)
            abort();
        pthread_join(t, NULL);
    }
    return (now_ns() - t0) / n;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s yield|ucontext|pthread|spawn|spawn-value|group|pthread-spawn|memory|memory-args|ucontext-memory|pthread-memory N\n",
                argv[0]);
        return 2;
    }
    long n = atol(argv[2]);
    const char *m = argv[1];
    double v;
    if (!strcmp(m, "yield"))
        v = bench_yield(n);
    else if (!strcmp(m, "ucontext"))
        v = bench_ucontext(n);
    else if (!strcmp(m, "pthread"))
        v = bench_pthread(n);
    else if (!strcmp(m, "spawn"))
        v = bench_spawn(n);
    else if (!strcmp(m, "spawn-value"))
        v = bench_spawn_value(n);
    else if (!strcmp(m, "group"))
        v = bench_group(n);
    else if (!strcmp(m, "pthread-spawn"))
        v = bench_pthread_spawn(n);
    else if (!strcmp(m, "memory") || !strcmp(m, "memory-args"))
        v = bench_memory(n, !strcmp(m, "memory-args"));
    else if (!strcmp(m, "ucontext-memory"))
        v = bench_ucontext_memory(n);
    else if (!strcmp(m, "pthread-memory"))
        v = bench_pthread_memory(n);
    else
        return 2;
    printf("%s %.2f\n", m, v);
    return 0;
}
