/*
 * Lowering one async function to a state machine: shared between the
 * expression half (lower_expr.c: linearising awaits out of expressions,
 * spelling await-free expressions) and the statement half (lower_stmt.c:
 * control flow, locals, which fields share storage, the resume and start
 * functions), which both add to the frame through lower_frame.c. The file's
 * top level is lower_tu.c's (lower_tu.h).
 */
#ifndef CW_LOWER_H
#define CW_LOWER_H

#include "index.h"
#include "lower_tu.h"
#include "strbuf.h"
#include "suspends.h"
#include "tu.h"

typedef struct cw_var {
    CXCursor decl;  /* VarDecl or ParmDecl */
    char *field;    /* its field in the frame */
    char *ref;      /* how code names it: `ca__f->field`, or for a variable-length array its block (vla.c) */
    CXCursor scope; /* a local's block or for statement; a null cursor for a parameter */
} cw_var;

/* A statement whose lowered code spans [span.begin, span.end] of the resume function's code (frame.h). */
typedef struct cw_lowered {
    CXCursor stmt;
    cw_span span;
} cw_lowered;

typedef struct cw_loop {
    bool is_switch;
    int continue_label; /* >= 0: `continue` becomes `goto ca__c<N>` */
    size_t nexits;      /* the scope exits pending when the loop began (scopes.c) */
} cw_loop;

/* What leaving a scope must run (scopes.c): a cleanup, a generator's release, a VLA's release. */
typedef struct cw_exit {
    char *code;  /* e.g. "fn(&ca__f->x); " */
    unsigned at; /* main-file offset of the declaration that needs it */
    bool unwind; /* also needed when the whole frame goes (return; a generator dropped at a yield) */
} cw_exit;

typedef struct cw_scope {
    size_t nexits;       /* exits pending when the scope began */
    unsigned begin, end; /* its main-file range */
} cw_scope;

typedef struct cw_fn {
    cw_tu *tu;
    cw_async_fn *fn; /* NULL when spelling synchronous code */
    cw_var *vars;    /* the frame variables: parameters, then locals */
    size_t nvars;
    cw_index vars_by_decl, vars_by_field; /* positions in vars, so lookups stay O(1) in huge functions */
    strbuf *prelude;                      /* file-scope code to put before the function (spawn thunks) */
    strbuf *code;                         /* the resume function's code being lowered, where frame.h's positions are */
    cw_lowered *blocks;                   /* the blocks and for statements lowered (the scopes of locals) */
    size_t nblocks;
    cw_index blocks_by_stmt;
    cw_span *loop_spans; /* the loops lowered */
    size_t nloop_spans;
    cw_span jumps;      /* from the first to the last of the user's labels and gotos */
    bool no_sharing;    /* a computed goto can jump anywhere: no field shares storage */
    CXCursor *escaping; /* compound literals whose address is used: made in the frame (lower_stmt.c) */
    size_t nescaping;
    cw_index escaping_by_hash;
    int ntemps, nstates, nlabels;
    CXCursor *state_at; /* by state - 1: the await, yield or ca_for that suspends there (cw_new_state) */
    struct cw_va *va;   /* a variadic function's uses of its variable arguments (variadic.h), else NULL */
    bool passes_status; /* some resume point passes a callee's status up (declares ca__st) */
    cw_loop *loops;
    size_t nloops;
    cw_exit *exits; /* the scope exits pending here, in declaration order */
    size_t nexits;
    cw_scope *scopes;
    size_t nscopes;
    strbuf drops;   /* a generator's drop cases: the exits to run per yield (scopes.c) */
    strbuf hoisted; /* local type declarations moved in front of the function (hoist.c) */
    unsigned last_line;
    strbuf comments; /* the user's comments before the next statement (comments.h) */
    strbuf defines;  /* the user's #define and #undef lines before the next statement (directives.h) */
    size_t ndefines; /* how many were kept in the body */
    /* The main-file range of the macro invocation the statement being lowered
       comes from (0, 0 when it is written plainly): a statement inside it
       with the same range is only part of the expansion, and copying that
       range would copy the whole invocation again (lower_stmt.c). */
    unsigned macro_begin, macro_end;
    bool part_of_macro; /* the statement being lowered is such a part */
} cw_fn;

/* A value produced while linearising: its C spelling, and whether it is a
   temporary (or constant) that later statements cannot change. */
typedef struct cw_val {
    char *s; /* NULL for a void value */
    bool stable;
} cw_val;

/* Expressions (lower_expr.c). */
bool cw_has_await(cw_fn *k, CXCursor c);
char *cw_text(cw_fn *k, CXCursor e); /* an await-free expression */
/* The main-file text [begin, end) of e with frame variables and ca_run/ca_spawn
   rewritten; NULL when a frame variable is named from a macro's body. */
char *cw_copy_text(cw_fn *k, CXCursor e, unsigned begin, unsigned end);
/* The same for the declarations of one group (`int *p = f, *q = g;`), whose text they share. */
char *cw_copy_group_text(cw_fn *k, const CXCursor *v, size_t n, unsigned begin, unsigned end);
cw_val cw_lin(cw_fn *k, strbuf *out, CXCursor e, bool save);
/* cw_lin for an expression whose value is discarded (an expression statement). */
cw_val cw_lin_unused(cw_fn *k, strbuf *out, CXCursor e);
/* The arguments of a call, linearised left to right (caller frees), and ", a, b" of them. */
char **cw_lin_args(cw_fn *k, strbuf *out, CXCursor call, int *nargs);
char *cw_join_args(char **args, int nargs, bool free_them);
char *cw_new_temp(cw_fn *k, CXType t, CXCursor where);
/* The temporary `ref` (ca__f->name) is an object whose address may be kept: it never shares storage. */
void cw_pin_temp(cw_fn *k, const char *ref);
/* The temporary `ref` is an await's result, written by the callee: named before here, it is only its address. */
void cw_result_written_here(cw_fn *k, const char *ref, strbuf *out);
cw_var *cw_frame_var(cw_fn *k, CXCursor decl);
const char *cw_var_ref(cw_var *v); /* how code names a frame variable: ca__f->field, or v->ref */
/* `dst = src;` for a value of type t; records are copied bytewise so a
   struct with const members can live in a frame. */
void cw_assign(strbuf *out, CXType t, const char *dst, const char *src);

/* Add a field to k's frame (frame.h), declared as decl: of type t, or of a type the tool spells itself
   (type, size, align). Returns its index in the frame (lower_frame.c, as the rest of this group). */
size_t cw_add_field(cw_fn *k, cw_field_kind kind, const char *name, const char *decl, CXType t);
size_t cw_add_raw_field(cw_fn *k, cw_field_kind kind, const char *name, const char *decl, const char *type,
                        long long size, long long align);
/* A new resume point, made by the await, yield or ca_for at: its state. */
int cw_new_state(cw_fn *k, CXCursor at);
/* Record that k's function awaits or iterates callee. */
void cw_note_callee(cw_fn *k, cw_async_fn *callee);
void cw_note_iterated(cw_fn *k, cw_async_fn *gen);
/* Find the compound literals in body whose address is used: they are made in the frame. */
void cw_find_escaping_literals(cw_fn *k, CXCursor body);
/* Is c such a compound literal? */
bool cw_escaping_literal(cw_fn *k, CXCursor c);

/* Scopes and what leaving them runs (scopes.c). */
void cw_scope_push(cw_fn *k, CXCursor c);
void cw_scope_pop(cw_fn *k, strbuf *out);                         /* falls off its end: its exits run */
void cw_exit_add(cw_fn *k, char *code, unsigned at, bool unwind); /* takes code */
void cw_exits_to(cw_fn *k, strbuf *out, size_t nexits);           /* break/continue: the exits above nexits */
void cw_exits_return(cw_fn *k, strbuf *out);                      /* the exits a return needs */
void cw_exits_goto(cw_fn *k, strbuf *out, CXCursor label);        /* those of the scopes a goto leaves */
void cw_note_yield(cw_fn *k, int state);                          /* a generator's drop case for this yield */
/* A generator's drop function, `void g__ca_drop(ca_task *, ca_frame *)`: its prototype, and what the
   consumer of g runs to release g's frame early (g's drop when g has cleanups or may have). */
char *cw_drop_proto(cw_async_fn *g);
void cw_emit_drop(cw_fn *k, strbuf *out);
char *cw_release_gen(cw_fn *k, cw_async_fn *g, int id);
/* A local declared with __attribute__((cleanup(fn))) (*found): fn's name, or NULL when it has none or
   fn cannot be read (an error when `report`). */
char *cw_cleanup_fn(cw_fn *k, CXCursor var, bool *found, bool report);
/* `at` spelled in `#define NAME(a, f) ...` and expanded from the main file's NAME(x, y): the argument
   given for param ("y" for "f"), to free; NULL when that cannot be read so. */
char *cw_macro_argument(cw_tu *tu, CXSourceLocation at, const char *param);

/* Variable-length arrays living across awaits (vla.c): is t one; its frame fields (returns how code names
   it); its declaration (bounds, block on the frame stack, release on exit). */
bool cw_is_vla(CXType t);
char *cw_vla_frame_var(cw_fn *k, CXCursor decl, const char *field);
void cw_vla_decl(cw_fn *k, strbuf *out, CXCursor var, cw_var *fv);

/* Local types moved to file scope (hoist.c): make t's local type declarations nameable there (false after
   an error); is decl moved; the name given to a moved anonymous tag (NULL: its own). */
bool cw_hoist_type(cw_fn *k, CXType t, CXCursor where);
bool cw_is_hoisted(cw_tu *tu, CXCursor decl);
const char *cw_hoisted_name(cw_tu *tu, CXCursor decl);

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
/* Around a body moved out of f into another function: #defines that keep its __func__ "f", and their #undefs. */
void cw_define_func_name(strbuf *out, const char *f);
void cw_undef_func_name(strbuf *out);
void cw_line(cw_fn *k, strbuf *out, CXCursor c);
void cw_stmt(cw_fn *k, strbuf *out, CXCursor c);

/* GNU statement expressions (stmt_expr.c): e lowered as statements (its value in a temporary unless unused). */
cw_val cw_lin_stmt_expr(cw_fn *k, strbuf *out, CXCursor e, bool unused);

#endif
