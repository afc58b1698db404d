/*
 * Pass "collect": find every async function the translation unit declares
 * (in the main file or in headers) and decide which ones can suspend.
 *
 * A function defined in the main file whose awaits all name functions that
 * cannot suspend can never suspend either; it is lowered to a plain C
 * function (the fast path) and its __ca_start entry merely calls it. The
 * decision is a fixpoint: start from "cannot suspend" and spread "can
 * suspend" from callers of functions defined elsewhere.
 */
#include "collect.h"

#include "fnptr.h"
#include "runtime_awaits.h"

#include "strbuf.h"
#include "suspends.h"

#include <stdlib.h>
#include <string.h>

struct typedef_search {
    const char *name;
    CXType type;
};

static enum CXChildVisitResult find_typedef(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct typedef_search *s = d;
    if (c.kind == CXCursor_TypedefDecl) {
        CXString n = clang_getCursorSpelling(c);
        if (strcmp(clang_getCString(n), s->name) == 0)
            s->type = clang_getTypedefDeclUnderlyingType(c);
        clang_disposeString(n);
    }
    return CXChildVisit_Continue;
}

/* T of a generator declared in the main file, from the typedef main.c appended for it. */
static CXType gen_type_of(cw_tu *tu, CXCursor fn)
{
    unsigned off;
    char *t = cw_gen_type_text(tu, fn, &off);
    char *name = cw_strdup_printf("ca__gen_type_%u", off);
    struct typedef_search s = {name, {CXType_Invalid, {0, 0}}};
    clang_visitChildren(clang_getTranslationUnitCursor(tu->tu), find_typedef, &s);
    free(t);
    free(name);
    return s.type;
}

static void add_fn(cw_tu *tu, CXCursor c)
{
    cw_async_fn *f = cw_async_of(tu, c);
    if (!f) {
        f = CW_PUSH(tu->fns, tu->nfns);
        memset(f, 0, sizeof *f);
        CXString name = clang_getCursorSpelling(c);
        f->name = cw_strdup(clang_getCString(name));
        clang_disposeString(name);
        f->canonical = clang_getCanonicalCursor(c);
        f->hash = clang_hashCursor(f->canonical);
        f->decl = c;
        f->type = clang_getCursorType(c);
        f->is_void = clang_getCanonicalType(clang_getUnqualifiedType(clang_getResultType(f->type))).kind == CXType_Void;
        unsigned off;
        f->gen_t = cw_gen_type_text(tu, c, &off);
        f->is_gen = f->gen_t != NULL;
        f->gen_type.kind = CXType_Invalid;
    }
    cw_read_runtime_mark(tu, f, c);
    if (clang_getCursorLinkage(c) == CXLinkage_Internal)
        f->is_static = true;
    CXFile file;
    clang_getExpansionLocation(clang_getCursorLocation(c), &file, NULL, NULL, NULL);
    if (clang_isCursorDefinition(c) && file && clang_File_isEqual(file, tu->main_file)) {
        f->defined_here = true;
        f->decl = c;
        f->type = clang_getCursorType(c); /* an old-style definition knows its parameters */
    }
    if (f->is_gen && file && clang_File_isEqual(file, tu->main_file))
        f->gen_type = gen_type_of(tu, c);
}

static enum CXChildVisitResult find_fns(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    cw_tu *tu = d;
    if (c.kind == CXCursor_FunctionDecl && cw_has_async_attr(c))
        add_fn(tu, c);
    return CXChildVisit_Continue;
}

void cw_collect_async(cw_tu *tu)
{
    clang_visitChildren(clang_getTranslationUnitCursor(tu->tu), find_fns, tu);
    for (size_t i = 0; i < tu->nfns; i++) {
        cw_async_fn *f = &tu->fns[i];
        f->can_suspend = !f->defined_here || tu->opt->no_sync_lowering || f->is_gen;
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < tu->nfns; i++) {
            cw_async_fn *f = &tu->fns[i];
            if (f->can_suspend)
                continue;
            /* The lowering's own test: an await that can suspend, a yield or a ca_for (sizeof excluded). */
            if (cw_suspends_in(tu, f, f->decl, NULL, NULL)) {
                f->can_suspend = true;
                changed = true;
            }
        }
    }
}
