// cawait-wrap on a callback that fires many times from another thread
// (ta_progress_start, paired with ta_progress_stop): a stream of events
// that a task takes with await. Runs the events in order, the overflow
// (-ENOBUFS when the consumer is --capacity events behind), a close while a
// task waits (-EBUSY), cancelling and timing out the waiting task; plain,
// under ASan/UBSan, valgrind and TSan. Then the diagnostics for what cannot be told.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %cawait-wrap %S/Inputs/thread_api.h --only ta_progress_start,ta_divide --capacity 8 -o %t/ta_wrap.c
// RUN: FileCheck --input-file=%t/ta_wrap.h %s --check-prefix=HDR
// RUN: FileCheck --input-file=%t/ta_wrap.c %s --check-prefix=SRC
// RUN: %cawait %t/ta_wrap.c -o %t/ta_wrap.out.c -- -I%S/Inputs
// RUN: %strip-checks %s > %t/main.c
// RUN: %cawait %t/main.c -o %t/main.out.c -- -I%S/Inputs -I%t
// RUN: %cc -I%S/Inputs -I%t %t/main.out.c %t/ta_wrap.out.c %S/Inputs/thread_api.c %libcawait -o %t/exe
// RUN: %t/exe | FileCheck %s --check-prefix=OUT
// RUN: %cc %asan -I%S/Inputs -I%t %t/main.out.c %t/ta_wrap.out.c %S/Inputs/thread_api.c %libcawait -o %t/asan
// RUN: %t/asan | FileCheck %s --check-prefix=OUT
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t/exe | FileCheck %s --check-prefix=OUT
// Under TSan, with the runtime built alongside so that its atomics are seen too:
// RUN: %cc -fsanitize=thread -O1 -D_GNU_SOURCE -I%S/Inputs -I%t %t/main.out.c %t/ta_wrap.out.c %S/Inputs/thread_api.c %S/../../runtime/src/*.c -pthread -o %t/tsan
// RUN: %t/tsan | FileCheck %s --check-prefix=OUT
//
// Once or many times: a NAME_start without a NAME_stop cannot be told (an
// error when named, a warning and left out otherwise); --stream needs a stop
// function whose parameters it can pass; an allocator callback wants --stream.
// RUN: not %cawait-wrap %S/Inputs/thread_api.h --only ta_watch_start -o %t/bad.c 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not test -e %t/bad.c
// UNKNOWN: thread_api.h:53:5: error: cannot wrap 'ta_watch_start': cannot tell whether its callback fires once or many times (a NAME_start without a NAME_stop): name it in --once, or in --stream NAME:STOP
// RUN: %cawait-wrap %S/Inputs/thread_api.h -o %t/all.c 2>&1 | FileCheck %s --check-prefix=WARN
// WARN: thread_api.h:53:5: warning: not wrapping 'ta_watch_start': cannot tell
// RUN: %cawait-wrap %S/Inputs/thread_api.h --once ta_watch_start -o %t/once.c
// RUN: FileCheck --input-file=%t/once.h %s --check-prefix=ONCE
// ONCE: async int ta_watch_start_async(int fd);
// RUN: not %cawait-wrap %S/Inputs/thread_api.h --stream ta_divide,ta_watch_start:ta_progress_stop,ta_square:nope -o %t/bad.c 2>&1 | FileCheck %s --check-prefix=STREAM
// STREAM-DAG: thread_api.h:11:5: error: cannot wrap 'ta_divide': no stop function NAME_stop is declared: name one with --stream NAME:STOP
// STREAM-DAG: thread_api.h:53:5: error: cannot wrap 'ta_watch_start': its stop function's parameter 'p' matches none of its parameters (by name, or by type for a pointer), nor its result (by type)
// STREAM-DAG: thread_api.h:14:6: error: cannot wrap 'ta_square': its stop function (--stream NAME:STOP) is not declared

// HDR:      async ta_divide_result ta_divide_async(long a, long b);
// HDR:      /* ta_progress_start's callback fires many times: a stream of its calls, ended by ta_progress_stop. */
// HDR-NEXT: typedef struct {
// HDR-NEXT:     int done;
// HDR-NEXT:     int total;
// HDR-NEXT:     char *what; /* a copy (strdup, NULL without memory): yours to free() */
// HDR-NEXT: } ta_progress_event;
// HDR-NEXT: typedef struct ta_progress_stream ta_progress_stream;
// HDR:      int ta_progress_stream_start(ta_progress_stream **wrap_out, ta_progress *p, int steps, unsigned int interval_ms);
// HDR:      or -ENOBUFS once the 8 events it holds are taken, when a call found it full.
// HDR:      async int ta_progress_stream_next(ta_progress_stream *wrap_s, ta_progress_event *wrap_ev);
// HDR:      int ta_progress_stream_close(ta_progress_stream *wrap_s);

// A thread's callback cannot pause the stream (its stop joins that thread): no queued count.
// SRC:      struct ta_progress_stream {
// SRC-NEXT:     ca_inbox *wrap_events;
// SRC-NEXT:     atomic_int wrap_err;
// SRC-NEXT:     bool wrap_stopped;
// SRC:      return (int)ta_progress_start(s->p, s->steps, s->interval_ms, ta_progress_start__stream_cb, s);
// SRC:      static void ta_progress_start__stream_cb(void *ud, int done, int total, const char *what){{$}}
// SRC-NEXT: {
// SRC-NEXT:     struct ta_progress_stream *wrap_s = ud;
// SRC-NEXT:     ta_progress_event wrap_ev;
// SRC-NEXT:     memset(&wrap_ev, 0, sizeof wrap_ev);
// SRC-NEXT:     wrap_ev.done = done;
// SRC-NEXT:     wrap_ev.total = total;
// SRC-NEXT:     wrap_ev.what = what ? strdup(what) : NULL;
// SRC-NEXT:     if (ta_progress_start__stream_post(wrap_s, &wrap_ev) != 0) { /* not queued: ours to free */
// SRC-NEXT:         free(wrap_ev.what);
// SRC-NEXT:     }
// SRC-NEXT: }
// SRC:      ca_inbox_new(8, sizeof(ta_progress_event))
// SRC:      int wrap_r = await ca_inbox_recv(wrap_s->wrap_events, wrap_ev);

#include "ta_wrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static async void wait_one(ta_progress_stream *s, int *result)
{
    ta_progress_event ev;
    *result = await ta_progress_stream_next(s, &ev);
}

static async int run(void)
{
    ta_progress p;
    ta_progress_stream *s;
    ta_progress_event ev;
    int r = ta_progress_stream_start(&s, &p, 5, 1);
    printf("start: %d\n", r);
    // OUT: start: 0
    while ((r = await ta_progress_stream_next(s, &ev)) == 0) {
        printf("progress %d/%d (%s)\n", ev.done, ev.total, ev.what);
        free(ev.what);
        if (ev.done == ev.total)
            break;
    }
    // OUT-NEXT: progress 1/5 (step 1)
    // OUT-NEXT: progress 2/5 (step 2)
    // OUT-NEXT: progress 3/5 (step 3)
    // OUT-NEXT: progress 4/5 (step 4)
    // OUT-NEXT: progress 5/5 (step 5)
    printf("close: %d\n", ta_progress_stream_close(s));
    // OUT-NEXT: close: 0

    /* The consumer falls behind: every call is made before it takes one. */
    ta_progress_stream_start(&s, &p, 20, 0);
    ta_progress_wait(&p);
    int n = 0;
    while ((r = await ta_progress_stream_next(s, &ev)) == 0) {
        n++;
        free(ev.what);
    }
    printf("overflow: %d events, the last %d/%d, then %s\n", n, ev.done, ev.total, strerror(-r));
    // OUT-NEXT: overflow: 8 events, the last 8/20, then No buffer space available
    printf("close: %d\n", ta_progress_stream_close(s));
    // OUT-NEXT: close: 0

    /* Events not taken: close frees their strings (valgrind: no leak). */
    ta_progress_stream_start(&s, &p, 3, 0);
    ta_progress_wait(&p);
    printf("close with 3 events not taken: %d\n", ta_progress_stream_close(s));
    // OUT-NEXT: close with 3 events not taken: 0

    /* A task waits for a call a minute away: close refuses, cancel ends the wait. */
    ta_progress_stream_start(&s, &p, 3, 60000);
    int waited = 1;
    ca_task *t = ca_spawn(wait_one(s, &waited));
    await ca_yield();
    printf("close while a task waits: %s\n", strerror(-ta_progress_stream_close(s)));
    // OUT-NEXT: close while a task waits: Device or resource busy
    ca_cancel(t);
    r = await ca_join(t);
    printf("the waiting task: %s, its next: %s\n", strerror(-r), strerror(-waited));
    // OUT-NEXT: the waiting task: Operation canceled, its next: Operation canceled
    printf("close: %d\n", ta_progress_stream_close(s));
    // OUT-NEXT: close: 0

    /* A deadline on the wait. */
    ta_progress_stream_start(&s, &p, 3, 60000);
    uint64_t old = ca_deadline_in(5);
    r = await ta_progress_stream_next(s, &ev);
    ca_deadline_set(old);
    printf("next with a deadline: %s\n", strerror(-r));
    // OUT-NEXT: next with a deadline: Connection timed out
    printf("close: %d\n", ta_progress_stream_close(s));
    // OUT-NEXT: close: 0
    return 0;
}

int main(void)
{
    return ca_run(run());
}
