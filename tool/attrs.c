/*
 * Attributes of an async function. A state machine replaces f by entry
 * points (f__ca_start, f__ca_make) and a static resume function, so an
 * attribute written on f cannot simply stay where it was:
 *   - kept on the entry points: what is about the symbol (weak, section,
 *     visibility, used, unused, deprecated...), so linking and warnings
 *     behave as the user wrote;
 *   - dropped: optimisation hints that never change what a program does
 *     (noinline, pure, nonnull, format...);
 *   - refused: what cannot hold for a function that returns to its caller
 *     at each suspension, or that no longer exists under its name
 *     (constructor, destructor, noreturn, alias, asm labels...), and any
 *     attribute not listed here, rather than dropping it silently.
 * Attributes on a function lowered to plain C stay on it as written (its text
 * is copied); its entry f__ca_start still gets the kept ones, so a weak f
 * has a weak entry too. Its body may move into a static function of its own
 * (plain_body.c) only when none of them shapes the body's code.
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
static const char *const dropped[] = {
    "always_inline",
    "gnu_inline",
    "artificial",
    "flatten",
    "pure",
    "const",
    "malloc",
    "nonnull",
    "format",
    "format_arg",
    "warn_unused_result",
    "leaf",
    "nothrow",
    "returns_nonnull",
    "alloc_size",
    "alloc_align",
    "assume_aligned",
    "access",
    "optimize",
    "target",
    "no_icf",
    "noplt",
    "aligned",
    "no_stack_protector",
    "stack_protect",
    "no_split_stack",
    "no_instrument_function",
    "no_sanitize",
    "no_sanitize_address",
    "no_sanitize_undefined",
    "no_sanitize_thread",
    "sentinel",
    "annotate",
    "nodiscard",
    "maybe_unused",
    "noduplicate",
    "convergent",
    "warn_unused",
    "no_profile_instrument_function",
    "minsize",
    "optnone",
    "overloadable",
    NULL,
};
/* About f's symbol, its callers or its declaration, not how its body's code is made: they may stay on f alone. */
/* clang-format off */
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

static bool is_ident(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * An attribute as written: its name (without __x__ underscores) and its full
 * text with arguments, `section(".x")`, read where it is spelled (a macro's
 * definition included). False for an implicit attribute (no text).
 */
bool cw_attr_text(cw_tu *tu, CXCursor a, char **name, char **full)
{
    CXFile f;
    unsigned off;
    clang_getSpellingLocation(clang_getRangeStart(clang_getCursorExtent(a)), &f, NULL, NULL, &off);
    size_t size = 0;
    const char *text = f ? clang_getFileContents(tu->tu, f, &size) : NULL;
    if (!text || off >= size || !is_ident(text[off]))
        return false;
    const char *p = text + off, *end = text + size, *q = p;
    while (q < end && is_ident(*q))
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

static bool is_cawait_async(CXCursor a)
{
    CXString s = clang_getCursorSpelling(a);
    bool r = strcmp(clang_getCString(s), "cawait_async") == 0;
    clang_disposeString(s);
    return r;
}

struct walk {
    cw_tu *tu;
    cw_async_fn *f;
    bool check;       /* report refused attributes */
    strbuf *kept;     /* collect kept ones */
    bool user_facing; /* for f__ca_start, which the user's awaits call */
};

static enum CXChildVisitResult each_attr(CXCursor a, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct walk *w = d;
    if (!clang_isAttribute(a.kind))
        return CXChildVisit_Continue;
    if (a.kind == CXCursor_AnnotateAttr && is_cawait_async(a))
        return CXChildVisit_Continue;
    if (a.kind == CXCursor_AsmLabelAttr) {
        if (w->check)
            cw_error(w->tu, a,
                     "async function '%s' cannot have an asm label: the function no longer exists "
                     "under its name, only its entry points",
                     w->f->name);
        return CXChildVisit_Continue;
    }
    char *name, *full;
    if (!cw_attr_text(w->tu, a, &name, &full))
        return CXChildVisit_Continue;
    if (in(kept, name)) {
        /* deprecated warns at each use: the generated code's own uses of the make entry must not */
        bool on_uses = strcmp(name, "deprecated") == 0 || strcmp(name, "unavailable") == 0;
        /* noinline is about f's callers, which call f__ca_start: its own call of the make entry may inline */
        bool about_callers =
            strcmp(name, "noinline") == 0 || strcmp(name, "noclone") == 0 || strcmp(name, "noipa") == 0;
        if (w->kept && !((on_uses || about_callers) && !w->user_facing) && !strstr(sb_str(w->kept), full))
            sb_printf(w->kept, "__attribute__((%s)) ", full);
    } else if (!in(dropped, name) && w->check) {
        const char *why = "cawait does not know what it would mean for the generated entry points";
        for (int i = 0; refused[i].name; i++)
            if (strcmp(refused[i].name, name) == 0)
                why = refused[i].why;
        cw_error(w->tu, a, "attribute '%s' on async function '%s' that can suspend: %s", name, w->f->name, why);
    }
    free(name), free(full);
    return CXChildVisit_Continue;
}

void cw_check_attrs(cw_tu *tu, cw_async_fn *f)
{
    struct walk w = {tu, f, true, NULL, false};
    clang_visitChildren(f->decl, each_attr, &w);
    /* __attribute__((noreturn)) is part of the function's type, not a cursor */
    CXString t = clang_getTypeSpelling(f->type);
    if (strstr(clang_getCString(t), "__attribute__((noreturn))"))
        cw_error(tu, f->decl,
                 "attribute 'noreturn' on async function '%s' that can suspend: its entry point "
                 "returns to its caller at each suspension",
                 f->name);
    clang_disposeString(t);
}

char *cw_entry_attrs(cw_tu *tu, cw_async_fn *f, bool user_facing)
{
    strbuf b;
    sb_init(&b);
    struct walk w = {tu, f, false, &b, user_facing};
    clang_visitChildren(f->decl, each_attr, &w);
    return sb_take(&b);
}

struct body_walk {
    cw_tu *tu;
    bool shaped; /* an attribute shapes the body's code */
};

static enum CXChildVisitResult shapes_body(CXCursor a, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct body_walk *w = d;
    if (!clang_isAttribute(a.kind) || (a.kind == CXCursor_AnnotateAttr && is_cawait_async(a)))
        return CXChildVisit_Continue;
    char *name, *full;
    if (!cw_attr_text(w->tu, a, &name, &full)) /* implicit: the compiler gives the body its own */
        return CXChildVisit_Continue;
    w->shaped = a.kind == CXCursor_AsmLabelAttr || !in(not_on_body, name);
    free(name), free(full);
    return w->shaped ? CXChildVisit_Break : CXChildVisit_Continue;
}

/*
 * Attributes clang does not know (gcc's optimize, noipa, indirect_branch...)
 * leave no cursor, only a warning: "unknown attribute 'optimize' ignored".
 * main.c keeps those warnings on whatever the user's flags say.
 */
static void read_ignored_attrs(cw_tu *tu)
{
    tu->ignored_attrs_known = true;
    for (unsigned i = 0, n = clang_getNumDiagnostics(tu->tu); i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu->tu, i);
        CXString opt = clang_getDiagnosticOption(d, NULL), msg = clang_getDiagnosticSpelling(d);
        const char *o = clang_getCString(opt), *m = clang_getCString(msg), *q = strchr(m, '\'');
        const char *q2 = q ? strchr(q + 1, '\'') : NULL;
        CXFile file;
        unsigned off;
        clang_getExpansionLocation(clang_getDiagnosticLocation(d), &file, NULL, NULL, &off);
        bool ignored = strcmp(o, "-Wunknown-attributes") == 0 || strcmp(o, "-Wignored-attributes") == 0;
        if (ignored && file && clang_File_isEqual(file, tu->main_file))
            *CW_PUSH(tu->ignored_attrs, tu->nignored_attrs) =
                (struct cw_ignored_attr){off, q2 ? strndup(q + 1, (size_t)(q2 - q - 1)) : cw_strdup("")};
        clang_disposeString(opt), clang_disposeString(msg);
        clang_disposeDiagnostic(d);
    }
}

bool cw_attrs_leave_body_alone(cw_tu *tu, cw_async_fn *f, unsigned begin, unsigned end)
{
    struct body_walk w = {tu, false};
    clang_visitChildren(f->decl, shapes_body, &w);
    if (!tu->ignored_attrs_known)
        read_ignored_attrs(tu);
    for (size_t i = 0; i < tu->nignored_attrs && !w.shaped; i++) {
        const struct cw_ignored_attr *a = &tu->ignored_attrs[i];
        /* gcc spells a name __x__ too */
        size_t len = strlen(a->name);
        char *name = len > 4 && strncmp(a->name, "__", 2) == 0 && strcmp(a->name + len - 2, "__") == 0
                         ? strndup(a->name + 2, len - 4)
                         : cw_strdup(a->name);
        w.shaped = a->off >= begin && a->off < end && !in(not_on_body, name);
        free(name);
    }
    return !w.shaped;
}
