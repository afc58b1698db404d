/* cawait-wrap: the model of one callback-style function and its awaitable wrapper. */
#ifndef CW_WRAP_H
#define CW_WRAP_H

#include <clang-c/Index.h>
#include <stdbool.h>

#include "../strbuf.h"

/* One parameter: its declaration text ("const char *path"), name and type ("const char *"). */
typedef struct {
    char *decl;
    char *name;
    char *type;
    /* A callback's `const T *` to a struct, valid only during the call: a stream's event holds a copy. */
    char *copy_decl; /* "uv_buf_t buf", or NULL */
    bool owned;      /* that copy is a buffer the wrapper's allocator filled: the consumer frees .base */
    bool string;     /* a const char *, valid only during the call: the event holds a strdup copy */
} cw_param;

/* How the callback finds the wrapper's state again. */
typedef enum {
    CW_UD_VOIDPTR, /* a void * argument passed through (starter's ud_index, callback's cb_ud) */
    CW_UD_HANDLE,  /* a handle whose void *data field carries it (libuv's requests and handles) */
} cw_ud_kind;

/* What the stop function gets for one of its parameters. */
typedef enum {
    CW_STOP_PARAM,  /* one of the starter's arguments (through a cast to a handle's base struct: cast) */
    CW_STOP_RESULT, /* the starter's result: the subscription it made */
    CW_STOP_END_CB, /* the stop's own callback: the end is asynchronous (uv_close) */
    CW_STOP_END_UD, /* the void * the stop passes to that callback */
} cw_stop_kind;

typedef struct {
    cw_stop_kind kind;
    unsigned param; /* CW_STOP_PARAM: which of the starter's */
    char *cast;     /* "(uv_handle_t *)", or NULL */
} cw_stop_arg;

typedef struct {
    CXCursor cursor;   /* its declaration */
    char *name;        /* the starter: uv_getaddrinfo */
    char *ret;         /* its return type's spelling, "void" for none */
    bool ret_integer;  /* an integer (or enum) result: 0 means the callback will run */
    bool ret_pointer;  /* a pointer result: only a stream's subscription (ret_token) */
    bool ret_unsigned; /* an unsigned integer result: as a subscription, no value of it means failure */
    cw_param *params;  /* the starter's parameters */
    unsigned nparams;
    unsigned cb_index; /* which of them is the callback */
    unsigned ud_index; /* the void * (VOIDPTR) or the handle (HANDLE) */
    cw_ud_kind ud;
    cw_param *cb_params; /* the callback's parameters */
    unsigned ncb_params;
    unsigned cb_ud;         /* which of them brings the void * or the handle back */
    bool single_integer;    /* one value, of integer type: the wrapper returns it as is */
    int alloc_index;        /* a second callback, an allocator (libuv's alloc_cb), or -1 */
    cw_param *alloc_params; /* its three parameters: anything, the size wanted, the buffer to fill */

    /* A stream: the callback fires many times (wrap_stream.c). */
    bool stream;
    char *base;             /* the names' stem: uv_read for uv_read_start */
    char *stop;             /* the function that ends the callbacks: uv_read_stop */
    cw_stop_arg *stop_args; /* what it takes, in its order */
    unsigned nstop_args;
    bool ret_token; /* the stop takes the starter's result: < 0 (an integer) or NULL means it failed */
    /* An asynchronous end: the stop takes a callback, run once the calls are over (uv_close). */
    bool end_async;
    cw_param *end_params; /* that callback's parameters */
    unsigned nend_params;
    unsigned end_ud; /* which of them brings the stream back (a void * or the handle) */
    cw_ud_kind end_ud_kind;
    char *embed_decl; /* the stop ends the handle: the stream holds it ("uv_async_t wrap_handle") */
} cw_wrap_fn;

/*
 * Why c is not a callback-style function (a static string), or NULL with
 * *out filled in.
 */
const char *cw_wrap_analyse(CXCursor c, cw_wrap_fn *out);

/*
 * Make f a stream ended by the function stop: why not (a static string), or
 * NULL. Each of stop's parameters must have the type of one of f's.
 */
const char *cw_wrap_make_stream(cw_wrap_fn *f, CXCursor stop);

/* The declarations (OUT.h) and definitions (OUT.c) of the wrappers; capacity: a stream's bound. */
void cw_wrap_emit_header(strbuf *b, const cw_wrap_fn *fns, unsigned n, const char *include, const char *guard,
                         unsigned capacity);
void cw_wrap_emit_source(strbuf *b, const cw_wrap_fn *fns, unsigned n, const char *header_name, unsigned capacity);

/* Streams (emit_stream.c): their part of OUT.h and of OUT.c. */
void cw_stream_emit_decls(strbuf *b, const cw_wrap_fn *f, unsigned capacity);
void cw_stream_emit_defs(strbuf *b, const cw_wrap_fn *f, unsigned capacity);

/* Shared by emit.c and emit_stream.c: the starter's call, with these spellings for the callback(s) and the void *. */
void cw_wrap_emit_call(strbuf *b, const cw_wrap_fn *f, const char *cb, const char *alloc, const char *ud,
                       const char *arg_prefix);

#endif
