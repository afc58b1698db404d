/*
 * Pass "check": misuse of async functions and pseudo-keywords is an error
 * before anything is rewritten (DESIGN, semantics item 8):
 *   - await outside an async function, or of something not an async call;
 *   - an async function called without await (async code) or outside
 *     ca_run/ca_spawn (sync code);
 *   - an async function or pointer converted to a plain function pointer, or
 *     the reverse (fnptr.c); a generator or variadic async function used as a
 *     value; a call through an async pointer without await;
 *   - an attribute naming an async function that is called, not awaited
 *     (cleanup), or that no longer exists under its name (attr_names.c);
 *   - ca_run inside async code (it would block the loop it runs on);
 *   - a name beginning with ca__ outside the state machines (lowering checks
 *     those), where it could clash with the generated code's.
 */
#include "check.h"

#include "attr_names.h"
#include "fnptr.h"
#include "runtime_awaits.h"
#include "to_thread.h"

#include <stdlib.h>
#include <string.h>

struct ctx {
    cw_tu *tu;
    bool in_async;
    cw_async_fn *fn;  /* the enclosing async function */
    CXCursor fn_decl; /* the enclosing function, async or not */
};

static bool is_arithmetic(CXType t)
{
    enum CXTypeKind k = clang_getCanonicalType(t).kind;
    return (k >= CXType_Bool && k <= CXType_LongDouble) || k == CXType_Enum || k == CXType_Float128 ||
           k == CXType_Complex;
}

/* Would `T slot = value;` be valid C without a cast (roughly C's simple assignment rules)? */
static bool converts(CXCursor value, CXType to)
{
    CXType from = clang_getCursorType(value);
    CXType a = clang_getCanonicalType(from), b = clang_getCanonicalType(to);
    if (is_arithmetic(a) && is_arithmetic(b))
        return true;
    if (b.kind == CXType_Pointer) {
        CXCursor v = cw_strip(value);
        if (v.kind == CXCursor_IntegerLiteral || a.kind == CXType_Pointer) /* 0, or any pointer: cc warns */
            return a.kind == CXType_Pointer || v.kind == CXCursor_IntegerLiteral;
        return false;
    }
    return clang_equalTypes(clang_getUnqualifiedType(a), clang_getUnqualifiedType(b));
}

/* The async call that await/ca_run/ca_spawn applies to, or a null cursor. */
static CXCursor operand_call(cw_tu *tu, CXCursor keyword)
{
    CXCursor c = cw_strip(cw_child(keyword, 0));
    if (cw_is_ca_spawn(tu, keyword)) { /* ((void)(call), (ca_task *)0) */
        CXCursor comma = cw_strip(keyword);
        c = cw_strip(cw_child(cw_child(comma, 0), 0));
        c = cw_strip(c);
    }
    return cw_async_callee(tu, c) || cw_is_ptr_call(tu, c) ? c : clang_getNullCursor();
}

static void check_node(struct ctx *k, CXCursor c, CXCursor allowed_call);

struct visit {
    struct ctx *k;
    CXCursor allowed_call;
    unsigned skip; /* children to pass over first (a call's callee) */
};

static enum CXChildVisitResult check_child(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct visit *v = d;
    if (v->skip)
        v->skip--;
    else
        check_node(v->k, c, v->allowed_call);
    return CXChildVisit_Continue;
}

/* Visiting, not collecting: check runs over every node of the file. */
static void check_children(struct ctx *k, CXCursor c, CXCursor allowed_call)
{
    struct visit v = {k, allowed_call, 0};
    clang_visitChildren(c, check_child, &v);
}

static const char *name_of(cw_tu *tu, CXCursor call)
{
    return cw_async_callee(tu, call)->name;
}

static void check_node(struct ctx *k, CXCursor c, CXCursor allowed_call)
{
    cw_tu *tu = k->tu;
    if (clang_isAttribute(c.kind))
        cw_check_attr_names(tu, c);
    cw_check_fnptr_conversions(tu, c, k->fn_decl);
    if (c.kind == CXCursor_FunctionDecl) {
        struct ctx inner = {tu, cw_async_of(tu, c) != NULL, cw_async_of(tu, c), c};
        check_children(&inner, c, clang_getNullCursor());
        return;
    }
    if (cw_is_await(tu, c) && !clang_Cursor_isNull(cw_to_thread_operand(tu, c))) {
        CXCursor tt = cw_to_thread_operand(tu, c);
        if (!k->in_async)
            cw_error(tu, c, "'await' outside an async function");
        cw_check_to_thread(tu, tt);
        check_children(k, tt, clang_getNullCursor());
        return;
    }
    if (cw_is_to_thread(tu, c)) {
        cw_error(tu, c, "ca_to_thread without 'await'");
        check_children(k, c, clang_getNullCursor());
        return;
    }
    bool is_await = cw_is_await(tu, c), is_run = cw_is_ca_run(tu, c), is_spawn = cw_is_ca_spawn(tu, c);
    if (is_await || is_run || is_spawn) {
        const char *what = is_await                                     ? "'await'"
                           : is_run                                     ? "ca_run"
                           : clang_Cursor_isNull(cw_spawn_group(tu, c)) ? "ca_spawn"
                                                                        : "ca_group_spawn";
        CXCursor call = operand_call(tu, c);
        cw_async_fn *callee = clang_Cursor_isNull(call) ? NULL : cw_async_callee(tu, call);
        if (is_await && !k->in_async)
            cw_error(tu, c, "'await' outside an async function");
        else if (callee && callee->is_gen)
            cw_error(tu, c, "%s of generator '%s'; iterate it with ca_for", what, callee->name);
        else if (is_run && k->in_async)
            cw_error(tu, c, "ca_run inside an async function would block its loop; use 'await'");
        else if (clang_Cursor_isNull(call))
            cw_error(tu, c, "%s needs a call of an async function", what);
        if (clang_Cursor_isNull(call))
            check_children(k, c, call);
        else
            check_node(k, call, call);
        return;
    }
    if (cw_is_ca_for(tu, c)) {
        CXCursor call = cw_ca_for_call(c);
        cw_async_fn *g = cw_async_callee(tu, call);
        if (!k->in_async)
            cw_error(tu, c, "ca_for outside an async function");
        else if (!g || !g->is_gen)
            cw_error(tu, c, "ca_for needs a call of a generator");
        CXCursor *v;
        unsigned n = cw_children(c, &v);
        for (unsigned i = 0; i < n; i++)
            check_node(k, i == 1 ? call : v[i], g && g->is_gen ? call : clang_getNullCursor());
        free(v);
        return;
    }
    if (cw_is_yield(tu, c)) {
        CXCursor value = cw_yield_value(c);
        if (!k->fn || !k->fn->is_gen) {
            cw_error(tu, c, "yield outside a generator");
        } else if (k->fn->gen_type.kind != CXType_Invalid && !converts(value, k->fn->gen_type)) {
            CXString from = clang_getTypeSpelling(clang_getCursorType(value));
            cw_error(tu, cw_strip(value), "cannot yield a value of type '%s' from a generator of '%s'",
                     clang_getCString(from), k->fn->gen_t);
            clang_disposeString(from);
        }
        check_node(k, value, clang_getNullCursor());
        return;
    }
    if (c.kind == CXCursor_CallExpr && cw_async_callee(tu, c)) {
        cw_async_fn *callee = cw_async_callee(tu, c);
        if (!clang_equalCursors(c, allowed_call) && callee->is_gen) {
            cw_error(tu, c, "generator '%s' used outside ca_for", callee->name);
        } else if (!clang_equalCursors(c, allowed_call)) {
            if (k->in_async)
                cw_error(tu, c, "call of async function '%s' without 'await'", name_of(tu, c));
            else
                cw_error(tu, c, "async function '%s' called outside ca_run or ca_spawn", name_of(tu, c));
        }
        /* The callee's DeclRefExpr is allowed; the arguments are checked afresh. */
        struct visit v = {k, clang_getNullCursor(), 1};
        clang_visitChildren(c, check_child, &v);
        return;
    }
    if (cw_is_ptr_call(tu, c)) {
        if (!clang_equalCursors(c, allowed_call))
            cw_error(tu, c,
                     k->in_async ? "call through an async function pointer without 'await'"
                                 : "call through an async function pointer outside ca_run or ca_spawn");
        check_children(k, c, clang_getNullCursor());
        return;
    }
    if (c.kind == CXCursor_DeclRefExpr) {
        /* An async function as a value is its __ca_start entry (fnptr.h); some have none to give. */
        cw_async_fn *f = cw_async_of(tu, c);
        if (f && f->is_gen)
            cw_error(tu, c, "generator '%s' used as a value; iterate it with ca_for", f->name);
        else if (f && clang_isFunctionTypeVariadic(f->type))
            cw_error(tu, c, "variadic async function '%s' used as a value", f->name);
        else if (f && f->from_cawait && cw_result_on_resume(f))
            cw_error(tu, c, "'%s' cannot be used as a value; call it with await", f->name);
        else if (f)
            f->used_as_value = true;
        return;
    }
    check_children(k, c, clang_getNullCursor());
}

/* Is c's name written in the user's file (not a header, nor the typedefs main.c appends for generators)? */
static bool named_in_main_file(cw_tu *tu, CXCursor c)
{
    CXFile f;
    unsigned off;
    clang_getSpellingLocation(clang_getCursorLocation(c), &f, NULL, NULL, &off);
    return f && clang_File_isEqual(f, tu->main_file) && off < tu->size;
}

static bool is_state_machine(cw_tu *tu, CXCursor c)
{
    cw_async_fn *f = c.kind == CXCursor_FunctionDecl ? cw_async_of(tu, c) : NULL;
    return f && f->can_suspend && clang_isCursorDefinition(c);
}

/*
 * Names beginning with ca__ belong to the generated code, which adds its own
 * at file scope (ca__run_F and ca__spawn_F, which ca_run and ca_spawn become in
 * any function body, their thunks ca__spawn_F_thunk_..., the runtime's ca__ functions).
 * Outside the state machines every user declaration keeps its name in the
 * output, so one named ca__... could clash with or shadow them: refuse it.
 * Lowering checks the bodies of state machines, where it knows which names it
 * renames (their parameters are renamed too). Struct members, and parameters
 * of prototypes, whose scope ends with the prototype, cannot collide; labels
 * neither, as no generated label lies outside a state machine.
 */
static enum CXChildVisitResult refuse_reserved_names(CXCursor c, CXCursor parent, CXClientData d)
{
    cw_tu *tu = d;
    if (cw_repeated_tag(c, parent))
        return CXChildVisit_Continue;
    bool in_definition = parent.kind == CXCursor_FunctionDecl && clang_isCursorDefinition(parent);
    bool prototype_param = c.kind == CXCursor_ParmDecl && !in_definition;
    if (clang_isDeclaration(c.kind) && c.kind != CXCursor_FieldDecl && !prototype_param && named_in_main_file(tu, c))
        cw_refuse_reserved_name(tu, c);
    return is_state_machine(tu, c) ? CXChildVisit_Continue : CXChildVisit_Recurse;
}

static enum CXChildVisitResult check_top(CXCursor c, CXCursor parent, CXClientData d)
{
    struct ctx *k = d;
    CXFile f;
    clang_getExpansionLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
    if (!f || !clang_File_isEqual(f, k->tu->main_file))
        return CXChildVisit_Continue;
    check_node(k, c, clang_getNullCursor());
    if (refuse_reserved_names(c, parent, k->tu) == CXChildVisit_Recurse)
        clang_visitChildren(c, refuse_reserved_names, k->tu);
    return CXChildVisit_Continue;
}

void cw_check(cw_tu *tu)
{
    struct ctx k = {tu, false, NULL, clang_getNullCursor()};
    clang_visitChildren(clang_getTranslationUnitCursor(tu->tu), check_top, &k);
    cw_check_ignored_attr_names(tu);
}
