/*
 * Attributes of an async function. A state machine replaces f by entry
 * points (f__ca_start, f__ca_make) and a static resume function, so an
 * attribute written on f cannot simply stay where it was:
 *   - kept on the entry points: what is about the symbol (weak, section,
 *     visibility, used, unused, deprecated...), so linking and warnings
 *     behave as the user wrote;
 *   - put on the code that runs the body (the resume function, or a plain
 *     function's moved body): what shapes how that code is made (target,
 *     optimize, no_sanitize...), so intrinsics and sanitizers behave alike;
 *   - dropped: optimisation hints that never change what a program does
 *     (noinline, pure, nonnull, format...);
 *   - refused: what cannot hold for a function that returns to its caller
 *     at each suspension, or that no longer exists under its name
 *     (constructor, destructor, noreturn, alias, asm labels...), and any
 *     attribute not listed here, rather than dropping it silently.
 * Attributes clang does not know (gcc's optimize, noipa...) have no cursor,
 * only clang's warning that it ignored them: they are read from there.
 * Attributes on a function lowered to plain C stay on it as written (its text
 * is copied); its entry f__ca_start still gets the kept ones, so a weak f
 * has a weak entry too.
 */
#include "attrs.h"

#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

static const char *const kept[] = {
    "weak",       "section", "visibility", "used",    "unused", "deprecated",         "unavailable",
    "cold",       "hot",     "noinline",   "noclone", "noipa",  "externally_visible", "retain",
    "no_reorder", NULL,
};
/* clang-format off */
static const char *const dropped[] = {
    "always_inline", "gnu_inline", "artificial", "flatten", "pure", "const", "malloc", "nonnull", "format",
    "format_arg", "warn_unused_result", "leaf", "nothrow", "returns_nonnull", "alloc_size", "alloc_align",
    "assume_aligned", "access", "no_icf", "noplt", "aligned", "sentinel", "annotate", "nodiscard",
    "maybe_unused", "noduplicate", "convergent", "warn_unused", "overloadable", NULL,
};
/* How the code that runs the body is made: on that code too (the resume function, a moved body). */
static const char *const body_code[] = {
    "target", "optimize", "no_sanitize", "no_sanitize_address", "no_sanitize_undefined", "no_sanitize_thread",
    "no_sanitize_coverage", "no_address_safety_analysis", "no_instrument_function",
    "no_profile_instrument_function", "no_stack_protector", "stack_protect", "no_split_stack",
    "zero_call_used_regs", "indirect_branch", "function_return", "minsize", "optnone", NULL,
};
/* About f's symbol, its callers or its declaration, not how its body's code is made: they may stay on f alone. */
static const char *const not_on_body[] = {
    "weak", "section", "visibility", "used", "unused", "deprecated", "unavailable", "cold", "hot", "noinline",
    "noclone", "noipa", "retain", "no_reorder", "always_inline", "artificial", "flatten", "pure", "const",
    "malloc", "nonnull", "format", "format_arg", "warn_unused_result", "leaf", "nothrow", "returns_nonnull",
    "alloc_size", "alloc_align", "assume_aligned", "access", "noplt", "aligned", "sentinel", "annotate",
    "nodiscard", "maybe_unused", "externally_visible", NULL,
};
/* clang-format on */
/* Refused with a reason of their own; anything else unknown is refused too. */
static const struct {
    const char *name, *why;
} refused[] = {
    {"constructor", "it would run the function before main, outside any task (call it with ca_run from main)"},
    {"destructor", "it would run the function after main, outside any task (call it with ca_run)"},
    {"noreturn", "its entry point returns to its caller at each suspension"},
    {"_Noreturn", "its entry point returns to its caller at each suspension"},
    {"alias", "the function no longer exists under its name, only its entry points"},
    {"weakref", "the function no longer exists under its name, only its entry points"},
    {"ifunc", "the function no longer exists under its name, only its entry points"},
    {"returns_twice", "a function that returns twice cannot be a state machine"},
    {"naked", "its body becomes a state machine written in C"},
    {NULL, NULL},
};

static bool in(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (strcmp(*list, name) == 0)
            return true;
    return false;
}

/*
 * An attribute as written: its name (without __x__ underscores) and its full
 * text with arguments, `section(".x")`, read at `at` where it is spelled (a
 * macro's definition included). False when there is no text there.
 */
static bool attr_text_at(cw_tu *tu, CXSourceLocation at, char **name, char **full)
{
    CXFile f;
    unsigned off;
    clang_getSpellingLocation(at, &f, NULL, NULL, &off);
    size_t size = 0;
    const char *text = f ? clang_getFileContents(tu->tu, f, &size) : NULL;
    if (!text || off >= size || !cw_ident_char(text[off]))
        return false;
    const char *p = text + off, *end = text + size, *q = p;
    while (q < end && cw_ident_char(*q))
        q++;
    const char *name_end = q;
    const char *r = q;
    while (r < end && (*r == ' ' || *r == '\t'))
        r++;
    if (r < end && *r == '(') { /* arguments, to the matching parenthesis */
        int depth = 0;
        for (; r < end; r++) {
            if (*r == '"') {
                for (r++; r < end && *r != '"'; r++)
                    r += *r == '\\';
            } else if (*r == '(') {
                depth++;
            } else if (*r == ')' && --depth == 0) {
                q = r + 1;
                break;
            }
        }
    }
    const char *n = p;
    size_t len = (size_t)(name_end - p);
    if (len > 4 && strncmp(n, "__", 2) == 0 && strncmp(name_end - 2, "__", 2) == 0)
        n += 2, len -= 4;
    *name = strndup(n, len);
    *full = strndup(p, (size_t)(q - p));
    return true;
}

bool cw_attr_text(cw_tu *tu, CXCursor a, char **name, char **full)
{
    return attr_text_at(tu, clang_getRangeStart(clang_getCursorExtent(a)), name, full);
}

static bool is_cawait_async(CXCursor a)
{
    CXString s = clang_getCursorSpelling(a);
    bool r = strcmp(clang_getCString(s), "cawait_async") == 0;
    clang_disposeString(s);
    return r;
}

/* clang's warning that it ignored an attribute ("unknown attribute 'optimize' ignored"): main.c keeps them on. */
static void read_ignored_attrs(cw_tu *tu)
{
    tu->ignored_attrs_known = true;
    for (unsigned i = 0, n = clang_getNumDiagnostics(tu->tu); i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu->tu, i);
        CXString opt = clang_getDiagnosticOption(d, NULL);
        const char *o = clang_getCString(opt);
        CXSourceLocation loc = clang_getDiagnosticLocation(d);
        CXFile file;
        unsigned off;
        clang_getExpansionLocation(loc, &file, NULL, NULL, &off);
        char *name, *full;
        bool ignored = strcmp(o, "-Wunknown-attributes") == 0 || strcmp(o, "-Wignored-attributes") == 0;
        if (ignored && file && clang_File_isEqual(file, tu->main_file) && attr_text_at(tu, loc, &name, &full))
            *CW_PUSH(tu->ignored_attrs, tu->nignored_attrs) = (struct cw_ignored_attr){off, loc, name, full};
        clang_disposeString(opt);
        clang_disposeDiagnostic(d);
    }
}

const struct cw_ignored_attr *cw_ignored_attrs(cw_tu *tu, size_t *n)
{
    if (!tu->ignored_attrs_known)
        read_ignored_attrs(tu);
    *n = tu->nignored_attrs;
    return tu->ignored_attrs;
}

/* Each attribute written on f: clang's, and those it ignored in f's text before its body. */
typedef void each_attr_fn(void *ctx, CXSourceLocation where, const char *name, const char *full);
#define ASM_LABEL "asm label" /* the name given to an asm label (no attribute can be named so) */

struct each_attr {
    cw_tu *tu;
    each_attr_fn *fn;
    void *ctx;
};

static enum CXChildVisitResult each_cursor_attr(CXCursor a, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct each_attr *e = d;
    char *name, *full;
    if (!clang_isAttribute(a.kind) || (a.kind == CXCursor_AnnotateAttr && is_cawait_async(a)))
        return CXChildVisit_Continue;
    if (a.kind == CXCursor_AsmLabelAttr)
        e->fn(e->ctx, clang_getCursorLocation(a), ASM_LABEL, ASM_LABEL);
    else if (cw_attr_text(e->tu, a, &name, &full)) { /* else implicit: the compiler adds it wherever it applies */
        e->fn(e->ctx, clang_getCursorLocation(a), name, full);
        free(name), free(full);
    }
    return CXChildVisit_Continue;
}

static void for_each_attr(cw_tu *tu, cw_async_fn *f, each_attr_fn *fn, void *ctx)
{
    struct each_attr e = {tu, fn, ctx};
    clang_visitChildren(f->decl, each_cursor_attr, &e);
    unsigned begin, end, body_begin;
    if (!cw_expansion_range(tu, f->decl, &begin, &end))
        return;
    CXCursor body = cw_function_body(f->decl);
    if (!clang_Cursor_isNull(body) && cw_expansion_range(tu, body, &body_begin, &end))
        end = body_begin;
    size_t n;
    const struct cw_ignored_attr *ignored = cw_ignored_attrs(tu, &n);
    for (size_t i = 0; i < n; i++)
        if (ignored[i].off >= begin && ignored[i].off < end)
            fn(ctx, ignored[i].loc, ignored[i].name, ignored[i].full);
}

struct checked {
    cw_tu *tu;
    cw_async_fn *f;
};

static void check_one(void *ctx, CXSourceLocation where, const char *name, const char *full)
{
    (void)full;
    struct checked *c = ctx;
    if (strcmp(name, ASM_LABEL) == 0) {
        cw_error_at(c->tu, where,
                    "async function '%s' cannot have an asm label: the function no longer exists "
                    "under its name, only its entry points",
                    c->f->name);
        return;
    }
    if (in(kept, name) || in(dropped, name) || in(body_code, name))
        return;
    const char *why = "cawait does not know what it would mean for the generated entry points";
    for (int i = 0; refused[i].name; i++)
        if (strcmp(refused[i].name, name) == 0)
            why = refused[i].why;
    cw_error_at(c->tu, where, "attribute '%s' on async function '%s' that can suspend: %s", name, c->f->name, why);
}

void cw_check_attrs(cw_tu *tu, cw_async_fn *f)
{
    struct checked c = {tu, f};
    for_each_attr(tu, f, check_one, &c);
    /* __attribute__((noreturn)) is part of the function's type, not a cursor */
    CXString t = clang_getTypeSpelling(f->type);
    if (strstr(clang_getCString(t), "__attribute__((noreturn))"))
        cw_error(tu, f->decl,
                 "attribute 'noreturn' on async function '%s' that can suspend: its entry point "
                 "returns to its caller at each suspension",
                 f->name);
    clang_disposeString(t);
}

struct gathered {
    strbuf *out;
    bool user_facing; /* for f__ca_start, which the user's awaits call */
    bool body;        /* body_code ones, for the code that runs the body; else kept ones, for the entries */
};

static void gather_one(void *ctx, CXSourceLocation where, const char *name, const char *full)
{
    (void)where;
    struct gathered *g = ctx;
    bool take;
    if (g->body) {
        take = in(body_code, name);
    } else {
        /* deprecated warns at each use: the generated code's own uses of the make entry must not */
        bool on_uses = strcmp(name, "deprecated") == 0 || strcmp(name, "unavailable") == 0;
        /* noinline is about f's callers, which call f__ca_start: its own call of the make entry may inline */
        bool about_callers =
            strcmp(name, "noinline") == 0 || strcmp(name, "noclone") == 0 || strcmp(name, "noipa") == 0;
        take = in(kept, name) && !((on_uses || about_callers) && !g->user_facing);
    }
    if (take && !strstr(sb_str(g->out), full))
        sb_printf(g->out, "__attribute__((%s)) ", full);
}

char *cw_entry_attrs(cw_tu *tu, cw_async_fn *f, bool user_facing)
{
    strbuf b;
    sb_init(&b);
    struct gathered g = {&b, user_facing, false};
    for_each_attr(tu, f, gather_one, &g);
    return sb_take(&b);
}

char *cw_body_attrs(cw_tu *tu, cw_async_fn *f)
{
    strbuf b;
    sb_init(&b);
    struct gathered g = {&b, false, true};
    for_each_attr(tu, f, gather_one, &g);
    return sb_take(&b);
}

static void may_move_one(void *ctx, CXSourceLocation where, const char *name, const char *full)
{
    (void)where, (void)full;
    bool *may = ctx;
    *may = *may && strcmp(name, ASM_LABEL) != 0 && (in(not_on_body, name) || in(body_code, name));
}

bool cw_attrs_let_body_move(cw_tu *tu, cw_async_fn *f)
{
    bool may = true;
    for_each_attr(tu, f, may_move_one, &may);
    return may;
}
