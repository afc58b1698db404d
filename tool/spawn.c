/*
 * ca_run(CALL) and ca_spawn(CALL). Each call site gets a thunk: a small
 * root frame on the new task's stack holding the call's arguments, whose
 * resume function makes the call when the loop first runs the task. The
 * task therefore starts lazily, in FIFO order, as asyncio's tasks do. The
 * call site itself becomes a call of a helper (ca__runN / ca__spawnN) that
 * makes the task, so it is a plain C call wherever the expression stands.
 */
#include "lower.h"

#include "ctypes.h"

#include <stdlib.h>

char *cw_abi_proto(cw_tu *tu, cw_async_fn *f)
{
    strbuf b;
    sb_init(&b);
    const char *st = f->is_static ? "static __attribute__((unused)) " : "";
    if (f->is_gen)
        sb_printf(&b, "%sca_frame *%s__ca_gen(ca_task *ca__t, ca_frame *ca__parent, void *ca__slot, int *ca__more", st, f->name);
    else
        sb_printf(&b, "%sint %s__ca_start(ca_task *ca__t, ca_frame *ca__parent", st, f->name);
    const char *why = NULL;
    if (!f->is_void && !f->is_gen) {
        char *r = cw_declare(clang_getUnqualifiedType(clang_getResultType(f->type)), "*ca__ret", &why);
        if (!r) {
            cw_error(tu, f->decl, "cannot return %s from an async function", why);
            r = cw_strdup("int *ca__ret");
        }
        sb_printf(&b, ", %s", r);
        free(r);
    }
    int n = cw_nparams(f);
    for (int i = 0; i < n; i++) {
        char *name = cw_strdup_printf("ca__a%d", i);
        char *p = cw_declare_param(cw_param_type(f, (unsigned)i), name, &why);
        if (!p) {
            cw_error(tu, f->decl, "cannot pass %s to an async function", why);
            p = cw_strdup_printf("int %s", name);
        }
        sb_printf(&b, ", %s", p);
        free(p), free(name);
    }
    sb_puts(&b, ")");
    return sb_take(&b);
}

/* Emit the thunk for one call site into k->prelude; returns its number. */
static int emit_thunk(cw_fn *k, CXCursor call, cw_async_fn *f)
{
    int id = ++k->tu->nthunks;
    strbuf *p = k->prelude;
    const char *why = NULL;
    sb_printf(p, "struct ca__thunk%d {\n    ca_frame hdr;\n    unsigned state;\n", id);
    if (!f->is_void) {
        char *r = cw_declare(clang_getUnqualifiedType(clang_getResultType(f->type)), "r", &why);
        char *o = cw_declare(clang_getUnqualifiedType(clang_getResultType(f->type)), "*out", &why);
        sb_printf(p, "    %s;\n    %s;\n", r ? r : "int r", o ? o : "int *out");
        free(r), free(o);
    }
    int n = cw_nparams(f);
    for (int i = 0; i < n; i++) {
        char *name = cw_strdup_printf("a%d", i);
        char *d = cw_declare_param(clang_getUnqualifiedType(cw_param_type(f, (unsigned)i)), name, &why);
        if (!d)
            cw_error(k->tu, call, "cannot pass %s to an async function", why);
        sb_printf(p, "    %s;\n", d ? d : "int unused");
        free(d), free(name);
    }
    sb_printf(p, "};\nstatic int ca__thunk%d_resume(ca_frame *fr, ca_task *t)\n{\n", id);
    sb_printf(p, "    struct ca__thunk%d *k = (struct ca__thunk%d *)fr;\n", id, id);
    sb_printf(p, "    if (k->state != 0)\n        return CA_DONE;\n    k->state = 1;\n");
    sb_printf(p, "    return %s__ca_start(t, fr%s", f->name, f->is_void ? "" : ", k->out");
    for (int i = 0; i < n; i++)
        sb_printf(p, ", k->a%d", i);
    sb_puts(p, ");\n}\n");
    return id;
}

/* "P0 a0, P1 a1" (or "void" with no parameters), after an optional leading parameter. */
static char *params(cw_tu *tu, CXCursor call, cw_async_fn *f, const char *first)
{
    strbuf b;
    sb_init(&b);
    sb_puts(&b, first);
    int n = cw_nparams(f);
    for (int i = 0; i < n; i++) {
        const char *why = NULL;
        char *name = cw_strdup_printf("a%d", i);
        char *d = cw_declare_param(clang_getUnqualifiedType(cw_param_type(f, (unsigned)i)), name, &why);
        if (!d)
            cw_error(tu, call, "cannot pass %s to an async function", why);
        sb_printf(&b, "%s%s", b.len ? ", " : "", d ? d : "int unused");
        free(d), free(name);
    }
    if (!b.len)
        sb_puts(&b, "void");
    return sb_take(&b);
}

/* Statements that put thunk `id` for f's call, with arguments a0..., on task t. */
static void start_thunk(strbuf *b, cw_async_fn *f, int id, const char *out)
{
    sb_printf(b, "    struct ca__thunk%d *k = ca__frame_alloc(t, sizeof *k, _Alignof(struct ca__thunk%d));\n", id, id);
    sb_printf(b, "    k->hdr.resume = ca__thunk%d_resume;\n    k->hdr.parent = ca__task_root(t);\n", id);
    sb_puts(b, "    k->state = 0;\n");
    if (!f->is_void)
        sb_printf(b, "    k->out = %s;\n", out);
    int n = cw_nparams(f);
    for (int i = 0; i < n; i++) {
        char *dst = cw_strdup_printf("k->a%d", i), *src = cw_strdup_printf("a%d", i);
        cw_assign(b, cw_param_type(f, (unsigned)i), dst, src);
        free(dst), free(src);
    }
    sb_puts(b, "    ca__task_start(t, &k->hdr);\n");
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

/* ca_spawn(f(args)) becomes ca__spawnN(spawner, args): a plain call, so it works in any expression. */
char *cw_spawn_expr(cw_fn *k, CXCursor call, char **args, int nargs, const char *spawner)
{
    cw_async_fn *f = cw_async_callee(k->tu, call);
    (void)nargs;
    if (clang_isFunctionTypeVariadic(f->type)) {
        cw_error(k->tu, call, "ca_spawn of a variadic async function is not supported");
        return cw_strdup("NULL");
    }
    int id = emit_thunk(k, call, f);
    strbuf *p = k->prelude;
    char *ps = params(k->tu, call, f, "ca_task *spawner");
    sb_printf(p, "static ca_task *ca__spawn%d(%s)\n{\n", id, ps);
    sb_puts(p, "    ca_task *t = ca__task_new(spawner, 0);\n    if (!t)\n        return NULL;\n    {\n");
    start_thunk(p, f, id, "&k->r");
    sb_puts(p, "    }\n    return t;\n}\n");
    free(ps);
    char *name = cw_strdup_printf("ca__spawn%d", id);
    char *r = helper_call(name, spawner, args, cw_nparams(f));
    free(name);
    return r;
}

/* ca_run(f(args)) becomes ca__runN(args), which runs the loop until the task ends. */
char *cw_run_expr(cw_fn *k, CXCursor call, char **args, int nargs)
{
    cw_async_fn *f = cw_async_callee(k->tu, call);
    /* A call that can never suspend completes before the loop would run anything else: call it. */
    if (!f->can_suspend) {
        strbuf b;
        sb_init(&b);
        sb_printf(&b, "%s(", f->name);
        for (int i = 0; i < nargs; i++)
            sb_printf(&b, "%s%s", i ? ", " : "", args[i]);
        sb_puts(&b, ")");
        return sb_take(&b);
    }
    int id = emit_thunk(k, call, f);
    strbuf *p = k->prelude;
    char *ps = params(k->tu, call, f, "");
    const char *why = NULL;
    char *ret = f->is_void ? cw_strdup("void") : cw_declare(clang_getUnqualifiedType(clang_getResultType(f->type)), "", &why);
    sb_printf(p, "static %s ca__run%d(%s)\n{\n", ret ? ret : "int", id, ps);
    if (!f->is_void) {
        char *r = cw_declare(clang_getUnqualifiedType(clang_getResultType(f->type)), "r", &why);
        sb_printf(p, "    %s;\n    __builtin_memset(&r, 0, sizeof r); /* the value if the task is cancelled */\n",
                  r ? r : "int r");
        free(r);
    }
    sb_puts(p, "    ca_task *t = ca__task_new(NULL, 0);\n    if (!t)\n        __builtin_abort(); /* out of memory */\n    {\n");
    start_thunk(p, f, id, "&r");
    sb_printf(p, "    }\n    ca__run(t);\n%s}\n", f->is_void ? "" : "    return r;\n");
    free(ps), free(ret);
    char *name = cw_strdup_printf("ca__run%d", id);
    char *r = helper_call(name, "", args, cw_nparams(f));
    free(name);
    return r;
}
