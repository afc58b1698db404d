/*
 * Variadic async functions that suspend (variadic.h).
 *
 * A use of the variable arguments is exact only in the first run of the
 * resume function, before any suspension: after one, f__ca_start has
 * returned and its va_list with it. Each use is marked where the lowering
 * writes its code ("\1N\2", N its index: no C token holds those bytes), so
 * the check sees the order the code runs in, which C leaves open within an
 * expression and the lowering fixes (`va_arg(ap, int) + await g()` reads
 * the argument first; in `a[va_arg(ap, int)] = await g()` the subscript
 * runs after the await). Code from position r on can run after a
 * suspension, where r is the least of: the first suspension point, the
 * start of a loop that reaches r, the label of a goto from r on (a fixpoint).
 * A computed goto, or statements lowered apart (a statement expression that
 * awaits), leave positions the check cannot trust: then any use is refused.
 */
#include "variadic.h"

#include "ctypes.h"
#include "field_cache.h"
#include "suspends.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

typedef struct va_jump {
    CXCursor c;  /* the LabelStmt or GotoStmt */
    CXCursor to; /* a goto's label */
    long at;     /* where its code begins */
    bool label;  /* a label (else a goto) */
} va_jump;

struct cw_va {
    CXCursor *uses; /* by mark */
    size_t nuses;
    va_jump *jumps;
    size_t njumps;
};

#define MARK_BEGIN '\1'
#define MARK_END '\2'

/* The records seen by one cw_va_type, so that each is looked into once (a list's node points to itself). */
typedef struct seen {
    CXCursor *v;
    size_t n;
} seen;

static bool va_type_in(CXType t, seen *s, bool deep);

/* A va_list's record (`struct __va_list_tag` on x86-64, `struct __va_list` on AArch64), or with `deep` one with
   a member that holds or points to one. */
static bool va_record(CXType t, seen *s, bool deep)
{
    CXCursor d = clang_getTypeDeclaration(t);
    for (size_t i = 0; i < s->n; i++)
        if (clang_equalCursors(s->v[i], d))
            return false;
    *CW_PUSH(s->v, s->n) = d;
    CXString sp = clang_getCursorSpelling(d);
    const char *n = clang_getCString(sp);
    bool va = n && (strcmp(n, "__va_list_tag") == 0 || strcmp(n, "__va_list") == 0);
    clang_disposeString(sp);
    if (va || !deep)
        return va;
    CXCursor *v;
    unsigned nv = cw_children(d, &v);
    for (unsigned i = 0; i < nv && !va; i++)
        if (v[i].kind == CXCursor_FieldDecl)
            va = va_type_in(clang_getCursorType(v[i]), s, deep);
    free(v);
    return va;
}

static bool va_type_in(CXType t, seen *s, bool deep)
{
    CXType c = clang_getCanonicalType(t);
    for (;;) {
        if (c.kind == CXType_Pointer)
            c = clang_getCanonicalType(clang_getPointeeType(c));
        else if (cw_is_array_type(c))
            c = clang_getCanonicalType(clang_getArrayElementType(c));
        else
            break;
    }
    return c.kind == CXType_Record && va_record(c, s, deep);
}

static bool va_type(CXType t, bool deep)
{
    seen s = {NULL, 0};
    bool va = va_type_in(t, &s, deep);
    free(s.v);
    return va;
}

bool cw_va_type(CXType t)
{
    return va_type(t, true);
}

/* A va_list, or a pointer to one or an array of them (not a record that holds one: `s.tag` reads no list). */
static bool is_va_list(CXType t)
{
    return va_type(t, false);
}

/* The name of a call's callee when it is a function, else NULL (caller frees). */
static char *callee_name(CXCursor call)
{
    CXCursor f = clang_getCursorReferenced(call);
    if (f.kind != CXCursor_FunctionDecl)
        return NULL;
    CXString s = clang_getCursorSpelling(f);
    char *n = cw_strdup(clang_getCString(s));
    clang_disposeString(s);
    return n;
}

/* "va_start", "va_end" or "va_copy" when call is one of those builtins, else NULL. */
static const char *va_builtin(CXCursor call)
{
    if (call.kind != CXCursor_CallExpr)
        return NULL;
    static const char *const names[][2] = {{"__builtin_va_start", "va_start"},
                                           {"__builtin_c23_va_start", "va_start"},
                                           {"__builtin_va_end", "va_end"},
                                           {"__builtin_va_copy", "va_copy"},
                                           {"__builtin_stdarg_start", "va_start"}};
    char *n = callee_name(call);
    const char *r = NULL;
    for (size_t i = 0; n && !r && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(n, names[i][0]) == 0)
            r = names[i][1];
    free(n);
    return r;
}

bool cw_is_va_start(CXCursor call)
{
    const char *b = va_builtin(call);
    return b && strcmp(b, "va_start") == 0;
}

bool cw_is_va_arg(cw_tu *tu, CXCursor e)
{
    if (e.kind != CXCursor_UnexposedExpr)
        return false;
    /* Its location is the builtin's name; an implicit conversion around it has the same location but its
       operand is the va_arg, not a va_list. */
    CXFile f;
    unsigned off;
    clang_getSpellingLocation(clang_getCursorLocation(e), &f, NULL, NULL, &off);
    size_t size = 0;
    const char *text = f ? clang_getFileContents(tu->tu, f, &size) : NULL;
    static const char name[] = "__builtin_va_arg";
    if (!text || off + sizeof name - 1 > size || memcmp(text + off, name, sizeof name - 1) != 0)
        return false;
    CXCursor x = cw_va_arg_list(e);
    return !clang_Cursor_isNull(x) && is_va_list(clang_getCursorType(x));
}

CXCursor cw_va_arg_list(CXCursor e)
{
    CXCursor *v, x = clang_getNullCursor();
    unsigned n = cw_children(e, &v); /* a record type's TypeRef comes first */
    for (unsigned i = 0; i < n && clang_Cursor_isNull(x); i++)
        if (clang_isExpression(v[i].kind))
            x = v[i];
    free(v);
    return x;
}

/* Does the call pass a va_list (or a pointer to one) as an argument? */
static bool passes_va(CXCursor call)
{
    int n = clang_Cursor_getNumArguments(call);
    for (int i = 0; i < n; i++)
        if (cw_va_type(clang_getCursorType(clang_Cursor_getArgument(call, (unsigned)i))))
            return true;
    return false;
}

static bool is_use(cw_tu *tu, CXCursor c)
{
    if (!clang_isExpression(c.kind))
        return false;
    if (cw_is_va_arg(tu, c))
        return true;
    if (c.kind == CXCursor_CallExpr && (va_builtin(c) || passes_va(c)))
        return true;
    /* Implicit conversions and parentheses: their operand is marked. */
    return c.kind != CXCursor_UnexposedExpr && c.kind != CXCursor_ParenExpr && is_va_list(clang_getCursorType(c));
}

char *cw_va_mark(cw_fn *k, CXCursor c)
{
    if (!k->va || !is_use(k->tu, c))
        return NULL;
    size_t i = k->va->nuses;
    *CW_PUSH(k->va->uses, k->va->nuses) = c;
    return cw_strdup_printf("%c%zu%c", MARK_BEGIN, i, MARK_END);
}

char *cw_va_start_copy(const char *ap)
{
    return cw_strdup_printf("__builtin_va_copy(%s, *ca__f->ca__va)", ap);
}

void cw_va_note_jump(cw_fn *k, CXCursor c, long at)
{
    if (!k->va)
        return;
    va_jump j = {c, clang_getNullCursor(), at, c.kind == CXCursor_LabelStmt};
    if (c.kind == CXCursor_GotoStmt)
        j.to = clang_getCursorReferenced(cw_child(c, 0));
    *CW_PUSH(k->va->jumps, k->va->njumps) = j;
}

/* ---- what the AST alone refuses ---------------------------------------- */

static const char lives[] = "its variable arguments live on the C stack of its first call";

/* A va_list passed to a callee that runs after this function has suspended, or that may itself suspend. */
static void refuse_passed(cw_fn *k, CXCursor call, const char *why)
{
    int n = clang_Cursor_getNumArguments(call);
    for (int i = 0; i < n; i++) {
        CXCursor a = clang_Cursor_getArgument(call, (unsigned)i);
        if (cw_va_type(clang_getCursorType(a)))
            cw_error(k->tu, a, "a va_list passed to %s in variadic async function '%s': %s", why, k->fn->name, lives);
    }
}

static enum CXChildVisitResult find_escapes(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    cw_fn *k = d;
    cw_tu *tu = k->tu;
    if (cw_is_await(tu, c)) {
        CXCursor tt = cw_to_thread_operand(tu, c);
        if (!clang_Cursor_isNull(tt)) {
            CXCursor call = cw_strip(cw_child(cw_child(tt, 0), 1)); /* (*(status) = 0, (call)) */
            if (call.kind == CXCursor_CallExpr)
                refuse_passed(k, call, "ca_to_thread, whose call runs while the function is suspended,");
            return CXChildVisit_Recurse;
        }
        CXCursor call = cw_keyword_call(tu, c);
        cw_async_fn *f = cw_async_callee(tu, call);
        if (call.kind == CXCursor_CallExpr && (!f || f->can_suspend))
            refuse_passed(k, call, "an async call that can suspend");
    } else if (cw_is_ca_spawn(tu, c) || cw_is_ca_run(tu, c)) {
        CXCursor call = cw_keyword_call(tu, c);
        if (call.kind == CXCursor_CallExpr)
            refuse_passed(k, call, cw_is_ca_run(tu, c) ? "ca_run" : "a task that runs later");
    } else if (c.kind == CXCursor_VarDecl && cw_va_type(clang_getCursorType(c))) {
        bool cleanup;
        free(cw_cleanup_fn(k, c, &cleanup, false));
        if (cleanup)
            cw_error(tu, c, "a va_list with a cleanup attribute in variadic async function '%s': %s", k->fn->name,
                     lives);
    }
    return CXChildVisit_Recurse;
}

/* Targets whose va_list is a record the check can see (a plain pointer elsewhere: Windows, Apple arm64). */
static bool va_list_known(cw_tu *tu)
{
    CXTargetInfo ti = clang_getTranslationUnitTargetInfo(tu->tu);
    if (!ti)
        return false;
    CXString s = clang_TargetInfo_getTriple(ti);
    const char *t = clang_getCString(s);
    bool ok = t && ((strncmp(t, "x86_64", 6) == 0 && !strstr(t, "windows")) ||
                    (strncmp(t, "aarch64", 7) == 0 && strstr(t, "linux")));
    clang_disposeString(s);
    clang_TargetInfo_dispose(ti);
    return ok;
}

void cw_va_begin(cw_fn *k, CXCursor body)
{
    k->va = cw_calloc(1, sizeof *k->va);
    if (!va_list_known(k->tu))
        cw_error(k->tu, k->fn->decl,
                 "a variadic async function cannot suspend on this target: cawait cannot see its va_list type");
    clang_visitChildren(body, find_escapes, k);
}

/* ---- the check on the lowered code -------------------------------------- */

typedef struct point {
    long at;
    int state;
} point;

typedef struct mark {
    long at;
    size_t use;
} mark;

/* `ca__f->ca__state = N; return`, a suspension (field_cache.c writes the same pattern), at p: N, else 0. */
static int suspension_at(const char *code, const char *p)
{
    static const char pat[] = "ca__f->ca__state = ";
    if (strncmp(p, pat, sizeof pat - 1) != 0 || (p > code && (p[-1] == '_' || p[-1] == '>')))
        return 0;
    char *after;
    long n = strtol(p + sizeof pat - 1, &after, 10);
    return n > 0 && n <= INT_MAX && strncmp(after, "; return", 8) == 0 ? (int)n : 0;
}

/* The suspension points and the marks of code, outside literals and comments; the marks become spaces. */
static void scan(char *code, point **pts, size_t *npts, mark **marks, size_t *nmarks)
{
    for (char *p = code; *p;) {
        const char *q = cw_skip_literal(p);
        if (q != p) {
            p = (char *)q;
            continue;
        }
        int s = suspension_at(code, p);
        if (s && pts)
            *CW_PUSH(*pts, *npts) = (point){p - code, s};
        if (*p == MARK_BEGIN) {
            char *e;
            unsigned long long i = strtoull(p + 1, &e, 10);
            if (*e == MARK_END) {
                *CW_PUSH(*marks, *nmarks) = (mark){p - code, (size_t)i};
                memset(p, ' ', (size_t)(e - p) + 1);
                p = e + 1;
                continue;
            }
        }
        p++;
    }
}

enum why { AFTER, IN_LOOP, GOES_BACK, UNSURE };

typedef struct verdict {
    long from;     /* code from here on may run after a suspension */
    enum why why;  /* what set from */
    int state;     /* the suspension to name */
    CXCursor jump; /* GOES_BACK: the goto */
    const char *why_unsure;
} verdict;

static int first_state_in(const point *pts, size_t n, long b, long e)
{
    for (size_t i = 0; i < n; i++)
        if (pts[i].at >= b && pts[i].at <= e)
            return pts[i].state;
    return n ? pts[0].state : 0;
}

/* Labels are one a function: the same label where it is (a goto's reference is not equal as a cursor). */
static bool same_label(CXCursor a, CXCursor b)
{
    return !clang_Cursor_isNull(b) && clang_equalLocations(clang_getCursorLocation(a), clang_getCursorLocation(b));
}

static verdict judge(cw_fn *k, const point *pts, size_t npts)
{
    verdict v = {LONG_MAX, AFTER, npts ? pts[0].state : 0, clang_getNullCursor(), NULL};
    if (k->nstates == 0)
        return v;
    if (k->no_sharing || npts != (size_t)k->nstates) {
        v.from = -1, v.why = UNSURE, v.state = 1;
        v.why_unsure = "it has a computed goto or a statement expression that suspends";
        return v;
    }
    v.from = pts[0].at;
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < k->nloop_spans; i++) {
            cw_span s = k->loop_spans[i];
            if (s.end >= v.from && s.begin < v.from) {
                v.from = s.begin, v.why = IN_LOOP, changed = true;
                v.state = first_state_in(pts, npts, s.begin, s.end);
            }
        }
        for (size_t i = 0; i < k->va->njumps; i++) {
            va_jump *g = &k->va->jumps[i];
            if (g->label || g->at < v.from)
                continue;
            for (size_t j = 0; j < k->va->njumps; j++) {
                va_jump *l = &k->va->jumps[j];
                if (l->label && l->at < v.from && same_label(l->c, g->to)) {
                    v.from = l->at, v.why = GOES_BACK, v.jump = g->c, changed = true;
                    v.state = pts[0].state;
                }
            }
        }
    }
    return v;
}

/* How a message names the use c. Caller frees. */
static char *use_name(cw_tu *tu, CXCursor c)
{
    if (cw_is_va_arg(tu, c))
        return cw_strdup("'va_arg'");
    const char *b = va_builtin(c);
    if (b)
        return cw_strdup_printf("'%s'", b);
    if (c.kind == CXCursor_CallExpr) {
        char *n = callee_name(c);
        char *r = n ? cw_strdup_printf("'%s' with a va_list", n) : cw_strdup("a call with a va_list");
        free(n);
        return r;
    }
    if (c.kind == CXCursor_DeclRefExpr || c.kind == CXCursor_MemberRefExpr) {
        CXString s = clang_getCursorSpelling(c);
        char *r = cw_strdup_printf("'%s' (a va_list)", clang_getCString(s));
        clang_disposeString(s);
        return r;
    }
    return cw_strdup("a va_list");
}

/* "await", "ca_for"...: what made state s. */
static const char *suspension_kind(cw_fn *k, int s)
{
    CXCursor c = s >= 1 && s <= k->nstates ? k->state_at[s - 1] : clang_getNullCursor();
    if (clang_Cursor_isNull(c))
        return "suspension";
    return cw_is_ca_for(k->tu, c) ? "ca_for" : cw_is_yield(k->tu, c) ? "yield" : "await";
}

static unsigned suspension_line(cw_fn *k, int s)
{
    CXCursor c = s >= 1 && s <= k->nstates ? k->state_at[s - 1] : clang_getNullCursor();
    return clang_Cursor_isNull(c) ? 0 : cw_line_of(k->tu, c);
}

static void report(cw_fn *k, CXCursor use, const verdict *v)
{
    char *what = use_name(k->tu, use);
    const char *f = k->fn->name, *kind = suspension_kind(k, v->state);
    unsigned line = suspension_line(k, v->state);
    switch (v->why) {
    case AFTER:
        cw_error(k->tu, use, "%s after a suspension of variadic async function '%s' (the %s at line %u): %s", what, f,
                 kind, line, lives);
        break;
    case IN_LOOP:
        cw_error(k->tu, use, "%s in a loop that suspends (the %s at line %u) in variadic async function '%s': %s", what,
                 kind, line, f, lives);
        break;
    case GOES_BACK:
        cw_error(k->tu, use,
                 "%s where the goto at line %u can come back after a suspension (the %s at line %u) of variadic "
                 "async function '%s': %s",
                 what, cw_line_of(k->tu, v->jump), kind, line, f, lives);
        break;
    case UNSURE:
        cw_error(k->tu, use,
                 "cawait cannot place %s before the first suspension of variadic async function '%s' (%s): %s", what, f,
                 v->why_unsure, lives);
        break;
    }
    free(what);
}

/* Is use a's range inside b's (a nested use of one that is reported)? */
static bool inside(cw_tu *tu, CXCursor a, CXCursor b)
{
    unsigned ab, ae, bb, be;
    return cw_expansion_range(tu, a, &ab, &ae) && cw_expansion_range(tu, b, &bb, &be) && bb <= ab && ae <= be &&
           !clang_equalCursors(a, b);
}

void cw_va_end(cw_fn *k, strbuf *code, strbuf *prelude, size_t from)
{
    struct cw_va *va = k->va;
    point *pts = NULL;
    size_t npts = 0, nmarks = 0, nelse = 0;
    mark *marks = NULL, *elsewhere = NULL;
    scan(code->s, &pts, &npts, &marks, &nmarks);
    if (prelude->len > from)
        scan(prelude->s + from, NULL, NULL, &elsewhere, &nelse);
    if (k->hoisted.len)
        scan(k->hoisted.s, NULL, NULL, &elsewhere, &nelse);
    verdict v = judge(k, pts, npts);
    bool *bad = cw_calloc(va->nuses + 1, sizeof *bad);
    for (size_t i = 0; i < nmarks; i++)
        if (marks[i].at >= v.from && marks[i].use < va->nuses)
            bad[marks[i].use] = true;
    verdict apart = {-1, UNSURE, 1, clang_getNullCursor(), "it is evaluated apart from the function's code"};
    bool *apart_bad = cw_calloc(va->nuses + 1, sizeof *apart_bad);
    for (size_t i = 0; i < nelse; i++)
        if (elsewhere[i].use < va->nuses && k->nstates)
            apart_bad[elsewhere[i].use] = true;
    /* One error a use, at the outermost of nested ones (`vsnprintf(..., ap)` rather than also `ap`). */
    for (size_t i = 0; i < va->nuses; i++) {
        if (!bad[i] && !apart_bad[i])
            continue;
        bool nested = false;
        for (size_t j = 0; j < va->nuses && !nested; j++)
            nested =
                j != i && (bad[j] || apart_bad[j]) &&
                (inside(k->tu, va->uses[i], va->uses[j]) || (j < i && clang_equalCursors(va->uses[i], va->uses[j])));
        if (!nested)
            report(k, va->uses[i], bad[i] ? &v : &apart);
    }
    free(bad), free(apart_bad), free(pts), free(marks), free(elsewhere);
    free(va->uses), free(va->jumps), free(va);
    k->va = NULL;
}
