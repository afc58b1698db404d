// cawait-wrap on libuv's callbacks that fire many times without a
// NAME_start / NAME_stop pair: uv_async_init, whose callback runs once per
// uv_async_send from any thread and whose handle ends with uv_close, named
// with --stream uv_async_init:uv_close. uv_close ends it asynchronously, so
// the stream holds the handle and is freed when uv_close calls back:
// uv_loop_close succeeding at the end shows each handle was closed, ASan and
// valgrind that nothing leaked or was used after its free. The other thread's
// uv_async_send runs under TSan too. And uv_signal_start, paired with
// uv_signal_stop. Run with libuv's loop driven from cawait's.
// REQUIRES: libuv
// RUN: rm -rf %t && mkdir -p %t
// RUN: %cawait-wrap %uv_h --include "<uv.h>" --only uv_async_init,uv_signal_start --stream uv_async_init:uv_close -o %t/uv_async.c
// RUN: FileCheck --input-file=%t/uv_async.h %s --check-prefix=HDR
// RUN: FileCheck --input-file=%t/uv_async.c %s --check-prefix=SRC
// RUN: %cawait %t/uv_async.c -o %t/uv_async.out.c
// RUN: %strip-checks %s > %t/main.c
// RUN: %cawait %t/main.c -o %t/main.out.c -- -I%t
// RUN: %cc -I%t %t/main.out.c %t/uv_async.out.c %libcawait -luv -o %t/exe
// RUN: %t/exe | FileCheck %s --check-prefix=OUT
// RUN: %cc %asan -I%t %t/main.out.c %t/uv_async.out.c %libcawait -luv -o %t/asan
// RUN: %t/asan | FileCheck %s --check-prefix=OUT
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t/exe | FileCheck %s --check-prefix=OUT
// RUN: %cc -fsanitize=thread -O1 -D_GNU_SOURCE -I%t %t/main.out.c %t/uv_async.out.c %S/../../runtime/src/*.c -luv -pthread -o %t/tsan
// RUN: %t/tsan | FileCheck %s --check-prefix=OUT
//
// The same spelling kept in a file of arguments (@FILE, with comments): the same output.
// RUN: mkdir -p %t/at %t/args
// RUN: %cawait-wrap %uv_h --include "<uv.h>" --only uv_async_init,uv_signal_start @%S/Inputs/uv.wrap -o %t/at/uv_async.c
// RUN: %cawait-wrap %uv_h --include "<uv.h>" --only uv_async_init,uv_signal_start --stream uv_async_init:uv_close --once uv_timer_start -o %t/args/uv_async.c
// RUN: FileCheck --input-file=%t/at/uv_async.h %s --check-prefix=AT
// AT: async int uv_timer_start_async(uv_timer_t *handle, uint64_t timeout, uint64_t repeat);
// RUN: diff %t/args/uv_async.h %t/at/uv_async.h
// RUN: diff %t/args/uv_async.c %t/at/uv_async.c
// RUN: not %cawait-wrap %uv_h @%t/none -o %t/bad.c 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: cawait-wrap: error: cannot read '{{.*}}none': No such file or directory
//
// A handle initialised before its NAME_start cannot be held by the stream:
// ending uv_timer_start with uv_close is refused; a misspelt stop function.
// RUN: not %cawait-wrap %uv_h --include "<uv.h>" --stream uv_timer_start:uv_close,uv_async_init:uv_closed -o %t/bad.c 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not test -e %t/bad.c
// BAD-DAG: uv.h:{{[0-9]+}}:15: error: cannot wrap 'uv_timer_start': its stop function ends the handle (it calls back when the handle is closed), so the stream must hold the handle from its initialisation: a NAME_start starts a handle initialised before (end it with NAME_stop, then close the handle yourself)
// BAD-DAG: uv.h:870:15: error: cannot wrap 'uv_async_init': its stop function (--stream NAME:STOP) is not declared

// HDR:      /* uv_async_init's callback fires many times: a stream of its calls, ended by uv_close. */
// HDR-NEXT: typedef struct uv_async_stream uv_async_stream;
// HDR:      int uv_async_stream_start(uv_async_stream **wrap_out, uv_loop_t *a0);
// HDR:      uv_async_t *uv_async_stream_handle(uv_async_stream *wrap_s);
// HDR:      async int uv_async_stream_next(uv_async_stream *wrap_s);
// HDR:      * The stream and the handle it holds are freed once uv_close calls back.
// HDR:      int uv_signal_stream_start(uv_signal_stream **wrap_out, uv_signal_t *handle, int signum);

// The handle is the stream's own, uv_close gets it cast to its base struct,
// and a full inbox ends the stream rather than pausing (uv_close is final).
// SRC:      uv_async_t wrap_handle; /* outlives uv_close's callback */
// SRC:      static void uv_async_init__stream_ended(uv_handle_t *handle)
// SRC-NEXT: {
// SRC-NEXT:     uv_async_init__stream_release(handle->data);
// SRC:      uv_close((uv_handle_t *)s->async_, uv_async_init__stream_ended);
// SRC-NOT:  wrap_queued
// SRC:      wrap_s->async_ = &wrap_s->wrap_handle;
// SRC:      uv_signal_stop(s->handle);

#include "uv_async.h"

#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static uv_loop_t *loop;
static uv_signal_t sig;

/* Run libuv's loop inside cawait's until cancelled (docs/converting.md, section 2). */
static async void drive_libuv(void)
{
    for (;;) {
        int timeout = uv_backend_timeout(loop); /* ms; -1: no timer; 0: work is pending */
        if (timeout != 0) {
            uint64_t old = ca_deadline_set(timeout > 0 ? ca_now() + (uint64_t)timeout : CA_NEVER);
            int r = await ca_wait_readable(uv_backend_fd(loop));
            ca_deadline_set(old);
            if (r == -ECANCELED)
                return;
        } else if (await ca_yield() == -ECANCELED) {
            return;
        }
        uv_run(loop, UV_RUN_NOWAIT);
    }
}

/* The other thread: a value, then a wake-up, then it waits until the task has seen it. */
static atomic_int value;
static sem_t seen;

static void *producer(void *handle)
{
    for (int i = 1; i <= 5; i++) {
        atomic_store(&value, i * i);
        uv_async_send(handle);
        sem_wait(&seen);
    }
    return NULL;
}

static async void wait_one(uv_async_stream *s, int *result)
{
    *result = await uv_async_stream_next(s);
}

static async int wakeups(void)
{
    uv_async_stream *s;
    int r = uv_async_stream_start(&s, loop); /* uv_async_init on the stream's own handle */
    pthread_t t;
    pthread_create(&t, NULL, producer, uv_async_stream_handle(s)); /* it calls uv_async_send */
    for (int i = 0; i < 5 && r == 0 && (r = await uv_async_stream_next(s)) == 0; i++) {
        printf("woken: %d\n", atomic_load(&value));
        sem_post(&seen);
    }
    // OUT: woken: 1
    // OUT-NEXT: woken: 4
    // OUT-NEXT: woken: 9
    // OUT-NEXT: woken: 16
    // OUT-NEXT: woken: 25
    pthread_join(t, NULL);
    uint64_t old = ca_deadline_in(5);
    r = await uv_async_stream_next(s);
    ca_deadline_set(old);
    printf("no more sends, a deadline: %s\n", strerror(-r));
    // OUT-NEXT: no more sends, a deadline: Connection timed out
    printf("close: %d\n", uv_async_stream_close(s));
    // OUT-NEXT: close: 0

    /* A wake-up not taken: close frees it. */
    uv_async_stream_start(&s, loop);
    uv_async_send(uv_async_stream_handle(s));
    await ca_sleep(1);
    printf("close with a wake-up not taken: %d\n", uv_async_stream_close(s));
    // OUT-NEXT: close with a wake-up not taken: 0

    /* A task waits: close calls uv_close and refuses; the stream outlives uv_close's callback. */
    uv_async_stream_start(&s, loop);
    int waited = 1;
    ca_task *w = ca_spawn(wait_one(s, &waited));
    await ca_yield();
    printf("close while a task waits: %s\n", strerror(-uv_async_stream_close(s)));
    // OUT-NEXT: close while a task waits: Device or resource busy
    await ca_sleep(1); /* uv_close calls back meanwhile */
    ca_cancel(w);
    await ca_join(w);
    printf("its next: %s; close: %d\n", strerror(-waited), uv_async_stream_close(s));
    // OUT-NEXT: its next: Operation canceled; close: 0
    return 0;
}

static async int signals(void)
{
    uv_signal_init(loop, &sig);
    uv_signal_stream *s;
    int r = uv_signal_stream_start(&s, &sig, SIGUSR1);
    uv_signal_event ev;
    for (int i = 0; i < 2 && r == 0; i++) {
        raise(SIGUSR1);
        if ((r = await uv_signal_stream_next(s, &ev)) == 0)
            printf("signal: %s\n", ev.signum == SIGUSR1 ? "SIGUSR1" : "another");
    }
    // OUT-NEXT: signal: SIGUSR1
    // OUT-NEXT: signal: SIGUSR1
    r = uv_signal_stream_close(s);
    printf("close: %d, active: %d\n", r, uv_is_active((uv_handle_t *)&sig));
    // OUT-NEXT: close: 0, active: 0
    uv_close((uv_handle_t *)&sig, NULL);
    return 0;
}

static async int run(void)
{
    ca_task *libuv = ca_spawn(drive_libuv());
    int r = await wakeups();
    r |= await signals();
    ca_cancel(libuv);
    await ca_join(libuv);
    return r;
}

int main(void)
{
    loop = uv_default_loop();
    sem_init(&seen, 0, 0);
    int r = ca_run(run());
    uv_run(loop, UV_RUN_DEFAULT); /* the handles' close callbacks */
    printf("loop closed: %d\n", uv_loop_close(loop));
    // OUT-NEXT: loop closed: 0
    return r;
}
