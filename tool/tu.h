/*
 * The translation unit being transformed and what the passes learn about it:
 * the main file's text, where cawait's pseudo-keywords are spelled, the async
 * functions (keyed by their canonical declaration, so a prototype in a header and the definition here
 * are one function), and the diagnostics printed so far.
 */
#ifndef CW_TU_H
#define CW_TU_H

#include "frame.h"
#include "strbuf.h"

#include <clang-c/Index.h>
#include <stdbool.h>
#include <stddef.h>

struct cw_async_fn;

/* What the lower pass found in an async function defined here (lower_stmt.c and its helpers write it; the
   frame report, --dump-after=lower and the task bytes read it). */
typedef struct cw_fn_lowering {
    cw_frame frame;               /* its size is 0 when not lowered to a state machine; an alignment beyond
                             the stack's 8-byte granule may cost padding */
    bool has_vla;                 /* holds a variable-length array: its frame stack is not bounded */
    bool awaits_pointer;          /* awaits through an async function pointer: its callees are unknown */
    bool drops;                   /* a generator with exits to run when dropped at a yield (scopes.c) */
    struct cw_async_fn **callees; /* the suspending functions it awaits */
    size_t ncallees;
    struct cw_async_fn **iterated; /* the generator of each of its ca_for loops (live while the body runs) */
    size_t niterated;
} cw_fn_lowering;

/* Which of an async function's entry prototypes the output already declares (the lower pass' bookkeeping). */
typedef struct cw_fn_declared {
    bool abi;  /* its __ca_start prototype (and a generator's drop) */
    bool make; /* its __ca_make prototype */
} cw_fn_declared;

/* An async function, as the collect pass found it, and what the later passes keep about it. */
typedef struct cw_async_fn {
    CXCursor canonical; /* the first declaration: one cursor for all redeclarations */
    unsigned hash;      /* of canonical, to look it up quickly */
    char *name;
    CXCursor decl; /* the definition when there is one in the main file */
    CXType type;   /* the function type */
    bool is_void;
    bool is_static;
    bool defined_here;            /* defined in the main file */
    bool from_cawait;             /* marked by the runtime's headers: the runtime declares its ABI itself */
    bool result_on_resume;        /* runtime mark "on_resume" (runtime_awaits.h) */
    long long runtime_wait_bytes; /* runtime mark: frame stack it pushes while waiting */
    long long runtime_op_frames;  /* the same in op frames of CA__OP_FRAME_MAX bytes */
    bool can_suspend;             /* false: lowered to a plain C function (fast path) */
    bool is_gen;                  /* a generator: async ca_gen(T) name(...) */
    bool via_pointer;             /* not a function: the callee of ca_spawn/ca_run through a pointer (fnptr_call.c) */
    bool used_as_value;           /* named in this file other than as a callee: its __ca_start may be called */
    char *gen_t;                  /* T as written, for __typeof__(T) */
    CXType gen_type;              /* T, when the generator is defined in the main file */
    cw_fn_lowering lowered;       /* written by the lower pass only */
    cw_fn_declared declared;      /* likewise */
} cw_async_fn;

/* A local type declaration moved to file scope (hoist.c). */
typedef struct cw_hoisted {
    CXCursor decl; /* canonical */
    CXCursor stmt; /* the declaration statement moved whole, or null (a tag defined with variables) */
    char *anon;    /* the name given to an anonymous tag, or NULL */
} cw_hoisted;

typedef enum cw_pass { CW_PASS_PARSE, CW_PASS_COLLECT, CW_PASS_CHECK, CW_PASS_LOWER, CW_PASS_EMIT } cw_pass;

typedef struct cw_options {
    const char *input;
    const char *output;
    bool no_sync_lowering; /* every async function becomes a state machine */
    bool line_directives;
    bool frame_report;  /* print frame sizes and worst-case bytes per task */
    bool diag_json;     /* --diagnostics-format=json (diag_json.h) */
    cw_pass dump_after; /* stop after this pass and print what it made */
} cw_options;

/* A ca_spawn / ca_run site, whose helper is defined at the end of the output (spawn.c). */
typedef struct cw_task_helper {
    const char *name; /* ca__spawn_F / ca__run_F (cw_helper_name); its thunk is NAME_thunk */
    bool run;         /* ca_run: returns the value; else ca_spawn: returns the task */
    bool thunk;       /* the first frame is the thunk's, not the callee's own frame from __ca_make */
    bool keep;        /* the task keeps its value (a typed handle's, or a group member's) */
    bool group;       /* ca_group_spawn: the helper takes the group after the spawner */
    cw_async_fn *f;   /* the callee */
    CXCursor call;
} cw_task_helper;

/* An attribute clang ignored (gcc's optimize, noipa...): no cursor stands for it, only a warning. */
struct cw_ignored_attr {
    unsigned off;         /* where it is written in the main file (a macro's expansion) */
    CXSourceLocation loc; /* where clang reported it */
    char *name, *full;    /* as cw_attr_text gives them */
};

typedef struct cw_tu {
    CXTranslationUnit tu;
    /* How tu was parsed, to parse again with other options (check_source.c) */
    CXIndex index;
    const char *parse_name;
    const char *const *clang_args;
    int nclang;
    struct CXUnsavedFile unsaved;
    CXFile main_file;
    const char *main_name; /* as given on the command line, for #line and diagnostics */
    const char *text;      /* the main file's contents */
    size_t size;
    const cw_options *opt;
    cw_async_fn *fns;
    size_t nfns;
    unsigned await_line, run_line, spawn_line, yield_line, for_line; /* #define lines in keywords.h */
    unsigned group_spawn_line, task_of_line;
    CXCursor *kept_spawns; /* the calls of the ca_spawns whose task keeps its value (task_types.c) */
    size_t nkept;
    unsigned to_thread_line;
    cw_task_helper *helpers; /* the ca_run/ca_spawn helpers, to define at the end */
    size_t nhelpers;
    char **helper_names; /* every name cw_helper_name gave out */
    size_t nhelper_names;
    cw_hoisted *hoisted; /* local type declarations moved to file scope */
    size_t nhoisted;
    char **hoisted_names; /* the names they declare */
    size_t nhoisted_names;
    int nanon;        /* anonymous tags named so far */
    char **fn_macros; /* the names of the main file's function-like macros (cw_call_name) */
    size_t nfn_macros;
    bool fn_macros_known;                  /* fn_macros has been read */
    struct cw_ignored_attr *ignored_attrs; /* attributes clang does not know (attrs.c), by offset */
    size_t nignored_attrs;
    bool ignored_attrs_known;
    unsigned *skips; /* the main file's ranges the preprocessor skipped, as begin, end pairs (directives.c) */
    size_t nskips;
    bool skips_known;
    int errors;
    char **said; /* "file:offset:message" of each error given, so none is given twice */
    size_t nsaid;
} cw_tu;

/* clang-style diagnostics: "file:line:col: error: ...", the line and a caret;
   with --diagnostics-format=json, a JSON line (diag_json.h). File and line
   are presumed ones: the user's own #line directives count. */
void cw_error_at(cw_tu *tu, CXSourceLocation loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void cw_error(cw_tu *tu, CXCursor c, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A name for a generated helper, "ca__KIND_WHAT", or "ca__KIND_WHAT_2", "_3"... when
   the file already has it: named after what it does and stable when unrelated calls
   are added before it. The tu keeps it. */
const char *cw_helper_name(cw_tu *tu, const char *kind, const char *what);
/* Where diagnostics place loc: its presumed file (*name, caller frees) and
   column, and the line returned. */
unsigned cw_presumed_location(cw_tu *tu, CXSourceLocation loc, char **name, unsigned *col);

/* Names beginning with ca__ belong to the generated code: an error when c
   (a declaration or label) has one. Callers decide which names keep their
   spelling in the output and so could clash. */
void cw_refuse_reserved_name(cw_tu *tu, CXCursor c);
/* `struct S {...} a, b;` shows S's definition again under a and b: is c such a
   repeat, for a visitor that checks each declaration once? */
bool cw_repeated_tag(CXCursor c, CXCursor parent);

/* The body (a CompoundStmt) of a function definition, or a null cursor. */
CXCursor cw_function_body(CXCursor def);
/* A struct, union or enum first declared in f's parameter list (`f(struct s *p)` with no s before, or a K&R
   declaration), which only f sees: code generated elsewhere cannot name it. A null cursor if none. */
CXCursor cw_tag_declared_in_params(cw_tu *tu, const cw_async_fn *f);
/* Is decl (first) declared in f's parameter list, between its name and its body? */
bool cw_declared_in_params(cw_tu *tu, const cw_async_fn *f, CXCursor decl);
/* `struct s {...} f(...)`: the tag the declaration decl, written in [begin, end), defines with its result
   type; a null cursor if none. */
CXCursor cw_tag_defined_by_result(cw_tu *tu, CXCursor decl, unsigned begin, unsigned end);
/* `struct s *f(...)` with no s before: the tag's first declaration, in [begin, end); a null cursor if none. */
CXCursor cw_tag_first_named_by_result(cw_tu *tu, CXCursor decl, unsigned begin, unsigned end);
/* f's parameters: from its prototype, or from its old-style (K&R) definition. */
int cw_nparams(const cw_async_fn *f);
CXType cw_param_type(const cw_async_fn *f, unsigned i);
/* Declared with `...`, or without a prototype (`f()`) and not defined in
   this file, so its parameters are unknown. (libclang calls every
   unprototyped type variadic; a K&R definition here knows its parameters.) */
bool cw_is_variadic(const cw_async_fn *f);

/* The async function a cursor (a FunctionDecl or a reference to one) names, or NULL. */
cw_async_fn *cw_async_of(cw_tu *tu, CXCursor c);
/* The async function called by a CallExpr, or NULL when the callee is not one. */
cw_async_fn *cw_async_callee(cw_tu *tu, CXCursor call);
/* How generated code names f in a call: "f", or "(f)" when the file defines a function-like macro f
   (`#define check(t) check(#t, 1)`), which must not expand the tool's own calls. Caller frees. */
char *cw_call_name(cw_tu *tu, const cw_async_fn *f);

/* Pseudo-keyword recognition: by the spelling location of the expansion. */
bool cw_is_await(cw_tu *tu, CXCursor c);
bool cw_is_ca_run(cw_tu *tu, CXCursor c);
/* The ParenExpr of ca_to_thread(call, status): (*(status) = 0, (call)). */
bool cw_is_to_thread(cw_tu *tu, CXCursor c);
/* The ca_to_thread expression an await applies to, or a null cursor. */
CXCursor cw_to_thread_operand(cw_tu *tu, CXCursor await);
bool cw_is_ca_spawn(cw_tu *tu, CXCursor c);     /* ca_spawn(call) or ca_group_spawn(g, call) */
CXCursor cw_spawn_group(cw_tu *tu, CXCursor c); /* g of ca_group_spawn(g, call); a null cursor for ca_spawn */
bool cw_is_task_of(cw_tu *tu, CXCursor c);      /* the ParenExpr that ca_task_of(T) expands to */
bool cw_is_yield(cw_tu *tu, CXCursor c);        /* the ParenExpr of yield(v) */
bool cw_is_ca_for(cw_tu *tu, CXCursor c);       /* the ForStmt of ca_for (decl, call) */
/* The generator call of a ca_for, and the value of a yield. */
CXCursor cw_ca_for_call(CXCursor for_stmt);
CXCursor cw_yield_value(CXCursor yield);

/* Generators (gen.c): T of `ca_gen(T)` in fn's declaration, with the offset of
   `ca_gen` in its file; NULL when fn is not a generator. */
char *cw_gen_type_text(cw_tu *tu, CXCursor fn, unsigned *offset);
/* Before parsing: typedefs `ca__gen_type_<offset>` of each T in the main
   file's generator declarations, to append so that clang resolves T. */
void cw_gen_typedefs(const char *text, size_t size, char **append);

/* The children of c (caller frees *out); and the i-th child, or a null cursor. */
unsigned cw_children(CXCursor c, CXCursor **out);
CXCursor cw_child(CXCursor c, unsigned i);
/* Strip ParenExpr and implicit (unexposed) wrappers. */
CXCursor cw_strip(CXCursor c);

/* Offsets in the main file of a location as written (not in a macro), or false. */
bool cw_file_offset(cw_tu *tu, CXSourceLocation loc, unsigned *off);
/* The main-file byte range of c when both its ends are written in the main file outside macros. */
bool cw_clean_range(cw_tu *tu, CXCursor c, unsigned *begin, unsigned *end);
/* The main-file range a macro invocation covers (from expansion locations). */
bool cw_expansion_range(cw_tu *tu, CXCursor c, unsigned *begin, unsigned *end);
unsigned cw_line_of(cw_tu *tu, CXCursor c);
/* Append "\n#line L \"FILE\"\n" back to loc (its expansion) as the user's own
   #line directives present it, FILE escaped for a C string. */
void cw_put_line(cw_tu *tu, strbuf *out, CXSourceLocation loc);
/* Append s as a C string literal ("...", with '"', '\\' and newlines escaped). */
void cw_put_c_string(strbuf *out, const char *s);

#endif
