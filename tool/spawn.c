/*
 * The ABI entry points of async functions, and ca_run(CALL) / ca_spawn(CALL).
 *
 * Every async function f defined in a file gets `f__ca_start` (make the
 * frame and run it) and `f__ca_make` (make the frame, parent and arguments
 * stored, without running it). ca_spawn(f(args)) makes a task whose first
 * frame is f's own frame from f__ca_make: the task starts lazily, in FIFO
 * order, as asyncio's tasks do, and costs nothing but f's frames. Callees
 * without a __ca_make entry (the runtime's awaitables, and functions of this
 * file lowered to plain C) get a thunk instead: a small root frame holding
 * the call's arguments whose resume function makes the call.
 *
 * A task spawned into a typed handle (ca_task_of(T), see task_types.c) or
 * into a group keeps its value: the helper has the runtime make a record for
 * it below the task's frames, and the first frame writes the value there.
 *
 * The call site becomes a call of a helper (ca__run_F / ca__spawn_F, cw_helper_name) that
 * makes the task, so it is a plain C call wherever the expression stands.
 * The helpers are defined at the end of the output, when every frame's size
 * is known: a task whose frames the tool can bound is allocated with
 * exactly that much frame stack inline (ca__task_new's frame_bytes).
 */
#include "spawn.h"
#include "runtime_awaits.h"
#include "task_bytes.h"

#include "attrs.h"
#include "check.h"
#include "ctypes.h"

#include <stdlib.h>
#include <string.h>

/*
 * f's parameter i declared as NAME<i> (C's parameter adjustments applied, with `unqualified` also its
 * qualifiers dropped); NULL, after an error at `where`, when its type cannot be spelled here.
 */
static char *param_decl(cw_tu *tu, cw_async_fn *f, int i, const char *name, bool unqualified, CXCursor where)
{
    const char *why = NULL;
    char *n = cw_strdup_printf("%s%d", name, i);
    CXType t = cw_param_type(f, (unsigned)i);
    char *d = cw_declare_param(unqualified ? clang_getUnqualifiedType(t) : t, n, &why);
    if (!d)
        cw_error(tu, where, "cannot pass %s to an async function", why);
    free(n);
    return d;
}

/* "STORAGE RET NAME(ca_task *ca__t, ca_frame *ca__parent[, T *ca__ret], P0 ca__a0, ...)" */
/* The user's attributes kept on an entry point (attrs.c): f__ca_start, f__ca_make, or none for a thunk of ours. */
enum entry_kind { ENTRY_START, ENTRY_MAKE, ENTRY_THUNK };

static char *entry_proto(cw_tu *tu, cw_async_fn *f, const char *storage, const char *ret_and_name, enum entry_kind kind)
{
    strbuf b;
    sb_init(&b);
    char *attrs = kind == ENTRY_THUNK ? cw_strdup("") : cw_entry_attrs(tu, f, kind == ENTRY_START);
    sb_printf(&b, "%s%s%s(ca_task *ca__t, ca_frame *ca__parent", attrs, storage, ret_and_name);
    free(attrs);
    const char *why = NULL;
    if (f->is_gen) {
        sb_puts(&b, ", void *ca__slot, int *ca__more");
    } else if (!f->is_void) {
        char *r = cw_declare(clang_getUnqualifiedType(clang_getResultType(f->type)), "*ca__ret", &why);
        if (!r) {
            cw_error(tu, f->decl, "cannot return %s from an async function", why);
            r = cw_strdup("int *ca__ret");
        }
        sb_printf(&b, ", %s", r);
        free(r);
    }
    if (f->via_pointer)
        sb_puts(&b, ", void (*ca__fp)(void)");
    int n = cw_nparams(f);
    for (int i = 0; i < n; i++) {
        char *p = param_decl(tu, f, i, "ca__a", false, f->decl);
        if (!p)
            p = cw_strdup_printf("int ca__a%d", i);
        sb_printf(&b, ", %s", p);
        free(p);
    }
    if (kind != ENTRY_THUNK && cw_variadic_entry(f)) /* make takes the list that start began (variadic.h) */
        sb_puts(&b, kind == ENTRY_START ? ", ..." : ", __builtin_va_list *ca__va");
    sb_puts(&b, ")");
    return sb_take(&b);
}

bool cw_variadic_entry(const cw_async_fn *f)
{
    return cw_is_variadic(f) && f->defined_here && f->can_suspend && !f->is_gen && !f->via_pointer;
}

static const char *storage_of(const cw_async_fn *f)
{
    return f->is_static ? "static __attribute__((unused)) " : "";
}

char *cw_abi_proto(cw_tu *tu, cw_async_fn *f)
{
    char *name = cw_strdup_printf(f->is_gen ? "ca_frame *%s__ca_gen" : "int %s__ca_start", f->name);
    char *p = entry_proto(tu, f, storage_of(f), name, ENTRY_START);
    free(name);
    return p;
}

char *cw_make_proto(cw_tu *tu, cw_async_fn *f)
{
    char *name = cw_strdup_printf("ca_frame *%s__ca_make", f->name);
    char *p = entry_proto(tu, f, storage_of(f), name, ENTRY_MAKE);
    free(name);
    return p;
}

/* "ca__a0, ca__a1" after a comma, for forwarding an entry's arguments. */
char *cw_entry_args(cw_async_fn *f)
{
    strbuf b;
    sb_init(&b);
    int n = cw_nparams(f);
    for (int i = 0; i < n; i++)
        sb_printf(&b, ", ca__a%d", i);
    return sb_take(&b);
}

/* Does f have a __ca_make entry (defined with it here, or in the file that defines f)? */
static bool has_make(cw_async_fn *f)
{
    return !f->from_cawait && !f->via_pointer && !(f->defined_here && !f->can_suspend);
}

/*
 * A frame that calls f once with stored arguments when first resumed:
 * struct NAME_frame, NAME_resume and `ca_frame *NAME_make(ca_task *,
 * ca_frame *parent[, T *ret], P...)`, with make_proto as its prototype.
 * With `plain`, f is a plain C function (an async one that cannot suspend);
 * otherwise its __ca_start is called and may suspend.
 */
void cw_emit_call_frame(cw_tu *tu, strbuf *p, cw_async_fn *f, const char *name, const char *make_proto, bool plain)
{
    const char *why = NULL;
    CXType rt = clang_getUnqualifiedType(clang_getResultType(f->type));
    sb_printf(p, "struct %s_frame {\n    ca_frame hdr;\n    unsigned state;\n", name);
    if (!f->is_void) {
        char *o = cw_declare(rt, "*out", &why);
        sb_printf(p, "    %s;\n", o ? o : "int *out");
        free(o);
    }
    if (f->via_pointer)
        sb_puts(p, "    void (*fp)(void);\n");
    int n = cw_nparams(f);
    for (int i = 0; i < n; i++) {
        char *d = param_decl(tu, f, i, "a", true, f->decl);
        sb_printf(p, "    %s;\n", d ? d : "int unused");
        free(d);
    }
    bool on_resume = !plain && cw_result_on_resume(f);
    strbuf call;
    sb_init(&call);
    if (f->via_pointer) {
        char *type = cw_start_type(tu, f->type, f->decl);
        sb_printf(&call, "((%s)ca__k->fp)(ca__t, ca__fr", type);
        free(type);
    } else {
        char *fname = plain ? cw_call_name(tu, f) : cw_strdup_printf("%s__ca_start", f->name);
        sb_printf(&call, plain ? "%s(" : "%s(ca__t, ca__fr", fname);
        free(fname);
    }
    if (!plain && !f->is_void && !on_resume)
        sb_puts(&call, ", ca__k->out");
    for (int i = 0; i < n; i++)
        sb_printf(&call, "%sca__k->a%d", plain && i == 0 ? "" : ", ", i);
    sb_puts(&call, ")");
    sb_printf(p, "};\nstatic int %s_resume(ca_task *ca__t, ca_frame *ca__fr)\n{\n", name);
    sb_printf(p, "    struct %s_frame *ca__k = (struct %s_frame *)ca__fr;\n", name, name);
    if (plain) {
        if (f->is_void)
            sb_printf(p, "    %s;\n", sb_str(&call));
        else
            cw_assign(p, rt, "*ca__k->out", sb_str(&call));
    } else {
        sb_printf(p,
                  "    if (ca__k->state == 0) {\n        ca__k->state = 1;\n        int ca__st = %s;\n"
                  "        if (ca__st != CA_DONE)\n            return ca__st;\n    }\n",
                  sb_str(&call));
        if (on_resume && !f->is_void) {
            char *r = cw_strdup_printf("%s__ca_result(ca__t)", f->name);
            sb_puts(p, "    ");
            cw_assign(p, rt, "*ca__k->out", r);
            sb_puts(p, "\n");
            free(r);
        }
    }
    sb_puts(p, "    ca__frame_free(ca__t, ca__k);\n    return CA_DONE;\n}\n");
    sb_free(&call);
    sb_printf(p, "%s\n{\n", make_proto);
    sb_printf(p, "    struct %s_frame *ca__k = ca__frame_alloc(ca__t, sizeof *ca__k, __alignof__(struct %s_frame));\n",
              name, name);
    sb_printf(p, "    ca__k->hdr.resume = %s_resume;\n    ca__k->hdr.parent = ca__parent;\n    ca__k->state = 0;\n",
              name);
    if (!f->is_void)
        sb_puts(p, "    ca__k->out = ca__ret;\n");
    if (f->via_pointer)
        sb_puts(p, "    ca__k->fp = ca__fp;\n");
    for (int i = 0; i < n; i++) {
        char *dst = cw_strdup_printf("ca__k->a%d", i), *src = cw_strdup_printf("ca__a%d", i);
        cw_assign(p, cw_param_type(f, (unsigned)i), dst, src);
        free(dst), free(src);
    }
    sb_puts(p, "    return &ca__k->hdr;\n}\n");
}

/* The thunk for one call site into k->prelude: f's own entry cannot make a frame. */
static void emit_thunk(cw_fn *k, cw_async_fn *f, const char *helper)
{
    char *name = cw_strdup_printf("%s_thunk", helper);
    char *make = cw_strdup_printf("ca_frame *%s_make", name);
    char *proto = entry_proto(k->tu, f, "static ", make, ENTRY_THUNK);
    cw_emit_call_frame(k->tu, k->prelude, f, name, proto, !f->from_cawait && !f->via_pointer);
    free(name), free(make), free(proto);
}

/* "P0 a0, P1 a1" (or "void" with no parameters), after an optional leading parameter. */
static char *params(cw_tu *tu, CXCursor call, cw_async_fn *f, const char *first)
{
    strbuf b;
    sb_init(&b);
    sb_puts(&b, first);
    if (f->via_pointer)
        sb_printf(&b, "%svoid (*fp)(void)", b.len ? ", " : "");
    int n = cw_nparams(f);
    for (int i = 0; i < n; i++) {
        char *d = param_decl(tu, f, i, "a", true, call);
        sb_printf(&b, "%s%s", b.len ? ", " : "", d ? d : "int unused");
        free(d);
    }
    if (!b.len)
        sb_puts(&b, "void");
    return sb_take(&b);
}

/* The helper's prototype: "static ca_task *ca__spawn_F(ca_task *spawner[, ca_group *group], P0 a0...)"
   or "static T ca__run_F(P0 a0...)". */
static char *helper_proto(cw_tu *tu, const cw_task_helper *h)
{
    cw_async_fn *f = h->f;
    if (!h->run) {
        char *ps = params(tu, h->call, f, h->group ? "ca_task *spawner, ca_group *group" : "ca_task *spawner");
        char *r = cw_strdup_printf("static ca_task *%s(%s)", h->name, ps);
        free(ps);
        return r;
    }
    const char *why = NULL;
    char *ret = f->is_void ? cw_strdup_printf("void %s", h->name)
                           : cw_declare(clang_getUnqualifiedType(clang_getResultType(f->type)), h->name, &why);
    char *ps = params(tu, h->call, f, "");
    char *r = cw_strdup_printf("static %s(%s%s)", ret ? ret : "int", ps, cw_variadic_entry(f) ? ", ..." : "");
    free(ret), free(ps);
    return r;
}

/*
 * Record a ca_run / ca_spawn site: its thunk (if any) and the helper's
 * prototype go before the code that uses it. A helper depends only on the
 * callee and its kind, so sites alike share one (a pointer's callee is its
 * own each time).
 */
static const char *add_helper(cw_fn *k, CXCursor call, cw_async_fn *f, bool run, bool group)
{
    cw_tu *tu = k->tu;
    bool keep = group || (!run && !f->is_void && cw_spawn_keeps_value(tu, call));
    for (size_t i = 0; i < tu->nhelpers; i++) {
        const cw_task_helper *o = &tu->helpers[i];
        if (o->f == f && o->run == run && o->group == group && o->keep == keep)
            return o->name;
    }
    const char *name = cw_helper_name(tu,
                                      run     ? "run"
                                      : group ? "group_spawn"
                                              : "spawn",
                                      f->via_pointer ? "ptr" : f->name);
    cw_task_helper h = {name, run, !has_make(f), keep, group, f, call};
    if (h.thunk) {
        emit_thunk(k, f, name);
    } else if (!f->declared.make) {
        char *mp = cw_make_proto(tu, f);
        sb_printf(k->prelude, "%s;\n", mp);
        free(mp);
        f->declared.make = true;
    }
    char *proto = helper_proto(tu, &h);
    sb_printf(k->prelude, "%s;\n", proto);
    free(proto);
    *CW_PUSH(tu->helpers, tu->nhelpers) = h;
    return name;
}

/* The statement that makes and schedules task t's first frame for h's call, its value going to `out`. */
static void first_frame(strbuf *b, const cw_task_helper *h, const char *out)
{
    cw_async_fn *f = h->f;
    if (h->thunk)
        sb_printf(b, "    ca__task_start(t, %s_thunk_make(t, ca__task_root(t)", h->name);
    else
        sb_printf(b, "    ca__task_start(t, %s__ca_make(t, ca__task_root(t)", f->name);
    if (!f->is_void)
        sb_printf(b, ", %s", out);
    if (f->via_pointer)
        sb_puts(b, ", fp");
    for (int i = 0, n = cw_nparams(f); i < n; i++)
        sb_printf(b, ", a%d", i);
    sb_puts(b, cw_variadic_entry(f) ? ", &ca__va));\n" : "));\n");
}

/* frame_bytes for ca__task_new: the frames the task can ever hold, or 0 when the tool cannot bound them. */
static char *task_bytes(cw_tu *tu, const cw_task_helper *h)
{
    if (h->f->via_pointer) /* the callee is known only at run time */
        return cw_strdup("0");
    char *below = cw_task_bytes_expr(tu, h->f);
    if (!h->thunk || cw_task_frame_bytes(tu, h->f, NULL) < 0)
        return below;
    char *r = strcmp(below, "0") == 0 ? cw_strdup_printf("sizeof(struct %s_thunk_frame)", h->name)
                                      : cw_strdup_printf("sizeof(struct %s_thunk_frame) + %s", h->name, below);
    free(below);
    return r;
}

/* Does a negative value of type t fail a group (a signed integer type, plain char aside)? */
static bool fails_when_negative(CXType t)
{
    switch (clang_getCanonicalType(t).kind) {
    case CXType_SChar:
    case CXType_Short:
    case CXType_Int:
    case CXType_Long:
    case CXType_LongLong:
        return true;
    default:
        return false;
    }
}

/* The body of a helper whose task keeps its value (in a record the runtime makes below its frames). */
static void kept_task(strbuf *out, const cw_task_helper *h, const char *bytes)
{
    cw_async_fn *f = h->f;
    CXType rt = clang_getUnqualifiedType(clang_getResultType(f->type));
    char *ptr = f->is_void ? NULL : cw_declare(rt, "*", NULL);
    char *size = ptr ? cw_strdup_printf("sizeof(*(%s)0), __alignof__(*(%s)0)", ptr, ptr) : cw_strdup("0, 1");
    sb_puts(out, "    void *v;\n");
    if (h->group)
        sb_printf(out, "    ca_task *t = ca__group_task_new(group, spawner, %s, %s, %d, &v);\n", bytes, size,
                  !f->is_void && fails_when_negative(rt));
    else
        sb_printf(out, "    ca_task *t = ca__task_new_kept(spawner, %s, %s, &v);\n", bytes, size);
    sb_puts(out, "    if (!t)\n        return NULL;\n");
    first_frame(out, h, "v");
    sb_puts(out, "    return t;\n}\n");
    free(ptr), free(size);
}

void cw_emit_task_helpers(cw_tu *tu, strbuf *out)
{
    cw_async_fn **roots = calloc(tu->nhelpers + 1, sizeof *roots);
    size_t nroots = 0;
    for (size_t i = 0; i < tu->nhelpers; i++)
        if (!tu->helpers[i].f->via_pointer)
            roots[nroots++] = tu->helpers[i].f;
    cw_spell_task_bytes(tu, roots, nroots, out);
    free(roots);
    for (size_t i = 0; i < tu->nhelpers; i++) {
        const cw_task_helper *h = &tu->helpers[i];
        cw_async_fn *f = h->f;
        char *proto = helper_proto(tu, h), *bytes = task_bytes(tu, h);
        sb_printf(out, "%s\n{\n", proto);
        if (h->keep) {
            kept_task(out, h, bytes);
        } else if (!h->run) {
            /* The spawned call's value is dropped: written to a per-thread sink nobody reads. */
            if (!f->is_void) {
                char *sink = cw_declare(clang_getUnqualifiedType(clang_getResultType(f->type)), "sink", NULL);
                sb_printf(out, "    static __thread %s;\n", sink ? sink : "int sink");
                free(sink);
            }
            sb_printf(out, "    ca_task *t = ca__task_new(spawner, %s);\n    if (!t)\n        return NULL;\n", bytes);
            first_frame(out, h, "&sink");
            sb_puts(out, "    return t;\n}\n");
        } else {
            if (!f->is_void) {
                char *r = cw_declare(clang_getUnqualifiedType(clang_getResultType(f->type)), "r", NULL);
                sb_printf(out,
                          "    %s;\n    __builtin_memset(&r, 0, sizeof r); /* the value if the task is cancelled */\n",
                          r ? r : "int r");
                free(r);
            }
            sb_printf(out, "    ca_task *t = ca__task_new(NULL, %s);\n", bytes);
            sb_puts(out, "    if (!t)\n        __builtin_abort(); /* out of memory */\n");
            bool va = cw_variadic_entry(f); /* the list lives here while the task runs (variadic.h) */
            if (va)
                sb_printf(out, "    __builtin_va_list ca__va;\n    __builtin_va_start(ca__va, a%d);\n",
                          cw_nparams(f) - 1);
            first_frame(out, h, "&r");
            sb_printf(out, "    ca__run(t);\n%s%s}\n", va ? "    __builtin_va_end(ca__va);\n" : "",
                      f->is_void ? "" : "    return r;\n");
        }
        free(proto), free(bytes);
    }
}

/* The call `NAME(spawner?, args...)` of a helper taking the call's arguments. */
static char *helper_call(const char *name, const char *first, char **args, int n)
{
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "%s(%s", name, first);
    for (int i = 0; i < n; i++)
        sb_printf(&b, "%s%s", i || *first ? ", " : "", args[i]);
    sb_puts(&b, ")");
    return sb_take(&b);
}

/*
 * ca_spawn(p(args)) / ca_run(p(args)) through an async pointer: the helper
 * takes the pointer first, its thunk frame calls through it.
 */
static char *ptr_helper_call(cw_fn *k, CXCursor call, char **args, int nargs, const char *spawner, const char *group)
{
    cw_async_fn *f = cw_ptr_callee(k->tu, call);
    if (!f)
        return cw_strdup(spawner ? "NULL" : "0");
    const char *name = add_helper(k, call, f, spawner == NULL, group != NULL);
    char *callee = cw_text(k, cw_child(call, 0));
    char **all = calloc((size_t)nargs + 1, sizeof *all);
    all[0] = cw_strdup_printf("(void (*)(void))(%s)", callee);
    for (int i = 0; i < nargs; i++)
        all[i + 1] = args[i];
    char *first = group ? cw_strdup_printf("%s, %s", spawner, group) : cw_strdup(spawner ? spawner : "");
    char *r = helper_call(name, first, all, nargs + 1);
    free(first), free(callee), free(all[0]), free(all);
    return r;
}

/* ca_spawn(f(args)) becomes ca__spawn_F(spawner, args): a plain call, so it works in any expression. */
char *cw_spawn_expr(cw_fn *k, CXCursor call, char **args, int nargs, const char *spawner, const char *group)
{
    cw_async_fn *f = cw_async_callee(k->tu, call);
    if (!f)
        return ptr_helper_call(k, call, args, nargs, spawner, group);
    (void)nargs;
    if (cw_is_variadic(f)) {
        cw_error(k->tu, call, "ca_spawn of a variadic async function is not supported");
        return cw_strdup("NULL");
    }
    const char *name = add_helper(k, call, f, false, group != NULL);
    char *first = group ? cw_strdup_printf("%s, %s", spawner, group) : cw_strdup(spawner);
    char *r = helper_call(name, first, args, cw_nparams(f));
    free(first);
    return r;
}

/* ca_run(f(args)) becomes ca__run_F(args), which runs the loop until the task ends. */
char *cw_run_expr(cw_fn *k, CXCursor call, char **args, int nargs)
{
    cw_async_fn *f = cw_async_callee(k->tu, call);
    if (!f)
        return ptr_helper_call(k, call, args, nargs, NULL, NULL);
    if (cw_is_variadic(f) && f->can_suspend && (!cw_variadic_entry(f) || cw_nparams(f) == 0)) {
        cw_error(k->tu, call,
                 "ca_run of a variadic async function that can suspend needs it defined in this file with a "
                 "named parameter");
        return cw_strdup("0");
    }
    /* A call that can never suspend completes before the loop would run anything else: call it. */
    if (!f->can_suspend) {
        strbuf b;
        sb_init(&b);
        char *fname = cw_call_name(k->tu, f);
        sb_printf(&b, "%s(", fname);
        free(fname);
        for (int i = 0; i < nargs; i++)
            sb_printf(&b, "%s%s", i ? ", " : "", args[i]);
        sb_puts(&b, ")");
        return sb_take(&b);
    }
    /* A variadic one's helper is variadic too: its list lives while the task runs. */
    return helper_call(add_helper(k, call, f, true, false), "", args, cw_variadic_entry(f) ? nargs : cw_nparams(f));
}
