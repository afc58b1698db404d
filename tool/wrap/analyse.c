/*
 * Recognising a callback-style function: one function-pointer parameter
 * (the completion callback) and a way for the callback to find the caller's
 * state again, either a void * passed through to it or a handle, passed to
 * both, whose void *data field carries it (libuv's requests and handles).
 */
#include "wrap.h"

#include <stdlib.h>
#include <string.h>

static char *take(CXString s)
{
    char *r = cw_strdup(clang_getCString(s));
    clang_disposeString(s);
    return r;
}

static bool is_integer(CXType t)
{
    t = clang_getCanonicalType(t);
    return (t.kind >= CXType_Bool && t.kind <= CXType_Int128 && t.kind != CXType_Char16 &&
            t.kind != CXType_Char32) || t.kind == CXType_Enum;
}

/* void * (not const void *: that is a buffer, not user data). */
static bool is_void_ptr(CXType t)
{
    t = clang_getCanonicalType(t);
    if (t.kind != CXType_Pointer)
        return false;
    CXType p = clang_getPointeeType(t);
    return p.kind == CXType_Void && !clang_isConstQualifiedType(p);
}

static CXType fn_proto_of(CXType t)
{
    t = clang_getCanonicalType(t);
    if (t.kind == CXType_Pointer)
        t = clang_getPointeeType(t);
    return t;
}

static bool is_callback(CXType t)
{
    CXType c = clang_getCanonicalType(t);
    return c.kind == CXType_Pointer && fn_proto_of(t).kind == CXType_FunctionProto;
}

/* A pointer to a complete struct with a `base` and a `len` field (libuv's uv_buf_t). */
static bool is_buffer_ptr(CXType t)
{
    t = clang_getCanonicalType(t);
    if (t.kind != CXType_Pointer)
        return false;
    CXType rec = clang_getCanonicalType(clang_getPointeeType(t));
    return rec.kind == CXType_Record && clang_Type_getOffsetOf(rec, "base") >= 0 &&
           clang_Type_getOffsetOf(rec, "len") >= 0;
}

/* An allocator callback, as libuv's alloc_cb: void (anything, size, buffer to fill: not const). */
static bool is_allocator(CXType t)
{
    CXType p = fn_proto_of(t);
    if (clang_getResultType(p).kind != CXType_Void || clang_getNumArgTypes(p) != 3)
        return false;
    CXType buf = clang_getCanonicalType(clang_getArgType(p, 2));
    return is_integer(clang_getArgType(p, 1)) && is_buffer_ptr(buf) &&
           !clang_isConstQualifiedType(clang_getPointeeType(buf));
}

/* A pointer to a struct that has a field named data. */
static bool is_handle(CXType t)
{
    t = clang_getCanonicalType(t);
    if (t.kind != CXType_Pointer)
        return false;
    CXType rec = clang_getCanonicalType(clang_getPointeeType(t));
    return rec.kind == CXType_Record && clang_Type_getOffsetOf(rec, "data") >= 0;
}

/* "T name" for a declaration of type t; NULL when t needs a declarator around the name. */
static char *declare(CXType t, const char *name)
{
    char *spell = take(clang_getTypeSpelling(clang_getUnqualifiedType(t)));
    char *r = NULL;
    if (!strpbrk(spell, "(["))
        r = cw_strdup_printf("%s%s%s", spell, spell[strlen(spell) - 1] == '*' ? "" : " ", name);
    free(spell);
    return r;
}

/* The source text of a declaration (for function pointers and arrays), tokens joined by spaces. */
static char *source_text(CXCursor c)
{
    CXTranslationUnit tu = clang_Cursor_getTranslationUnit(c);
    CXToken *toks;
    unsigned n;
    clang_tokenize(tu, clang_getCursorExtent(c), &toks, &n);
    strbuf b;
    sb_init(&b);
    for (unsigned i = 0; i < n; i++) {
        CXString s = clang_getTokenSpelling(tu, toks[i]);
        sb_printf(&b, "%s%s", i ? " " : "", clang_getCString(s));
        clang_disposeString(s);
    }
    clang_disposeTokens(tu, toks, n);
    return n ? sb_take(&b) : NULL;
}

/*
 * A callback's `const T *` to a complete struct, or `const char *` string,
 * is valid only during the call: an event that outlives the call holds a
 * copy. A copy of the buffer an allocator callback filled owns the memory
 * it points to.
 */
static void copy_of(CXType t, cw_param *p)
{
    CXType c = clang_getCanonicalType(t);
    if (c.kind != CXType_Pointer)
        return;
    CXType pointee = clang_getPointeeType(c);
    p->string = clang_isConstQualifiedType(pointee) &&
                (pointee.kind == CXType_Char_S || pointee.kind == CXType_Char_U);
    if (!clang_isConstQualifiedType(pointee) || clang_getCanonicalType(pointee).kind != CXType_Record ||
        clang_Type_getSizeOf(pointee) <= 0)
        return;
    p->copy_decl = declare(clang_getPointeeType(t), p->name);
    p->owned = p->copy_decl && is_buffer_ptr(t);
}

/* Names that cawait's keywords.h defines as macros: a parameter cannot keep them in async code. */
static bool is_keyword(const char *name)
{
    static const char *const kw[] = {"async", "await", "yield", "ca_for", "ca_gen", "ca_run", "ca_spawn",
                                     "ca_task_of", "ca_group_spawn"};
    for (unsigned i = 0; i < sizeof kw / sizeof *kw; i++)
        if (strcmp(name, kw[i]) == 0)
            return true;
    return false;
}

static bool param_of(CXCursor parm, CXType t, unsigned i, cw_param *p)
{
    p->name = parm.kind == CXCursor_ParmDecl ? take(clang_getCursorSpelling(parm)) : cw_strdup("");
    bool named = *p->name;
    if (!named) {
        free(p->name);
        p->name = cw_strdup_printf("a%u", i);
    } else if (is_keyword(p->name)) { /* libuv's uv_async_init(..., uv_async_t *async, ...) */
        char *renamed = cw_strdup_printf("%s_", p->name);
        free(p->name);
        p->name = renamed;
        named = false; /* declared from its type, not from its source text */
    }
    p->type = take(clang_getTypeSpelling(clang_getUnqualifiedType(t)));
    p->decl = declare(t, p->name);
    if (!p->decl && named)
        p->decl = source_text(parm);
    return p->decl != NULL;
}

typedef struct {
    CXCursor *v;
    unsigned n;
} cursors;

static enum CXChildVisitResult add_parm(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    cursors *cs = d;
    if (c.kind == CXCursor_ParmDecl) {
        cs->v = realloc(cs->v, (cs->n + 1) * sizeof *cs->v);
        cs->v[cs->n++] = c;
    }
    return CXChildVisit_Continue;
}

/* The callback's parameters, named as its typedef (or the parameter's declarator) names them. */
static const char *callback_params(CXCursor cb_parm, cw_wrap_fn *f)
{
    CXType t = clang_getCursorType(cb_parm);
    CXType proto = fn_proto_of(t);
    if (clang_isFunctionTypeVariadic(proto))
        return "its callback is variadic";
    int n = clang_getNumArgTypes(proto);
    CXCursor decl = clang_getTypeDeclaration(t);
    cursors names = {NULL, 0};
    clang_visitChildren(decl.kind == CXCursor_TypedefDecl ? decl : cb_parm, add_parm, &names);
    f->ncb_params = (unsigned)n;
    f->cb_params = calloc((size_t)n + 1, sizeof *f->cb_params);
    const char *why = NULL;
    for (int i = 0; i < n && !why; i++) {
        bool named = names.n == (unsigned)n;
        CXCursor parm = named ? names.v[i] : clang_getNullCursor();
        cw_param *p = &f->cb_params[i];
        CXType pt = named ? clang_getCursorType(parm) : clang_getArgType(proto, (unsigned)i);
        if (!param_of(parm, pt, (unsigned)i, p))
            why = "a parameter of its callback has a type cawait-wrap cannot declare";
        else
            copy_of(pt, p);
    }
    free(names.v);
    return why;
}

/* The allocator callback's parameters, named a0, a1, a2 unless its typedef names them. */
static const char *allocator_params(CXCursor parm, cw_wrap_fn *f)
{
    CXType t = clang_getCursorType(parm);
    CXType proto = fn_proto_of(t);
    CXCursor decl = clang_getTypeDeclaration(t);
    cursors names = {NULL, 0};
    clang_visitChildren(decl.kind == CXCursor_TypedefDecl ? decl : parm, add_parm, &names);
    f->alloc_params = calloc(3, sizeof *f->alloc_params);
    const char *why = NULL;
    for (unsigned i = 0; i < 3 && !why; i++) {
        bool named = names.n == 3;
        if (!param_of(named ? names.v[i] : clang_getNullCursor(),
                      named ? clang_getCursorType(names.v[i]) : clang_getArgType(proto, i), i, &f->alloc_params[i]))
            why = "a parameter of its allocator callback has a type cawait-wrap cannot declare";
    }
    free(names.v);
    return why;
}

static bool named_handle(const cw_wrap_fn *f)
{
    for (unsigned i = 0; i < f->nparams; i++)
        if (strcmp(f->params[i].name, "handle") == 0)
            return true;
    return false;
}

const char *cw_wrap_analyse(CXCursor c, cw_wrap_fn *f)
{
    memset(f, 0, sizeof *f);
    f->alloc_index = -1;
    if (c.kind != CXCursor_FunctionDecl)
        return "not a function";
    CXType ft = clang_getCursorType(c);
    if (ft.kind != CXType_FunctionProto || clang_isFunctionTypeVariadic(ft))
        return "it is variadic or has no prototype";
    int n = clang_Cursor_getNumArguments(c);
    int cb = -1, alloc = -1;
    for (int i = 0; i < n; i++) {
        CXType t = clang_getCursorType(clang_Cursor_getArgument(c, (unsigned)i));
        if (!is_callback(t))
            continue;
        if (alloc < 0 && is_allocator(t))
            alloc = i;
        else if (cb >= 0)
            return "it takes more than one callback (besides an allocator)";
        else
            cb = i;
    }
    if (cb < 0 && alloc >= 0) /* the allocator was the only callback */
        cb = alloc, alloc = -1;
    if (cb < 0)
        return "it takes no callback (a function-pointer parameter)";
    f->alloc_index = alloc;
    f->cursor = c;
    f->name = take(clang_getCursorSpelling(c));
    CXType rt = clang_getResultType(ft);
    f->ret = take(clang_getTypeSpelling(rt));
    f->ret_integer = is_integer(rt);
    if (!f->ret_integer && rt.kind != CXType_Void)
        return "its result is neither void nor an integer (the wrapper would lose it)";
    f->nparams = (unsigned)n;
    f->params = calloc((size_t)n, sizeof *f->params);
    f->cb_index = (unsigned)cb;
    for (int i = 0; i < n; i++) {
        CXCursor p = clang_Cursor_getArgument(c, (unsigned)i);
        if (!param_of(p, clang_getCursorType(p), (unsigned)i, &f->params[i]))
            return "one of its parameters has a type cawait-wrap cannot declare";
    }
    CXCursor cb_parm = clang_Cursor_getArgument(c, (unsigned)cb);
    const char *why = callback_params(cb_parm, f);
    if (!why && alloc >= 0)
        why = allocator_params(clang_Cursor_getArgument(c, (unsigned)alloc), f);
    if (why)
        return why;
    CXType proto = fn_proto_of(clang_getCursorType(cb_parm));
    int m = (int)f->ncb_params;

    /* A void * passed through: the one right after the callback, else the last one. */
    int ud = cb + 1 < n && is_void_ptr(clang_getCursorType(clang_Cursor_getArgument(c, (unsigned)cb + 1))) ? cb + 1 : -1;
    for (int i = n - 1; i >= 0 && ud < 0; i--)
        if (is_void_ptr(clang_getCursorType(clang_Cursor_getArgument(c, (unsigned)i))))
            ud = i;
    int back = -1;
    for (int j = 0; j < m && back < 0; j++)
        if (is_void_ptr(clang_getArgType(proto, (unsigned)j)))
            back = j;
    if (ud >= 0 && back >= 0) {
        f->ud = CW_UD_VOIDPTR;
    } else {
        /* A handle given to both, with a data field. */
        ud = back = -1;
        for (int j = 0; j < m && back < 0; j++) {
            CXType t = clang_getArgType(proto, (unsigned)j);
            if (!is_handle(t))
                continue;
            for (int i = 0; i < n && ud < 0; i++)
                if (clang_equalTypes(clang_getCanonicalType(clang_getCursorType(clang_Cursor_getArgument(c, (unsigned)i))),
                                     clang_getCanonicalType(t)))
                    ud = i, back = j;
        }
        if (back < 0)
            return "its callback gets no user data (a void * the function also takes, or a handle with a data field)";
        f->ud = CW_UD_HANDLE;
    }
    f->ud_index = (unsigned)ud;
    if (f->ud == CW_UD_HANDLE && strcmp(f->params[ud].name, "a0") == 0 && !named_handle(f)) {
        /* An unnamed handle (libuv's uv_read_start(uv_stream_t *, ...)) is the handle. */
        free(f->params[ud].name);
        free(f->params[ud].decl);
        f->params[ud].name = cw_strdup("handle");
        CXCursor p = clang_Cursor_getArgument(c, (unsigned)ud);
        f->params[ud].decl = declare(clang_getCursorType(p), "handle");
    }
    f->cb_ud = (unsigned)back;
    f->single_integer = m == 2 && is_integer(clang_getArgType(proto, back == 0 ? 1u : 0u));
    return NULL;
}

const char *cw_wrap_make_stream(cw_wrap_fn *f, CXCursor stop)
{
    int n = clang_Cursor_getNumArguments(stop);
    if (n < 0)
        return "its stop function has no prototype";
    f->stop = take(clang_getCursorSpelling(stop));
    f->nstop_args = (unsigned)n;
    f->stop_args = calloc((size_t)n + 1, sizeof *f->stop_args);
    for (int i = 0; i < n; i++) {
        CXType t = clang_getCanonicalType(clang_getCursorType(clang_Cursor_getArgument(stop, (unsigned)i)));
        bool found = false;
        for (unsigned j = 0; j < f->nparams && !found; j++) {
            if (j == f->cb_index || (int)j == f->alloc_index || (f->ud == CW_UD_VOIDPTR && j == f->ud_index))
                continue;
            CXType pt = clang_getCanonicalType(clang_getCursorType(clang_Cursor_getArgument(f->cursor, j)));
            if (clang_equalTypes(clang_getUnqualifiedType(pt), clang_getUnqualifiedType(t)))
                f->stop_args[i] = j, found = true;
        }
        if (!found)
            return "a parameter of its stop function has no match, by type, among its own";
    }
    f->stream = true;
    return NULL;
}
