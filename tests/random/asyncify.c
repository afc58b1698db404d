/*
 * asyncify: turn a plain C program into its async twin, for cawait's random
 * differential tests (DESIGN.md, "Semantics that must hold", item 1).
 *
 *   asyncify [options] IN.c [-o OUT.c] [-- CLANG_FLAGS...]
 *
 * Every function defined in IN.c except main becomes `async` (on its
 * definition and on every prototype of it in IN.c), every call of one of them
 * gets `await ` in front, and in main such a call becomes `ca_run(CALL)`.
 * `#include <cawait.h>` is added at the top, followed by `#line 1` so that
 * line numbers stay those of IN.c. The program is parsed with
 * libclang; the rewrite inserts text at file offsets taken from the cursors
 * (sorted, then written out in one pass, which is the same as applying them
 * from the end of the file backwards), so the rest of the text is kept byte
 * for byte.
 *
 * Options:
 *   --yield          `await ca_yield();` first in every async body and before
 *                    every `return` in one (as `{ await ca_yield(); return..; }`),
 *                    so every await of a user function takes the suspension path.
 *   --yield-expr     also wrap awaited calls, at random (seeded) positions, as
 *                    `(await ca_yield(), await f(x))`, so suspensions land in
 *                    the middle of expressions. Implies nothing else.
 *   --seed N         seed for --yield-expr (default 1).
 *   --prob P         percentage of calls wrapped by --yield-expr (default 50).
 *   --fnptr          declare after each async function `f` an async pointer to
 *                    it, `static async asyncify_ft_f *asyncify_fp_f = f;` (its
 *                    typedef from __typeof__), and make calls through it at
 *                    random (seeded) positions: `await asyncify_fp_f(x)`, and
 *                    `ca_run(asyncify_fp_f(x))` in main.
 *   --fnptr-prob P   percentage of calls made through pointers (default 50).
 *   --async-first    put `async` before everything (`async static int f`)
 *                    instead of after storage class and inline
 *                    (`static async int f`).
 *   -q               no summary on stderr.
 *
 * A summary line on stderr counts what was done, including what was left
 * alone: calls through function pointers, references to a made-async function
 * that are not calls (its address taken), and calls written inside a macro's
 * body (they cannot be marked from the source; the result would be a misuse).
 * Exit 0 on success, 1 on a parse error or bad usage.
 */
#include <clang-c/Index.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct edit {
    unsigned off;
    unsigned len;  /* bytes of the source it replaces (0: an insertion) */
    unsigned seq; /* order of recording; ties are applied so that text
                     recorded first ends up first */
    char *text;
};

struct names {
    char **v;
    size_t n, cap;
};

struct state {
    CXTranslationUnit tu;
    CXFile file;
    const char *src;
    size_t srclen;

    struct names async_usrs;

    struct edit *edits;
    size_t nedits, capedits;
    unsigned *marked; /* start offsets of the calls already marked */
    CXSourceLocation *callee_refs; /* the callee names of those calls */
    size_t ncallee_refs;
    size_t nmarked;

    /* options */
    int yield, yield_expr, async_first, quiet, fnptr;
    unsigned prob, fnptr_prob;
    struct names pointed; /* USRs of the functions whose pointer is declared */
    uint64_t rng;

    /* counts for the summary */
    unsigned n_async_funcs, n_async_decls, n_awaits, n_ca_run, n_yields,
        n_yield_exprs, n_fptr_calls, n_refs, n_macro_calls, n_parens, n_ptr_decls, n_via_ptr;
};

/* ---- small helpers ---- */

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p) {
        fprintf(stderr, "asyncify: out of memory\n");
        exit(1);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

static char *cx_take(CXString s)
{
    const char *c = clang_getCString(s);
    char *r = xstrdup(c ? c : "");
    clang_disposeString(s);
    return r;
}

static int names_has(const struct names *ns, const char *s)
{
    for (size_t i = 0; i < ns->n; i++)
        if (strcmp(ns->v[i], s) == 0)
            return 1;
    return 0;
}

static void names_add(struct names *ns, const char *s)
{
    if (names_has(ns, s))
        return;
    if (ns->n == ns->cap) {
        ns->cap = ns->cap ? 2 * ns->cap : 16;
        ns->v = xrealloc(ns->v, ns->cap * sizeof *ns->v);
    }
    ns->v[ns->n++] = xstrdup(s);
}

static unsigned rnd(struct state *st)
{
    /* xorshift64* */
    st->rng ^= st->rng >> 12;
    st->rng ^= st->rng << 25;
    st->rng ^= st->rng >> 27;
    return (unsigned)((st->rng * 2685821657736338717ULL) >> 33);
}

static void replace_edit(struct state *st, unsigned off, unsigned len, const char *text);

static void add_edit(struct state *st, unsigned off, const char *text)
{
    replace_edit(st, off, 0, text);
}

static void replace_edit(struct state *st, unsigned off, unsigned len, const char *text)
{
    if (st->nedits == st->capedits) {
        st->capedits = st->capedits ? 2 * st->capedits : 256;
        st->edits = xrealloc(st->edits, st->capedits * sizeof *st->edits);
    }
    st->edits[st->nedits].off = off;
    st->edits[st->nedits].len = len;
    st->edits[st->nedits].seq = (unsigned)st->nedits;
    st->edits[st->nedits].text = xstrdup(text);
    st->nedits++;
}

static int edit_at(const struct state *st, unsigned off, const char *text)
{
    for (size_t i = 0; i < st->nedits; i++)
        if (st->edits[i].off == off && strcmp(st->edits[i].text, text) == 0)
            return 1;
    return 0;
}

/* Offset in the main file of loc (a macro argument's own spelling, or a
 * macro's expansion point); -1 when loc is not in the main file. */
static long file_offset(struct state *st, CXSourceLocation loc)
{
    CXFile f;
    unsigned line, col, off;
    clang_getFileLocation(loc, &f, &line, &col, &off);
    if (!f || !clang_File_isEqual(f, st->file))
        return -1;
    return (long)off;
}

/* Whether c is written in the main file, or expanded there from a macro
 * (clang_Location_isFromMainFile looks at the spelling, which for a name
 * made by `safe_##x` is clang's scratch buffer). */
static int in_main_file(struct state *st, CXCursor c)
{
    CXFile f;
    clang_getExpansionLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
    return f && clang_File_isEqual(f, st->file);
}

static int is_ident_char(int ch)
{
    return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9');
}

/* Skip blanks and comments from off; returns the offset of the next token. */
static size_t skip_space(const struct state *st, size_t off)
{
    const char *s = st->src;
    while (off < st->srclen) {
        if (s[off] == ' ' || s[off] == '\t' || s[off] == '\n' || s[off] == '\r' ||
            s[off] == '\f' || s[off] == '\v') {
            off++;
        } else if (s[off] == '\\' && off + 1 < st->srclen && s[off + 1] == '\n') {
            off += 2;
        } else if (s[off] == '/' && off + 1 < st->srclen && s[off + 1] == '*') {
            const char *e = strstr(s + off + 2, "*/");
            off = e ? (size_t)(e - s) + 2 : st->srclen;
        } else if (s[off] == '/' && off + 1 < st->srclen && s[off + 1] == '/') {
            while (off < st->srclen && s[off] != '\n')
                off++;
        } else {
            break;
        }
    }
    return off;
}

static int usr_is_async(struct state *st, CXCursor decl)
{
    if (clang_getCursorKind(decl) != CXCursor_FunctionDecl)
        return 0;
    char *usr = cx_take(clang_getCursorUSR(decl));
    int r = names_has(&st->async_usrs, usr);
    free(usr);
    return r;
}

static enum CXChildVisitResult first_child(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    *(CXCursor *)d = c;
    return CXChildVisit_Break;
}

/* The function a call names, looking through parentheses, implicit
 * conversions, `*` and `&`: `(f)(x)`, `(*f)(x)`; null for other callees. */
static CXCursor callee_of(CXCursor call, CXCursor *ref)
{
    CXCursor r;
    CXCursor e = clang_getNullCursor();
    *ref = clang_getNullCursor();
    clang_visitChildren(call, first_child, &e);
    for (;;) {
        if (clang_Cursor_isNull(e))
            return e;
        enum CXCursorKind k = clang_getCursorKind(e);
        if (k == CXCursor_DeclRefExpr) {
            *ref = e;
            r = clang_getCursorReferenced(e);
            if (!clang_Cursor_isNull(r) && clang_getCursorKind(r) == CXCursor_FunctionDecl)
                return r;
            return clang_getNullCursor();
        }
        if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr &&
            k != CXCursor_UnaryOperator)
            return clang_getNullCursor();
        CXCursor next = clang_getNullCursor();
        clang_visitChildren(e, first_child, &next);
        e = next;
    }
}

/* ---- pass 1: the functions defined in the main file ---- */

static enum CXChildVisitResult collect(CXCursor c, CXCursor parent, CXClientData d)
{
    struct state *st = d;
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_FunctionDecl && in_main_file(st, c) &&
        clang_isCursorDefinition(c)) {
        char *name = cx_take(clang_getCursorSpelling(c));
        if (strcmp(name, "main") != 0) {
            char *usr = cx_take(clang_getCursorUSR(c));
            if (!names_has(&st->async_usrs, usr))
                st->n_async_funcs++;
            names_add(&st->async_usrs, usr);
            free(usr);
        }
        free(name);
    }
    return CXChildVisit_Continue;
}

/* ---- pass 2: the rewrite ---- */

enum ctx { CTX_NONE, CTX_ASYNC, CTX_MAIN };

struct walk {
    struct state *st;
    enum ctx ctx;
};

/* `async` goes after leading storage-class / function specifiers and
 * attributes (`static async int f`), or first with --async-first. */
static void mark_async_decl(struct state *st, CXCursor fn)
{
    CXSourceRange ext = clang_getCursorExtent(fn);
    /* Where the declaration's first and last tokens are expanded in the file:
     * `STATIC int FUNC_NAME(f)(...)` starts at `STATIC`, not in its #define. */
    CXFile f1, f2;
    unsigned o1, o2;
    clang_getExpansionLocation(clang_getRangeStart(ext), &f1, NULL, NULL, &o1);
    clang_getExpansionLocation(clang_getRangeEnd(ext), &f2, NULL, NULL, &o2);
    if (!f1 || !f2 || !clang_File_isEqual(f1, st->file) || !clang_File_isEqual(f2, st->file) ||
        o2 < o1) {
        fprintf(stderr, "asyncify: warning: declaration of a function not spelled in the file, left alone\n");
        return;
    }
    ext = clang_getRange(clang_getLocationForOffset(st->tu, st->file, o1),
                         clang_getLocationForOffset(st->tu, st->file, o2));
    long start = (long)o1;
    long at = start;
    if (!st->async_first) {
        CXToken *toks;
        unsigned ntoks;
        clang_tokenize(st->tu, ext, &toks, &ntoks);
        unsigned i = 0;
        while (i < ntoks) {
            char *sp = cx_take(clang_getTokenSpelling(st->tu, toks[i]));
            int skip1 = strcmp(sp, "static") == 0 || strcmp(sp, "extern") == 0 ||
                        strcmp(sp, "inline") == 0 || strcmp(sp, "__inline") == 0 ||
                        strcmp(sp, "__inline__") == 0 || strcmp(sp, "_Noreturn") == 0 ||
                        strcmp(sp, "__extension__") == 0;
            int attr = strcmp(sp, "__attribute__") == 0 || strcmp(sp, "__attribute") == 0 ||
                       strcmp(sp, "__declspec") == 0;
            free(sp);
            if (skip1) {
                i++;
                continue;
            }
            if (attr) {
                /* skip the balanced parentheses after it */
                int depth = 0;
                i++;
                while (i < ntoks) {
                    char *p = cx_take(clang_getTokenSpelling(st->tu, toks[i]));
                    if (strcmp(p, "(") == 0)
                        depth++;
                    else if (strcmp(p, ")") == 0)
                        depth--;
                    free(p);
                    i++;
                    if (depth == 0)
                        break;
                }
                continue;
            }
            break;
        }
        if (i < ntoks) {
            long o = file_offset(st, clang_getTokenLocation(st->tu, toks[i]));
            if (o >= 0)
                at = o;
        }
        clang_disposeTokens(st->tu, toks, ntoks);
    }
    if (edit_at(st, (unsigned)at, "async "))
        return; /* `int f(void), g(void);`: one `async` serves both */
    add_edit(st, (unsigned)at, "async ");
    st->n_async_decls++;
}

/* --fnptr: should the call of callee spelled at src[start] (its name, nlen
 * bytes) go through the callee's pointer? Draws a random number only then. */
static int pointer_for_call(struct state *st, CXCursor callee, long start, size_t nlen)
{
    if (!st->fnptr || st->src[start] == '(' || clang_isFunctionTypeVariadic(clang_getCursorType(callee)) ||
        clang_getCursorType(callee).kind != CXType_FunctionProto)
        return 0;
    (void)nlen;
    char *usr = cx_take(clang_getCursorUSR(callee));
    int declared = names_has(&st->pointed, usr);
    free(usr);
    return declared && rnd(st) % 100 < st->fnptr_prob;
}

/* Replace the callee's name by its pointer's. */
static void via_pointer(struct state *st, CXCursor callee, long start, size_t nlen)
{
    char *name = cx_take(clang_getCursorSpelling(callee));
    char *ptr = xrealloc(NULL, strlen(name) + 16);
    sprintf(ptr, "asyncify_fp_%s", name);
    replace_edit(st, (unsigned)start, (unsigned)nlen, ptr);
    free(ptr), free(name);
    st->n_via_ptr++;
}

/* --fnptr: after the first declaration of async function fn (its `;` or
 * its body's `}`), its pointer and the typedef of its type. */
static void declare_pointer(struct state *st, CXCursor fn)
{
    CXType t = clang_getCursorType(fn);
    if (t.kind != CXType_FunctionProto || clang_isFunctionTypeVariadic(t))
        return;
    char *usr = cx_take(clang_getCursorUSR(fn));
    int done = names_has(&st->pointed, usr);
    free(usr);
    if (done)
        return;
    CXFile f;
    unsigned off;
    clang_getExpansionLocation(clang_getRangeEnd(clang_getCursorExtent(fn)), &f, NULL, NULL, &off);
    if (!f || !clang_File_isEqual(f, st->file))
        return;
    size_t at = off;
    if (!clang_isCursorDefinition(fn)) {
        at = skip_space(st, at);
        if (at >= st->srclen || st->src[at] != ';')
            return; /* `int f(void), g(void);`: left without a pointer */
        at++;
    }
    char *name = cx_take(clang_getCursorSpelling(fn));
    char *text = xrealloc(NULL, 3 * strlen(name) + 160);
    sprintf(text, " typedef __typeof__(%s) asyncify_ft_%s; static async asyncify_ft_%s *asyncify_fp_%s = %s;",
            name, name, name, name, name);
    add_edit(st, (unsigned)at, text);
    free(text), free(name);
    usr = cx_take(clang_getCursorUSR(fn));
    names_add(&st->pointed, usr);
    free(usr);
    st->n_ptr_decls++;
}

static void mark_call(struct walk *w, CXCursor call, CXCursor callee)
{
    struct state *st = w->st;
    CXSourceRange ext = clang_getCursorExtent(call);
    long start = file_offset(st, clang_getRangeStart(ext));
    long end = file_offset(st, clang_getRangeEnd(ext));
    char *name = cx_take(clang_getCursorSpelling(callee));
    size_t nlen = strlen(name);

    /* The call must be spelled in the file: its first token is the callee's
     * name (or a parenthesised callee) and its last is `)`. A call written in
     * a macro's body maps to the macro's name instead. */
    int ok = start >= 0 && end > start && (size_t)end <= st->srclen &&
             st->src[end - 1] == ')';
    if (ok) {
        if (st->src[start] == '(') {
            /* (f)(x) */
        } else if ((size_t)start + nlen <= st->srclen &&
                   strncmp(st->src + start, name, nlen) == 0 &&
                   !is_ident_char(st->src[start + nlen])) {
            /* f(x) */
        } else {
            ok = 0;
        }
    }
    free(name);
    if (!ok) {
        st->n_macro_calls++;
        return;
    }
    /* A call in the argument of a macro that uses its parameter twice
     * (`MAX(f(x), y)`) is one call in the source and two in the AST. */
    for (size_t i = 0; i < st->nmarked; i++)
        if (st->marked[i] == (unsigned)start)
            return;
    st->marked = xrealloc(st->marked, (st->nmarked + 1) * sizeof *st->marked);
    st->marked[st->nmarked++] = (unsigned)start;
    if (w->ctx == CTX_MAIN) {
        add_edit(st, (unsigned)start, "ca_run(");
        if (pointer_for_call(st, callee, start, nlen))
            via_pointer(st, callee, start, nlen);
        add_edit(st, (unsigned)end, ")");
        st->n_ca_run++;
        return;
    }
    if (w->ctx != CTX_ASYNC) {
        st->n_macro_calls++; /* cannot happen in valid C: no calls outside functions */
        return;
    }
    /* await binds like a unary operator, so `f(x)[i]`, `f(x)->m`, `f(x).m`
     * need `(await f(x))[i]`. */
    size_t next = skip_space(st, (size_t)end);
    int postfix = next < st->srclen &&
                  (st->src[next] == '[' || st->src[next] == '.' || st->src[next] == '(' ||
                   (st->src[next] == '-' && next + 1 < st->srclen && st->src[next + 1] == '>'));
    int wrap = st->yield_expr && rnd(st) % 100 < st->prob;
    int via_ptr = pointer_for_call(st, callee, start, nlen);
    const char *open = wrap ? "(await ca_yield(), await " : postfix ? "(await " : "await ";
    add_edit(st, (unsigned)start, open);
    if (via_ptr)
        via_pointer(st, callee, start, nlen);
    if (wrap || postfix)
        add_edit(st, (unsigned)end, ")");
    st->n_awaits++;
    st->n_parens += postfix;
    st->n_yield_exprs += wrap;
}

static void mark_return(struct walk *w, CXCursor ret)
{
    struct state *st = w->st;
    CXSourceRange ext = clang_getCursorExtent(ret);
    long start = file_offset(st, clang_getRangeStart(ext));
    long end = file_offset(st, clang_getRangeEnd(ext));
    if (start < 0 || end < start || strncmp(st->src + start, "return", 6) != 0) {
        fprintf(stderr, "asyncify: warning: a return not spelled in the file, left alone\n");
        return;
    }
    size_t semi = skip_space(st, (size_t)end);
    if (semi >= st->srclen || st->src[semi] != ';') {
        fprintf(stderr, "asyncify: warning: no `;` after a return, left alone\n");
        return;
    }
    add_edit(st, (unsigned)start, "{ await ca_yield(); ");
    add_edit(st, (unsigned)semi + 1, " }");
    st->n_yields++;
}

static enum CXChildVisitResult walk_visit(CXCursor c, CXCursor parent, CXClientData d);

/* The body of a function definition: its CompoundStmt child. */
static enum CXChildVisitResult find_body(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_CompoundStmt)
        *(CXCursor *)d = c;
    return CXChildVisit_Continue;
}

static void walk_children(struct walk *w, CXCursor c)
{
    clang_visitChildren(c, walk_visit, w);
}

static enum CXChildVisitResult walk_visit(CXCursor c, CXCursor parent, CXClientData d)
{
    struct walk *w = d;
    struct state *st = w->st;
    enum CXCursorKind k = clang_getCursorKind(c);
    (void)parent;

    if (w->ctx == CTX_NONE && !in_main_file(st, c))
        return CXChildVisit_Continue;

    switch (k) {
    case CXCursor_FunctionDecl: {
        enum ctx saved = w->ctx;
        int is_async = usr_is_async(st, c);
        if (is_async && in_main_file(st, c))
            mark_async_decl(st, c);
        /* A definition's pointer follows its body: recursive calls in it stay direct. */
        if (is_async && in_main_file(st, c) && st->fnptr && !clang_isCursorDefinition(c))
            declare_pointer(st, c);
        if (clang_isCursorDefinition(c)) {
            char *name = cx_take(clang_getCursorSpelling(c));
            w->ctx = is_async ? CTX_ASYNC : strcmp(name, "main") == 0 ? CTX_MAIN : CTX_NONE;
            free(name);
            if (w->ctx == CTX_ASYNC && st->yield) {
                CXCursor body = clang_getNullCursor();
                clang_visitChildren(c, find_body, &body);
                if (!clang_Cursor_isNull(body)) {
                    long o = file_offset(st, clang_getRangeStart(clang_getCursorExtent(body)));
                    if (o >= 0 && st->src[o] == '{') {
                        add_edit(st, (unsigned)o + 1, " await ca_yield();");
                        st->n_yields++;
                    }
                }
            }
        }
        walk_children(w, c);
        w->ctx = saved;
        if (is_async && in_main_file(st, c) && st->fnptr && clang_isCursorDefinition(c))
            declare_pointer(st, c);
        return CXChildVisit_Continue;
    }
    case CXCursor_CallExpr: {
        CXCursor ref;
        CXCursor callee = callee_of(c, &ref);
        if (clang_Cursor_isNull(callee)) {
            st->n_fptr_calls++;
        } else if (usr_is_async(st, callee)) {
            mark_call(w, c, callee);
            st->callee_refs = xrealloc(st->callee_refs,
                                       (st->ncallee_refs + 1) * sizeof *st->callee_refs);
            st->callee_refs[st->ncallee_refs++] = clang_getCursorLocation(ref);
        }
        walk_children(w, c);
        return CXChildVisit_Continue;
    }
    case CXCursor_DeclRefExpr: {
        CXCursor ref = clang_getCursorReferenced(c);
        if (!clang_Cursor_isNull(ref) && usr_is_async(st, ref)) {
            CXSourceLocation l = clang_getCursorLocation(c);
            int callee = 0;
            for (size_t i = 0; i < st->ncallee_refs && !callee; i++)
                callee = clang_equalLocations(l, st->callee_refs[i]);
            st->n_refs += !callee;
        }
        return CXChildVisit_Continue;
    }
    case CXCursor_ReturnStmt:
        if (w->ctx == CTX_ASYNC && st->yield)
            mark_return(w, c);
        walk_children(w, c);
        return CXChildVisit_Continue;
    default:
        walk_children(w, c);
        return CXChildVisit_Continue;
    }
}

static int cmp_edit(const void *a, const void *b)
{
    const struct edit *x = a, *y = b;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: asyncify [--yield] [--yield-expr] [--seed N] [--prob P] [--fnptr] [--fnptr-prob P]\n"
            "                [--async-first] [-q]\n"
            "                IN.c [-o OUT.c] [-- CLANG_FLAGS...]\n");
    exit(1);
}

int main(int argc, char **argv)
{
    struct state st;
    memset(&st, 0, sizeof st);
    st.prob = 50;
    st.fnptr_prob = 50;
    st.rng = 1;
    const char *in = NULL, *out = NULL;
    int i;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (strcmp(argv[i], "--yield") == 0) {
            st.yield = 1;
        } else if (strcmp(argv[i], "--yield-expr") == 0) {
            st.yield_expr = 1;
        } else if (strcmp(argv[i], "--fnptr") == 0) {
            st.fnptr = 1;
        } else if (strcmp(argv[i], "--fnptr-prob") == 0 && i + 1 < argc) {
            st.fnptr_prob = (unsigned)atoi(argv[++i]);
        } else if (strcmp(argv[i], "--async-first") == 0) {
            st.async_first = 1;
        } else if (strcmp(argv[i], "-q") == 0) {
            st.quiet = 1;
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            st.rng = strtoull(argv[++i], NULL, 0) * 0x9E3779B97F4A7C15ULL + 1;
            if (!st.rng)
                st.rng = 1;
        } else if (strcmp(argv[i], "--prob") == 0 && i + 1 < argc) {
            st.prob = (unsigned)atoi(argv[++i]);
        } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            usage();
        } else if (!in) {
            in = argv[i];
        } else {
            usage();
        }
    }
    if (!in)
        usage();
    for (int j = 0; j < 4; j++)
        rnd(&st);

    FILE *f = fopen(in, "rb");
    if (!f) {
        perror(in);
        return 1;
    }
    char *src = NULL;
    size_t len = 0, cap = 0, got;
    do {
        if (len + 65536 > cap) {
            cap = (cap + 65536) * 2;
            src = xrealloc(src, cap + 1);
        }
        got = fread(src + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    fclose(f);
    src[len] = 0;
    st.src = src;
    st.srclen = len;

    CXIndex idx = clang_createIndex(0, 0);
    enum CXErrorCode err = clang_parseTranslationUnit2(
        idx, in, (const char *const *)(argv + i), argc - i, NULL, 0,
        CXTranslationUnit_None, &st.tu);
    if (err != CXError_Success || !st.tu) {
        fprintf(stderr, "asyncify: %s: cannot parse (libclang error %d)\n", in, (int)err);
        return 1;
    }
    int errors = 0;
    for (unsigned d = 0, nd = clang_getNumDiagnostics(st.tu); d < nd; d++) {
        CXDiagnostic dg = clang_getDiagnostic(st.tu, d);
        if (clang_getDiagnosticSeverity(dg) >= CXDiagnostic_Error) {
            char *msg = cx_take(clang_formatDiagnostic(dg, clang_defaultDiagnosticDisplayOptions()));
            fprintf(stderr, "%s\n", msg);
            free(msg);
            errors++;
        }
        clang_disposeDiagnostic(dg);
    }
    if (errors) {
        fprintf(stderr, "asyncify: %s: %d error(s); not rewritten\n", in, errors);
        return 1;
    }
    st.file = clang_getFile(st.tu, in);
    CXCursor root = clang_getTranslationUnitCursor(st.tu);
    clang_visitChildren(root, collect, &st);

    struct walk w = {&st, CTX_NONE};
    clang_visitChildren(root, walk_visit, &w);

    qsort(st.edits, st.nedits, sizeof *st.edits, cmp_edit);

    FILE *o = out ? fopen(out, "wb") : stdout;
    if (!o) {
        perror(out);
        return 1;
    }
    /* #line keeps __LINE__ and the diagnostics' line numbers those of IN.c */
    fputs("#include <cawait.h>\n#line 1\n", o);
    size_t pos = 0;
    for (size_t e = 0; e < st.nedits; e++) {
        fwrite(src + pos, 1, st.edits[e].off - pos, o);
        pos = st.edits[e].off + st.edits[e].len;
        fputs(st.edits[e].text, o);
    }
    fwrite(src + pos, 1, len - pos, o);
    if (out && fclose(o) != 0) {
        perror(out);
        return 1;
    }
    if (!st.quiet)
        fprintf(stderr,
                "asyncify: %u async functions (%u declarations marked), %u awaits "
                "(%u parenthesised, %u with ca_yield), %u ca_run, %u statement yields; "
                "left alone: %u calls through pointers, %u non-call references, "
                "%u calls in macro bodies; %u async pointers, %u calls through them\n",
                st.n_async_funcs, st.n_async_decls, st.n_awaits, st.n_parens, st.n_yield_exprs,
                st.n_ca_run, st.n_yields, st.n_fptr_calls, st.n_refs,
                st.n_macro_calls, st.n_ptr_decls, st.n_via_ptr);
    clang_disposeTranslationUnit(st.tu);
    clang_disposeIndex(idx);
    return 0;
}
