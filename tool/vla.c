/*
 * Variable-length arrays that live across an await. The frame cannot hold
 * a run-time sized member, so the array gets a block of the task's frame
 * stack, allocated when its declaration runs (its bounds evaluated then, as
 * C does) and freed when its scope is left (scopes.c; a return frees it
 * with the frame, which lies below it). The frame keeps a pointer to the
 * block and each run-time bound; code names the array as
 * `(*(T (*)[ca__f->ca__a_n0][4])ca__f->a)`, a real VLA lvalue, so sizeof,
 * indexing, decay and & mean what they meant. A pointer to a VLA
 * (`int (*row)[n]`) keeps its bounds the same way, without a block. A function holding one has no
 * bound on its task's frame bytes (report.c): the runtime grows the stack.
 * C's rule against jumps into a VLA's scope has been checked by clang on the
 * original; resume labels may enter the scope, as the array is no C VLA
 * any more.
 */
#include "lower.h"

#include "ctypes.h"

#include <stdlib.h>

/* The array levels of t from the outside in (declared ones: a typedef'd array ends the walk), and the element. */
static int levels(CXType t, CXType *level, int max, CXType *elem)
{
    int n = 0;
    while ((t.kind == CXType_VariableArray || t.kind == CXType_ConstantArray) && n < max) {
        level[n++] = t;
        t = clang_getArrayElementType(t);
    }
    *elem = t;
    return n;
}

#define MAX_LEVELS 16

/* "[ca__f->ca__a_n0][4]..." */
static char *bounds(CXType *level, int n, const char *field)
{
    strbuf b;
    sb_init(&b);
    for (int i = 0, v = 0; i < n; i++) {
        if (level[i].kind == CXType_VariableArray)
            sb_printf(&b, "[ca__f->ca__%s_n%d]", field, v++);
        else
            sb_printf(&b, "[%lld]", clang_getArraySize(level[i]));
    }
    return sb_take(&b);
}

/* The array type of a VLA, or the pointee of a pointer to one (`int (*row)[n]`: the pointer is stored). */
static CXType array_of(CXType t, bool *pointer)
{
    *pointer = t.kind == CXType_Pointer;
    return *pointer ? clang_getPointeeType(t) : t;
}

bool cw_is_vla(CXType t)
{
    bool pointer;
    return array_of(t, &pointer).kind == CXType_VariableArray;
}

char *cw_vla_frame_var(cw_fn *k, CXCursor decl, const char *field)
{
    CXType level[MAX_LEVELS], elem;
    bool pointer;
    int n = levels(array_of(clang_getCursorType(decl), &pointer), level, MAX_LEVELS, &elem);
    const char *why = NULL;
    char *b = bounds(level, n, field);
    char *inner = cw_strdup_printf(pointer ? "(**)%s" : "(*)%s", b);
    char *ptr = cw_declare(elem, inner, &why);
    free(b), free(inner);
    if (!ptr) {
        cw_error(k->tu, decl, "'%s' lives across an await but its elements have %s", field, why);
        return cw_strdup_printf("ca__f->%s", field);
    }
    char *block = cw_strdup_printf("void *%s", field);
    cw_add_raw_field(k, CW_FIELD_LOCAL, field, block, "void *", (long long)sizeof(void *), (long long)sizeof(void *));
    free(block);
    for (int i = 0, v = 0; i < n; i++) {
        if (level[i].kind != CXType_VariableArray)
            continue;
        char *dim = cw_strdup_printf("ca__%s_n%d", field, v++);
        char *d = cw_strdup_printf("__SIZE_TYPE__ %s", dim);
        cw_add_raw_field(k, CW_FIELD_LOCAL, dim, d, "size_t", (long long)sizeof(size_t), (long long)sizeof(size_t));
        free(d);
        free(dim);
    }
    k->fn->lowered.has_vla = true;
    char *ref = cw_strdup_printf(pointer ? "(*(%s)&ca__f->%s)" : "(*(%s)ca__f->%s)", ptr, field);
    free(ptr);
    return ref;
}

/* The bound expressions written in the declaration, innermost first, as libclang visits them. */
static unsigned bound_exprs(CXCursor var, CXCursor *out, unsigned max)
{
    CXCursor init = clang_Cursor_getVarDeclInitializer(var), *v;
    unsigned n = cw_children(var, &v), m = 0;
    for (unsigned i = 0; i < n; i++)
        if (clang_isExpression(v[i].kind) && !clang_equalCursors(v[i], init) && m < max)
            out[m++] = v[i];
    free(v);
    return m;
}

void cw_vla_decl(cw_fn *k, strbuf *out, CXCursor var, cw_var *fv)
{
    CXType level[MAX_LEVELS], elem;
    CXCursor expr[MAX_LEVELS];
    bool pointer;
    int n = levels(array_of(clang_getCursorType(var), &pointer), level, MAX_LEVELS, &elem);
    unsigned m = bound_exprs(var, expr, MAX_LEVELS);
    if ((int)m != n) {
        cw_error(k->tu, var,
                 "cawait cannot read the bounds of this variable-length array (declared through a "
                 "typedef?) that lives across an await");
        return;
    }
    sb_puts(out, "{ ");
    for (int i = 0, v = 0; i < n; i++) {
        if (level[i].kind != CXType_VariableArray)
            continue;
        cw_val x = cw_lin(k, out, expr[n - 1 - i], false);
        sb_printf(out, "ca__f->ca__%s_n%d = %s; ", fv->field, v++, x.s ? x.s : "0");
        free(x.s);
    }
    if (pointer) { /* only the bounds: the pointer itself is initialised as any local */
        CXCursor init = clang_Cursor_getVarDeclInitializer(var);
        if (!clang_Cursor_isNull(init) && !clang_isInvalid(init.kind)) {
            cw_val x = cw_lin(k, out, init, false);
            sb_printf(out, "%s = %s; ", fv->ref, x.s);
            free(x.s);
        }
        sb_puts(out, "} ");
        return;
    }
    char *b = bounds(level, n, fv->field);
    char *type = cw_declare(elem, b, NULL), *align = cw_declare(elem, "", NULL);
    sb_printf(out, "ca__f->%s = ca__frame_alloc(ca__t, sizeof(%s), __alignof__(%s)); } ", fv->field,
              type ? type : "int", align ? align : "int");
    free(b), free(type), free(align);
    unsigned at, end;
    cw_expansion_range(k->tu, var, &at, &end);
    cw_exit_add(k, cw_strdup_printf("ca__frame_free(ca__t, ca__f->%s); ", fv->field), at, false);
}
