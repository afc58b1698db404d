// cawait-wrap on libuv's callbacks that fire many times: uv_read_start (an
// allocator and a read callback: the buffers pass to the consumer) and a
// repeating uv_timer_start, both paired with their _stop, so streams. With
// --capacity 2 the streams pause (the _stop function) while two events wait
// and restart when the consumer takes one: checked with uv_is_active, and
// with 1 MiB read through a socket with nothing lost. Run with libuv's loop
// driven from cawait's; plain, under ASan/UBSan and valgrind.
// REQUIRES: libuv
// RUN: rm -rf %t && mkdir -p %t
// RUN: %cawait-wrap %uv_h --include "<uv.h>" --only uv_read_start,uv_timer_start --capacity 2 -o %t/uv_stream.c
// RUN: FileCheck --input-file=%t/uv_stream.h %s --check-prefix=HDR
// RUN: FileCheck --input-file=%t/uv_stream.c %s --check-prefix=SRC
// RUN: %cawait %t/uv_stream.c -o %t/uv_stream.out.c
// RUN: %strip-checks %s > %t/main.c
// RUN: %cawait %t/main.c -o %t/main.out.c -- -I%t
// RUN: %cc -I%t %t/main.out.c %t/uv_stream.out.c %libcawait -luv -o %t/exe
// RUN: %t/exe | FileCheck %s --check-prefix=OUT
// RUN: %cc %asan -I%t %t/main.out.c %t/uv_stream.out.c %libcawait -luv -o %t/asan
// RUN: %t/asan | FileCheck %s --check-prefix=OUT
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t/exe | FileCheck %s --check-prefix=OUT
//
// Every callback-style function of uv.h at once (keyword-named parameters
// such as uv_async_init's `async`, a stream whose parameter is named `events`),
// uv_async_init as a stream ended by uv_close: transformed and compiled
// without a warning. Each function of libuv that takes a callback firing
// until stopped is a stream.
// RUN: %cawait-wrap %uv_h --include "<uv.h>" --prefix uv_ --stream uv_async_init:uv_close -o %t/all.c
// RUN: FileCheck --input-file=%t/all.h %s --check-prefix=ALL
// RUN: not grep uv_async_init_async %t/all.h
// RUN: %cawait %t/all.c -o %t/all.out.c
// RUN: %cc -Wextra -c %t/all.out.c -o %t/all.o
//
// The generated code docs/converting.md shows, for the commands it gives,
// and its excerpts of the tests.
// RUN: mkdir -p %t/doc
// RUN: %cawait-wrap %uv_h --include '<uv.h>' --only uv_getaddrinfo,uv_fs_open,uv_fs_stat,uv_read_start,uv_timer_start -o %t/doc/uv_wrap.c
// RUN: %cawait-wrap %uv_h --include '<uv.h>' --only uv_async_init --stream uv_async_init:uv_close -o %t/doc/uv_async.c
// RUN: python3 %S/doc_blocks.py %S/../../docs/converting.md %t/doc/uv_wrap.h %t/doc/uv_wrap.c %t/doc/uv_async.h %t/doc/uv_async.c
// ALL-DAG: int uv_read_stream_start(uv_read_stream **wrap_out, uv_stream_t *handle);
// ALL-DAG: int uv_udp_recv_stream_start(uv_udp_recv_stream **wrap_out, uv_udp_t *handle);
// ALL-DAG: int uv_poll_stream_start(uv_poll_stream **wrap_out, uv_poll_t *handle, int events);
// ALL-DAG: int uv_prepare_stream_start(uv_prepare_stream **wrap_out, uv_prepare_t *prepare);
// ALL-DAG: int uv_check_stream_start(uv_check_stream **wrap_out, uv_check_t *check);
// ALL-DAG: int uv_idle_stream_start(uv_idle_stream **wrap_out, uv_idle_t *idle);
// ALL-DAG: int uv_async_stream_start(uv_async_stream **wrap_out, uv_loop_t *a0);
// ALL-DAG: int uv_timer_stream_start(uv_timer_stream **wrap_out, uv_timer_t *handle, uint64_t timeout, uint64_t repeat);
// ALL-DAG: int uv_fs_poll_stream_start(uv_fs_poll_stream **wrap_out, uv_fs_poll_t *handle, const char *path, unsigned int interval);
// ALL-DAG: int uv_signal_stream_start(uv_signal_stream **wrap_out, uv_signal_t *handle, int signum);
// ALL-DAG: int uv_fs_event_stream_start(uv_fs_event_stream **wrap_out, uv_fs_event_t *handle, const char *path, unsigned int flags);
// ALL-DAG: async uv_getaddrinfo_result uv_getaddrinfo_async(

// HDR:      /* uv_read_start's callback fires many times: a stream of its calls, ended by uv_read_stop. */
// HDR-NEXT: typedef struct {
// HDR-NEXT:     ssize_t nread;
// HDR-NEXT:     uv_buf_t buf; /* a copy of *buf; buf.base is yours: free() it */
// HDR-NEXT: } uv_read_event;
// HDR-NEXT: typedef struct uv_read_stream uv_read_stream;
// HDR:      int uv_read_stream_start(uv_read_stream **wrap_out, uv_stream_t *handle);
// HDR:      async int uv_read_stream_next(uv_read_stream *wrap_s, uv_read_event *wrap_ev);
// HDR:      int uv_read_stream_close(uv_read_stream *wrap_s);
// A callback with nothing but the handle: no event type, next takes the stream alone.
// HDR:      /* uv_timer_start's callback fires many times: a stream of its calls, ended by uv_timer_stop. */
// HDR-NEXT: typedef struct uv_timer_stream uv_timer_stream;
// HDR:      int uv_timer_stream_start(uv_timer_stream **wrap_out, uv_timer_t *handle, uint64_t timeout, uint64_t repeat);
// HDR:      async int uv_timer_stream_next(uv_timer_stream *wrap_s);

// SRC:      static void uv_read_start__stream_alloc(uv_handle_t *handle, size_t suggested_size, uv_buf_t *buf)
// SRC:          buf->base = malloc(suggested_size);
// SRC:      return (int)uv_read_start(s->handle, uv_read_start__stream_alloc, uv_read_start__stream_cb);
// SRC:      } else if (r == 0 && atomic_fetch_add(&s->wrap_queued, 1) + 1 >= 2) {
// SRC-NEXT:     uv_read_start__stream_stop(s);
// SRC:      static void uv_read_start__stream_cb(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf){{$}}
// SRC-NEXT: {
// SRC-NEXT:     struct uv_read_stream *wrap_s = stream->data;
// SRC:          if (buf)
// SRC-NEXT:         wrap_ev.buf = *buf;
// SRC-NEXT:     if (!wrap_s || uv_read_start__stream_post(wrap_s, &wrap_ev) != 0) {
// SRC-NEXT:         free(wrap_ev.buf.base);
// SRC:          if (r == 0 && atomic_fetch_sub(&s->wrap_queued, 1) - 1 <= 1 && s->wrap_stopped) {
// SRC-NEXT:         int e = uv_read_start__stream_begin(s);
// SRC:      int uv_read_stream_close(uv_read_stream *wrap_s)
// SRC:          while ((wrap_r = ca_inbox_try_recv(wrap_s->wrap_events, &wrap_ev)) == 0) {
// SRC-NEXT:         free(wrap_ev.buf.base);

#include "uv_stream.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#define TOTAL (1 << 20)

static uv_loop_t *loop;
static bool done;
/* libuv keeps a handle until its close callback, which runs after the tasks end. */
static uv_timer_t timer;
static uv_pipe_t pipe_;

/* Run libuv's loop inside cawait's until the work is done (samples/legacy/mixed_ping.c). */
static async void drive_libuv(void)
{
    while (!done) {
        if (!uv_loop_alive(loop)) {
            await ca_yield();
            continue;
        }
        int timeout = uv_backend_timeout(loop);
        if (timeout != 0) {
            uint64_t old = ca_deadline_set(timeout > 0 ? ca_now() + (uint64_t)timeout : CA_NEVER);
            await ca_wait_readable(uv_backend_fd(loop));
            ca_deadline_set(old);
        }
        uv_run(loop, UV_RUN_NOWAIT);
    }
}

static bool active(void *handle)
{
    return uv_is_active((uv_handle_t *)handle) != 0;
}

static async int ticks(void)
{
    uv_timer_init(loop, &timer);
    uv_timer_stream *s;
    int r = uv_timer_stream_start(&s, &timer, 1, 1);
    int n = 0;
    while (n < 5 && (r = await uv_timer_stream_next(s)) == 0)
        n++;
    printf("timer: %d ticks, %d\n", n, r);
    // OUT: timer: 5 ticks, 0
    while (active(&timer)) /* the consumer lags: two ticks wait, the timer is stopped */
        await ca_yield();
    r = await uv_timer_stream_next(s);
    printf("paused; one taken: %d, running again: %s\n", r, active(&timer) ? "yes" : "no");
    // OUT-NEXT: paused; one taken: 0, running again: yes
    r = uv_timer_stream_close(s);
    printf("close: %d, running: %s\n", r, active(&timer) ? "yes" : "no");
    // OUT-NEXT: close: 0, running: no
    uv_close((uv_handle_t *)&timer, NULL);
    return 0;
}

static unsigned char pattern(size_t i)
{
    return (unsigned char)(i * 7 + i / 251);
}

static async void writer(int fd)
{
    unsigned char *data = malloc(TOTAL);
    for (size_t i = 0; i < TOTAL; i++)
        data[i] = pattern(i);
    await ca_write_all(fd, data, TOTAL);
    free(data);
    close(fd);
}

static async int reads(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv);
    uv_pipe_init(loop, &pipe_, 0);
    uv_pipe_open(&pipe_, sv[0]);
    uv_read_stream *s;
    int r = uv_read_stream_start(&s, (uv_stream_t *)&pipe_);
    ca_task *w = ca_spawn(writer(sv[1]));
    while (active(&pipe_)) /* a megabyte is more than two reads: it pauses */
        await ca_yield();
    printf("read: paused\n");
    // OUT-NEXT: read: paused
    size_t got = 0, wrong = 0, events = 0;
    uv_read_event ev;
    while ((r = await uv_read_stream_next(s, &ev)) == 0) {
        events++;
        for (ssize_t i = 0; i < ev.nread; i++)
            wrong += ((unsigned char *)ev.buf.base)[i] != pattern(got + (size_t)i);
        if (ev.nread > 0)
            got += (size_t)ev.nread;
        free(ev.buf.base); /* the event's buffer is ours */
        if (ev.nread < 0)
            break;
    }
    printf("read: %zu bytes, %zu wrong, more than 2 events: %s, then %s\n", got, wrong, events > 2 ? "yes" : "no",
           r == 0 ? uv_err_name((int)ev.nread) : "an error");
    // OUT-NEXT: read: 1048576 bytes, 0 wrong, more than 2 events: yes, then EOF
    await ca_join(w);
    printf("close: %d\n", uv_read_stream_close(s));
    // OUT-NEXT: close: 0
    uv_close((uv_handle_t *)&pipe_, NULL);
    return 0;
}

/* docs/converting.md 5.1 shows this body (doc_blocks.py checks it is still here word for word). */
async int copy_pipe(uv_pipe_t *pipe, FILE *out)
{
    uv_read_stream *s;
    int r = uv_read_stream_start(&s, (uv_stream_t *)pipe);   /* calls uv_read_start */
    if (r != 0)
        return r;
    uv_read_event ev;
    while ((r = await uv_read_stream_next(s, &ev)) == 0) {
        if (ev.nread > 0)
            fwrite(ev.buf.base, 1, (size_t)ev.nread, out);
        free(ev.buf.base);                  /* the event's buffer is the consumer's */
        if (ev.nread < 0)                   /* UV_EOF or an error: the last call */
            break;
    }
    uv_read_stream_close(s);                /* uv_read_stop, then free what was not taken */
    return r;
}

static async int run(void)
{
    ca_task *libuv = ca_spawn(drive_libuv());
    int r = await ticks();
    r |= await reads();
    done = true;
    await ca_join(libuv);
    return r;
}

int main(void)
{
    loop = uv_default_loop();
    int r = ca_run(run());
    uv_run(loop, UV_RUN_DEFAULT); /* the handles' close callbacks */
    return r || uv_loop_close(loop) != 0;
}
