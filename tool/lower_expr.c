/*
 * Expressions in async functions.
 *
 * cw_lin linearises an expression that holds awaits: what must happen before
 * an await (the operands C evaluates first) is saved into frame temporaries
 * in C's order, each await becomes a resume point, and `&&`, `||`, `?:` and
 * the comma operator become branches and sequences so the right side runs
 * only when C would run it. It returns the C spelling of what is left of the
 * value once those statements have run.
 *
 * cw_text spells an await-free expression: the user's own text where the
 * expression is written plainly in the main file (macros and all), with
 * frame variables renamed; otherwise (it comes from a macro expansion) it is
 * printed back from the AST.
 */
#include "lower.h"
#include "spawn.h"

#include "ctypes.h"
#include "fnptr.h"
#include "macro_tokens.h"
#include "runtime_awaits.h"
#include "to_thread.h"
#include "variadic.h"

#include <stdlib.h>
#include <string.h>

static cw_val val(char *s, bool stable)
{
    return (cw_val){s, stable};
}

cw_var *cw_frame_var(cw_fn *k, CXCursor decl)
{
    size_t it = 0, i;
    while ((i = cw_index_next(&k->vars_by_decl, clang_hashCursor(decl), &it)) != CW_INDEX_END)
        if (clang_equalCursors(k->vars[i].decl, decl))
            return &k->vars[i];
    return NULL;
}

const char *cw_var_ref(cw_var *v)
{
    return v->ref;
}

/* ---- has an await that can suspend ------------------------------------ */

static bool escaping(void *k, CXCursor c)
{
    return cw_escaping_literal(k, c);
}

bool cw_has_await(cw_fn *k, CXCursor c)
{
    return k->fn && cw_suspends_in(k->tu, k->fn, c, escaping, k);
}

/* ---- temporaries ------------------------------------------------------ */

char *cw_new_temp(cw_fn *k, CXType t, CXCursor where)
{
    const char *why = NULL;
    cw_hoist_type(k, t, where);
    char *name = cw_strdup_printf("ca__tmp%d", ++k->ntemps);
    char *decl = cw_declare(clang_getUnqualifiedType(t), name, &why);
    if (!decl) {
        cw_error(k->tu, where, "cannot keep a value of %s across an await", why);
        decl = cw_strdup_printf("int %s", name);
    }
    cw_add_field(k, CW_FIELD_TEMP, name, decl, clang_getUnqualifiedType(t));
    free(decl);
    char *r = cw_strdup_printf("ca__f->%s", name);
    free(name);
    return r;
}

void cw_assign(strbuf *out, CXType t, const char *dst, const char *src)
{
    if (clang_getCanonicalType(t).kind == CXType_Record)
        sb_printf(out, "{ __typeof__(%s) ca__v = %s; __builtin_memcpy((void *)&%s, &ca__v, sizeof ca__v); } ", dst, src,
                  dst);
    else
        sb_printf(out, "%s = %s; ", dst, src);
}

/* Save a value into a new temporary unless it is already stable. */
static cw_val save_val(cw_fn *k, strbuf *out, CXCursor e, cw_val v)
{
    if (v.stable || !v.s)
        return v;
    CXType t = clang_getCursorType(e);
    if (cw_is_void(t)) {
        sb_printf(out, "%s; ", v.s);
        free(v.s);
        return val(NULL, true);
    }
    char *tmp = cw_new_temp(k, t, e);
    cw_assign(out, t, tmp, v.s);
    free(v.s);
    return val(tmp, true);
}

/* ---- spelling await-free expressions ---------------------------------- */

struct subst {
    unsigned off, len;
    char *with; /* owned */
};

struct subst_search {
    cw_fn *k;
    unsigned begin, end;
    struct subst *v;
    size_t n;
    bool outside;          /* a frame variable is named from outside [begin, end) (in a macro body) */
    strbuf marks;          /* the marks of the variable arguments' uses in the text (variadic.h), to put before it */
    const CXCursor *roots; /* the expressions or declarations whose text it is */
    size_t nroots;
    cw_macro_tokens made; /* what macros made of their arguments with # and ## there */
    bool report;          /* a name that cannot be renamed is an error (else the text is not copied) */
};

static void add_subst(struct subst_search *s, unsigned off, unsigned len, char *with)
{
    *CW_PUSH(s->v, s->n) = (struct subst){off, len, with};
}

/*
 * A function defined without a prototype (`g() {}`, `h(a) int a; {}`) may be
 * called with another number of arguments than it has parameters (C leaves
 * the behaviour undefined; gcc accepts it): its entry point has a prototype
 * and cannot be called so.
 */
static void wrong_arg_count(cw_fn *k, CXCursor call, cw_async_fn *f, int nargs)
{
    if (!cw_is_variadic(f) && nargs != cw_nparams(f))
        cw_error(k->tu, call, "call of async function '%s' with %d argument%s; it is defined with %d parameter%s",
                 f->name, nargs, nargs == 1 ? "" : "s", cw_nparams(f), cw_nparams(f) == 1 ? "" : "s");
}

/* The lowering of ca_run(f(args)) or ca_spawn(f(args)), arguments free of awaits. */
static char *rewrite_keyword(cw_fn *k, CXCursor c)
{
    cw_tu *tu = k->tu;
    CXCursor call = cw_keyword_call(tu, c);
    CXCursor *a;
    unsigned n = cw_children(call, &a);
    char **args = calloc(n, sizeof *args);
    for (unsigned i = 1; i < n; i++)
        args[i - 1] = cw_text(k, a[i]);
    CXCursor group = cw_spawn_group(tu, c);
    char *g = clang_Cursor_isNull(group) ? NULL : cw_text(k, group);
    cw_async_fn *f = cw_async_callee(tu, call);
    if (f)
        wrong_arg_count(k, call, f, (int)n - 1);
    char *with = cw_is_ca_run(tu, c) ? cw_run_expr(k, call, args, (int)n - 1)
                                     : cw_spawn_expr(k, call, args, (int)n - 1, k->fn ? "ca__t" : "NULL", g);
    free(g);
    for (unsigned i = 1; i < n; i++)
        free(args[i - 1]);
    free(args);
    free(a);
    return with;
}

/* ca_run(...) / ca_spawn(...) written in the range: replaced by their lowering. */
static bool subst_keyword(struct subst_search *s, CXCursor c)
{
    cw_tu *tu = s->k->tu;
    const char *kw = cw_is_ca_run(tu, c)                          ? "ca_run"
                     : clang_Cursor_isNull(cw_spawn_group(tu, c)) ? "ca_spawn"
                                                                  : "ca_group_spawn";
    unsigned b, e;
    if (!cw_expansion_range(tu, c, &b, &e) || b < s->begin || e > s->end ||
        strncmp(tu->text + b, kw, strlen(kw)) != 0) {
        s->outside = true;
        return false;
    }
    add_subst(s, b, e - b, rewrite_keyword(s->k, c));
    return true;
}

/*
 * An await left in text that is never evaluated (sizeof) still names a
 * function that no longer exists under its own name when it can suspend:
 * put an unevaluated value of its type in its place.
 */
static char *unevaluated_await(cw_tu *tu, CXCursor await)
{
    cw_async_fn *f = cw_async_callee(tu, cw_keyword_call(tu, await));
    if (!f || !f->can_suspend)
        return NULL;
    if (f->is_void)
        return cw_strdup("((void)0)");
    char *t = cw_declare(clang_getUnqualifiedType(clang_getResultType(f->type)), "*", NULL);
    char *r = cw_strdup_printf("(*(%s)0)", t ? t : "int *");
    free(t);
    return r;
}

/* A tag defined with variables and moved to file scope (hoist.c): here only a reference to it is left. */
static enum CXChildVisitResult subst_moved_tag(struct subst_search *s, CXCursor c)
{
    unsigned b, e;
    if (!cw_expansion_range(s->k->tu, c, &b, &e) || b < s->begin || e > s->end) {
        s->outside = true;
        return CXChildVisit_Break;
    }
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].off == b)
            return CXChildVisit_Continue; /* seen again under its variable */
    const char *kw = c.kind == CXCursor_UnionDecl ? "union" : c.kind == CXCursor_EnumDecl ? "enum" : "struct";
    const char *anon = cw_hoisted_name(s->k->tu, c);
    CXString name = clang_getCursorSpelling(c);
    add_subst(s, b, e - b, cw_strdup_printf("%s %s", kw, anon ? anon : clang_getCString(name)));
    clang_disposeString(name);
    return CXChildVisit_Continue;
}
static enum CXChildVisitResult visit_args(CXCursor call, struct subst_search *s);

/* The async function f of `__alignof__(f)` (or _Alignof), else NULL: f's own alignment, which no entry has. */
static cw_async_fn *alignof_async_fn(cw_tu *tu, CXCursor c)
{
    if (c.kind != CXCursor_UnaryExpr)
        return NULL;
    CXCursor x = cw_strip(cw_child(c, 0));
    cw_async_fn *f = x.kind == CXCursor_DeclRefExpr ? cw_async_of(tu, x) : NULL;
    if (!f)
        return NULL;
    CXToken *t;
    unsigned n;
    clang_tokenize(tu->tu, clang_getCursorExtent(c), &t, &n);
    bool align = false;
    if (n) {
        CXString sp = clang_getTokenSpelling(tu->tu, t[0]);
        align = strstr(clang_getCString(sp), "lign") != NULL; /* __alignof__, _Alignof, alignof */
        clang_disposeString(sp);
    }
    clang_disposeTokens(tu->tu, t, n);
    return align ? f : NULL;
}

/*
 * va_start(ap, last) in a variadic state machine copies the entry's list (variadic.h). Its range must be
 * the call alone, `va_start(...)` or `__builtin_va_start(...)` as written, to be replaced.
 */
static enum CXChildVisitResult subst_va_start(struct subst_search *s, CXCursor c)
{
    cw_tu *tu = s->k->tu;
    unsigned b, e;
    bool own = cw_expansion_range(tu, c, &b, &e) && b >= s->begin && e <= s->end;
    size_t n = 0;
    if (own && strncmp(tu->text + b, "va_start", 8) == 0)
        n = 8;
    else if (own && strncmp(tu->text + b, "__builtin_va_start", 18) == 0)
        n = 18;
    if (!n || b + n >= e || (tu->text[b + n] != '(' && tu->text[b + n] != ' ' && tu->text[b + n] != '\t') ||
        clang_Cursor_isNull(clang_Cursor_getArgument(c, 0))) {
        cw_error(tu, c, "cawait cannot rewrite this va_start (written inside a macro) in variadic async function '%s'",
                 s->k->fn->name);
        return CXChildVisit_Continue;
    }
    char *ap = cw_text(s->k, clang_Cursor_getArgument(c, 0)), *mark = cw_va_mark(s->k, c);
    char *copy = cw_va_start_copy(ap);
    add_subst(s, b, e - b, cw_strdup_printf("%s%s", mark ? mark : "", copy));
    free(ap), free(mark), free(copy);
    return CXChildVisit_Continue;
}

static enum CXChildVisitResult find_frame_refs(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct subst_search *s = d;
    if (s->k->va) { /* a use of the variable arguments: its text runs where the whole text does */
        if (cw_is_va_start(c))
            return subst_va_start(s, c);
        char *mark = cw_va_mark(s->k, c);
        if (mark)
            sb_puts(&s->marks, mark);
        free(mark);
    }
    if (cw_is_ca_run(s->k->tu, c) || cw_is_ca_spawn(s->k->tu, c))
        return subst_keyword(s, c) ? CXChildVisit_Continue : CXChildVisit_Break;
    if (cw_is_await(s->k->tu, c)) {
        char *with = unevaluated_await(s->k->tu, c);
        unsigned b, e;
        if (with && cw_expansion_range(s->k->tu, c, &b, &e) && b >= s->begin && e <= s->end) {
            add_subst(s, b, e - b, with);
            return CXChildVisit_Continue;
        }
        free(with);
    }
    if (cw_is_hoisted(s->k->tu, c) && c.kind != CXCursor_TypedefDecl && clang_isCursorDefinition(c))
        return subst_moved_tag(s, c);
    cw_async_fn *aligned = alignof_async_fn(s->k->tu, c);
    if (aligned) { /* f keeps its name: lowered to plain C, it is still f */
        if (aligned->can_suspend)
            cw_error(s->k->tu, c,
                     "cawait cannot take the alignment of async function '%s': it becomes a state "
                     "machine, and its entry is another function",
                     aligned->name);
        return CXChildVisit_Continue;
    }
    if (c.kind == CXCursor_CallExpr && cw_async_callee(s->k->tu, c)) /* the callee keeps its name */
        return visit_args(c, s);
    if (c.kind != CXCursor_DeclRefExpr)
        return CXChildVisit_Recurse;
    cw_async_fn *fn = cw_async_of(s->k->tu, c);
    cw_var *var = fn ? NULL : cw_frame_var(s->k, clang_getCursorReferenced(c));
    if (!var && !fn)
        return CXChildVisit_Continue;
    CXFile f;
    unsigned off, at;
    clang_getSpellingLocation(clang_getCursorLocation(c), &f, NULL, NULL, &off);
    clang_getExpansionLocation(clang_getCursorLocation(c), NULL, NULL, NULL, &at);
    CXString name = clang_getCursorSpelling(c);
    unsigned len = (unsigned)strlen(clang_getCString(name));
    bool made_into_tokens = false;
    if (at != off) { /* written in a macro's argument: does the macro also make a string or a token of it? */
        cw_macro_tokens_read(s->k->tu, &s->made, s->roots, s->nroots);
        made_into_tokens = cw_macro_tokens_mention(&s->made, at, clang_getCString(name));
    }
    clang_disposeString(name);
    if (!f || !clang_File_isEqual(f, s->k->tu->main_file) || off < s->begin || off + len > s->end ||
        (made_into_tokens && !s->report)) {
        s->outside = true;
        return CXChildVisit_Break;
    }
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].off == off)
            return CXChildVisit_Continue; /* a macro argument expanded twice */
    if (made_into_tokens)
        cw_error(s->k->tu, c,
                 "%s '%.*s' is named in the argument of a macro that also makes a string or a token of it (# or ##): "
                 "cawait cannot rewrite it there without changing that text; %s",
                 fn ? "async function" : "variable", (int)len, s->k->tu->text + off,
                 fn ? "use the function as a value outside the macro" : "name it outside the macro");
    add_subst(s, off, len, fn ? cw_async_fn_value(s->k->tu, fn) : cw_strdup(cw_var_ref(var)));
    return CXChildVisit_Continue;
}

/* A direct call of an async function: only its arguments are searched. */
static enum CXChildVisitResult visit_args(CXCursor call, struct subst_search *s)
{
    CXCursor *v;
    unsigned n = cw_children(call, &v);
    enum CXChildVisitResult r = CXChildVisit_Continue;
    for (unsigned i = 1; i < n && r != CXChildVisit_Break; i++) {
        r = find_frame_refs(v[i], call, s);
        if (r == CXChildVisit_Recurse)
            r = clang_visitChildren(v[i], find_frame_refs, s) ? CXChildVisit_Break : CXChildVisit_Continue;
    }
    free(v);
    return r;
}

static int by_offset(const void *a, const void *b)
{
    const struct subst *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off;
}

static void free_substs(struct subst_search *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].with);
    free(s->v);
    sb_free(&s->marks);
    cw_macro_tokens_free(&s->made);
}

/* The text of [begin, end) with its names rewritten, or NULL when it cannot be (report: an error says why when
   it is a name that a macro also makes a string of). */
static char *copy_text(cw_fn *k, const CXCursor *v, size_t n, unsigned begin, unsigned end, bool report)
{
    struct subst_search s = {k, begin, end, NULL, 0, false, {NULL, 0, 0}, v, n, {NULL, 0, false}, report};
    for (size_t i = 0; i < n && !s.outside; i++)
        if (find_frame_refs(v[i], v[i], &s) == CXChildVisit_Recurse)
            clang_visitChildren(v[i], find_frame_refs, &s);
    if (s.outside) {
        free_substs(&s);
        return NULL;
    }
    if (s.n) /* qsort(NULL, 0, ...) is undefined */
        qsort(s.v, s.n, sizeof *s.v, by_offset);
    strbuf b;
    sb_init(&b);
    sb_puts(&b, sb_str(&s.marks)); /* the text has no suspension: its uses may be marked anywhere in it */
    unsigned pos = begin;
    for (size_t i = 0; i < s.n; i++) {
        sb_putn(&b, k->tu->text + pos, s.v[i].off - pos);
        sb_puts(&b, s.v[i].with);
        pos = s.v[i].off + s.v[i].len;
    }
    sb_putn(&b, k->tu->text + pos, end - pos);
    free_substs(&s);
    return sb_take(&b);
}

char *cw_copy_text(cw_fn *k, CXCursor e, unsigned begin, unsigned end)
{
    return copy_text(k, &e, 1, begin, end, true);
}

char *cw_copy_group_text(cw_fn *k, const CXCursor *v, size_t n, unsigned begin, unsigned end)
{
    return copy_text(k, v, n, begin, end, true);
}

static char *print_expr(cw_fn *k, CXCursor e);

/* Does [b, e) hold a preprocessor directive line (#if/#endif... cut by the range)? */
static bool has_directive(const char *text, unsigned b, unsigned e)
{
    for (unsigned i = b; i < e; i++) {
        if (text[i] != '\n')
            continue;
        unsigned j = i + 1;
        while (j < e && (text[j] == ' ' || text[j] == '\t'))
            j++;
        if (j < e && text[j] == '#')
            return true;
    }
    return false;
}

char *cw_text(cw_fn *k, CXCursor e)
{
    unsigned b, en;
    if (cw_is_ca_run(k->tu, e) || cw_is_ca_spawn(k->tu, e))
        return rewrite_keyword(k, e);
    /* Text with directives in it is printed from the AST, which holds only the active branches. */
    if (cw_clean_range(k->tu, e, &b, &en) && !has_directive(k->tu->text, b, en)) {
        char *t = copy_text(k, &e, 1, b, en, false);
        if (t)
            return t;
    }
    return print_expr(k, e);
}

/* One token of source text starting at a location's spelling position. */
static char *token_at(cw_fn *k, CXCursor e)
{
    CXFile f;
    unsigned off;
    clang_getSpellingLocation(clang_getCursorLocation(e), &f, NULL, NULL, &off);
    size_t size = 0;
    const char *text = f ? clang_getFileContents(k->tu->tu, f, &size) : NULL;
    if (!text || off >= size)
        return NULL;
    const char *p = text + off, *end = text + size, *q = p;
    /* A prefixed string or character literal: L"", u"", U'', u8"" */
    const char *after_prefix = q + (*q == 'L' || *q == 'U' ? 1 : *q == 'u' ? (q + 1 < end && q[1] == '8' ? 2 : 1) : 0);
    bool quoted = after_prefix < end && (*after_prefix == '\'' || *after_prefix == '"');
    /* An identifier is not the literal's text: a predefined name (__func__,
       __FUNCTION__, whose value is a string) or a macro name (LDBL_MAX). */
    if (!quoted && (*q == '_' || (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')))
        return NULL;
    if (quoted) {
        while (q < end && *q != '\'' && *q != '"')
            q++;
        char quote = q < end ? *q++ : 0;
        while (q < end && *q != quote && *q != '\n')
            q += *q == '\\' ? 2 : 1;
        q++;
    } else {
        while (q < end && (q == p || strchr("0123456789abcdefABCDEFxXpP.+-_uUlL", *q))) {
            if ((*q == '+' || *q == '-') && !strchr("eEpP", q[-1]))
                break;
            q++;
        }
    }
    if (q > end)
        q = end;
    char *r = malloc((size_t)(q - p) + 1);
    memcpy(r, p, (size_t)(q - p));
    r[q - p] = '\0';
    return r;
}

/*
 * The name of the macro e comes from, in the main file, when it is a compiler's
 * predefined floating macro (__LDBL_MAX__, __LDBL_MIN__...; each expands to one
 * literal) or one of <float.h>'s long double names, which are defined as those.
 */
static char *builtin_macro_at_expansion(cw_fn *k, CXCursor e)
{
    CXFile f;
    unsigned off;
    /* the file location: the macro's name also when it is written in another macro's argument */
    clang_getFileLocation(clang_getCursorLocation(e), &f, NULL, NULL, &off);
    if (!f || !clang_File_isEqual(f, k->tu->main_file) || off >= k->tu->size)
        return NULL;
    const char *p = k->tu->text + off, *q = p;
    while (q < k->tu->text + k->tu->size &&
           (*q == '_' || (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')))
        q++;
    size_t n = (size_t)(q - p);
    static const char *const float_h[] = {"LDBL_MAX", "LDBL_MIN", "LDBL_EPSILON", "LDBL_TRUE_MIN"};
    bool ok = n > 4 && strncmp(p, "__", 2) == 0 && strncmp(q - 2, "__", 2) == 0 &&
              (strncmp(p, "__LDBL_", 7) == 0 || strncmp(p, "__FLT", 5) == 0 || strncmp(p, "__DBL_", 6) == 0);
    for (size_t i = 0; i < sizeof float_h / sizeof *float_h; i++)
        ok = ok || (n == strlen(float_h[i]) && strncmp(p, float_h[i], n) == 0);
    if (!ok)
        return NULL;
    char *r = malloc(n + 1);
    memcpy(r, p, n);
    r[n] = '\0';
    return r;
}

/*
 * A literal spelled where no file holds it (__LINE__, a builtin macro such as
 * __FLT_MAX__ in clang's scratch buffer, a -D macro from the command line):
 * print its value; floating values in hexadecimal, which is exact.
 */
static char *literal_value(cw_fn *k, CXCursor e)
{
    if (e.kind == CXCursor_StringLiteral) { /* clang spells it back, quoted and escaped */
        CXString s = clang_getCursorSpelling(e);
        char *r = *clang_getCString(s) == '"' ? cw_strdup(clang_getCString(s)) : NULL;
        clang_disposeString(s);
        return r;
    }
    CXEvalResult ev = clang_Cursor_Evaluate(e);
    char *r = NULL;
    enum CXTypeKind t = clang_getCanonicalType(clang_getCursorType(e)).kind;
    if (ev && clang_EvalResult_getKind(ev) == CXEval_Int && t != CXType_Int128 && t != CXType_UInt128) {
        /* Cast to its own type: 18446744073709551615 is unsigned long, not -1. */
        char *type = cw_declare(clang_getCursorType(e), "", NULL);
        if (clang_EvalResult_isUnsignedInt(ev))
            r = cw_strdup_printf("((%s)%lluULL)", type ? type : "unsigned long long",
                                 clang_EvalResult_getAsUnsigned(ev));
        else
            r = cw_strdup_printf("((%s)%lldLL)", type ? type : "long long", clang_EvalResult_getAsLongLong(ev));
        free(type);
    } else if (ev && clang_EvalResult_getKind(ev) == CXEval_Float && t != CXType_LongDouble) {
        r = cw_strdup_printf("%a%s", clang_EvalResult_getAsDouble(ev), t == CXType_Float ? "f" : "");
    } else if (ev && clang_EvalResult_getKind(ev) == CXEval_Float) {
        /* libclang gives the value only as a double, which cannot hold every long
           double (__LDBL_MAX__ would become inf): spell the builtin macro it
           comes from, which both compilers define alike. */
        r = builtin_macro_at_expansion(k, e);
    }
    if (ev)
        clang_EvalResult_dispose(ev);
    return r;
}

static char *cannot(cw_fn *k, CXCursor e, const char *what)
{
    CXString kind = clang_getCursorKindSpelling(e.kind);
    cw_error(k->tu, e, "cawait cannot transform %s (%s) here", what, clang_getCString(kind));
    clang_disposeString(kind);
    return cw_strdup("0");
}

static bool is_postfix(enum CXUnaryOperatorKind op)
{
    return op == CXUnaryOperator_PostInc || op == CXUnaryOperator_PostDec;
}

static const char *unary_spelling(enum CXUnaryOperatorKind op)
{
    switch (op) {
    case CXUnaryOperator_PostInc:
    case CXUnaryOperator_PreInc:
        return "++";
    case CXUnaryOperator_PostDec:
    case CXUnaryOperator_PreDec:
        return "--";
    case CXUnaryOperator_AddrOf:
        return "&";
    case CXUnaryOperator_Deref:
        return "*";
    case CXUnaryOperator_Plus:
        return "+";
    case CXUnaryOperator_Minus:
        return "-";
    case CXUnaryOperator_Not:
        return "~";
    case CXUnaryOperator_LNot:
        return "!";
    case CXUnaryOperator_Real:
        return "__real__ ";
    case CXUnaryOperator_Imag:
        return "__imag__ ";
    case CXUnaryOperator_Extension:
        return "__extension__ ";
    default:
        return NULL;
    }
}

static char *binary_spelling(CXCursor e)
{
    CXString s = clang_getBinaryOperatorKindSpelling(clang_getCursorBinaryOperatorKind(e));
    char *r = cw_strdup(clang_getCString(s));
    clang_disposeString(s);
    return r;
}

static bool base_is_pointer(CXCursor base)
{
    return clang_getCanonicalType(clang_getCursorType(base)).kind == CXType_Pointer;
}

static char *member_name(CXCursor e)
{
    CXString s = clang_getCursorSpelling(e);
    char *r = cw_strdup(clang_getCString(s));
    clang_disposeString(s);
    return r;
}

/*
 * The forms that the printer (print_expr), the lineariser (cw_lin) and
 * lin_lvalue spell alike, from their operands already spelled: fully
 * parenthesised, so that the operands' own precedence never matters.
 */
static char *spell_unary(enum CXUnaryOperatorKind op, const char *x)
{
    const char *sp = unary_spelling(op);
    return is_postfix(op) ? cw_strdup_printf("(%s%s)", x, sp) : cw_strdup_printf("(%s%s)", sp, x);
}

static char *spell_binary(CXCursor e, const char *a, const char *b)
{
    char *op = binary_spelling(e), *r = cw_strdup_printf("(%s %s %s)", a, op, b);
    free(op);
    return r;
}

static char *spell_subscript(const char *a, const char *b)
{
    return cw_strdup_printf("(%s)[%s]", a, b);
}

/* e, a MemberRefExpr whose base expression `base` is spelled a (an anonymous member is only its base). */
static char *spell_member(CXCursor e, CXCursor base, const char *a)
{
    char *m = member_name(e);
    char *r = *m ? cw_strdup_printf("(%s)%s%s", a, base_is_pointer(base) ? "->" : ".", m) : cw_strdup(a);
    free(m);
    return r;
}

static char *type_name(cw_fn *k, CXType t, CXCursor where)
{
    const char *why = NULL;
    char *r = cw_declare(t, "", &why);
    if (!r) {
        cw_error(k->tu, where, "cannot spell %s outside its declaration", why);
        r = cw_strdup("int");
    }
    return r;
}

static char *print_expr_of(cw_fn *k, CXCursor e);

/* The await-free expression e printed from the AST (it comes from a macro expansion), with the mark of a use
   of the variable arguments (variadic.h) before it. */
static char *print_expr(cw_fn *k, CXCursor e)
{
    char *mark = cw_va_mark(k, e), *r;
    if (k->va && cw_is_va_start(e) && !clang_Cursor_isNull(clang_Cursor_getArgument(e, 0))) {
        char *ap = print_expr(k, clang_Cursor_getArgument(e, 0));
        r = cw_va_start_copy(ap);
        free(ap);
    } else {
        r = print_expr_of(k, e);
    }
    if (!mark)
        return r;
    char *m = cw_strdup_printf("%s%s", mark, r);
    free(mark), free(r);
    return m;
}

static char *print_expr_of(cw_fn *k, CXCursor e)
{
    if (cw_is_ca_run(k->tu, e) || cw_is_ca_spawn(k->tu, e))
        return rewrite_keyword(k, e);
    if (cw_is_va_arg(k->tu, e)) { /* __builtin_va_arg(ap, T), which libclang does not expose */
        char *ap = print_expr(k, cw_va_arg_list(e)), *t = type_name(k, clang_getCursorType(e), e);
        char *r = cw_strdup_printf("__builtin_va_arg(%s, %s)", ap, t);
        free(ap), free(t);
        return r;
    }
    if (cw_is_await(k->tu, e)) {
        char *r = unevaluated_await(k->tu, e);
        if (r)
            return r;
    }
    CXCursor *c;
    unsigned n = cw_children(e, &c);
    char *r = NULL;
    switch (e.kind) {
    case CXCursor_DeclRefExpr: {
        cw_var *v = cw_frame_var(k, clang_getCursorReferenced(e));
        cw_async_fn *fn = cw_async_of(k->tu, e);
        r = v ? cw_strdup(cw_var_ref(v)) : fn ? cw_async_fn_value(k->tu, fn) : member_name(e);
        break;
    }
    case CXCursor_IntegerLiteral:
    case CXCursor_FloatingLiteral:
    case CXCursor_CharacterLiteral:
    case CXCursor_StringLiteral:
        r = token_at(k, e);
        if (!r)
            r = literal_value(k, e);
        if (!r)
            r = cannot(k, e, "a literal");
        break;
    case CXCursor_ParenExpr:
        if (n == 1) {
            char *x = print_expr(k, c[0]);
            r = cw_strdup_printf("(%s)", x);
            free(x);
        }
        break;
    case CXCursor_UnexposedExpr:
        if (n == 1)
            r = print_expr(k, c[0]);
        break;
    case CXCursor_UnaryOperator: {
        enum CXUnaryOperatorKind op = clang_getCursorUnaryOperatorKind(e);
        const char *sp = unary_spelling(op);
        if (n == 1 && sp) {
            char *x = print_expr(k, c[0]);
            r = spell_unary(op, x);
            free(x);
        }
        break;
    }
    case CXCursor_BinaryOperator:
    case CXCursor_CompoundAssignOperator:
        if (n == 2) {
            char *a = print_expr(k, c[0]), *b = print_expr(k, c[1]);
            r = spell_binary(e, a, b);
            free(a), free(b);
        }
        break;
    case CXCursor_ConditionalOperator:
        if (n == 3) {
            char *a = print_expr(k, c[0]), *b = print_expr(k, c[1]), *d = print_expr(k, c[2]);
            r = cw_strdup_printf("(%s ? %s : %s)", a, b, d);
            free(a), free(b), free(d);
        }
        break;
    case CXCursor_CallExpr: {
        strbuf b;
        sb_init(&b);
        cw_async_fn *callee = cw_async_callee(k->tu, e);
        for (unsigned i = 0; i < n; i++) {
            char *x = i == 0 && callee ? cw_call_name(k->tu, callee) : print_expr(k, c[i]);
            sb_printf(&b, i == 0 ? "%s(" : i == 1 ? "%s" : ", %s", x);
            free(x);
        }
        sb_puts(&b, ")");
        r = sb_take(&b);
        break;
    }
    case CXCursor_ArraySubscriptExpr:
        if (n == 2) {
            char *a = print_expr(k, c[0]), *b = print_expr(k, c[1]);
            r = spell_subscript(a, b);
            free(a), free(b);
        }
        break;
    case CXCursor_MemberRefExpr:
        if (n == 1) {
            char *a = print_expr(k, c[0]);
            r = spell_member(e, c[0], a);
            free(a);
        }
        break;
    case CXCursor_CStyleCastExpr:
    case CXCursor_CompoundLiteralExpr: /* (T)x and (T){...} */
        if (n >= 1) {
            char *t = type_name(k, clang_getCursorType(e), e), *x = print_expr(k, c[n - 1]);
            r = cw_strdup_printf("((%s)%s)", t, x);
            free(t), free(x);
        }
        break;
    case CXCursor_UnaryExpr: { /* sizeof / _Alignof: a constant unless a VLA is involved */
        CXEvalResult ev = clang_Cursor_Evaluate(e);
        if (ev && clang_EvalResult_getKind(ev) == CXEval_Int)
            r = cw_strdup_printf("((__SIZE_TYPE__)%lluUL)", clang_EvalResult_getAsUnsigned(ev));
        if (ev)
            clang_EvalResult_dispose(ev);
        break;
    }
    case CXCursor_GenericSelectionExpr: { /* the chosen association stands for it (the rest are not evaluated) */
        CXCursor chosen = cw_generic_chosen(e);
        if (!clang_Cursor_isNull(chosen)) {
            char *x = print_expr(k, chosen);
            r = cw_strdup_printf("(%s)", x);
            free(x);
        }
        break;
    }
    case CXCursor_InitListExpr: {
        strbuf b;
        sb_init(&b);
        sb_puts(&b, "{");
        for (unsigned i = 0; i < n; i++) {
            char *x = print_expr(k, c[i]);
            sb_printf(&b, "%s%s", i ? ", " : "", x);
            free(x);
        }
        sb_puts(&b, "}");
        r = sb_take(&b);
        break;
    }
    default:
        break;
    }
    free(c);
    return r ? r : cannot(k, e, "an expression written in a macro");
}

/* ---- linearising ------------------------------------------------------ */

static cw_val lin_lvalue(cw_fn *k, strbuf *out, CXCursor e);

char **cw_lin_args(cw_fn *k, strbuf *out, CXCursor call, int *nargs)
{
    CXCursor *c;
    unsigned n = cw_children(call, &c);
    int last = 0;
    for (unsigned i = 1; i < n; i++)
        if (cw_has_await(k, c[i]))
            last = (int)i;
    char **args = calloc(n, sizeof *args);
    for (unsigned i = 1; i < n; i++) {
        cw_val a = cw_lin(k, out, c[i], (int)i < last);
        args[i - 1] = a.s ? a.s : cw_strdup("0");
    }
    free(c);
    *nargs = (int)n - 1;
    return args;
}

char *cw_join_args(char **args, int nargs, bool free_them)
{
    strbuf b;
    sb_init(&b);
    for (int i = 0; i < nargs; i++) {
        sb_printf(&b, ", %s", args[i]);
        if (free_them)
            free(args[i]);
    }
    if (free_them)
        free(args);
    return sb_take(&b);
}

/*
 * The suspension point of `await call`: start the callee; unless it is done,
 * save the state and pass its status up. With `unused` (an expression
 * statement) no result slot is made for a runtime await that reads its
 * result on resumption.
 */
static cw_val lin_await(cw_fn *k, strbuf *out, CXCursor await, bool unused)
{
    if (!clang_Cursor_isNull(cw_to_thread_operand(k->tu, await)))
        return cw_lin_to_thread(k, out, cw_to_thread_operand(k->tu, await));
    CXCursor call = cw_keyword_call(k->tu, await);
    cw_async_fn *f = cw_async_callee(k->tu, call);
    if (!f && cw_is_ptr_call(k->tu, call))
        return cw_lin_ptr_await(k, out, await, call);
    if (!f)
        return val(cannot(k, await, "this 'await'"), true);
    if (cw_is_variadic(f) && !cw_variadic_entry(f)) {
        cw_error(k->tu, await, "cannot await '%s': a variadic async function must be defined in this file", f->name);
        return val(cw_strdup("0"), true);
    }
    int nargs;
    char **list = cw_lin_args(k, out, call, &nargs);
    wrong_arg_count(k, call, f, nargs);
    char *args = cw_join_args(list, nargs, true);
    bool on_resume = cw_result_on_resume(f);
    char *result = NULL;
    if (!f->is_void && !(on_resume && unused))
        result = cw_new_temp(k, clang_getUnqualifiedType(clang_getResultType(f->type)), await);
    cw_note_callee(k, f);
    int state = cw_new_state(k, await);
    k->passes_status = true;
    bool by_pointer = result && !on_resume;
    sb_printf(out, "if ((ca__st = %s__ca_start(ca__t, &ca__f->hdr%s%s%s)) != CA_DONE) { ", f->name,
              by_pointer ? ", &" : "", by_pointer ? result : "", args);
    sb_printf(out, "ca__f->ca__state = %d; return ca__st; } ca__s%d:; ", state, state);
    if (by_pointer) /* the callee writes it when it ends, after reading its arguments */
        cw_result_written_here(k, result, out);
    if (result && on_resume)
        sb_printf(out, "%s = %s__ca_result(ca__t); ", result, f->name);
    free(args);
    return val(result, true);
}

static cw_val lin_children_call(cw_fn *k, strbuf *out, CXCursor e, CXCursor *c, unsigned n)
{
    int last = -1;
    for (unsigned i = 0; i < n; i++)
        if (cw_has_await(k, c[i]))
            last = (int)i;
    strbuf b;
    sb_init(&b);
    for (unsigned i = 0; i < n; i++) {
        CXCursor callee = cw_strip(c[i]);
        bool fixed = i == 0 && callee.kind == CXCursor_DeclRefExpr; /* a function's name */
        cw_val a = cw_lin(k, out, c[i], !fixed && (int)i < last);
        sb_printf(&b, i == 0 ? "%s(" : i == 1 ? "%s" : ", %s", a.s ? a.s : "0");
        free(a.s);
    }
    sb_puts(&b, ")");
    (void)e;
    return val(sb_take(&b), false);
}

/* `a && b`, `a || b` with an await in b: b runs only when C would run it. */
static cw_val lin_logical(cw_fn *k, strbuf *out, CXCursor e, CXCursor lhs, CXCursor rhs, bool is_and)
{
    cw_val l = cw_lin(k, out, lhs, false);
    CXType int_type = clang_getCursorType(e);
    char *t = cw_new_temp(k, int_type, e);
    sb_printf(out, "%s = !!(%s); if (%s%s) { ", t, l.s, is_and ? "" : "!", t);
    cw_val r = cw_lin(k, out, rhs, false);
    sb_printf(out, "%s = !!(%s); } ", t, r.s);
    free(l.s), free(r.s);
    return val(t, true);
}

static cw_val lin_conditional(cw_fn *k, strbuf *out, CXCursor e, CXCursor *c)
{
    cw_val cond = cw_lin(k, out, c[0], false);
    bool is_void = cw_is_void(clang_getCursorType(e));
    char *t = is_void ? NULL : cw_new_temp(k, clang_getCursorType(e), e);
    sb_printf(out, "if (%s) { ", cond.s);
    for (int i = 1; i <= 2; i++) {
        cw_val v = cw_lin(k, out, c[i], false);
        if (v.s && t)
            cw_assign(out, clang_getCursorType(e), t, v.s);
        else if (v.s)
            sb_printf(out, "(void)(%s); ", v.s);
        sb_puts(out, i == 1 ? "} else { " : "} ");
        free(v.s);
    }
    free(cond.s);
    return val(t, true);
}

cw_val cw_lin_unused(cw_fn *k, strbuf *out, CXCursor e)
{
    CXCursor x = cw_strip(e), *c;
    if (x.kind == CXCursor_CStyleCastExpr && cw_is_void(clang_getCursorType(x))) { /* (void)await f() */
        unsigned n = cw_children(x, &c);
        x = n ? cw_strip(c[n - 1]) : x; /* the operand comes last, after any type reference */
        free(c);
    }
    if (cw_is_await(k->tu, x))
        return lin_await(k, out, x, true);
    if (x.kind == CXCursor_StmtExpr && cw_has_await(k, x))
        return cw_lin_stmt_expr(k, out, x, true);
    return cw_lin(k, out, e, false);
}

cw_val cw_lin(cw_fn *k, strbuf *out, CXCursor e, bool save)
{
    if (!cw_has_await(k, e)) {
        cw_val v = val(cw_text(k, e), e.kind == CXCursor_IntegerLiteral || e.kind == CXCursor_CharacterLiteral ||
                                          e.kind == CXCursor_FloatingLiteral || e.kind == CXCursor_StringLiteral);
        return save ? save_val(k, out, e, v) : v;
    }
    if (cw_is_await(k->tu, e))
        return lin_await(k, out, e, false);
    if (cw_is_ca_spawn(k->tu, e)) { /* ca_spawn(f(await g())): the arguments first */
        CXCursor call = cw_keyword_call(k->tu, e), group = cw_spawn_group(k->tu, e);
        cw_val g = clang_Cursor_isNull(group) ? val(NULL, true) : cw_lin(k, out, group, true);
        int nargs;
        char **args = cw_lin_args(k, out, call, &nargs);
        cw_val r = val(cw_spawn_expr(k, call, args, nargs, "ca__t", g.s), false);
        free(g.s);
        free(cw_join_args(args, nargs, true));
        return save ? save_val(k, out, e, r) : r;
    }

    if (e.kind == CXCursor_StmtExpr)
        return cw_lin_stmt_expr(k, out, e, false);

    CXCursor *c;
    unsigned n = cw_children(e, &c);
    cw_val r = val(NULL, false);
    switch (e.kind) {
    case CXCursor_ParenExpr:
    case CXCursor_UnexposedExpr:
        if (n != 1 || cw_is_va_arg(k->tu, e))
            goto unsupported;
        r = cw_lin(k, out, c[0], false);
        if (r.s && e.kind == CXCursor_ParenExpr && !r.stable) {
            char *p = cw_strdup_printf("(%s)", r.s);
            free(r.s);
            r.s = p;
        }
        break;
    case CXCursor_UnaryOperator: {
        enum CXUnaryOperatorKind op = clang_getCursorUnaryOperatorKind(e);
        const char *sp = unary_spelling(op);
        if (n != 1 || !sp)
            goto unsupported;
        bool lvalue = op == CXUnaryOperator_AddrOf || op == CXUnaryOperator_PreInc || op == CXUnaryOperator_PreDec ||
                      is_postfix(op);
        cw_val x = lvalue ? lin_lvalue(k, out, c[0]) : cw_lin(k, out, c[0], false);
        r.s = spell_unary(op, x.s);
        free(x.s);
        break;
    }
    case CXCursor_BinaryOperator:
    case CXCursor_CompoundAssignOperator: {
        if (n != 2)
            goto unsupported;
        enum CXBinaryOperatorKind op = clang_getCursorBinaryOperatorKind(e);
        bool rhs_awaits = cw_has_await(k, c[1]);
        if ((op == CXBinaryOperator_LAnd || op == CXBinaryOperator_LOr) && rhs_awaits) {
            r = lin_logical(k, out, e, c[0], c[1], op == CXBinaryOperator_LAnd);
            break;
        }
        if (op == CXBinaryOperator_Comma) {
            cw_val l = cw_lin(k, out, c[0], false);
            if (l.s && !l.stable)
                sb_printf(out, "(void)(%s); ", l.s);
            free(l.s);
            r = cw_lin(k, out, c[1], false);
            break;
        }
        bool assign = e.kind == CXCursor_CompoundAssignOperator || op == CXBinaryOperator_Assign;
        cw_val l;
        if (assign)
            l = cw_has_await(k, c[0]) ? lin_lvalue(k, out, c[0]) : val(cw_text(k, c[0]), false);
        else
            l = cw_lin(k, out, c[0], rhs_awaits);
        cw_val rv = cw_lin(k, out, c[1], false);
        r.s = spell_binary(e, l.s, rv.s);
        free(l.s), free(rv.s);
        break;
    }
    case CXCursor_ConditionalOperator:
        if (n != 3)
            goto unsupported;
        if (cw_has_await(k, c[1]) || cw_has_await(k, c[2])) {
            r = lin_conditional(k, out, e, c);
        } else {
            cw_val cond = cw_lin(k, out, c[0], false);
            char *a = cw_text(k, c[1]), *b = cw_text(k, c[2]);
            r.s = cw_strdup_printf("(%s ? %s : %s)", cond.s, a, b);
            free(cond.s), free(a), free(b);
        }
        break;
    case CXCursor_CallExpr:
        if (n < 1)
            goto unsupported;
        r = lin_children_call(k, out, e, c, n);
        break;
    case CXCursor_ArraySubscriptExpr: {
        if (n != 2)
            goto unsupported;
        cw_val a = cw_lin(k, out, c[0], cw_has_await(k, c[1]));
        cw_val b = cw_lin(k, out, c[1], false);
        r.s = spell_subscript(a.s, b.s);
        free(a.s), free(b.s);
        break;
    }
    case CXCursor_MemberRefExpr: {
        if (n != 1)
            goto unsupported;
        cw_val a = cw_lin(k, out, c[0], false);
        r.s = spell_member(e, c[0], a.s);
        free(a.s);
        break;
    }
    case CXCursor_CStyleCastExpr: {
        if (n < 1)
            goto unsupported;
        cw_val x = cw_lin(k, out, c[n - 1], false);
        char *t = type_name(k, clang_getCursorType(e), e);
        r.s = x.s ? cw_strdup_printf("((%s)(%s))", t, x.s) : NULL; /* (void)await f() */
        free(t), free(x.s);
        break;
    }
    case CXCursor_CompoundLiteralExpr: {
        if (n < 1 || c[n - 1].kind != CXCursor_InitListExpr)
            goto unsupported;
        /* The literal is an object that lives to the end of its block, over
           later awaits, where its address may still be used (`int *a =
           (int[]){ await f(), 2 };`): it is made in a frame temporary, which
           the expression then names. */
        cw_val x = cw_lin(k, out, c[n - 1], false);
        char *t = type_name(k, clang_getCursorType(e), e);
        char *tmp = cw_new_temp(k, clang_getCursorType(e), e);
        cw_pin_temp(k, tmp);
        sb_printf(out, "__builtin_memcpy((void *)&%s, &((%s)%s), sizeof %s); ", tmp, t, x.s, tmp);
        r = val(tmp, false);
        free(t), free(x.s);
        break;
    }
    case CXCursor_InitListExpr: {
        /* C leaves the order of an initializer list's evaluations unspecified: nothing is saved. */
        strbuf b;
        sb_init(&b);
        sb_puts(&b, "{");
        for (unsigned i = 0; i < n; i++) {
            CXCursor *d;
            unsigned nd = cw_children(c[i], &d);
            CXCursor value = nd ? d[nd - 1] : clang_getNullCursor();
            free(d);
            if (c[i].kind == CXCursor_UnexposedExpr && nd > 1 && cw_has_await(k, c[i])) {
                /* A designated initializer: `.m[2] = ` kept as written, the value linearised. */
                unsigned eb, ee, vb, ve;
                if (!cw_clean_range(k->tu, c[i], &eb, &ee) || !cw_expansion_range(k->tu, value, &vb, &ve) || vb < eb)
                    goto unsupported_list;
                cw_val x = cw_lin(k, out, value, false);
                sb_printf(&b, "%s%.*s%s", i ? ", " : "", (int)(vb - eb), k->tu->text + eb, x.s);
                free(x.s);
                continue;
            }
            cw_val x = cw_lin(k, out, c[i], false);
            sb_printf(&b, "%s%s", i ? ", " : "", x.s);
            free(x.s);
        }
        sb_puts(&b, "}");
        r.s = sb_take(&b);
        break;
    unsupported_list:
        sb_free(&b);
        r.s = cannot(k, e, "an 'await' inside a designated initializer");
        break;
    }
    default:
        goto unsupported;
    }
    free(c);
    char *mark = cw_va_mark(k, e); /* a use of the variable arguments, evaluated where its value is */
    if (mark && r.s) {
        char *m = cw_strdup_printf("%s%s", mark, r.s);
        free(r.s);
        r.s = m;
    } else if (mark) {
        free(cannot(k, e, "this use of a va_list"));
    }
    free(mark);
    return save ? save_val(k, out, e, r) : r;
unsupported:
    free(c);
    return val(cannot(k, e, "an 'await' inside this expression"), true);
}

/* An lvalue whose subexpressions with awaits have been evaluated; what is left is free of awaits. */
static cw_val lin_lvalue(cw_fn *k, strbuf *out, CXCursor e)
{
    if (!cw_has_await(k, e))
        return val(cw_text(k, e), false);
    CXCursor *c;
    unsigned n = cw_children(e, &c);
    cw_val r = val(NULL, false);
    if ((e.kind == CXCursor_ParenExpr || e.kind == CXCursor_UnexposedExpr) && n == 1) {
        cw_val x = lin_lvalue(k, out, c[0]);
        r.s = cw_strdup_printf("(%s)", x.s);
        free(x.s);
    } else if (e.kind == CXCursor_ArraySubscriptExpr && n == 2) {
        cw_val a = cw_lin(k, out, c[0], cw_has_await(k, c[1]));
        cw_val b = cw_lin(k, out, c[1], false);
        r.s = spell_subscript(a.s, b.s);
        free(a.s), free(b.s);
    } else if (e.kind == CXCursor_MemberRefExpr && n == 1) {
        bool arrow = base_is_pointer(c[0]);
        cw_val a = arrow ? cw_lin(k, out, c[0], false) : lin_lvalue(k, out, c[0]);
        r.s = spell_member(e, c[0], a.s);
        free(a.s);
    } else if (e.kind == CXCursor_UnaryOperator && n == 1 &&
               clang_getCursorUnaryOperatorKind(e) == CXUnaryOperator_Deref) {
        cw_val a = cw_lin(k, out, c[0], false);
        r.s = spell_unary(CXUnaryOperator_Deref, a.s);
        free(a.s);
    } else if (e.kind == CXCursor_CompoundLiteralExpr) { /* made in a frame temporary, an lvalue */
        free(c);
        return cw_lin(k, out, e, false);
    } else {
        r.s = cannot(k, e, "an 'await' inside this lvalue");
    }
    free(c);
    return r;
}
