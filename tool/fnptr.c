/*
 * Async function pointers: telling async callables from plain ones, and the
 * diagnostics for mixing them (fnptr.h says which values are async).
 *
 * Under gcc `async` expands to nothing, so `int (*)(int)` is both kinds and
 * clang would accept `plain_ptr = async_fn`; the output would then call an
 * entry with the wrong ABI. So every place C converts a value to a declared
 * type (initialisation, assignment, argument, return, cast) is checked here.
 */
#include "fnptr.h"

#include "ctypes.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

bool cw_has_async_attr(CXCursor decl)
{
    CXCursor *v;
    unsigned n = cw_children(decl, &v);
    bool found = false;
    for (unsigned i = 0; i < n && !found; i++) {
        if (v[i].kind != CXCursor_AnnotateAttr)
            continue;
        CXString s = clang_getCursorSpelling(v[i]);
        found = strcmp(clang_getCString(s), "cawait_async") == 0;
        clang_disposeString(s);
    }
    free(v);
    return found;
}

static bool typeof_is_async(CXCursor decl);

bool cw_type_is_async(CXType t)
{
    for (int depth = 0; depth < 64; depth++) {
        switch (t.kind) {
        case CXType_Typedef: {
            CXCursor d = clang_getTypeDeclaration(t);
            if (cw_has_async_attr(d) || typeof_is_async(d))
                return true;
            t = clang_getTypedefDeclUnderlyingType(d);
            break;
        }
        case CXType_Elaborated:
            t = clang_Type_getNamedType(t);
            break;
        case CXType_Attributed:
            t = clang_Type_getModifiedType(t);
            break;
        case CXType_Pointer:
            t = clang_getPointeeType(t);
            break;
        case CXType_ConstantArray:
        case CXType_IncompleteArray:
        case CXType_VariableArray:
            t = clang_getArrayElementType(t);
            break;
        default:
            return false;
        }
    }
    return false;
}

/* A function, or pointers and arrays of them. */
static bool is_callable_type(CXType t)
{
    t = clang_getCanonicalType(t);
    for (;;) {
        if (t.kind == CXType_Pointer)
            t = clang_getCanonicalType(clang_getPointeeType(t));
        else if (cw_is_array_type(t))
            t = clang_getCanonicalType(clang_getArrayElementType(t));
        else
            return t.kind == CXType_FunctionProto || t.kind == CXType_FunctionNoProto;
    }
}

bool cw_decl_is_async(CXCursor decl)
{
    CXType t = decl.kind == CXCursor_TypedefDecl ? clang_getTypedefDeclUnderlyingType(decl) : clang_getCursorType(decl);
    return cw_has_async_attr(decl) || cw_type_is_async(t) || typeof_is_async(decl);
}

/* Does value e name an async function or an async pointer (f, &f, *p, s.m, a[i])? Without a tu: by attributes. */
static bool names_async(CXCursor e)
{
    CXCursor x = cw_strip(e);
    while ((x.kind == CXCursor_UnaryOperator && (clang_getCursorUnaryOperatorKind(x) == CXUnaryOperator_AddrOf ||
                                                 clang_getCursorUnaryOperatorKind(x) == CXUnaryOperator_Deref)) ||
           x.kind == CXCursor_ArraySubscriptExpr)
        x = cw_strip(cw_child(x, 0));
    if (x.kind == CXCursor_DeclRefExpr || x.kind == CXCursor_MemberRefExpr) {
        CXCursor d = clang_getCursorReferenced(x);
        return !clang_Cursor_isNull(d) &&
               (d.kind == CXCursor_FunctionDecl ? cw_has_async_attr(d) : cw_decl_is_async(d));
    }
    return cw_type_is_async(clang_getCursorType(x));
}

/*
 * `__typeof__(f) *p`, `typedef typeof(f) f_t;`: a type written as the type of
 * an async callable is async too (typeof does not evaluate f, so f is no
 * value there). clang's C API shows no typeof type, but the declaration's
 * children hold its expression, before the declared name.
 */
static bool typeof_is_async(CXCursor decl)
{
    if (decl.kind != CXCursor_VarDecl && decl.kind != CXCursor_ParmDecl && decl.kind != CXCursor_FieldDecl &&
        decl.kind != CXCursor_TypedefDecl)
        return false;
    unsigned name_at;
    clang_getExpansionLocation(clang_getCursorLocation(decl), NULL, NULL, NULL, &name_at);
    CXCursor *v;
    unsigned n = cw_children(decl, &v);
    bool found = false;
    for (unsigned i = 0; i < n && !found; i++) {
        unsigned at;
        clang_getExpansionLocation(clang_getCursorLocation(v[i]), NULL, NULL, NULL, &at);
        found = clang_isExpression(v[i].kind) && at < name_at && is_callable_type(clang_getCursorType(v[i])) &&
                names_async(v[i]);
    }
    free(v);
    return found;
}

static cw_callable kind_of(bool async)
{
    return async ? CW_ASYNC_CALLABLE : CW_PLAIN_CALLABLE;
}

static cw_callable callable_of_decl(cw_tu *tu, CXCursor d)
{
    if (d.kind == CXCursor_FunctionDecl)
        return kind_of(cw_async_of(tu, d) != NULL);
    return kind_of(cw_decl_is_async(d));
}

/*
 * _Generic(x, int: f, long: g): clang's C API does not say which association
 * was chosen. The choice has the selection's type, so the associations of
 * that type decide; when they are async and plain alike (*ambiguous), the
 * kind is unknown and check.c says so.
 */
static cw_callable generic_choice(cw_tu *tu, CXCursor sel, bool *ambiguous)
{
    CXType want = clang_getCanonicalType(clang_getCursorType(sel));
    CXCursor *v;
    unsigned n = cw_children(sel, &v);
    cw_callable kind = CW_NOT_CALLABLE;
    bool mixed = false;
    for (unsigned i = 1; i < n; i++) { /* v[0] is the controlling expression */
        if (!clang_equalTypes(clang_getCanonicalType(clang_getCursorType(v[i])), want))
            continue;
        cw_callable k = cw_callable_of(tu, v[i]);
        mixed |= kind != CW_NOT_CALLABLE && k != kind;
        kind = k;
    }
    free(v);
    if (ambiguous)
        *ambiguous = mixed;
    return mixed ? CW_PLAIN_CALLABLE : kind;
}

CXCursor cw_generic_chosen(CXCursor sel)
{
    CXType want = clang_getCanonicalType(clang_getCursorType(sel));
    CXCursor *v, chosen = clang_getNullCursor();
    unsigned n = cw_children(sel, &v), found = 0;
    for (unsigned i = 1; i < n; i++)
        if (clang_equalTypes(clang_getCanonicalType(clang_getCursorType(v[i])), want))
            chosen = v[i], found++;
    free(v);
    return found == 1 ? chosen : clang_getNullCursor();
}

cw_callable cw_callable_of(cw_tu *tu, CXCursor e)
{
    CXCursor x = cw_strip(e); /* an implicit conversion of NULL to a function pointer is not a callable */
    if (!is_callable_type(clang_getCursorType(e)) || !is_callable_type(clang_getCursorType(x)))
        return CW_NOT_CALLABLE;
    switch (x.kind) {
    case CXCursor_DeclRefExpr:
    case CXCursor_MemberRefExpr: {
        CXCursor d = clang_getCursorReferenced(x);
        return clang_Cursor_isNull(d) ? CW_PLAIN_CALLABLE : callable_of_decl(tu, d);
    }
    case CXCursor_ArraySubscriptExpr: {
        CXCursor base = cw_child(x, 0);
        return is_callable_type(clang_getCursorType(base)) ? cw_callable_of(tu, base)
                                                           : cw_callable_of(tu, cw_child(x, 1)); /* i[table] */
    }
    case CXCursor_UnaryOperator: {
        enum CXUnaryOperatorKind op = clang_getCursorUnaryOperatorKind(x);
        if (op == CXUnaryOperator_Deref || op == CXUnaryOperator_AddrOf || op == CXUnaryOperator_Extension)
            return cw_callable_of(tu, cw_child(x, 0));
        break;
    }
    case CXCursor_ConditionalOperator:
        return cw_callable_of(tu, cw_child(x, 1));
    case CXCursor_GenericSelectionExpr:
        return generic_choice(tu, x, NULL);
    case CXCursor_BinaryOperator:
    case CXCursor_CompoundAssignOperator: {
        enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(x);
        if (op == CXBinaryOperator_Assign)
            return cw_callable_of(tu, cw_child(x, 0));
        if (op == CXBinaryOperator_Comma)
            return cw_callable_of(tu, cw_child(x, 1));
        break;
    }
    default:
        break;
    }
    return kind_of(cw_type_is_async(clang_getCursorType(x)));
}

bool cw_is_ptr_call(cw_tu *tu, CXCursor call)
{
    return call.kind == CXCursor_CallExpr && !cw_async_callee(tu, call) &&
           cw_callable_of(tu, cw_child(call, 0)) == CW_ASYNC_CALLABLE;
}

CXType cw_ptr_call_type(CXCursor call)
{
    CXType t = clang_getCanonicalType(clang_getCursorType(cw_child(call, 0)));
    if (t.kind == CXType_Pointer)
        t = clang_getCanonicalType(clang_getPointeeType(t));
    return t;
}

/* ---- conversions ------------------------------------------------------ */

/* The async function a value names (f, &f, *f), or NULL. */
static cw_async_fn *named_async_fn(cw_tu *tu, CXCursor e)
{
    CXCursor x = cw_strip(e);
    while (x.kind == CXCursor_UnaryOperator && (clang_getCursorUnaryOperatorKind(x) == CXUnaryOperator_AddrOf ||
                                                clang_getCursorUnaryOperatorKind(x) == CXUnaryOperator_Deref))
        x = cw_strip(cw_child(x, 0));
    return x.kind == CXCursor_DeclRefExpr ? cw_async_of(tu, x) : NULL;
}

static char *plain_name(CXCursor e)
{
    CXCursor x = cw_strip(e);
    while (x.kind == CXCursor_UnaryOperator && (clang_getCursorUnaryOperatorKind(x) == CXUnaryOperator_AddrOf ||
                                                clang_getCursorUnaryOperatorKind(x) == CXUnaryOperator_Deref))
        x = cw_strip(cw_child(x, 0));
    if (x.kind != CXCursor_DeclRefExpr || clang_getCursorReferenced(x).kind != CXCursor_FunctionDecl)
        return NULL;
    CXString s = clang_getCursorSpelling(x);
    char *r = cw_strdup(clang_getCString(s));
    clang_disposeString(s);
    return r;
}

/* Value e goes into a slot of kind `slot`: an error when both are callables of different kinds. */
static void check_value(cw_tu *tu, CXCursor e, cw_callable slot, const char *where)
{
    cw_callable have = cw_callable_of(tu, e);
    if (slot == CW_NOT_CALLABLE || have == CW_NOT_CALLABLE || have == slot)
        return;
    if (have == CW_ASYNC_CALLABLE) {
        cw_async_fn *f = named_async_fn(tu, e);
        if (f)
            cw_error(tu, e, "async function '%s' %s a plain function pointer", f->name, where);
        else
            cw_error(tu, e, "async function pointer %s a plain function pointer", where);
    } else {
        char *name = plain_name(e);
        if (name)
            cw_error(tu, e, "plain function '%s' %s an async function pointer", name, where);
        else
            cw_error(tu, e, "plain function pointer %s an async function pointer", where);
        free(name);
    }
}

static cw_callable slot_of_type(CXType t)
{
    return is_callable_type(t) ? kind_of(cw_type_is_async(t)) : CW_NOT_CALLABLE;
}

static cw_callable slot_of_decl(CXCursor d)
{
    return is_callable_type(clang_getCursorType(d)) ? kind_of(cw_decl_is_async(d)) : CW_NOT_CALLABLE;
}

struct fields {
    CXCursor *v;
    unsigned n;
};

static enum CXVisitorResult add_field(CXCursor c, CXClientData d)
{
    struct fields *f = d;
    *CW_PUSH(f->v, f->n) = c;
    return CXVisit_Continue;
}

static void check_init(cw_tu *tu, CXCursor init, CXType type, cw_callable slot);

/* `{ a, .m = b, [2] = c }` for an object of type t; elements of an array go to slots of kind `slot`. */
static void check_init_list(cw_tu *tu, CXCursor list, CXType type, cw_callable slot)
{
    CXType t = clang_getCanonicalType(type);
    bool array = t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray;
    struct fields fs = {NULL, 0};
    if (t.kind == CXType_Record)
        clang_Type_visitFields(t, add_field, &fs);
    CXCursor *v;
    unsigned n = cw_children(list, &v), next = 0;
    for (unsigned i = 0; i < n; i++) {
        CXCursor value = v[i];
        CXCursor *d;
        unsigned nd = cw_children(v[i], &d);
        bool designated = v[i].kind == CXCursor_UnexposedExpr && nd > 1;
        if (designated) { /* .m = v or [k] = v: the designators, then the value */
            value = d[nd - 1];
            if (!array && d[0].kind == CXCursor_MemberRef && nd == 2) {
                CXCursor field = clang_getCursorReferenced(d[0]);
                next = fs.n;
                for (unsigned j = 0; j < fs.n; j++)
                    if (clang_equalCursors(fs.v[j], field))
                        next = j;
            } else if (!array) {
                next = fs.n; /* nested designators: not followed */
            }
        }
        free(d);
        if (array)
            check_init(tu, value, clang_getArrayElementType(t), slot);
        else if (next < fs.n)
            check_init(tu, value, clang_getCursorType(fs.v[next]), slot_of_decl(fs.v[next]));
        next++;
    }
    free(v);
    free(fs.v);
}

static void check_init(cw_tu *tu, CXCursor init, CXType type, cw_callable slot)
{
    if (init.kind == CXCursor_InitListExpr)
        check_init_list(tu, init, type, slot);
    else
        check_value(tu, init, slot, "initialises");
}

/*
 * An argument with no declared parameter type (through `...`, or to a function
 * without a prototype, such as a builtin clang does not know): the callee may
 * call it as a plain function, so an async callable there must be cast to an
 * async pointer type to say that the callee expects one.
 */
static void check_untyped_arg(cw_tu *tu, CXCursor e)
{
    if (cw_callable_of(tu, e) != CW_ASYNC_CALLABLE || cw_strip(e).kind == CXCursor_CStyleCastExpr)
        return;
    cw_async_fn *f = named_async_fn(tu, e);
    cw_error(tu, e,
             "%s%s%s passed where the callee declares no parameter type (through '...' or without a prototype); "
             "cast it to an async function pointer type if the callee expects one",
             f ? "async function '" : "async function pointer", f ? f->name : "", f ? "'" : "");
}

/* The parameter slots of a call: the callee's declared parameters, or its pointer's function type. */
static void check_args(cw_tu *tu, CXCursor call)
{
    CXCursor *v;
    unsigned n = cw_children(call, &v);
    CXCursor callee = cw_strip(n ? v[0] : clang_getNullCursor());
    while (callee.kind == CXCursor_UnaryOperator &&
           (clang_getCursorUnaryOperatorKind(callee) == CXUnaryOperator_AddrOf ||
            clang_getCursorUnaryOperatorKind(callee) == CXUnaryOperator_Deref))
        callee = cw_strip(cw_child(callee, 0));
    CXCursor fn = callee.kind == CXCursor_DeclRefExpr ? clang_getCursorReferenced(callee) : clang_getNullCursor();
    bool by_decl = fn.kind == CXCursor_FunctionDecl;
    CXType ft = cw_ptr_call_type(call);
    int nparams = by_decl ? clang_Cursor_getNumArguments(fn) : clang_getNumArgTypes(ft);
    for (unsigned i = 1; i < n && (int)i <= nparams; i++) {
        cw_callable slot =
            by_decl ? slot_of_decl(clang_Cursor_getArgument(fn, i - 1)) : slot_of_type(clang_getArgType(ft, i - 1));
        check_value(tu, v[i], slot, "passed for");
    }
    CXType callee_type = by_decl ? clang_getCursorType(fn) : ft;
    bool open = callee_type.kind == CXType_FunctionNoProto || clang_isFunctionTypeVariadic(callee_type) ||
                (!by_decl && ft.kind == CXType_Invalid);
    for (unsigned i = nparams < 0 ? 1 : (unsigned)nparams + 1; open && i < n; i++)
        check_untyped_arg(tu, v[i]);
    free(v);
}

void cw_check_fnptr_conversions(cw_tu *tu, CXCursor c, CXCursor fn)
{
    switch (c.kind) {
    case CXCursor_VarDecl: {
        CXCursor init = clang_Cursor_getVarDeclInitializer(c);
        if (!clang_Cursor_isNull(init) && !clang_isInvalid(init.kind))
            check_init(tu, init, clang_getCursorType(c), slot_of_decl(c));
        break;
    }
    case CXCursor_BinaryOperator:
        if (clang_getCursorBinaryOperatorKind(c) == CXBinaryOperator_Assign) {
            CXCursor lhs = cw_child(c, 0);
            check_value(tu, cw_child(c, 1),
                        is_callable_type(clang_getCursorType(lhs)) ? cw_callable_of(tu, lhs) : CW_NOT_CALLABLE,
                        "assigned to");
        }
        break;
    case CXCursor_CallExpr:
        check_args(tu, c);
        break;
    case CXCursor_ReturnStmt: {
        CXCursor value = cw_child(c, 0);
        if (!clang_Cursor_isNull(value) && fn.kind == CXCursor_FunctionDecl)
            check_value(tu, value, slot_of_type(clang_getResultType(clang_getCursorType(fn))), "returned as");
        break;
    }
    case CXCursor_CStyleCastExpr: {
        CXCursor *v;
        unsigned n = cw_children(c, &v);
        if (n)
            check_value(tu, v[n - 1], slot_of_type(clang_getCursorType(c)), "cast to");
        free(v);
        break;
    }
    case CXCursor_CompoundLiteralExpr: {
        CXCursor *v;
        unsigned n = cw_children(c, &v);
        if (n && v[n - 1].kind == CXCursor_InitListExpr)
            check_init_list(tu, v[n - 1], clang_getCursorType(c), slot_of_type(clang_getCursorType(c)));
        free(v);
        break;
    }
    case CXCursor_GenericSelectionExpr: {
        bool ambiguous = false;
        generic_choice(tu, c, &ambiguous);
        if (ambiguous)
            cw_error(tu, c,
                     "cawait cannot tell whether this _Generic chooses an async or a plain function (both "
                     "kinds have the chosen type); give them different types or split the _Generic");
        break;
    }
    case CXCursor_ConditionalOperator: {
        cw_callable a = cw_callable_of(tu, cw_child(c, 1));
        if (a != CW_NOT_CALLABLE)
            check_value(tu, cw_child(c, 2), a, "mixed in '?:' with");
        break;
    }
    default:
        break;
    }
}
