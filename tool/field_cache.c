/*
 * Frame fields kept in C locals between suspension points (field_cache.h).
 *
 * The resume code names a field only as `ca__f->name` (frame.h), and every
 * suspension is `ca__f->ca__state = N; return ...` followed by the resume
 * label `ca__sN:;`: the rewrite is textual, outside string and character
 * literals and comments, on positions the spans were measured on.
 */
#include "field_cache.h"

#include <stdlib.h>
#include <string.h>

static const char arrow[] = "ca__f->";
#define ARROW_LEN (sizeof arrow - 1)

/* Above this many stores and loads in all, a function keeps its fields in memory (output size). */
#define MAX_SPILLS 200000

typedef struct suspension {
    long at;   /* where `ca__f->ca__state = N` begins */
    int state; /* N */
} suspension;

typedef struct scan {
    cw_fn *k;
    const char *code;
    bool *cached;       /* by field: kept in a local */
    suspension *points; /* in code order */
    size_t npoints;
    strbuf name; /* scratch */
    /* pass 2 */
    strbuf out;
    const char *copied; /* the code is copied to out up to here */
    strbuf *spills;     /* by state - 1: the stores before that suspension */
} scan;

const char *cw_skip_literal(const char *p)
{
    if (*p == '"' || *p == '\'') {
        char q = *p++;
        while (*p && *p != q)
            p += p[0] == '\\' && p[1] ? 2 : 1;
        return *p ? p + 1 : p;
    }
    if (p[0] == '/' && p[1] == '*') {
        const char *e = strstr(p + 2, "*/");
        return e ? e + 2 : p + strlen(p);
    }
    if (p[0] == '/' && p[1] == '/') {
        const char *e = strchr(p, '\n');
        return e ? e : p + strlen(p);
    }
    return p;
}

/*
 * Call fn for each `ca__f->name` outside literals and comments: where it
 * starts, where the name starts and ends.
 */
static void each_mention(scan *s, void (*fn)(scan *, const char *at, const char *name, const char *end))
{
    for (const char *p = s->code; *p;) {
        const char *q = cw_skip_literal(p);
        if (q != p) {
            p = q;
            continue;
        }
        if (strncmp(p, arrow, ARROW_LEN) != 0 || (p > s->code && cw_ident_char(p[-1]))) {
            p++;
            continue;
        }
        const char *name = p + ARROW_LEN, *end = name;
        while (cw_ident_char(*end))
            end++;
        fn(s, p, name, end);
        p = end;
    }
}

static long field_named(scan *s, const char *name, const char *end)
{
    s->name.len = 0;
    sb_putn(&s->name, name, (size_t)(end - name));
    return cw_frame_find(&s->k->fn->lowered.frame, sb_str(&s->name));
}

/* `ca__f->ca__state = N; return`: a suspension's state, else 0. */
static int suspension_state(const char *name, const char *end)
{
    static const char state[] = "ca__state", assign[] = " = ";
    if ((size_t)(end - name) != sizeof state - 1 || memcmp(name, state, sizeof state - 1) != 0 ||
        strncmp(end, assign, sizeof assign - 1) != 0)
        return 0;
    char *after;
    long n = strtol(end + sizeof assign - 1, &after, 10);
    return n > 0 && n <= 1 << 30 && strncmp(after, "; return", 8) == 0 ? (int)n : 0;
}

/* A field whose address the code takes (`&ca__f->x`, `&(ca__f->x)`) is not cached. */
static void note_address(scan *s, const char *at, const char *name, const char *end)
{
    const char *b = at;
    while (b > s->code && (b[-1] == ' ' || b[-1] == '(' || b[-1] == '\t' || b[-1] == '\n'))
        b--;
    size_t amps = 0; /* `&&` is a logical and; a binary `&` counts, to be safe */
    while (b - amps > s->code && b[-1 - (long)amps] == '&')
        amps++;
    /* `&ca__f->p->m`, `&ca__f->p[i]`: the address of what the scalar points to, not of the field */
    const char *after = end;
    while (*after == ' ')
        after++;
    bool through = strncmp(after, "->", 2) == 0 || *after == '[';
    long i = field_named(s, name, end);
    if (i >= 0 && amps % 2 == 1 && !(through && s->k->fn->lowered.frame.fields[i].scalar))
        s->cached[i] = false;
}

/* Pass 1: suspension points, and the fields whose address the code takes. */
static void survey(scan *s, const char *at, const char *name, const char *end)
{
    int state = suspension_state(name, end);
    if (state)
        *CW_PUSH(s->points, s->npoints) = (suspension){(long)(at - s->code), state};
    else
        note_address(s, at, name, end);
}

/* e without the parentheses (and implicit conversions) around it. */
static CXCursor operand(CXCursor e)
{
    for (;;) {
        if (e.kind != CXCursor_ParenExpr && e.kind != CXCursor_UnexposedExpr)
            return e;
        CXCursor *v;
        unsigned n = cw_children(e, &v);
        CXCursor c = n == 1 ? v[0] : clang_getNullCursor();
        free(v);
        if (n != 1)
            return c;
        e = c;
    }
}

/* The fields of user variables whose address the body takes (`&x`, through parentheses): also those the
   code keeps inside a macro's invocation, where the text does not show the `&`. */
static enum CXChildVisitResult survey_ast(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    scan *s = d;
    if (c.kind == CXCursor_UnaryOperator && clang_getCursorUnaryOperatorKind(c) == CXUnaryOperator_AddrOf) {
        CXCursor *v;
        unsigned n = cw_children(c, &v);
        CXCursor x = n == 1 ? operand(v[0]) : clang_getNullCursor();
        free(v);
        cw_var *fv = x.kind == CXCursor_DeclRefExpr ? cw_frame_var(s->k, clang_getCursorReferenced(x)) : NULL;
        long i = fv ? cw_frame_find(&s->k->fn->lowered.frame, fv->field) : -1;
        if (i >= 0)
            s->cached[i] = false;
    }
    return CXChildVisit_Recurse;
}

/* Pass 2: the code with cached fields renamed and each suspension's stores before it. */
static void rename_mention(scan *s, const char *at, const char *name, const char *end)
{
    int state = suspension_state(name, end);
    long i = state ? -1 : field_named(s, name, end);
    if (!state && (i < 0 || !s->cached[i]))
        return;
    sb_putn(&s->out, s->copied, (size_t)(at - s->copied));
    if (state)
        sb_printf(&s->out, "%s%.*s", sb_str(&s->spills[state - 1]), (int)(end - at), at);
    else
        sb_printf(&s->out, "ca__l_%.*s", (int)(end - name), name);
    s->copied = end;
}

/* The suspensions (in code order) a span covers: [*lo, *hi), by binary search. */
static void covered(const scan *s, cw_span span, size_t *lo, size_t *hi)
{
    size_t a = 0, b = s->npoints;
    while (a < b) {
        size_t m = (a + b) / 2;
        if (s->points[m].at < span.begin)
            a = m + 1;
        else
            b = m;
    }
    *lo = a;
    b = s->npoints;
    while (a < b) {
        size_t m = (a + b) / 2;
        if (s->points[m].at <= span.end)
            a = m + 1;
        else
            b = m;
    }
    *hi = a;
}

static bool plan(scan *s, int nstates)
{
    cw_frame *fr = &s->k->fn->lowered.frame;
    for (size_t i = 0; i < fr->nfields; i++) {
        const cw_field *x = &fr->fields[i];
        s->cached[i] =
            x->scalar && !x->pinned && x->size > 0 && x->kind != CW_FIELD_FIXED && x->live.begin <= x->live.end;
    }
    each_mention(s, survey);
    clang_visitChildren(s->k->fn->decl, survey_ast, s);
    if (s->npoints != (size_t)nstates)
        return false;
    for (size_t p = 0; p < s->npoints; p++) /* each state once, in code order: the pattern is what lowering wrote */
        if (s->points[p].state < 1 || s->points[p].state > nstates || (p && s->points[p].at <= s->points[p - 1].at))
            return false;
    size_t total = 0;
    for (size_t i = 0; i < fr->nfields; i++) {
        size_t lo, hi;
        if (s->cached[i]) {
            covered(s, fr->fields[i].live, &lo, &hi);
            total += hi - lo;
        }
    }
    return total <= MAX_SPILLS;
}

bool *cw_address_taken(cw_fn *k, const char *code)
{
    size_t n = k->fn->lowered.frame.nfields;
    scan s = {.k = k, .code = code, .cached = cw_calloc(n + 1, sizeof(bool))};
    sb_init(&s.name);
    for (size_t i = 0; i < n; i++)
        s.cached[i] = true;
    each_mention(&s, note_address);
    clang_visitChildren(k->fn->decl, survey_ast, &s);
    for (size_t i = 0; i < n; i++) /* from "may be cached" to "taken" */
        s.cached[i] = !s.cached[i];
    sb_free(&s.name);
    return s.cached;
}

void cw_cache_fields(cw_fn *k, const char *code, cw_field_cache *c)
{
    cw_frame *fr = &k->fn->lowered.frame;
    memset(c, 0, sizeof *c);
    sb_init(&c->decls);
    sb_init(&c->start);
    scan s = {.k = k, .code = code, .cached = cw_calloc(fr->nfields + 1, sizeof(bool)), .copied = code};
    sb_init(&s.name);
    sb_init(&s.out);
    bool on = k->nstates > 0 && !k->no_sharing && plan(&s, k->nstates);
    if (!on) {
        c->code = cw_strdup(code);
        free(s.cached), free(s.points), sb_free(&s.name);
        return;
    }
    c->nstates = k->nstates;
    c->reloads = cw_calloc((size_t)c->nstates, sizeof *c->reloads);
    s.spills = cw_calloc((size_t)c->nstates, sizeof *s.spills);
    for (int i = 0; i < c->nstates; i++)
        sb_init(&c->reloads[i]), sb_init(&s.spills[i]);
    for (size_t i = 0; i < fr->nfields; i++) {
        if (!s.cached[i])
            continue;
        const char *n = fr->fields[i].name;
        fr->fields[i].in_register = true;
        /* Zeroed, so that a store at a suspension the value is live across before its first assignment
           (a loop's) copies a value, not an indeterminate one. */
        sb_printf(&c->decls, "    __typeof__(ca__f->%s) ca__l_%s = 0;\n", n, n);
        if (fr->fields[i].kind == CW_FIELD_PARAM)
            sb_printf(&c->start, "ca__l_%s = ca__f->%s; ", n, n);
        size_t lo, hi;
        covered(&s, fr->fields[i].live, &lo, &hi);
        for (size_t p = lo; p < hi; p++) {
            int st = s.points[p].state - 1;
            sb_printf(&s.spills[st], "ca__f->%s = ca__l_%s; ", n, n);
            sb_printf(&c->reloads[st], "ca__l_%s = ca__f->%s; ", n, n);
        }
    }
    each_mention(&s, rename_mention);
    sb_puts(&s.out, s.copied);
    c->code = sb_take(&s.out);
    for (int i = 0; i < c->nstates; i++)
        sb_free(&s.spills[i]);
    free(s.spills);
    free(s.cached), free(s.points), sb_free(&s.name);
}

void cw_field_cache_free(cw_field_cache *c)
{
    free(c->code);
    sb_free(&c->decls);
    sb_free(&c->start);
    for (int i = 0; i < c->nstates; i++)
        sb_free(&c->reloads[i]);
    free(c->reloads);
}
