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
    return (t.kind >= CXType_Bool && t.kind <= CXType_Int128 && t.kind != CXType_Char16 && t.kind != CXType_Char32) ||
           t.kind == CXType_Enum;
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
    p->string = clang_isConstQualifiedType(pointee) && (pointee.kind == CXType_Char_S || pointee.kind == CXType_Char_U);
    if (!clang_isConstQualifiedType(pointee) || clang_getCanonicalType(pointee).kind != CXType_Record ||
        clang_Type_getSizeOf(pointee) <= 0)
        return;
    p->copy_decl = declare(clang_getPointeeType(t), p->name);
    p->owned = p->copy_decl && is_buffer_ptr(t);
}

/* Names that cawait's keywords.h defines as macros: a parameter cannot keep them in async code. */
static bool is_keyword(const char *name)
{
    static const char *const kw[] = {"async",  "await",    "yield",      "ca_for",        "ca_gen",
                                     "ca_run", "ca_spawn", "ca_task_of", "ca_group_spawn"};
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
        *CW_PUSH(cs->v, cs->n) = c;
    }
    return CXChildVisit_Continue;
}

/*
 * A callback's parameters, named as its typedef (or the parameter's
 * declarator) names them; copies: mark what an event must copy.
 */
static const char *fn_params(CXCursor cb_parm, bool copies, cw_param **out, unsigned *nout)
{
    CXType t = clang_getCursorType(cb_parm);
    CXType proto = fn_proto_of(t);
    if (clang_isFunctionTypeVariadic(proto))
        return "its callback is variadic";
    int n = clang_getNumArgTypes(proto);
    CXCursor decl = clang_getTypeDeclaration(t);
    cursors names = {NULL, 0};
    clang_visitChildren(decl.kind == CXCursor_TypedefDecl ? decl : cb_parm, add_parm, &names);
    *nout = (unsigned)n;
    *out = calloc((size_t)n + 1, sizeof **out);
    const char *why = NULL;
    for (int i = 0; i < n && !why; i++) {
        bool named = names.n == (unsigned)n;
        CXCursor parm = named ? names.v[i] : clang_getNullCursor();
        cw_param *p = &(*out)[i];
        CXType pt = named ? clang_getCursorType(parm) : clang_getArgType(proto, (unsigned)i);
        if (!param_of(parm, pt, (unsigned)i, p))
            why = "a parameter of its callback has a type cawait-wrap cannot declare";
        else if (copies)
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
    CXType crt = clang_getCanonicalType(rt);
    f->ret_unsigned =
        f->ret_integer && (crt.kind == CXType_Bool || (crt.kind >= CXType_Char_U && crt.kind <= CXType_UInt128));
    f->ret_pointer = clang_getCanonicalType(rt).kind == CXType_Pointer;
    if (!f->ret_integer && !f->ret_pointer && rt.kind != CXType_Void)
        return "its result is neither void nor an integer nor a pointer";
    f->nparams = (unsigned)n;
    f->params = calloc((size_t)n, sizeof *f->params);
    f->cb_index = (unsigned)cb;
    for (int i = 0; i < n; i++) {
        CXCursor p = clang_Cursor_getArgument(c, (unsigned)i);
        if (!param_of(p, clang_getCursorType(p), (unsigned)i, &f->params[i]))
            return "one of its parameters has a type cawait-wrap cannot declare";
    }
    CXCursor cb_parm = clang_Cursor_getArgument(c, (unsigned)cb);
    const char *why = fn_params(cb_parm, true, &f->cb_params, &f->ncb_params);
    if (!why && alloc >= 0)
        why = allocator_params(clang_Cursor_getArgument(c, (unsigned)alloc), f);
    if (why)
        return why;
    CXType proto = fn_proto_of(clang_getCursorType(cb_parm));
    int m = (int)f->ncb_params;

    /* A void * passed through: the one right after the callback, else the last one. */
    int ud =
        cb + 1 < n && is_void_ptr(clang_getCursorType(clang_Cursor_getArgument(c, (unsigned)cb + 1))) ? cb + 1 : -1;
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
                if (clang_equalTypes(
                        clang_getCanonicalType(clang_getCursorType(clang_Cursor_getArgument(c, (unsigned)i))),
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

/* The fields of a struct type, in order. */
typedef struct {
    CXCursor *v;
    unsigned n;
} fields;

static enum CXVisitorResult add_field(CXCursor c, CXClientData d)
{
    fields *fs = d;
    *CW_PUSH(fs->v, fs->n) = c;
    return CXVisit_Continue;
}

/* The fields of struct b begin struct d, as same_layout says, the whole of d when whole. */
static bool fields_prefix(CXType b, CXType d, bool whole);

/*
 * a and b are the same type, or records laid out alike: the anonymous
 * unions two structs declare each in the same words are two types.
 */
static bool same_layout(CXType a, CXType b)
{
    a = clang_getCanonicalType(a);
    b = clang_getCanonicalType(b);
    if (clang_equalTypes(a, b))
        return true;
    if (a.kind == CXType_ConstantArray && b.kind == CXType_ConstantArray)
        return clang_getArraySize(a) == clang_getArraySize(b) &&
               same_layout(clang_getArrayElementType(a), clang_getArrayElementType(b));
    return a.kind == CXType_Record && b.kind == CXType_Record && clang_Type_getSizeOf(a) == clang_Type_getSizeOf(b) &&
           fields_prefix(a, b, true);
}

static bool fields_prefix(CXType b, CXType d, bool whole)
{
    fields bf = {NULL, 0}, df = {NULL, 0};
    clang_Type_visitFields(b, add_field, &bf);
    clang_Type_visitFields(d, add_field, &df);
    bool ok = bf.n > 0 && (whole ? bf.n == df.n : bf.n <= df.n);
    for (unsigned i = 0; i < bf.n && ok; i++) {
        char *bn = take(clang_getCursorSpelling(bf.v[i])), *dn = take(clang_getCursorSpelling(df.v[i]));
        ok = strcmp(bn, dn) == 0 && clang_Cursor_getOffsetOfField(bf.v[i]) == clang_Cursor_getOffsetOfField(df.v[i]) &&
             same_layout(clang_getCursorType(bf.v[i]), clang_getCursorType(df.v[i]));
        free(bn);
        free(dn);
    }
    free(bf.v);
    free(df.v);
    return ok;
}

/*
 * base and derived are pointers to structs, and derived's begins with all
 * of base's fields (same names, types and offsets): C's way to derive one
 * struct from another, as libuv's uv_async_t from uv_handle_t. A pointer
 * to derived may then be passed, cast, where a pointer to base is wanted.
 */
static bool is_base_ptr(CXType base, CXType derived)
{
    base = clang_getCanonicalType(base);
    derived = clang_getCanonicalType(derived);
    if (base.kind != CXType_Pointer || derived.kind != CXType_Pointer)
        return false;
    CXType b = clang_getCanonicalType(clang_getPointeeType(base));
    CXType d = clang_getCanonicalType(clang_getPointeeType(derived));
    return b.kind == CXType_Record && d.kind == CXType_Record && clang_Type_getSizeOf(b) > 0 &&
           clang_Type_getSizeOf(d) >= clang_Type_getSizeOf(b) && fields_prefix(b, d, false);
}

static bool same_type(CXType a, CXType b)
{
    return clang_equalTypes(clang_getUnqualifiedType(clang_getCanonicalType(a)),
                            clang_getUnqualifiedType(clang_getCanonicalType(b)));
}

/*
 * What the stop gets for its parameter p: the starter's parameter of the
 * same name and a fitting type (the same, or for a pointer a struct it
 * derives from), else the only pointer of a fitting type, else the
 * starter's result of its type. A number never matches by type alone: two
 * ints say nothing about each other.
 */
static const char *match_stop_param(cw_wrap_fn *f, CXCursor p, cw_stop_arg *out)
{
    CXType t = clang_getCursorType(p);
    char *name = take(clang_getCursorSpelling(p));
    int by_name = -1, match = -1;
    unsigned nmatch = 0;
    for (unsigned j = 0; j < f->nparams; j++) {
        if (j == f->cb_index || (int)j == f->alloc_index || (f->ud == CW_UD_VOIDPTR && j == f->ud_index))
            continue;
        CXType pt = clang_getCursorType(clang_Cursor_getArgument(f->cursor, j));
        if (!same_type(pt, t) && !is_base_ptr(t, pt))
            continue;
        CXString pn = clang_getCursorSpelling(clang_Cursor_getArgument(f->cursor, j));
        if (*name && strcmp(name, clang_getCString(pn)) == 0)
            by_name = (int)j;
        clang_disposeString(pn);
        if (clang_getCanonicalType(t).kind == CXType_Pointer)
            nmatch++, match = (int)j;
    }
    bool result =
        (f->ret_integer || f->ret_pointer) && same_type(clang_getResultType(clang_getCursorType(f->cursor)), t);
    const char *why = NULL;
    if (by_name >= 0 || (nmatch == 1 && !result)) {
        unsigned j = (unsigned)(by_name >= 0 ? by_name : match);
        CXType pt = clang_getCursorType(clang_Cursor_getArgument(f->cursor, j));
        out->kind = CW_STOP_PARAM;
        out->param = j;
        if (!same_type(pt, t))
            out->cast = cw_strdup_printf("(%s)", take(clang_getTypeSpelling(clang_getUnqualifiedType(t))));
    } else if (result && nmatch == 0) {
        out->kind = CW_STOP_RESULT;
    } else if (nmatch + result == 0) {
        why = cw_strdup_printf("its stop function's parameter '%s' matches none of its parameters (by name, or "
                               "by type for a pointer), nor its result (by type)",
                               name);
    } else {
        why = cw_strdup_printf("its stop function's parameter '%s' matches several of its parameters%s by type and "
                               "none by name: cannot tell which to pass",
                               name, result ? " and its result" : "");
    }
    free(name);
    return why;
}

/* The callback of an asynchronous stop: how it finds the stream again. */
static const char *end_callback(cw_wrap_fn *f, CXCursor cb, bool has_ud)
{
    const char *why = fn_params(cb, false, &f->end_params, &f->nend_params);
    if (why)
        return why;
    CXType proto = fn_proto_of(clang_getCursorType(cb));
    CXType handle = clang_getCursorType(clang_Cursor_getArgument(f->cursor, f->ud_index));
    for (unsigned j = 0; j < f->nend_params; j++) {
        CXType t = clang_getArgType(proto, j);
        if (has_ud && is_void_ptr(t)) {
            f->end_ud = j, f->end_ud_kind = CW_UD_VOIDPTR;
            return NULL;
        }
        if (!has_ud && f->ud == CW_UD_HANDLE && is_handle(t) && (same_type(t, handle) || is_base_ptr(t, handle))) {
            f->end_ud = j, f->end_ud_kind = CW_UD_HANDLE;
            return NULL;
        }
    }
    return has_ud ? "its stop function's callback gets no void * back"
                  : "its stop function's callback gets neither the handle nor a void * it also takes";
}

const char *cw_wrap_make_stream(cw_wrap_fn *f, CXCursor stop)
{
    int n = clang_Cursor_getNumArguments(stop);
    if (n < 0)
        return "its stop function has no prototype";
    f->stop = take(clang_getCursorSpelling(stop));
    f->nstop_args = (unsigned)n;
    f->stop_args = calloc((size_t)n + 1, sizeof *f->stop_args);
    int end_cb = -1, end_ud = -1;
    for (int i = 0; i < n; i++) {
        if (!is_callback(clang_getCursorType(clang_Cursor_getArgument(stop, (unsigned)i))))
            continue;
        if (end_cb >= 0)
            return "its stop function takes more than one callback";
        end_cb = i;
    }
    for (int i = 0; i < n && end_cb >= 0 && end_ud < 0; i++)
        if (is_void_ptr(clang_getCursorType(clang_Cursor_getArgument(stop, (unsigned)i))))
            end_ud = i;
    for (int i = 0; i < n; i++) {
        cw_stop_arg *a = &f->stop_args[i];
        const char *why = NULL;
        if (i == end_cb)
            a->kind = CW_STOP_END_CB;
        else if (i == end_ud)
            a->kind = CW_STOP_END_UD;
        else
            why = match_stop_param(f, clang_Cursor_getArgument(stop, (unsigned)i), a);
        if (why)
            return why;
        f->ret_token |= a->kind == CW_STOP_RESULT;
    }
    if (end_cb >= 0) {
        const char *why = end_callback(f, clang_Cursor_getArgument(stop, (unsigned)end_cb), end_ud >= 0);
        if (why)
            return why;
        f->end_async = true;
        /* The stop ends the handle's life: the stream holds the handle, so that it outlives the callback. */
        for (int i = 0; i < n; i++)
            if (f->ud == CW_UD_HANDLE && f->stop_args[i].kind == CW_STOP_PARAM && f->stop_args[i].param == f->ud_index)
                f->embed_decl =
                    declare(clang_getPointeeType(clang_getCursorType(clang_Cursor_getArgument(f->cursor, f->ud_index))),
                            "wrap_handle");
    }
    f->stream = true;
    return NULL;
}
