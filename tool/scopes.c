/*
 * Scopes of a lowered body and what leaving one runs, as C would: the
 * cleanup of each `__attribute__((cleanup(fn)))` local that lives in the
 * frame (`fn(&x)`), the release of a generator a ca_for holds, the release
 * of a variable-length array's frame-stack block. A scope is left by falling
 * off its end, break, continue, goto or return; the exits run innermost
 * first, in reverse order of declaration.
 *
 * A generator can also be dropped while it waits at a yield: its consumer
 * leaves the ca_for early. Its drop function `g__ca_drop` runs, for the
 * yield it stopped at, the exits a return there would run, then frees its
 * frame (and everything above it). The runtime itself never frees a
 * suspended frame (a task is released only after its first frame ends), so
 * only generated code calls it, and only generators have one: other frames
 * pay nothing.
 */
#include "lower.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void cw_scope_push(cw_fn *k, CXCursor c)
{
    unsigned b = 0, e = 0;
    cw_expansion_range(k->tu, c, &b, &e);
    *CW_PUSH(k->scopes, k->nscopes) = (cw_scope){k->nexits, b, e};
}

static void run_exits(cw_fn *k, strbuf *out, size_t from, size_t to, bool unwind_only)
{
    for (size_t i = to; i > from; i--)
        if (!unwind_only || k->exits[i - 1].unwind)
            sb_puts(out, k->exits[i - 1].code);
}

static void drop_exits(cw_fn *k, size_t n)
{
    for (size_t i = n; i < k->nexits; i++)
        free(k->exits[i].code);
    k->nexits = n;
}

void cw_scope_pop(cw_fn *k, strbuf *out)
{
    cw_scope *s = &k->scopes[--k->nscopes];
    run_exits(k, out, s->nexits, k->nexits, false);
    drop_exits(k, s->nexits);
}

void cw_exit_add(cw_fn *k, char *code, unsigned at, bool unwind)
{
    *CW_PUSH(k->exits, k->nexits) = (cw_exit){code, at, unwind};
}

void cw_exits_to(cw_fn *k, strbuf *out, size_t nexits)
{
    run_exits(k, out, nexits, k->nexits, false);
}

/* A return frees the frame, and with it every block above: only cleanups (and generator drops) remain to run. */
void cw_exits_return(cw_fn *k, strbuf *out)
{
    run_exits(k, out, 0, k->nexits, true);
}

/*
 * Leaving each scope that does not hold the label runs all its exits; in the
 * innermost one that does, a jump back above declarations leaves their
 * scope too (C's rule), so their exits run.
 */
void cw_exits_goto(cw_fn *k, strbuf *out, CXCursor label)
{
    unsigned at, end;
    if (!cw_expansion_range(k->tu, label, &at, &end))
        return;
    size_t top = k->nexits;
    for (size_t i = k->nscopes; i > 0; i--) {
        cw_scope *s = &k->scopes[i - 1];
        if (at >= s->begin && at < s->end) {
            size_t from = top;
            while (from > s->nexits && k->exits[from - 1].at > at)
                from--;
            run_exits(k, out, from, top, false);
            return;
        }
        run_exits(k, out, s->nexits, top, false);
        top = s->nexits;
    }
}

void cw_note_yield(cw_fn *k, int state)
{
    strbuf b;
    sb_init(&b);
    run_exits(k, &b, 0, k->nexits, true);
    if (b.len)
        sb_printf(&k->drops, "    case %d: %sbreak;\n", state, sb_str(&b));
    sb_free(&b);
}

char *cw_drop_proto(cw_async_fn *g)
{
    return cw_strdup_printf("%svoid %s__ca_drop(ca_task *ca__t, ca_frame *ca__fr)",
                            g->is_static ? "static __attribute__((unused)) " : "", g->name);
}

void cw_emit_drop(cw_fn *k, strbuf *out)
{
    cw_async_fn *g = k->fn;
    char *proto = cw_drop_proto(g);
    sb_printf(out, "%s\n{\n    struct %s__ca_frame *ca__f = (struct %s__ca_frame *)ca__fr;\n", proto, g->name, g->name);
    if (k->drops.len)
        sb_printf(out, "    switch (ca__f->ca__state) {\n%s    default: break;\n    }\n", sb_str(&k->drops));
    sb_puts(out, "    ca__frame_free(ca__t, ca__f);\n}\n");
    free(proto);
    g->lowered.drops = k->drops.len > 0;
}

/* A generator defined above in this file is known to need no drop work, or not. */
static bool known_plain(cw_fn *k, cw_async_fn *g)
{
    unsigned gb, ge, b, e;
    return g->defined_here && !g->lowered.drops && cw_expansion_range(k->tu, g->decl, &gb, &ge) &&
           cw_expansion_range(k->tu, k->fn->decl, &b, &e) && ge <= b;
}

char *cw_release_gen(cw_fn *k, cw_async_fn *g, int id)
{
    if (known_plain(k, g))
        return cw_strdup_printf("ca__frame_free(ca__t, ca__f->ca__g%d); ", id);
    return cw_strdup_printf("%s__ca_drop(ca__t, ca__f->ca__g%d); ", g->name, id);
}

/* ---- __attribute__((cleanup(fn))) ------------------------------------- */

static const char *skip_blanks(const char *p, const char *end)
{
    while (p < end && isspace((unsigned char)*p))
        p++;
    return p;
}

static char *ident_at(const char *p, const char *end)
{
    const char *q = p;
    while (q < end && (isalnum((unsigned char)*q) || *q == '_'))
        q++;
    if (q == p)
        return NULL;
    char *r = malloc((size_t)(q - p) + 1);
    memcpy(r, p, (size_t)(q - p));
    r[q - p] = '\0';
    return r;
}

/* Does the line before the one that begins at `line` end with a backslash (LF or CRLF)? */
static bool continues(const char *def, const char *line)
{
    if (line == def)
        return false;
    const char *p = line - 1; /* its '\n' */
    if (p > def && p[-1] == '\r')
        p--;
    return p > def && p[-1] == '\\';
}

/*
 * `#define NAME(a, f) ... cleanup(f) ...` invoked as NAME(x, freep): the
 * argument for the parameter `param`, read from the invocation's text at
 * `at`'s expansion (NAME's own: another macro's arguments are not NAME's).
 */
static char *macro_argument(cw_tu *tu, const char *def, const char *def_end, const char *spelled, const char *param,
                            CXSourceLocation at)
{
    const char *line = spelled;
    while (line > def && line[-1] != '\n')
        line--;
    while (continues(def, line)) { /* the #define begins on an earlier line */
        line--;
        while (line > def && line[-1] != '\n')
            line--;
    }
    const char *p = skip_blanks(line, def_end);
    if (p >= def_end || *p != '#')
        return NULL;
    p = skip_blanks(p + 1, def_end);
    if (strncmp(p, "define", 6) != 0)
        return NULL;
    p = skip_blanks(p + 6, def_end);
    char *name = ident_at(p, def_end);
    if (!name)
        return NULL;
    p += strlen(name);
    if (p >= def_end || *p != '(')
        return free(name), NULL;
    int index = -1;
    for (int i = 0; p < def_end && *p != ')'; i++) {
        p = skip_blanks(p + 1, def_end);
        char *q = ident_at(p, def_end);
        if (q && strcmp(q, param) == 0)
            index = i;
        p += q ? strlen(q) : 0;
        free(q);
        p = skip_blanks(p, def_end);
        if (p < def_end && *p != ',' && *p != ')')
            return free(name), NULL;
    }
    unsigned off;
    CXFile f;
    clang_getExpansionLocation(at, &f, NULL, NULL, &off);
    if (index < 0 || !f || !clang_File_isEqual(f, tu->main_file) || off >= tu->size)
        return free(name), NULL;
    const char *end = tu->text + tu->size, *a = tu->text + off;
    char *inv = ident_at(a, end);
    bool same = inv && strcmp(inv, name) == 0;
    a += inv ? strlen(inv) : 0;
    free(inv), free(name);
    if (!same)
        return NULL;
    a = skip_blanks(a, end);
    if (a >= end || *a != '(')
        return NULL;
    for (int i = 0, depth = 0; ++a < end;) {
        if (i == index && depth == 0 && !isspace((unsigned char)*a))
            return ident_at(a, end);
        if (*a == '(')
            depth++;
        else if (*a == ')' && depth-- == 0)
            return NULL;
        else if (*a == ',' && depth == 0)
            i++;
    }
    return NULL;
}

struct fn_search {
    const char *name;
    bool found;
};

static enum CXChildVisitResult find_function(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct fn_search *s = d;
    if (c.kind == CXCursor_FunctionDecl) {
        CXString n = clang_getCursorSpelling(c);
        if (strcmp(clang_getCString(n), s->name) == 0)
            s->found = true;
        clang_disposeString(n);
    }
    return s->found ? CXChildVisit_Break : CXChildVisit_Continue;
}

static bool names_function(cw_tu *tu, const char *name)
{
    struct fn_search s = {name, false};
    clang_visitChildren(clang_getTranslationUnitCursor(tu->tu), find_function, &s);
    return s.found;
}

char *cw_macro_argument(cw_tu *tu, CXSourceLocation at, const char *param)
{
    CXFile f;
    unsigned off;
    clang_getSpellingLocation(at, &f, NULL, NULL, &off);
    size_t size = 0;
    const char *text = f ? clang_getFileContents(tu->tu, f, &size) : NULL;
    return text && off < size ? macro_argument(tu, text, text + size, text + off, param, at) : NULL;
}

char *cw_cleanup_fn(cw_fn *k, CXCursor var, bool *found, bool report)
{
    CXCursor *v;
    unsigned n = cw_children(var, &v);
    char *fn = NULL;
    *found = false;
    for (unsigned i = 0; i < n && !*found; i++) {
        if (v[i].kind != CXCursor_UnexposedAttr)
            continue;
        CXFile f;
        unsigned off;
        clang_getSpellingLocation(clang_getCursorLocation(v[i]), &f, NULL, NULL, &off);
        size_t size = 0;
        const char *text = f ? clang_getFileContents(k->tu->tu, f, &size) : NULL;
        if (!text || off >= size)
            continue;
        const char *p = text + off, *end = text + size;
        size_t len = strncmp(p, "__cleanup__", 11) == 0 ? 11 : strncmp(p, "cleanup", 7) == 0 ? 7 : 0;
        if (!len || (p + len < end && (isalnum((unsigned char)p[len]) || p[len] == '_')))
            continue;
        *found = true;
        p = skip_blanks(p + len, end);
        if (p < end && *p == '(')
            fn = ident_at(skip_blanks(p + 1, end), end);
        if (fn && !names_function(k->tu, fn)) { /* a macro's parameter, as in `_cleanup_(freep)` */
            char *arg = macro_argument(k->tu, text, end, text + off, fn, clang_getCursorLocation(v[i]));
            free(fn);
            fn = arg && names_function(k->tu, arg) ? arg : (free(arg), NULL);
        }
        if (!fn && report)
            cw_error(k->tu, var, "cawait cannot find the function of this cleanup attribute");
    }
    free(v);
    return fn;
}
