/*
 * Lowering one async function to a state machine: shared between the
 * expression half (lower_expr.c: linearising awaits out of expressions,
 * spelling await-free expressions) and the statement half (lower_stmt.c:
 * control flow, locals, the frame, the resume and start functions).
 */
#ifndef CW_LOWER_H
#define CW_LOWER_H

#include "strbuf.h"
#include "tu.h"

typedef struct cw_var {
    CXCursor decl;   /* VarDecl or ParmDecl */
    char *field;     /* its field in the frame */
} cw_var;

typedef struct cw_loop {
    bool is_switch;
    int continue_label; /* >= 0: `continue` becomes `goto ca__c<N>` */
} cw_loop;

/* A ca_for being lowered: its generator's frame and the range of its body. */
typedef struct cw_gen_loop {
    int gen;                 /* the frame field ca__g<N> */
    unsigned begin, end;     /* the body's main-file range */
} cw_gen_loop;

typedef struct cw_fn {
    cw_tu *tu;
    cw_async_fn *fn;     /* NULL when spelling synchronous code */
    cw_var *vars;        /* the frame variables: parameters, then locals */
    size_t nvars;
    strbuf fields;       /* the frame struct's fields */
    strbuf *prelude;     /* file-scope code to put before the function (spawn thunks) */
    int ntemps, nstates, nlabels;
    bool passes_status; /* some resume point passes a callee's status up (declares ca__st) */
    cw_loop *loops;
    size_t nloops;
    cw_gen_loop *gens;
    size_t ngens;
    unsigned last_line;
    long long frame_end, frame_align; /* the frame's layout so far, for the report */
} cw_fn;

/* A #line for generated code, pointing at the output file itself (its
   number is filled in by cw_emit), so that debuggers never map generated
   code onto the user's lines. */
#define CW_SELF_LINE "#line __cawait_self__\n"

/* A value produced while linearising: its C spelling, and whether it is a
   temporary (or constant) that later statements cannot change. */
typedef struct cw_val {
    char *s;       /* NULL for a void value */
    bool stable;
} cw_val;

/* Expressions (lower_expr.c). */
bool cw_has_await(cw_fn *k, CXCursor c);
char *cw_text(cw_fn *k, CXCursor e);                 /* an await-free expression */
/* The main-file text [begin, end) of e with frame variables and ca_run/ca_spawn
   rewritten; NULL when a frame variable is named from a macro's body. */
char *cw_copy_text(cw_fn *k, CXCursor e, unsigned begin, unsigned end);
cw_val cw_lin(cw_fn *k, strbuf *out, CXCursor e, bool save);
/* cw_lin for an expression whose value is discarded (an expression statement). */
cw_val cw_lin_unused(cw_fn *k, strbuf *out, CXCursor e);
/* The arguments of a call, linearised left to right (caller frees), and ", a, b" of them. */
char **cw_lin_args(cw_fn *k, strbuf *out, CXCursor call, int *nargs);
char *cw_join_args(char **args, int nargs, bool free_them);
char *cw_new_temp(cw_fn *k, CXType t, CXCursor where);
cw_var *cw_frame_var(cw_fn *k, CXCursor decl);
/* ca_run/ca_spawn rewritten (spawn.c); args already spelled; the thunk goes to k->prelude. */
char *cw_spawn_expr(cw_fn *k, CXCursor call, char **args, int nargs, const char *spawner);
char *cw_run_expr(cw_fn *k, CXCursor call, char **args, int nargs);
/* "int f__ca_start(ca_frame *ca__parent, T *ca__ret, P ca__a0, ...)" */
char *cw_abi_proto(cw_tu *tu, cw_async_fn *f);
/* f__ca_make's prototype: make f's frame without running it. */
char *cw_make_proto(cw_tu *tu, cw_async_fn *f);
/* A frame calling f once with stored arguments: struct NAME_frame, NAME_resume, and NAME_make (make_proto). */
void cw_emit_call_frame(cw_tu *tu, strbuf *p, cw_async_fn *f, const char *name, const char *make_proto, bool plain);
/* ", ca__a0, ca__a1...": an entry's parameters, forwarded. */
char *cw_entry_args(cw_async_fn *f);
/* The ca__spawnN / ca__runN helpers of the file, once every frame's size is known. */
void cw_emit_task_helpers(cw_tu *tu, strbuf *out);
/* The async call under an await / ca_run / ca_spawn. */
CXCursor cw_keyword_call(cw_tu *tu, CXCursor keyword);

/* `dst = src;` for a value of type t; records are copied bytewise so a
   struct with const members can live in a frame. */
void cw_assign(strbuf *out, CXType t, const char *dst, const char *src);

/* Record a frame field for the report (lower_stmt.c). */
void cw_note_field(cw_fn *k, const char *name, CXType t);
void cw_note_raw_field(cw_fn *k, const char *name, const char *type, long long size, long long align);
/* Record that k's function awaits or iterates callee. */
void cw_note_callee(cw_fn *k, cw_async_fn *callee);
void cw_note_iterated(cw_fn *k, cw_async_fn *gen);

/* Async function pointers (fnptr_call.c). */
/* f as a value: its __ca_start entry as a designator of f's C type. */
char *cw_async_fn_value(cw_tu *tu, cw_async_fn *f);
/* "int (*)(ca_task *, ca_frame *, R *, P...)": the entry type behind an async pointer to fn. */
char *cw_start_type(cw_tu *tu, CXType fn, CXCursor where);
/* `await p(args)` through an async pointer. */
cw_val cw_lin_ptr_await(cw_fn *k, strbuf *out, CXCursor await, CXCursor call);
/* A stand-in callee (via_pointer) for ca_spawn/ca_run of a call through a pointer; NULL after an error. */
cw_async_fn *cw_ptr_callee(cw_tu *tu, CXCursor call);

/* Statements (lower_stmt.c). */
void cw_lower_function(cw_tu *tu, cw_async_fn *fn, strbuf *out, strbuf *prelude);
void cw_line(cw_fn *k, strbuf *out, CXCursor c);

#endif
