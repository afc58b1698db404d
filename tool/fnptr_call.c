/*
 * Lowering async function pointers (fnptr.h): an async function used as a
 * value becomes its __ca_start entry cast to the value's C type, and a call
 * through an async pointer casts the pointer back to the entry's type:
 *
 *     handler_fn *h = sq;   ->  h = (*(int (*)(int))(void (*)(void))sq__ca_start);
 *     v = await h(3);       ->  if ((ca__st = ((int (*)(ca_task *, ca_frame *, int *, int))
 *                                    (void (*)(void))(h))(ca__t, &ca__f->hdr, &ca__f->ca__tmp1, 3)) != CA_DONE)
 *                                   { ca__f->ca__state = 1; return ca__st; } ca__s1:; v = ca__f->ca__tmp1;
 *
 * The callee's frame is allocated by its own entry (its size is known only
 * there), so a call through a pointer costs an indirect call more than a
 * direct await. (The casts go through `void (*)(void)`, which gcc's
 * -Wcast-function-type accepts as "any function".)
 */
#include "fnptr.h"
#include "lower.h"

#include "ctypes.h"

#include <stdlib.h>

char *cw_async_fn_value(cw_tu *tu, cw_async_fn *f)
{
    (void)tu;
    char *t = cw_declare(f->type, "(*)", NULL);
    char *r = cw_strdup_printf("(*(%s)(void (*)(void))%s__ca_start)", t ? t : "void (*)(void)", f->name);
    free(t);
    return r;
}

char *cw_start_type(cw_tu *tu, CXType fn, CXCursor where)
{
    strbuf b;
    sb_init(&b);
    sb_puts(&b, "int (*)(ca_task *, ca_frame *");
    const char *why = NULL;
    CXType rt = clang_getUnqualifiedType(clang_getResultType(fn));
    if (!cw_is_void(rt)) {
        char *r = cw_declare(rt, "*", &why);
        if (!r)
            cw_error(tu, where, "cannot return %s through an async function pointer", why);
        sb_printf(&b, ", %s", r ? r : "int *");
        free(r);
    }
    for (int i = 0, n = clang_getNumArgTypes(fn); i < n; i++) {
        char *p = cw_declare_param(clang_getArgType(fn, (unsigned)i), "", &why);
        if (!p)
            cw_error(tu, where, "cannot pass %s through an async function pointer", why);
        sb_printf(&b, ", %s", p ? p : "int");
        free(p);
    }
    sb_puts(&b, ")");
    return sb_take(&b);
}

/* The function type of a call through a pointer, when the tool can call it with the __ca_start ABI. */
static bool callable_type(cw_tu *tu, CXCursor call, CXType ft)
{
    if (ft.kind != CXType_FunctionProto) {
        cw_error(tu, call, "an async function pointer needs a prototype (its parameter types)");
        return false;
    }
    if (clang_isFunctionTypeVariadic(ft)) {
        cw_error(tu, call, "cannot call a variadic function through an async function pointer");
        return false;
    }
    return true;
}

/*
 * `await callee(args)`: the callee is evaluated first (C leaves the order
 * of the callee and the arguments unspecified), and saved when an argument
 * awaits; then the call through the entry, a resume point like lin_await's.
 */
cw_val cw_lin_ptr_await(cw_fn *k, strbuf *out, CXCursor await, CXCursor call)
{
    CXType ft = cw_ptr_call_type(call);
    if (!callable_type(k->tu, call, ft))
        return (cw_val){cw_strdup("0"), true};
    CXCursor *c;
    unsigned n = cw_children(call, &c);
    bool args_await = false;
    for (unsigned i = 1; i < n; i++)
        args_await = args_await || cw_has_await(k, c[i]);
    cw_val callee = cw_lin(k, out, c[0], args_await);
    free(c);
    int nargs;
    char **list = cw_lin_args(k, out, call, &nargs);
    char *args = cw_join_args(list, nargs, true);
    CXType rt = clang_getUnqualifiedType(clang_getResultType(ft));
    char *result = cw_is_void(rt) ? NULL : cw_new_temp(k, rt, await);
    char *type = cw_start_type(k->tu, ft, call);
    k->fn->lowered.awaits_pointer = true;
    k->passes_status = true;
    int state = cw_new_state(k, await);
    sb_printf(out, "if ((ca__st = ((%s)(void (*)(void))(%s))(ca__t, &ca__f->hdr%s%s%s)) != CA_DONE) { ", type, callee.s,
              result ? ", &" : "", result ? result : "", args);
    sb_printf(out, "ca__f->ca__state = %d; return ca__st; } ca__s%d:; ", state, state);
    if (result) /* the callee writes it when it ends, after reading its arguments */
        cw_result_written_here(k, result, out);
    free(type), free(args), free(callee.s);
    return (cw_val){result, true};
}

cw_async_fn *cw_ptr_callee(cw_tu *tu, CXCursor call)
{
    if (!callable_type(tu, call, cw_ptr_call_type(call)))
        return NULL;
    cw_async_fn *f = calloc(1, sizeof *f); /* lives as long as the helper that names it */
    f->name = cw_strdup("ca__ptr");
    f->type = cw_ptr_call_type(call);
    f->is_void = cw_is_void(clang_getResultType(f->type));
    f->can_suspend = true;
    f->via_pointer = true;
    f->decl = call;
    return f;
}
