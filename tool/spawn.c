/*
 * ca_run(CALL) and ca_spawn(CALL). Each call site gets a thunk: a small
 * root frame on the new task's stack holding the call's arguments, whose
 * resume function makes the call when the loop first runs the task. The
 * task therefore starts lazily, in FIFO order, as asyncio's tasks do.
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
        sb_printf(&b, "%sca_frame *%s__ca_gen(ca_frame *ca__parent, void *ca__slot, int *ca__more", st, f->name);
    else
        sb_printf(&b, "%sint %s__ca_start(ca_frame *ca__parent", st, f->name);
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
    int n = clang_getNumArgTypes(f->type);
    for (int i = 0; i < n; i++) {
        char *name = cw_strdup_printf("ca__a%d", i);
        char *p = cw_declare(clang_getArgType(f->type, (unsigned)i), name, &why);
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
    sb_printf(p, "struct ca__thunk%d {\n    ca_frame hdr;\n", id);
    if (!f->is_void) {
        char *r = cw_declare(clang_getUnqualifiedType(clang_getResultType(f->type)), "r", &why);
        char *o = cw_declare(clang_getUnqualifiedType(clang_getResultType(f->type)), "*out", &why);
        sb_printf(p, "    %s;\n    %s;\n", r ? r : "int r", o ? o : "int *out");
        free(r), free(o);
    }
    int n = clang_getNumArgTypes(f->type);
    for (int i = 0; i < n; i++) {
        char *name = cw_strdup_printf("a%d", i);
        char *d = cw_declare(clang_getUnqualifiedType(clang_getArgType(f->type, (unsigned)i)), name, &why);
        if (!d)
            cw_error(k->tu, call, "cannot pass %s to an async function", why);
        sb_printf(p, "    %s;\n", d ? d : "int unused");
        free(d), free(name);
    }
    sb_printf(p, "};\nstatic int ca__thunk%d_resume(ca_frame *fr)\n{\n", id);
    sb_printf(p, "    struct ca__thunk%d *k = (struct ca__thunk%d *)fr;\n", id, id);
    sb_printf(p, "    if (fr->state != 0)\n        return CA_DONE;\n    fr->state = 1;\n");
    sb_printf(p, "    return %s__ca_start(fr%s", f->name, f->is_void ? "" : ", k->out");
    for (int i = 0; i < n; i++)
        sb_printf(p, ", k->a%d", i);
    sb_puts(p, ");\n}\n");
    return id;
}

/* Statements that make task ca__t run the call through thunk `id`. */
static void start_thunk(strbuf *b, cw_async_fn *f, int id, char **args, int n, const char *out)
{
    sb_printf(b, "struct ca__thunk%d *ca__k = ca__frame_alloc(ca__t, sizeof *ca__k); ", id);
    sb_printf(b, "ca__k->hdr.resume = ca__thunk%d_resume; ca__k->hdr.parent = ca__task_root(ca__t); ", id);
    sb_puts(b, "ca__k->hdr.task = ca__t; ca__k->hdr.state = 0; ");
    if (!f->is_void)
        sb_printf(b, "ca__k->out = %s; ", out);
    for (int i = 0; i < n; i++) {
        char *dst = cw_strdup_printf("ca__k->a%d", i), *src = cw_strdup_printf("(%s)", args[i]);
        cw_assign(b, clang_getArgType(f->type, (unsigned)i), dst, src);
        free(dst), free(src);
    }
    sb_puts(b, "ca__task_start(ca__t, &ca__k->hdr); ");
}

char *cw_spawn_expr(cw_fn *k, CXCursor call, char **args, const char *spawner)
{
    cw_async_fn *f = cw_async_callee(k->tu, call);
    int id = emit_thunk(k, call, f);
    strbuf b;
    sb_init(&b);
    sb_printf(&b, "({ ca_task *ca__t = ca__task_new(%s); if (ca__t) { ", spawner);
    start_thunk(&b, f, id, args, clang_getNumArgTypes(f->type), "&ca__k->r");
    sb_puts(&b, "} ca__t; })");
    return sb_take(&b);
}

char *cw_run_expr(cw_fn *k, CXCursor call, char **args)
{
    cw_async_fn *f = cw_async_callee(k->tu, call);
    int id = emit_thunk(k, call, f);
    strbuf b;
    sb_init(&b);
    sb_puts(&b, "({ ");
    if (!f->is_void) {
        const char *why = NULL;
        char *r = cw_declare(clang_getUnqualifiedType(clang_getResultType(f->type)), "ca__r", &why);
        sb_printf(&b, "%s; ", r ? r : "int ca__r");
        free(r);
    }
    sb_puts(&b, "ca_task *ca__t = ca__task_new(NULL); if (!ca__t) __builtin_abort(); { ");
    start_thunk(&b, f, id, args, clang_getNumArgTypes(f->type), "&ca__r");
    sb_printf(&b, "} ca__run(ca__t); %s })", f->is_void ? "(void)0;" : "ca__r;");
    return sb_take(&b);
}
