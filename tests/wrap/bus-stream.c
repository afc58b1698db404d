// cawait-wrap on subscriptions that are not a NAME_start / NAME_stop pair,
// called back from the API's own thread (Inputs/bus_api.h), named with
// --stream NAME:STOP: bus_subscribe returns an id that bus_unsubscribe takes
// (the stop gets the starter's result); bus_watch_topic returns a pointer
// that bus_unwatch takes, and bus_unwatch ends asynchronously (it calls back
// from the bus's thread once the last message is delivered), so the stream is
// freed by the last of close and that callback. Run plain, under ASan/UBSan,
// valgrind and TSan. Then the diagnostics for the spellings that cannot work.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %cawait-wrap %S/Inputs/bus_api.h --only bus_subscribe,bus_watch_topic --stream bus_subscribe:bus_unsubscribe,bus_watch_topic:bus_unwatch --capacity 8 -o %t/bus_wrap.c
// RUN: FileCheck --input-file=%t/bus_wrap.h %s --check-prefix=HDR
// RUN: FileCheck --input-file=%t/bus_wrap.c %s --check-prefix=SRC
// RUN: %cawait %t/bus_wrap.c -o %t/bus_wrap.out.c -- -I%S/Inputs
// RUN: %strip-checks %s > %t/main.c
// RUN: %cawait %t/main.c -o %t/main.out.c -- -I%S/Inputs -I%t
// RUN: %cc -I%S/Inputs -I%t %t/main.out.c %t/bus_wrap.out.c %S/Inputs/bus_api.c %libcawait -o %t/exe
// RUN: %t/exe | FileCheck %s --check-prefix=OUT
// RUN: %cc %asan -I%S/Inputs -I%t %t/main.out.c %t/bus_wrap.out.c %S/Inputs/bus_api.c %libcawait -o %t/asan
// RUN: %t/asan | FileCheck %s --check-prefix=OUT
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t/exe | FileCheck %s --check-prefix=OUT
// RUN: %cc -fsanitize=thread -O1 -D_GNU_SOURCE -I%S/Inputs -I%t %t/main.out.c %t/bus_wrap.out.c %S/Inputs/bus_api.c %S/../../runtime/src/*.c -pthread -o %t/tsan
// RUN: %t/tsan | FileCheck %s --check-prefix=OUT
//
// Spellings that cannot work, each an error at the starter's declaration and no output:
// two buses for bus_unlink's one; an int matched by type alone (an id is no topic);
// no stop function; a pointer result that nothing takes.
// RUN: not %cawait-wrap %S/Inputs/bus_api.h --stream bus_link:bus_unlink,bus_watch_topic:bus_unsubscribe,bus_subscribe -o %t/bad.c 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not test -e %t/bad.c
// BAD-DAG: bus_api.h:49:5: error: cannot wrap 'bus_link': its stop function's parameter 'b' matches several of its parameters by type and none by name: cannot tell which to pass
// BAD-DAG: bus_api.h:40:12: error: cannot wrap 'bus_watch_topic': its stop function's parameter 'id' matches none of its parameters (by name, or by type for a pointer), nor its result (by type)
// BAD-DAG: bus_api.h:28:5: error: cannot wrap 'bus_subscribe': no stop function NAME_stop is declared: name one with --stream NAME:STOP
// RUN: not %cawait-wrap %S/Inputs/bus_api.h --once bus_watch_topic -o %t/bad.c 2>&1 | FileCheck %s --check-prefix=LOST
// LOST: bus_api.h:40:12: error: cannot wrap 'bus_watch_topic': its result is a pointer that no stop function takes (the wrapper would lose it)
// RUN: not %cawait-wrap %S/Inputs/bus_api.h --once bus_subscribe --stream bus_subscribe:bus_unsubscribe -o %t/bad.c 2>&1 | FileCheck %s --check-prefix=TWICE
// TWICE: cawait-wrap: error: 'bus_subscribe' is named twice by --once or --stream
//
// An unsigned id: no value of it is an error, and no comparison of it with 0 (-Wextra).
// RUN: %cawait-wrap %S/Inputs/bus_api.h --only bus_tap --stream bus_tap:bus_untap -o %t/tap.c
// RUN: FileCheck --input-file=%t/tap.c %s --check-prefix=TAP
// TAP:      s->wrap_token = bus_tap(s->b, bus_tap__stream_cb, s);
// TAP-NEXT: return 0;
// TAP:      bus_untap(s->b, s->wrap_token);
// RUN: %cawait %t/tap.c -o %t/tap.out.c -- -I%S/Inputs
// RUN: %cc -Wextra -I%S/Inputs -I%t -c %t/tap.out.c -o %t/tap.o

// HDR:      /* Start the calls: 0 with *wrap_out set, or bus_subscribe's negative result, or -ENOMEM. */
// HDR-NEXT: int bus_subscribe_stream_start(bus_subscribe_stream **wrap_out, bus *b);
// HDR:      /* Start the calls: 0 with *wrap_out set, or -errno (-EINVAL without one) when bus_watch_topic gives NULL, or -ENOMEM. */
// HDR-NEXT: int bus_watch_topic_stream_start(bus_watch_topic_stream **wrap_out, bus *b, int topic);
// HDR:      * The stream is freed once bus_unwatch calls back.

// The stop gets the id the starter returned, and the bus by name.
// SRC:      s->wrap_token = bus_subscribe(s->b, bus_subscribe__stream_cb, s);
// SRC-NEXT: return s->wrap_token < 0 ? (int)s->wrap_token : 0;
// SRC:      bus_unsubscribe(s->b, s->wrap_token);
// The asynchronous end: two references, the callback lets go of one, and
// frees the strings of messages that came after close.
// SRC:      static void bus_watch_topic__stream_release(struct bus_watch_topic_stream *s)
// SRC-NEXT: {
// SRC-NEXT:     if (atomic_fetch_sub(&s->wrap_refs, 1) != 1)
// SRC-NEXT:         return;
// SRC-NEXT:     bus_watch_topic_event wrap_ev;
// SRC-NEXT:     while (ca_inbox_try_recv(s->wrap_events, &wrap_ev) == 0) {
// SRC-NEXT:         free(wrap_ev.msg);
// SRC:      static void bus_watch_topic__stream_ended(void *ud)
// SRC-NEXT: {
// SRC-NEXT:     bus_watch_topic__stream_release(ud);
// SRC:      s->wrap_token = bus_watch_topic(s->b, s->topic, bus_watch_topic__stream_cb, s);
// SRC-NEXT: return s->wrap_token ? 0 : errno ? -errno : -EINVAL;
// SRC:      bus_unwatch(s->wrap_token, bus_watch_topic__stream_ended, s);
// SRC:      atomic_init(&wrap_s->wrap_refs, 2);
// SRC:      bus_watch_topic__stream_release(wrap_s); /* bus_unwatch's callback lets go of the other reference */

#include "bus_wrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static async void wait_one(bus_subscribe_stream *s, int *result)
{
    bus_subscribe_event ev;
    *result = await bus_subscribe_stream_next(s, &ev);
}

static async void subscriptions(bus *b)
{
    bus_subscribe_stream *s;
    int r = bus_subscribe_stream_start(&s, b);
    printf("subscribe: %d\n", r);
    // OUT: subscribe: 0
    for (int i = 1; i <= 3; i++)
        bus_publish(b, i * 10);
    bus_subscribe_event ev;
    for (int i = 0; i < 3 && (r = await bus_subscribe_stream_next(s, &ev)) == 0; i++)
        printf("event %d\n", ev.ev);
    // OUT-NEXT: event 10
    // OUT-NEXT: event 20
    // OUT-NEXT: event 30
    printf("close: %d\n", bus_subscribe_stream_close(s));
    // OUT-NEXT: close: 0
    bus_publish(b, 40); /* nobody is subscribed: the freed stream is not touched */
    bus_flush(b);

    /* The starter's negative result is start's error. */
    bus_subscribe_stream *s1, *s2, *s3;
    bus_subscribe_stream_start(&s1, b);
    bus_subscribe_stream_start(&s2, b);
    printf("a third subscription: %s\n", strerror(-bus_subscribe_stream_start(&s3, b)));
    // OUT-NEXT: a third subscription: No space left on device
    printf("close both: %d %d\n", bus_subscribe_stream_close(s1), bus_subscribe_stream_close(s2));
    // OUT-NEXT: close both: 0 0

    /* A task waits: close refuses, cancel ends the wait; then a deadline. */
    bus_subscribe_stream_start(&s, b);
    int waited = 1;
    ca_task *t = ca_spawn(wait_one(s, &waited));
    await ca_yield();
    printf("close while a task waits: %s\n", strerror(-bus_subscribe_stream_close(s)));
    // OUT-NEXT: close while a task waits: Device or resource busy
    ca_cancel(t);
    await ca_join(t);
    printf("its next: %s; close: %d\n", strerror(-waited), bus_subscribe_stream_close(s));
    // OUT-NEXT: its next: Operation canceled; close: 0
    bus_subscribe_stream_start(&s, b);
    uint64_t old = ca_deadline_in(5);
    r = await bus_subscribe_stream_next(s, &ev);
    ca_deadline_set(old);
    printf("next with a deadline: %s; close: %d\n", strerror(-r), bus_subscribe_stream_close(s));
    // OUT-NEXT: next with a deadline: Connection timed out; close: 0
}

static async void watches(bus *b)
{
    bus_watch_topic_stream *w;
    printf("watch topic -1: %s\n", strerror(-bus_watch_topic_stream_start(&w, b, -1)));
    // OUT-NEXT: watch topic -1: Invalid argument
    int r = bus_watch_topic_stream_start(&w, b, 7);
    bus_post(b, 7, "first");
    bus_post(b, 8, "another topic");
    bus_post(b, 7, "second");
    bus_watch_topic_event m;
    for (int i = 0; i < 2 && (r = await bus_watch_topic_stream_next(w, &m)) == 0; i++) {
        printf("topic %d: %s\n", m.topic, m.msg);
        free(m.msg);
    }
    // OUT-NEXT: topic 7: first
    // OUT-NEXT: topic 7: second
    bus_post(b, 7, "never taken");
    bus_flush(b);
    printf("close with a message not taken: %d\n", bus_watch_topic_stream_close(w));
    // OUT-NEXT: close with a message not taken: 0
    bus_flush(b); /* the bus's thread has called back: the stream is freed (valgrind, ASan: no leak) */

    /* Messages still on their way when close runs reach the stream after it: the last release frees them. */
    bus_watch_topic_stream_start(&w, b, 7);
    bus_hold(b);
    for (int i = 0; i < 3; i++)
        bus_post(b, 7, "late");
    printf("close with messages on their way: %d\n", bus_watch_topic_stream_close(w));
    // OUT-NEXT: close with messages on their way: 0
    bus_resume(b);
    bus_flush(b);
}

static async int run(void)
{
    bus *b = bus_new();
    await subscriptions(b);
    await watches(b);
    bus_free(b);
    return 0;
}

int main(void)
{
    return ca_run(run());
}
