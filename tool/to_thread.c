/*
 * `await ca_to_thread(f(a, b), &status)`: the tool writes, per call site, a
 * block type holding f's arguments and result and a function that makes the
 * call from it on a pool thread (runtime.h, struct ca__block):
 *
 *     struct ca__to_thread_f { struct ca__block ca__b; int a0; const char *a1; long r; };
 *     static void ca__to_thread_f_run(struct ca__block *ca__b)
 *     { struct ca__to_thread_f *k = (struct ca__to_thread_f *)ca__b; k->r = f(k->a0, k->a1); }
 *
 * and the site fills a new block, awaits ca__blocking_block, stores the
 * status and reads the result. The block is shared with the pool and freed by
 * whichever side releases it last, so a cancelled call's f may finish after
 * its task has moved on; its result is then dropped and the await's value is
 * zero. The status (0, or -ECANCELED, -ETIMEDOUT, -ENOMEM, -EAGAIN) is never
 * a value of f's, so f may return -errno codes of its own.
 */
#include "to_thread.h"

#include "ctypes.h"
#include "fnptr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* (*(status) = 0, (call)): its call and its status expression. */
static CXCursor call_of(CXCursor tt)
{
    return cw_strip(cw_child(cw_child(tt, 0), 1));
}
static CXCursor status_of(CXCursor tt)
{
    return cw_child(cw_child(cw_child(cw_child(tt, 0), 0), 0), 0);
}

void cw_check_to_thread(cw_tu *tu, CXCursor tt)
{
    CXCursor call = call_of(tt);
    if (call.kind != CXCursor_CallExpr) {
        cw_error(tu, call, "ca_to_thread needs a call of a plain C function");
        return;
    }
    if (cw_async_callee(tu, call) || cw_is_ptr_call(tu, call))
        return; /* check.c reports the async call without await */
    CXType ft = cw_ptr_call_type(call);
    if (ft.kind != CXType_FunctionProto)
        cw_error(tu, call, "ca_to_thread needs a function with a prototype");
    else if (clang_isFunctionTypeVariadic(ft))
        cw_error(tu, call, "ca_to_thread cannot pass variable arguments to another thread");
}

/* The function a call names directly, or a null cursor (a call through a pointer). */
static CXCursor direct_callee(CXCursor call)
{
    CXCursor c = cw_strip(cw_child(call, 0));
    CXCursor d = c.kind == CXCursor_DeclRefExpr ? clang_getCursorReferenced(c) : clang_getNullCursor();
    return d.kind == CXCursor_FunctionDecl ? d : clang_getNullCursor();
}

static char *spelling(CXCursor c)
{
    CXString s = clang_getCursorSpelling(c);
    char *r = cw_strdup(clang_getCString(s));
    clang_disposeString(s);
    return r;
}

/* struct NAME and NAME_run for a call of function type ft, into the prelude. */
static void emit_block_type(cw_fn *k, const char *name, CXType ft, CXCursor fn, CXCursor where)
{
    strbuf *p = k->prelude;
    const char *why = NULL;
    CXType rt = clang_getUnqualifiedType(clang_getResultType(ft));
    sb_printf(p, "struct %s {\n    struct ca__block ca__b;\n", name);
    if (clang_Cursor_isNull(fn)) {
        char *d = cw_declare(ft, "(*fn)", &why);
        if (!d)
            cw_error(k->tu, where, "ca_to_thread cannot spell the type of this function: %s", why);
        sb_printf(p, "    %s;\n", d ? d : "void (*fn)(void)");
        free(d);
    }
    int n = clang_getNumArgTypes(ft);
    for (int i = 0; i < n; i++) {
        char *a = cw_strdup_printf("a%d", i);
        char *d = cw_declare_param(clang_getUnqualifiedType(clang_getArgType(ft, (unsigned)i)), a, &why);
        if (!d)
            cw_error(k->tu, where, "ca_to_thread cannot pass %s", why);
        sb_printf(p, "    %s;\n", d ? d : "int unused");
        free(a), free(d);
    }
    if (!cw_is_void(rt)) {
        char *d = cw_declare(rt, "r", &why);
        if (!d)
            cw_error(k->tu, where, "ca_to_thread cannot return %s", why);
        sb_printf(p, "    %s;\n", d ? d : "int r");
        free(d);
    }
    strbuf call;
    sb_init(&call);
    char *fname = clang_Cursor_isNull(fn) ? cw_strdup("k->fn") : spelling(fn);
    sb_printf(&call, "%s(", fname);
    free(fname);
    for (int i = 0; i < n; i++)
        sb_printf(&call, "%sk->a%d", i ? ", " : "", i);
    sb_puts(&call, ")");
    sb_printf(p, "};\nstatic void %s_run(struct ca__block *ca__b)\n{\n    struct %s *k = (struct %s *)ca__b;\n    ",
              name, name, name);
    if (cw_is_void(rt))
        sb_printf(p, "%s;", sb_str(&call));
    else
        cw_assign(p, rt, "k->r", sb_str(&call));
    sb_puts(p, "\n}\n");
    sb_free(&call);
}

/* A frame field of a type the tool spells itself. */
static char *raw_temp(cw_fn *k, const char *type, long long size)
{
    char *name = cw_strdup_printf("ca__tmp%d", ++k->ntemps);
    char *decl = cw_strdup_printf("%s %s", type, name);
    cw_add_raw_field(k, CW_FIELD_TEMP, name, decl, type, size, size);
    free(decl);
    char *r = cw_strdup_printf("ca__f->%s", name);
    free(name);
    return r;
}

/* The runtime's ca_blocking, whose wait the frame report counts. */
static void note_pool_wait(cw_fn *k)
{
    for (size_t i = 0; i < k->tu->nfns; i++)
        if (k->tu->fns[i].from_cawait && strcmp(k->tu->fns[i].name, "ca_blocking") == 0)
            cw_note_callee(k, &k->tu->fns[i]);
}

cw_val cw_lin_to_thread(cw_fn *k, strbuf *out, CXCursor tt)
{
    CXCursor call = call_of(tt), fn = direct_callee(call);
    CXType ft = cw_ptr_call_type(call);
    CXType rt = clang_getUnqualifiedType(clang_getResultType(ft));
    char *fname = clang_Cursor_isNull(fn) ? NULL : spelling(fn);
    const char *name = cw_helper_name(k->tu, "to_thread", fname ? fname : "ptr");
    free(fname);
    emit_block_type(k, name, ft, fn, call);
    /* The status pointer first, as the plain-C expansion evaluates it; then the callee and the arguments. */
    cw_val status = cw_lin(k, out, status_of(tt), true);
    cw_val callee = {NULL, true};
    if (clang_Cursor_isNull(fn))
        callee = cw_lin(k, out, cw_child(call, 0), true);
    int nargs;
    char **args = cw_lin_args(k, out, call, &nargs);
    char *type = cw_strdup_printf("struct %s *", name);
    char *block = raw_temp(k, type, (long long)sizeof(void *));
    char *st = raw_temp(k, "intptr_t", (long long)sizeof(intptr_t));
    sb_printf(out, "%s = (%s)ca__block_new(sizeof(struct %s), %s_run); if (%s) { ", block, type, name, name, block);
    if (callee.s)
        sb_printf(out, "%s->fn = %s; ", block, callee.s);
    for (int i = 0; i < nargs; i++) {
        char *dst = cw_strdup_printf("%s->a%d", block, i);
        cw_assign(out, clang_getArgType(ft, (unsigned)i), dst, args[i]);
        free(dst), free(args[i]);
    }
    free(args);
    sb_puts(out, "} ");
    note_pool_wait(k);
    int state = cw_new_state(k, tt);
    k->passes_status = true;
    sb_printf(out,
              "if ((ca__st = ca__blocking_block__ca_start(ca__t, &ca__f->hdr, &%s, (struct ca__block *)%s)) != "
              "CA_DONE) { ca__f->ca__state = %d; return ca__st; } ca__s%d:; ",
              st, block, state, state);
    sb_printf(out, "*(%s) = (int)%s; ", status.s, st);
    char *result = NULL;
    if (!cw_is_void(rt)) {
        result = cw_new_temp(k, rt, tt);
        char *src = cw_strdup_printf("%s->r", block);
        sb_printf(out, "if (%s == 0) { ", st);
        cw_assign(out, rt, result, src);
        sb_printf(out, "} else __builtin_memset((void *)&%s, 0, sizeof %s); ", result, result);
        free(src);
    }
    sb_printf(out, "ca__block_release((struct ca__block *)%s); ", block);
    free(type), free(block), free(st), free(status.s), free(callee.s);
    return (cw_val){result, true};
}
