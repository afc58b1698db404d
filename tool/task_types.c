/*
 * Typed task handles (part of the check pass): `ca_task_of(T)` declares a
 * plain `struct ca_task *` whose declaration records T (keywords.h expands
 * it to __typeof__((void)(__typeof__(T) *)0, (struct ca_task *)0), and the
 * cast to T * is in the AST). The type travels with declarations, so the
 * tool sees both ends of a task's value where
 *
 *   - a ca_spawn is stored into a typed handle: a variable's initialiser
 *     (or an element of its initialiser list), an assignment, a return from
 *     a function returning one, an argument for a typed parameter; the
 *     spawned call must return T exactly, and the task then keeps its value
 *     (spawn.c asks cw_spawn_keeps_value);
 *   - a join takes a value (ca_join_value, ca_join_all_values,
 *     ca_join_any_value): the task handle must be reached from a typed
 *     declaration (a variable, parameter, member or function, through
 *     subscripts, `*` and `&`), or be a ca_spawn written right there, and
 *     the destination must point to T.
 *
 * Each mismatch is an error at the spawn or at the joiner's argument. A
 * handle the tool cannot trace (a plain ca_task *) cannot give a value.
 * Also: ca_group_spawn's group must be a ca_group pointer.
 */
#include "check.h"

#include "ctypes.h"

#include <stdlib.h>
#include <string.h>

/* T, from the ParenExpr of ca_task_of(T): ((void)(T *)0, (struct ca_task *)0). */
static CXType marker_type(CXCursor paren)
{
    CXCursor void_cast = cw_child(cw_child(paren, 0), 0);
    CXCursor t_cast = cw_child(void_cast, 0);
    return clang_getPointeeType(clang_getCursorType(t_cast));
}

struct marker_search {
    cw_tu *tu;
    int depth;
    bool found;
    CXType type;
};

static bool decl_task_type(cw_tu *tu, CXCursor decl, int depth, CXType *t);

/* Direct children only: a ca_task_of in a parameter or an initialiser says nothing about decl itself. */
static enum CXChildVisitResult find_marker(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct marker_search *s = d;
    if (cw_is_task_of(s->tu, c)) {
        s->type = marker_type(c);
        s->found = true;
        return CXChildVisit_Break;
    }
    if (c.kind == CXCursor_TypeRef) {
        CXCursor ref = clang_getCursorReferenced(c);
        if (ref.kind == CXCursor_TypedefDecl && decl_task_type(s->tu, ref, s->depth + 1, &s->type)) {
            s->found = true;
            return CXChildVisit_Break;
        }
    }
    return CXChildVisit_Continue;
}

/* The T of a declaration written with ca_task_of(T), directly or through typedefs. */
static bool decl_task_type(cw_tu *tu, CXCursor decl, int depth, CXType *t)
{
    if (depth > 16 || clang_Cursor_isNull(decl))
        return false;
    switch (decl.kind) {
    case CXCursor_VarDecl:
    case CXCursor_ParmDecl:
    case CXCursor_FieldDecl:
    case CXCursor_FunctionDecl:
    case CXCursor_TypedefDecl:
        break;
    default:
        return false;
    }
    struct marker_search s = {tu, depth, false, {0}};
    clang_visitChildren(decl, find_marker, &s);
    if (s.found)
        *t = s.type;
    return s.found;
}

/* Parentheses and implicit conversions, but not a ca_spawn (itself a ParenExpr). */
static CXCursor strip(cw_tu *tu, CXCursor e)
{
    while ((e.kind == CXCursor_ParenExpr && !cw_is_ca_spawn(tu, e)) || e.kind == CXCursor_UnexposedExpr) {
        CXCursor c = cw_child(e, 0);
        if (clang_Cursor_isNull(c))
            break;
        e = c;
    }
    return e;
}

static bool is_kept(cw_tu *tu, CXCursor call)
{
    for (size_t i = 0; i < tu->nkept; i++)
        if (clang_equalCursors(tu->kept_spawns[i], call))
            return true;
    return false;
}

bool cw_spawn_keeps_value(cw_tu *tu, CXCursor call)
{
    return is_kept(tu, call);
}

static char *type_name(CXType t)
{
    CXString s = clang_getTypeSpelling(clang_getCanonicalType(t));
    char *r = strdup(clang_getCString(s));
    clang_disposeString(s);
    return r;
}

static bool same_type(CXType a, CXType b)
{
    return clang_equalTypes(clang_getUnqualifiedType(clang_getCanonicalType(a)),
                            clang_getUnqualifiedType(clang_getCanonicalType(b)));
}

/* The spawned call of a plain ca_spawn (not a group's), or a null cursor. */
static CXCursor spawned_call(cw_tu *tu, CXCursor spawn)
{
    if (!cw_is_ca_spawn(tu, spawn) || !clang_Cursor_isNull(cw_spawn_group(tu, spawn)))
        return clang_getNullCursor();
    CXCursor comma = cw_child(spawn, 0);
    return cw_strip(cw_child(cw_child(comma, 0), 0));
}

/*
 * The task made by `spawn` keeps its value, of type t, which its call must
 * return. The call's own type is its value's: this holds for a call through
 * an async function pointer as well as of a named function.
 */
static void keep(cw_tu *tu, CXCursor spawn, CXType t)
{
    CXCursor call = spawned_call(tu, spawn);
    if (clang_Cursor_isNull(call) || call.kind != CXCursor_CallExpr)
        return;
    CXType rt = clang_getCursorType(call);
    if (!same_type(rt, t)) {
        char *want = type_name(t), *got = type_name(rt);
        CXString callee = clang_getCursorSpelling(call);
        cw_error(tu, call, "a task of '%s' cannot hold the value of '%s', which returns '%s'", want,
                 clang_getCString(callee), got);
        clang_disposeString(callee);
        free(want), free(got);
        return;
    }
    if (clang_getCanonicalType(rt).kind == CXType_Void || is_kept(tu, call))
        return;
    *CW_PUSH(tu->kept_spawns, tu->nkept) = call;
}

/* A value stored into a handle of type t: when it is a ca_spawn (or a list of them), its task keeps its value. */
static void store(cw_tu *tu, CXType t, CXCursor value)
{
    CXCursor v = strip(tu, value);
    if (v.kind == CXCursor_InitListExpr) {
        CXCursor *c;
        unsigned n = cw_children(v, &c);
        for (unsigned i = 0; i < n; i++)
            store(tu, t, c[i]);
        free(c);
    } else if (cw_is_ca_spawn(tu, v)) {
        keep(tu, v, t);
    }
}

/* The T of a task handle expression, traced to a typed declaration (or a ca_spawn written there). */
static bool expr_task_type(cw_tu *tu, CXCursor e, CXType *t)
{
    e = strip(tu, e);
    CXCursor call;
    switch (e.kind) {
    case CXCursor_DeclRefExpr:
    case CXCursor_MemberRefExpr:
        return decl_task_type(tu, clang_getCursorReferenced(e), 0, t);
    case CXCursor_CallExpr:
        return decl_task_type(tu, clang_getCursorReferenced(e), 0, t);
    case CXCursor_ArraySubscriptExpr:
        return expr_task_type(tu, cw_child(e, 0), t);
    case CXCursor_UnaryOperator: {
        enum CXUnaryOperatorKind op = clang_getCursorUnaryOperatorKind(e);
        return (op == CXUnaryOperator_Deref || op == CXUnaryOperator_AddrOf) && expr_task_type(tu, cw_child(e, 0), t);
    }
    case CXCursor_ParenExpr:
        call = spawned_call(tu, e);
        if (clang_Cursor_isNull(call))
            return false;
        *t = clang_getCursorType(call);
        keep(tu, e, *t);
        return true;
    default:
        return false;
    }
}

/* The type a destination argument points to (or an array's element type); false when neither. */
static bool target_type(CXCursor arg, CXType *t)
{
    CXType a = clang_getCanonicalType(clang_getCursorType(arg));
    if (a.kind == CXType_Pointer)
        *t = clang_getPointeeType(a);
    else if (cw_is_array_type(a))
        *t = clang_getArrayElementType(a);
    else
        return false;
    return true;
}

/* ca_join_value(t, &v), ca_join_all_values(ts, n, vs, st), ca_join_any_value(ts, n, &v, st). */
static void check_join(cw_tu *tu, CXCursor call, cw_async_fn *f)
{
    int task_arg = 0, value_arg = strcmp(f->name, "ca_join_value") == 0 ? 1 : 2;
    CXCursor task = clang_Cursor_getArgument(call, (unsigned)task_arg);
    CXCursor value = clang_Cursor_getArgument(call, (unsigned)value_arg);
    if (clang_Cursor_isNull(task) || clang_Cursor_isNull(value))
        return;
    CXType t;
    if (!expr_task_type(tu, task, &t)) {
        cw_error(tu, task, "%s: cannot see the value type of this task; declare its handle with ca_task_of(T)",
                 f->name);
        return;
    }
    char *tn = type_name(t);
    CXType dst;
    CXCursor v = cw_strip(value);
    if (clang_getCanonicalType(t).kind == CXType_Void)
        cw_error(tu, task, "%s: a task of 'void' has no value; use ca_join", f->name);
    else if (!target_type(v, &dst) || clang_getCanonicalType(dst).kind == CXType_Void)
        cw_error(tu, value, "%s: the value of a task of '%s' needs a '%s *' to go to", f->name, tn, tn);
    else if (!same_type(dst, t)) {
        char *dn = type_name(dst);
        cw_error(tu, value, "%s: the task's value has type '%s', not '%s'", f->name, tn, dn);
        free(dn);
    } else if (clang_isConstQualifiedType(dst)) {
        cw_error(tu, value, "%s: the value of a task of '%s' cannot be written to a const '%s'", f->name, tn, tn);
    }
    free(tn);
}

static bool is_group_pointer(CXType t)
{
    if (t.kind != CXType_Pointer)
        return false;
    char *n = type_name(clang_getPointeeType(t));
    bool ok = strcmp(n, "struct ca_group") == 0;
    free(n);
    return ok;
}

struct walk {
    cw_tu *tu;
    CXCursor fn; /* the enclosing function */
};

static enum CXChildVisitResult walk_node(CXCursor c, CXCursor parent, CXClientData d);

static void walk_children(cw_tu *tu, CXCursor c, CXCursor fn)
{
    struct walk w = {tu, fn};
    clang_visitChildren(c, walk_node, &w);
}

static enum CXChildVisitResult walk_node(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct walk *w = d;
    cw_tu *tu = w->tu;
    CXType t;
    switch (c.kind) {
    case CXCursor_FunctionDecl:
        walk_children(tu, c, c);
        return CXChildVisit_Continue;
    case CXCursor_VarDecl: {
        CXCursor init = clang_Cursor_getVarDeclInitializer(c);
        if (!clang_Cursor_isNull(init) && decl_task_type(tu, c, 0, &t))
            store(tu, t, init);
        break;
    }
    case CXCursor_BinaryOperator:
        if (clang_getCursorBinaryOperatorKind(c) == CXBinaryOperator_Assign && expr_task_type(tu, cw_child(c, 0), &t))
            store(tu, t, cw_child(c, 1));
        break;
    case CXCursor_ReturnStmt:
        if (!clang_Cursor_isNull(w->fn) && !clang_Cursor_isNull(cw_child(c, 0)) && decl_task_type(tu, w->fn, 0, &t))
            store(tu, t, cw_child(c, 0));
        break;
    case CXCursor_ParenExpr: {
        CXCursor g = cw_spawn_group(tu, c);
        CXType gt = clang_getCanonicalType(clang_getCursorType(cw_strip(g)));
        if (!clang_Cursor_isNull(g) && !is_group_pointer(gt)) {
            char *n = type_name(gt);
            cw_error(tu, g, "ca_group_spawn needs a 'ca_group *', not '%s'", n);
            free(n);
        }
        break;
    }
    case CXCursor_CallExpr: {
        cw_async_fn *f = cw_async_callee(tu, c);
        if (f && f->from_cawait &&
            (!strcmp(f->name, "ca_join_value") || !strcmp(f->name, "ca_join_all_values") ||
             !strcmp(f->name, "ca_join_any_value"))) {
            check_join(tu, c, f);
            break;
        }
        CXCursor callee = clang_getCursorReferenced(c);
        if (callee.kind != CXCursor_FunctionDecl)
            break;
        int n = clang_Cursor_getNumArguments(c);
        for (int i = 0; i < n && i < clang_Cursor_getNumArguments(callee); i++)
            if (decl_task_type(tu, clang_Cursor_getArgument(callee, (unsigned)i), 0, &t))
                store(tu, t, clang_Cursor_getArgument(c, (unsigned)i));
        break;
    }
    default:
        break;
    }
    return CXChildVisit_Recurse;
}

static enum CXChildVisitResult walk_top(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    cw_tu *tu = d;
    CXFile f;
    clang_getExpansionLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
    if (f && clang_File_isEqual(f, tu->main_file)) {
        struct walk w = {tu, clang_getNullCursor()};
        if (walk_node(c, c, &w) == CXChildVisit_Recurse)
            clang_visitChildren(c, walk_node, &w);
    }
    return CXChildVisit_Continue;
}

void cw_check_tasks(cw_tu *tu)
{
    clang_visitChildren(clang_getTranslationUnitCursor(tu->tu), walk_top, tu);
}
