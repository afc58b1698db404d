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
} cw_param;

/* How the callback finds the wrapper's state again. */
typedef enum {
    CW_UD_VOIDPTR, /* a void * argument passed through (starter's ud_index, callback's cb_ud) */
    CW_UD_HANDLE,  /* a handle whose void *data field carries it (libuv's requests and handles) */
} cw_ud_kind;

typedef struct {
    char *name;          /* the starter: uv_getaddrinfo */
    char *ret;           /* its return type's spelling, "void" for none */
    bool ret_integer;    /* an integer (or enum) result: 0 means the callback will run */
    cw_param *params;    /* the starter's parameters */
    unsigned nparams;
    unsigned cb_index;   /* which of them is the callback */
    unsigned ud_index;   /* the void * (VOIDPTR) or the handle (HANDLE) */
    cw_ud_kind ud;
    cw_param *cb_params; /* the callback's parameters */
    unsigned ncb_params;
    unsigned cb_ud;      /* which of them brings the void * or the handle back */
    bool single_integer; /* one value, of integer type: the wrapper returns it as is */
} cw_wrap_fn;

/*
 * Why c is not a callback-style function (a static string), or NULL with
 * *out filled in.
 */
const char *cw_wrap_analyse(CXCursor c, cw_wrap_fn *out);

/* The declarations (OUT.h) and definitions (OUT.c) of the wrappers. */
void cw_wrap_emit_header(strbuf *b, const cw_wrap_fn *fns, unsigned n, const char *include, const char *guard);
void cw_wrap_emit_source(strbuf *b, const cw_wrap_fn *fns, unsigned n, const char *header_name);

#endif
