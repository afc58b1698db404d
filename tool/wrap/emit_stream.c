/*
 * Writing a stream: the wrapper of a function whose callback fires many
 * times (libuv's uv_read_start, a repeating uv_timer_start, progress
 * reports from another thread). Each call of the callback becomes an event
 * that the callback posts into a ca_inbox and a task takes with
 *
 *     B_stream *s;
 *     if (B_stream_start(&s, args...) == 0) {
 *         B_event ev;
 *         while (await B_stream_next(s, &ev) == 0)
 *             ...;                  // the loop decides which event is the last
 *         B_stream_close(s);        // the stop function, then free
 *     }
 *
 * Backpressure: when the callback finds the inbox full, the stream ends
 * (-ENOBUFS after what it holds). With a handle (libuv's), whose callbacks
 * run on the loop's thread where stopping from inside a callback is
 * allowed, the stream pauses instead: the stop function once the inbox is
 * full, the start function again once the consumer has taken half.
 */
#include "wrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool pauses(const cw_wrap_fn *f)
{
    return f->ud == CW_UD_HANDLE && !f->end_async; /* an asynchronous end (uv_close) cannot be undone */
}

static bool ends_star(const char *type)
{
    return type[strlen(type) - 1] == '*';
}

static unsigned nfields(const cw_wrap_fn *f)
{
    return f->ncb_params - 1;
}

static bool owns_buffers(const cw_wrap_fn *f)
{
    for (unsigned j = 0; j < f->ncb_params; j++)
        if (j != f->cb_ud && (f->cb_params[j].owned || f->cb_params[j].string))
            return true;
    return false;
}

/* The parameters the stream keeps: all but the callbacks and a passed-through void *. */
static bool kept(const cw_wrap_fn *f, unsigned i)
{
    return i != f->cb_index && (int)i != f->alloc_index && !(f->ud == CW_UD_VOIDPTR && i == f->ud_index);
}

/* What the caller passes to start: the kept parameters, less a handle the stream holds. */
static bool given(const cw_wrap_fn *f, unsigned i)
{
    return kept(f, i) && !(f->embed_decl && i == f->ud_index);
}

static void prototypes(strbuf *b, const cw_wrap_fn *f, const char *end)
{
    const char *B = f->base;
    sb_printf(b, "int %s_stream_start(%s_stream **wrap_out", B, B);
    for (unsigned i = 0; i < f->nparams; i++)
        if (given(f, i))
            sb_printf(b, ", %s", f->params[i].decl);
    sb_printf(b, ")%s", end);
}

static void next_prototype(strbuf *b, const cw_wrap_fn *f, const char *end)
{
    if (nfields(f))
        sb_printf(b, "async int %s_stream_next(%s_stream *wrap_s, %s_event *wrap_ev)%s", f->base, f->base, f->base,
                  end);
    else
        sb_printf(b, "async int %s_stream_next(%s_stream *wrap_s)%s", f->base, f->base, end);
}

void cw_stream_emit_decls(strbuf *b, const cw_wrap_fn *f, unsigned capacity)
{
    const char *B = f->base;
    sb_printf(b, "/* %s's callback fires many times: a stream of its calls, ended by %s. */\n", f->name, f->stop);
    if (nfields(f)) {
        sb_puts(b, "typedef struct {\n");
        for (unsigned j = 0; j < f->ncb_params; j++) {
            const cw_param *p = &f->cb_params[j];
            if (j == f->cb_ud)
                continue;
            if (p->string)
                sb_printf(b, "    char *%s; /* a copy (strdup, NULL without memory): yours to free() */\n", p->name);
            else if (p->owned)
                sb_printf(b, "    %s; /* a copy of *%s; %s.base is yours: free() it */\n", p->copy_decl, p->name,
                          p->name);
            else if (p->copy_decl)
                sb_printf(b, "    %s; /* a copy of *%s */\n", p->copy_decl, p->name);
            else
                sb_printf(b, "    %s;\n", p->decl);
        }
        sb_printf(b, "} %s_event;\n", B);
    }
    sb_printf(b, "typedef struct %s_stream %s_stream;\n", B, B);
    if (f->ret_token && f->ret_pointer)
        sb_printf(b,
                  "/* Start the calls: 0 with *wrap_out set, or -errno (-EINVAL without one) when %s gives NULL, "
                  "or -ENOMEM. */\n",
                  f->name);
    else if (f->ret_token && !f->ret_unsigned)
        sb_printf(b, "/* Start the calls: 0 with *wrap_out set, or %s's negative result, or -ENOMEM. */\n", f->name);
    else if (f->ret_token)
        sb_printf(b, "/* Start the calls: 0 with *wrap_out set, or -ENOMEM. */\n");
    else
        sb_printf(b, "/* Start the calls: 0 with *wrap_out set, or %s's error, or -ENOMEM. */\n", f->name);
    prototypes(b, f, ";\n");
    if (f->embed_decl)
        sb_printf(b,
                  "/* The handle the stream holds (%s initialised it), for the API's other functions until close. */\n"
                  "%s%s%s_stream_handle(%s_stream *wrap_s);\n",
                  f->name, f->params[f->ud_index].type, ends_star(f->params[f->ud_index].type) ? "" : " ", B, B);
    if (pauses(f))
        sb_printf(b,
                  "/*\n * The next call's arguments: 0, -ECANCELED, -ETIMEDOUT, -EBUSY (another task waits),\n"
                  " * or %s's error when a restart failed. With %u events waiting the calls pause\n"
                  " * (%s); taking half of them restarts them.\n */\n",
                  f->name, capacity, f->stop);
    else
        sb_printf(b,
                  "/*\n * The next call's arguments: 0, -ECANCELED, -ETIMEDOUT, -EBUSY (another task waits),\n"
                  " * or -ENOBUFS once the %u events it holds are taken, when a call found it full.\n */\n",
                  capacity);
    next_prototype(b, f, ";\n");
    if (f->end_async)
        sb_printf(b,
                  "/*\n * %s, then free what was not taken: 0, or -EBUSY while a task waits in\n"
                  " * %s_stream_next (cancel it, then close again).\n"
                  " * The stream%s freed once %s calls back.\n */\n",
                  f->stop, B, f->embed_decl ? " and the handle it holds are" : " is", f->stop);
    else
        sb_printf(b,
                  "/* %s, then free what was not taken and the stream: 0, or -EBUSY while a task waits\n"
                  " * in %s_stream_next (cancel it, then close again). */\n",
                  f->stop, B);
    sb_printf(b, "int %s_stream_close(%s_stream *wrap_s);\n", B, B);
}

/* "free(ev.buf.base);" for each buffer an event owns, "free(ev.name);" for each string. */
static void free_owned(strbuf *b, const cw_wrap_fn *f, const char *ev, const char *indent)
{
    for (unsigned j = 0; j < f->ncb_params; j++) {
        const cw_param *p = &f->cb_params[j];
        if (j != f->cb_ud && (p->owned || p->string))
            sb_printf(b, "%sfree(%s.%s%s);\n", indent, ev, p->name, p->string ? "" : ".base");
    }
}

static void callback_signature(strbuf *b, const cw_wrap_fn *f)
{
    sb_printf(b, "static void %s__stream_cb(", f->name);
    for (unsigned j = 0; j < f->ncb_params; j++)
        sb_printf(b, "%s%s", j ? ", " : "", f->cb_params[j].decl);
    sb_puts(b, ")");
}

static void emit_struct(strbuf *b, const cw_wrap_fn *f)
{
    sb_printf(b,
              "struct %s_stream { /* wrap_: the starter's parameters have the other names */\n"
              "    ca_inbox *wrap_events;\n"
              "    atomic_int wrap_err; /* why wrap_events was closed: -ENOBUFS, or a restart's error */\n",
              f->base);
    if (pauses(f))
        sb_puts(b, "    atomic_int wrap_queued; /* events posted and not taken yet */\n");
    if (f->end_async)
        sb_printf(b, "    atomic_int wrap_refs; /* close's and %s's callback's: the last to let go frees */\n",
                  f->stop);
    sb_printf(b, "    bool wrap_stopped; /* %s has been called */\n", f->stop);
    if (f->embed_decl)
        sb_printf(b, "    %s; /* outlives %s's callback */\n", f->embed_decl, f->stop);
    if (f->ret_token)
        sb_printf(b, "    %s%swrap_token; /* %s's result, for %s */\n", f->ret, ends_star(f->ret) ? "" : " ", f->name,
                  f->stop);
    sb_printf(b, "    /* %s's arguments, for %s%s */\n", f->name, f->stop, pauses(f) ? " and a restart" : "");
    for (unsigned i = 0; i < f->nparams; i++)
        if (kept(f, i))
            sb_printf(b, "    %s;\n", f->params[i].decl);
    sb_puts(b, "};\n\n");
}

static void emit_alloc(strbuf *b, const cw_wrap_fn *f)
{
    const cw_param *a = f->alloc_params;
    sb_printf(b,
              "/* The buffers: the event that carries one passes it on to the consumer. */\n"
              "static void %s__stream_alloc(%s, %s, %s)\n{\n    (void)%s;\n",
              f->name, a[0].decl, a[1].decl, a[2].decl, a[0].name);
    sb_printf(b, "    %s->base = malloc(%s);\n    %s->len = %s->base ? %s : 0;\n}\n\n", a[2].name, a[1].name, a[2].name,
              a[2].name, a[1].name);
}

static void emit_begin_stop(strbuf *b, const cw_wrap_fn *f)
{
    const char *N = f->name;
    sb_printf(b, "static int %s__stream_begin(struct %s_stream *s)\n{\n", N, f->base);
    if (f->ud == CW_UD_HANDLE)
        sb_printf(b, "    s->%s->data = s;\n", f->params[f->ud_index].name);
    sb_puts(b, "    s->wrap_stopped = false;\n    ");
    char *cb = cw_strdup_printf("%s__stream_cb", N), *alloc = cw_strdup_printf("%s__stream_alloc", N);
    if (f->ret_token && f->ret_pointer) {
        sb_puts(b, "errno = 0;\n    s->wrap_token = ");
        cw_wrap_emit_call(b, f, cb, alloc, "s", "s->");
        sb_puts(b, ";\n    return s->wrap_token ? 0 : errno ? -errno : -EINVAL;\n}\n\n");
    } else if (f->ret_token) {
        sb_puts(b, "s->wrap_token = ");
        cw_wrap_emit_call(b, f, cb, alloc, "s", "s->");
        if (f->ret_unsigned) /* an unsigned id: no value of it says the call failed */
            sb_puts(b, ";\n    return 0;\n}\n\n");
        else
            sb_puts(b, ";\n    return s->wrap_token < 0 ? (int)s->wrap_token : 0;\n}\n\n");
    } else if (f->ret_integer) {
        sb_puts(b, "return (int)");
        cw_wrap_emit_call(b, f, cb, alloc, "s", "s->");
        sb_puts(b, ";\n}\n\n");
    } else {
        cw_wrap_emit_call(b, f, cb, alloc, "s", "s->");
        sb_puts(b, ";\n    return 0;\n}\n\n");
    }
    free(cb);
    free(alloc);
    sb_printf(b, "static void %s__stream_stop(struct %s_stream *s)\n{\n    s->wrap_stopped = true;\n    %s(", N,
              f->base, f->stop);
    for (unsigned i = 0; i < f->nstop_args; i++) {
        const cw_stop_arg *a = &f->stop_args[i];
        sb_puts(b, i ? ", " : "");
        if (a->kind == CW_STOP_PARAM)
            sb_printf(b, "%ss->%s", a->cast ? a->cast : "", f->params[a->param].name);
        else if (a->kind == CW_STOP_RESULT)
            sb_puts(b, "s->wrap_token");
        else if (a->kind == CW_STOP_END_CB)
            sb_printf(b, "%s__stream_ended", f->name);
        else
            sb_puts(b, "s");
    }
    sb_puts(b, ");\n}\n\n");
}

static void emit_post(strbuf *b, const cw_wrap_fn *f, unsigned capacity)
{
    sb_printf(b,
              "/* Queue an event: 0, or an error when it was not queued. */\n"
              "static int %s__stream_post(struct %s_stream *s, const void *ev)\n{\n"
              "    int r = ca_inbox_post(s->wrap_events, ev);\n"
              "    if (r == -EAGAIN) { /* the consumer is %u events behind: end the stream */\n"
              "        atomic_store(&s->wrap_err, -ENOBUFS);\n        ca_inbox_close(s->wrap_events);\n    }",
              f->name, f->base, capacity);
    if (pauses(f))
        sb_printf(b,
                  " else if (r == 0 && atomic_fetch_add(&s->wrap_queued, 1) + 1 >= %u) {\n"
                  "        %s__stream_stop(s); /* pause (a handle's callbacks run on the loop's thread) */\n    }",
                  capacity, f->name);
    sb_puts(b, "\n    return r;\n}\n\n");
}

static void emit_callback(strbuf *b, const cw_wrap_fn *f)
{
    const char *N = f->name, *back = f->cb_params[f->cb_ud].name;
    callback_signature(b, f);
    sb_puts(b, "\n{\n");
    if (f->ud == CW_UD_HANDLE)
        sb_printf(b, "    struct %s_stream *wrap_s = %s->data;\n", f->base, back);
    else
        sb_printf(b, "    struct %s_stream *wrap_s = %s;\n", f->base, back);
    if (nfields(f)) {
        sb_printf(b, "    %s_event wrap_ev;\n    memset(&wrap_ev, 0, sizeof wrap_ev);\n", f->base);
        for (unsigned j = 0; j < f->ncb_params; j++) {
            const cw_param *p = &f->cb_params[j];
            if (j == f->cb_ud)
                continue;
            if (p->string)
                sb_printf(b, "    wrap_ev.%s = %s ? strdup(%s) : NULL;\n", p->name, p->name, p->name);
            else if (p->copy_decl)
                sb_printf(b, "    if (%s)\n        wrap_ev.%s = *%s;\n", p->name, p->name, p->name);
            else
                sb_printf(b, "    wrap_ev.%s = %s;\n", p->name, p->name);
        }
    } else {
        sb_puts(b, "    char wrap_ev = 0;\n");
    }
    const char *guard = f->ud == CW_UD_HANDLE ? "!wrap_s || " : "";
    if (owns_buffers(f)) {
        sb_printf(b, "    if (%s%s__stream_post(wrap_s, &wrap_ev) != 0) { /* not queued: ours to free */\n", guard, N);
        free_owned(b, f, "wrap_ev", "        ");
        sb_puts(b, "    }\n");
    } else if (f->ud == CW_UD_HANDLE) {
        sb_printf(b, "    if (wrap_s)\n        (void)%s__stream_post(wrap_s, &wrap_ev);\n", N);
    } else {
        sb_printf(b, "    (void)%s__stream_post(wrap_s, &wrap_ev);\n", N);
    }
    sb_puts(b, "}\n\n");
}

static void emit_took(strbuf *b, const cw_wrap_fn *f, unsigned capacity)
{
    sb_printf(b,
              "/* After a receive: what to report%s. */\n"
              "static int %s__stream_took(struct %s_stream *s, int r)\n{\n"
              "    if (r == -EPIPE && atomic_load(&s->wrap_err) != 0) /* closed early */\n"
              "        return atomic_load(&s->wrap_err);\n",
              pauses(f) ? ", and the restart once the consumer has taken half" : "", f->name, f->base);
    if (pauses(f))
        sb_printf(
            b,
            "    if (r == 0 && atomic_fetch_sub(&s->wrap_queued, 1) - 1 <= %u && s->wrap_stopped) {\n"
            "        int e = %s__stream_begin(s);\n"
            "        if (e != 0) {\n            s->wrap_stopped = true;\n            atomic_store(&s->wrap_err, e);\n"
            "            ca_inbox_close(s->wrap_events);\n        }\n    }\n",
            capacity / 2, f->name);
    sb_puts(b, "    return r;\n}\n\n");
}

static void emit_start(strbuf *b, const cw_wrap_fn *f, unsigned capacity)
{
    prototypes(b, f, "\n{\n");
    char *size = nfields(f) ? cw_strdup_printf("sizeof(%s_event)", f->base) : cw_strdup("1");
    sb_printf(b,
              "    struct %s_stream *wrap_s = calloc(1, sizeof *wrap_s);\n"
              "    if (!wrap_s || !(wrap_s->wrap_events = ca_inbox_new(%u, %s))) {\n"
              "        free(wrap_s);\n        return -ENOMEM;\n    }\n",
              f->base, capacity, size);
    free(size);
    for (unsigned i = 0; i < f->nparams; i++)
        if (given(f, i))
            sb_printf(b, "    wrap_s->%s = %s;\n", f->params[i].name, f->params[i].name);
    if (f->embed_decl)
        sb_printf(b, "    wrap_s->%s = &wrap_s->wrap_handle;\n", f->params[f->ud_index].name);
    if (f->end_async)
        sb_puts(b, "    atomic_init(&wrap_s->wrap_refs, 2);\n");
    sb_printf(b, "    int wrap_r = %s__stream_begin(wrap_s);\n    if (wrap_r != 0) {\n", f->name);
    if (f->ud == CW_UD_HANDLE && !f->embed_decl)
        sb_printf(b, "        %s->data = NULL;\n", f->params[f->ud_index].name);
    sb_puts(b, "        ca_inbox_free(wrap_s->wrap_events);\n        free(wrap_s);\n        return wrap_r;\n    }\n"
               "    *wrap_out = wrap_s;\n    return 0;\n}\n\n");
}

static void emit_next_close(strbuf *b, const cw_wrap_fn *f)
{
    next_prototype(b, f, "\n{\n");
    if (nfields(f))
        sb_puts(b, "    int wrap_r = await ca_inbox_recv(wrap_s->wrap_events, wrap_ev);\n");
    else
        sb_puts(b, "    char wrap_ev;\n    int wrap_r = await ca_inbox_recv(wrap_s->wrap_events, &wrap_ev);\n");
    sb_printf(b, "    return %s__stream_took(wrap_s, wrap_r);\n}\n\n", f->name);

    sb_printf(b,
              "int %s_stream_close(%s_stream *wrap_s)\n{\n    if (!wrap_s)\n        return 0;\n"
              "    if (!wrap_s->wrap_stopped)\n        %s__stream_stop(wrap_s);\n",
              f->base, f->base, f->name);
    if (nfields(f))
        sb_printf(b, "    %s_event wrap_ev;\n", f->base);
    else
        sb_puts(b, "    char wrap_ev;\n");
    sb_puts(b, "    int wrap_r;\n");
    if (owns_buffers(f)) {
        sb_puts(b, "    while ((wrap_r = ca_inbox_try_recv(wrap_s->wrap_events, &wrap_ev)) == 0) { "
                   "/* not taken: ours to free */\n");
        free_owned(b, f, "wrap_ev", "        ");
        sb_puts(b, "    }\n");
    } else {
        sb_puts(
            b,
            "    do\n        wrap_r = ca_inbox_try_recv(wrap_s->wrap_events, &wrap_ev);\n    while (wrap_r == 0);\n");
    }
    sb_puts(b, "    if (wrap_r == -EBUSY)\n        return wrap_r;\n");
    if (f->end_async) {
        sb_printf(b,
                  "    %s__stream_release(wrap_s); /* %s's callback lets go of the other reference */\n"
                  "    return 0;\n}\n",
                  f->name, f->stop);
        if (f->embed_decl)
            sb_printf(b, "\n%s%s%s_stream_handle(%s_stream *wrap_s)\n{\n    return wrap_s->%s;\n}\n",
                      f->params[f->ud_index].type, ends_star(f->params[f->ud_index].type) ? "" : " ", f->base, f->base,
                      f->params[f->ud_index].name);
        return;
    }
    if (f->ud == CW_UD_HANDLE)
        sb_printf(b, "    wrap_s->%s->data = NULL;\n", f->params[f->ud_index].name);
    sb_puts(b, "    ca_inbox_free(wrap_s->wrap_events);\n    free(wrap_s);\n    return 0;\n}\n");
}

/* An asynchronous end: the stream is freed by whichever of close and the stop's callback lets go last. */
static void emit_release(strbuf *b, const cw_wrap_fn *f)
{
    const char *N = f->name;
    sb_printf(b,
              "/* The last of close and %s's callback to let go frees what is left (the calls are over). */\n"
              "static void %s__stream_release(struct %s_stream *s)\n{\n"
              "    if (atomic_fetch_sub(&s->wrap_refs, 1) != 1)\n        return;\n",
              f->stop, N, f->base);
    if (owns_buffers(f)) {
        if (nfields(f))
            sb_printf(b, "    %s_event wrap_ev;\n", f->base);
        sb_puts(b, "    while (ca_inbox_try_recv(s->wrap_events, &wrap_ev) == 0) {\n");
        free_owned(b, f, "wrap_ev", "        ");
        sb_puts(b, "    }\n");
    }
    sb_puts(b, "    ca_inbox_free(s->wrap_events);\n    free(s);\n}\n\n");
    sb_printf(b, "static void %s__stream_ended(", N);
    for (unsigned j = 0; j < f->nend_params; j++)
        sb_printf(b, "%s%s", j ? ", " : "", f->end_params[j].decl);
    sb_puts(b, ")\n{\n");
    for (unsigned j = 0; j < f->nend_params; j++)
        if (j != f->end_ud)
            sb_printf(b, "    (void)%s;\n", f->end_params[j].name);
    sb_printf(b, "    %s__stream_release(%s%s);\n}\n\n", N, f->end_params[f->end_ud].name,
              f->end_ud_kind == CW_UD_HANDLE ? "->data" : "");
}

void cw_stream_emit_defs(strbuf *b, const cw_wrap_fn *f, unsigned capacity)
{
    sb_printf(b, "/* ---------------------------------------------------------------- %s (a stream) */\n\n", f->name);
    emit_struct(b, f);
    callback_signature(b, f);
    sb_puts(b, ";\n\n");
    if (f->alloc_index >= 0)
        emit_alloc(b, f);
    if (f->end_async)
        emit_release(b, f);
    emit_begin_stop(b, f);
    emit_post(b, f, capacity);
    emit_callback(b, f);
    emit_took(b, f, capacity);
    emit_start(b, f, capacity);
    emit_next_close(b, f);
}
