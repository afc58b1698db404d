/*
 * libcawait's runtime benchmarks, and their C peers (ucontext, pthreads).
 * Each mode prints one line "key value" for run.sh to put in a table:
 *
 *   yield N        two tasks alternating ca_yield: ns per switch
 *   ucontext N     two ucontexts alternating swapcontext: ns per switch
 *   pthread N      two threads handing a turn over with a mutex + condvar: ns per switch
 *   spawn N        ca_spawn + ca_join of an empty task, from a task: ns each
 *   memory N       N tasks asleep, each a thunk frame (32 B) + a frame awaiting
 *                  ca_sleep (48 B), as the tool generates them: RSS bytes per task
 *
 * The async functions are written at the ABI level, shaped like the tool's output.
 */
#define _GNU_SOURCE
#include <cawait.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* The tool's thunk for a void call with no arguments. */
struct thunk {
    ca_frame hdr;
};
typedef int (*start0)(ca_frame *parent);

static int thunk_resume_with(ca_frame *fr, start0 f)
{
    if (fr->state != 0)
        return CA_DONE;
    fr->state = 1;
    return f(fr);
}

static ca_task *spawn0(int (*thunk_resume)(ca_frame *))
{
    ca_task *t = ca__task_new(NULL);
    if (!t)
        abort();
    struct thunk *k = ca__frame_alloc(t, sizeof *k);
    k->hdr.resume = thunk_resume;
    k->hdr.parent = ca__task_root(t);
    k->hdr.task = t;
    k->hdr.state = 0;
    ca__task_start(t, &k->hdr);
    return t;
}

/* ------------------------------------------------------------------ yield */

static long n_iter;

struct yl_fr {
    ca_frame hdr;
    long i;
    int r;
};
static int yl_resume(ca_frame *fr)
{
    struct yl_fr *F = (struct yl_fr *)fr;
    if (F->hdr.state == 1)
        goto s1;
    for (F->i = 0; F->i < n_iter; F->i++) {
        if (ca_yield__ca_start(&F->hdr, &F->r) == CA_PENDING) {
            F->hdr.state = 1;
            return CA_PENDING;
        }
    s1:;
    }
    ca__frame_free(F->hdr.task, F);
    return CA_DONE;
}
static int yl_start(ca_frame *parent)
{
    struct yl_fr *F = ca__frame_alloc(parent->task, sizeof *F);
    F->hdr = (ca_frame){yl_resume, parent, parent->task, 0};
    return yl_resume(&F->hdr);
}
static int yl_thunk(ca_frame *fr)
{
    return thunk_resume_with(fr, yl_start);
}

static double bench_yield(long n)
{
    n_iter = n;
    ca_task *a = spawn0(yl_thunk), *b = spawn0(yl_thunk);
    double t0 = now_ns();
    ca_detach(a);
    ca__run(b);
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

static int empty_start(ca_frame *parent)
{
    (void)parent;
    return CA_DONE;
}
static int empty_thunk(ca_frame *fr)
{
    return thunk_resume_with(fr, empty_start);
}

struct sj_fr {
    ca_frame hdr;
    long i;
    ca_task *t;
    int r;
};
static int sj_resume(ca_frame *fr)
{
    struct sj_fr *F = (struct sj_fr *)fr;
    if (F->hdr.state == 1)
        goto s1;
    for (F->i = 0; F->i < n_iter; F->i++) {
        F->t = spawn0(empty_thunk);
        if (ca_join__ca_start(&F->hdr, &F->r, F->t) == CA_PENDING) {
            F->hdr.state = 1;
            return CA_PENDING;
        }
    s1:
        if (F->r != 0)
            abort();
    }
    ca__frame_free(F->hdr.task, F);
    return CA_DONE;
}
static int sj_start(ca_frame *parent)
{
    struct sj_fr *F = ca__frame_alloc(parent->task, sizeof *F);
    F->hdr = (ca_frame){sj_resume, parent, parent->task, 0};
    return sj_resume(&F->hdr);
}
static int sj_thunk(ca_frame *fr)
{
    return thunk_resume_with(fr, sj_start);
}

static double bench_spawn(long n)
{
    n_iter = n;
    ca_task *t = spawn0(sj_thunk);
    double t0 = now_ns();
    ca__run(t);
    return (now_ns() - t0) / n;
}

/* ----------------------------------------------------------------- memory */

/* async void nap(void) { await ca_sleep(LONG); }  -- frame: header + the int result. */
struct nap_fr {
    ca_frame hdr;
    int r;
};
static int nap_resume(ca_frame *fr)
{
    struct nap_fr *F = (struct nap_fr *)fr;
    if (F->hdr.state == 1)
        goto s1;
    if (ca_sleep__ca_start(&F->hdr, &F->r, 1000000000) == CA_PENDING) {
        F->hdr.state = 1;
        return CA_PENDING;
    }
s1:
    ca__frame_free(F->hdr.task, F);
    return CA_DONE;
}
static int nap_start(ca_frame *parent)
{
    struct nap_fr *F = ca__frame_alloc(parent->task, sizeof *F);
    F->hdr = (ca_frame){nap_resume, parent, parent->task, 0};
    return nap_resume(&F->hdr);
}
static int nap_thunk(ca_frame *fr)
{
    return thunk_resume_with(fr, nap_start);
}

/* The measuring task: sleeps 1 ms, after every napper is asleep. */
struct ms_fr {
    ca_frame hdr;
    int r;
};
static long rss_after;
static long rss_bytes(void)
{
    long size, res;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%ld %ld", &size, &res) != 2)
        abort();
    fclose(f);
    return res * sysconf(_SC_PAGESIZE);
}
static int ms_resume(ca_frame *fr)
{
    struct ms_fr *F = (struct ms_fr *)fr;
    if (F->hdr.state == 1)
        goto s1;
    if (ca_sleep__ca_start(&F->hdr, &F->r, 1) == CA_PENDING) {
        F->hdr.state = 1;
        return CA_PENDING;
    }
s1:
    rss_after = rss_bytes();
    ca__frame_free(F->hdr.task, F);
    return CA_DONE;
}
static int ms_start(ca_frame *parent)
{
    struct ms_fr *F = ca__frame_alloc(parent->task, sizeof *F);
    F->hdr = (ca_frame){ms_resume, parent, parent->task, 0};
    return ms_resume(&F->hdr);
}
static int ms_thunk(ca_frame *fr)
{
    return thunk_resume_with(fr, ms_start);
}

static double bench_memory(long n)
{
    ca_loop_current();
    long before = rss_bytes();
    for (long i = 0; i < n; i++)
        ca_detach(spawn0(nap_thunk));
    ca__run(spawn0(ms_thunk));
    struct ca_loop_stats st;
    ca_loop_stats(&st);
    if ((long)st.timers != n)
        abort();
    return (double)(rss_after - before) / n;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s yield|ucontext|pthread|spawn|memory N\n", argv[0]);
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
    else if (!strcmp(m, "memory"))
        v = bench_memory(n);
    else
        return 2;
    printf("%s %.2f\n", m, v);
    return 0;
}
