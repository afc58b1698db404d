/*
 * The frame of the function being lowered, as the lowering builds it (lower.h):
 * its fields as the statements and expressions add them, the temporaries
 * that must keep their own storage, the callees and generators it waits on
 * (for the task bytes), and the compound literals made in the frame. Shared
 * by the statement and expression halves, so neither reaches into the other
 * for it. Which fields then share storage is lower_stmt.c's, once the body
 * is lowered.
 */
#include "lower.h"

#include "ctypes.h"

#include <stdlib.h>
#include <string.h>

size_t cw_add_raw_field(cw_fn *k, cw_field_kind kind, const char *name, const char *decl, const char *type,
                        long long size, long long align)
{
    /* The tool's own fields (a ca_for's generator, VLA blocks, ca_to_thread's records) are pinned:
       something outside the code may still use them. */
    size_t i = cw_frame_add(&k->fn->lowered.frame, kind, name, decl, type, size, align);
    k->fn->lowered.frame.fields[i].pinned = true;
    return i;
}

int cw_new_state(cw_fn *k, CXCursor at)
{
    *CW_PUSH(k->state_at, k->nstates) = at;
    return k->nstates;
}

/* Could a value of type t live in a register: arithmetic or a pointer, not volatile, not atomic? */
static bool is_scalar(CXType t)
{
    CXType c = clang_getCanonicalType(t);
    if (clang_isVolatileQualifiedType(t) || clang_isVolatileQualifiedType(c))
        return false;
    switch (c.kind) {
    case CXType_Bool:
    case CXType_Char_U:
    case CXType_UChar:
    case CXType_Char16:
    case CXType_Char32:
    case CXType_UShort:
    case CXType_UInt:
    case CXType_ULong:
    case CXType_ULongLong:
    case CXType_UInt128:
    case CXType_Char_S:
    case CXType_SChar:
    case CXType_WChar:
    case CXType_Short:
    case CXType_Int:
    case CXType_Long:
    case CXType_LongLong:
    case CXType_Int128:
    case CXType_Float:
    case CXType_Double:
    case CXType_LongDouble:
    case CXType_Pointer:
    case CXType_Enum:
        return true;
    default:
        return false;
    }
}

size_t cw_add_field(cw_fn *k, cw_field_kind kind, const char *name, const char *decl, CXType t)
{
    char *type = cw_declare(t, "", NULL);
    /* A parameter of array or function type is a pointer (C11 6.7.6.3), whatever the array's length. */
    bool decays =
        kind == CW_FIELD_PARAM && (cw_is_array_type(t) || clang_getCanonicalType(t).kind == CXType_FunctionProto ||
                                   clang_getCanonicalType(t).kind == CXType_FunctionNoProto);
    long long size = decays ? (long long)sizeof(void *) : clang_Type_getSizeOf(t);
    long long align = decays ? (long long)_Alignof(void *) : clang_Type_getAlignOf(t);
    size_t i = cw_frame_add(&k->fn->lowered.frame, kind, name, decl, type ? type : "?", size, align);
    k->fn->lowered.frame.fields[i].scalar = decays || is_scalar(t);
    free(type);
    return i;
}

/* The frame field a temporary's reference `ca__f->name` names, or NULL. */
static cw_field *temp_field(cw_fn *k, const char *ref)
{
    static const char arrow[] = "ca__f->";
    if (!ref || strncmp(ref, arrow, sizeof arrow - 1) != 0)
        return NULL;
    long i = cw_frame_find(&k->fn->lowered.frame, ref + sizeof arrow - 1);
    return i < 0 ? NULL : &k->fn->lowered.frame.fields[i];
}

void cw_pin_temp(cw_fn *k, const char *ref)
{
    cw_field *x = temp_field(k, ref);
    if (x)
        x->pinned = true;
}

void cw_result_written_here(cw_fn *k, const char *ref, strbuf *out)
{
    cw_field *x = temp_field(k, ref);
    if (x && out == k->code)
        x->written_from = (long)out->len;
}

void cw_note_callee(cw_fn *k, cw_async_fn *callee)
{
    cw_async_fn *f = k->fn;
    for (size_t i = 0; i < f->lowered.ncallees; i++)
        if (f->lowered.callees[i] == callee)
            return;
    *CW_PUSH(f->lowered.callees, f->lowered.ncallees) = callee;
}

void cw_note_iterated(cw_fn *k, cw_async_fn *gen)
{
    cw_async_fn *f = k->fn;
    *CW_PUSH(f->lowered.iterated, f->lowered.niterated) = gen;
}

/*
 * A compound literal is an object that lives to the end of its block. In a
 * state machine the resume function's C frame does not: one whose address
 * is used (`&(struct s){...}`, an array literal, which decays to its
 * address, or an array member of a literal) may be used after an await, so
 * it is made in the frame like a literal with an await in it (lower_expr.c).
 * cw_has_await counts such a literal as an await so that its expression is
 * linearised. A literal used only as a value stays as written.
 */
/* `x.m` rather than `p->m`: the member is part of the object x. */
static bool member_of_object(CXCursor member)
{
    return clang_getCanonicalType(clang_getCursorType(cw_child(member, 0))).kind != CXType_Pointer;
}

static void mark_escaping(cw_fn *k, CXCursor e)
{
    e = cw_strip(e);
    while (e.kind == CXCursor_MemberRefExpr && member_of_object(e)) /* &(struct s){...}.m */
        e = cw_strip(cw_child(e, 0));
    if (e.kind != CXCursor_CompoundLiteralExpr || cw_escaping_literal(k, e))
        return;
    cw_index_add(&k->escaping_by_hash, clang_hashCursor(e), k->nescaping);
    *CW_PUSH(k->escaping, k->nescaping) = e;
}

static enum CXChildVisitResult find_escaping_literals(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    cw_fn *k = d;
    if (c.kind == CXCursor_UnaryExpr) /* sizeof, _Alignof: never evaluated */
        return CXChildVisit_Continue;
    if (c.kind == CXCursor_CompoundLiteralExpr && cw_is_array_type(clang_getCanonicalType(clang_getCursorType(c))))
        mark_escaping(k, c);
    else if (c.kind == CXCursor_UnaryOperator && clang_getCursorUnaryOperatorKind(c) == CXUnaryOperator_AddrOf)
        mark_escaping(k, cw_child(c, 0));
    else if (c.kind == CXCursor_MemberRefExpr && member_of_object(c) &&
             cw_is_array_type(clang_getCanonicalType(clang_getCursorType(c))))
        mark_escaping(k, cw_child(c, 0));
    return CXChildVisit_Recurse;
}

void cw_find_escaping_literals(cw_fn *k, CXCursor body)
{
    clang_visitChildren(body, find_escaping_literals, k);
}

bool cw_escaping_literal(cw_fn *k, CXCursor c)
{
    if (c.kind != CXCursor_CompoundLiteralExpr || !k->nescaping)
        return false;
    size_t it = 0, i;
    while ((i = cw_index_next(&k->escaping_by_hash, clang_hashCursor(c), &it)) != CW_INDEX_END)
        if (clang_equalRanges(clang_getCursorExtent(k->escaping[i]), clang_getCursorExtent(c)))
            return true; /* the same expression (clang_equalCursors also compares the parent it was reached from) */
    return false;
}
