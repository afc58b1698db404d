/*
 * Types declared inside an async function, moved to file scope. A local
 * that lives across an await becomes a member of the frame struct, declared
 * at file scope before the function: its type (and any type it is made of)
 * must be named there. Each local type declaration that such a type needs
 * is moved, as written, in front of the function (with a #line to the
 * user's line), and removed from the body: a declaration statement of types
 * only becomes `;`; a tag defined together with variables (`struct S {...}
 * s;`) stays as a reference `struct S`. An anonymous tag defined together
 * with variables gets a name, ca__anonN.
 *
 * Refused with a diagnostic: a type built from the function's locals (a VLA
 * typedef, __typeof__ of a local), written in a macro, or whose name (or an
 * enumerator's) is taken at file scope or elsewhere in the function, where
 * the move would change what a name means.
 */
#include "lower.h"

#include "ctypes.h"

#include <stdlib.h>
#include <string.h>

static bool is_type_decl(CXCursor c)
{
    return c.kind == CXCursor_StructDecl || c.kind == CXCursor_UnionDecl || c.kind == CXCursor_EnumDecl ||
           c.kind == CXCursor_TypedefDecl;
}

static bool is_local(CXCursor d)
{
    for (CXCursor p = clang_getCursorSemanticParent(d); !clang_Cursor_isNull(p) && !clang_isInvalid(p.kind);
         p = clang_getCursorSemanticParent(p))
        if (p.kind == CXCursor_FunctionDecl)
            return true;
    return false;
}

/* ---- the declaration statement that holds a local type declaration ------ */

struct holder_search {
    CXCursor decl, stmt;
    bool found;
};

static enum CXChildVisitResult find_holder(CXCursor c, CXCursor parent, CXClientData d)
{
    struct holder_search *s = d;
    if (clang_equalCursors(c, s->decl) && parent.kind == CXCursor_DeclStmt) {
        s->stmt = parent;
        s->found = true;
        return CXChildVisit_Break;
    }
    return CXChildVisit_Recurse;
}

/* Only type declarations in the statement (then it moves whole)? */
static bool types_only(CXCursor stmt)
{
    CXCursor *v;
    unsigned n = cw_children(stmt, &v);
    bool r = true;
    for (unsigned i = 0; i < n && r; i++)
        r = is_type_decl(v[i]);
    free(v);
    return r;
}

/* ---- what a moved declaration refers to ------------------------------- */

struct deps {
    cw_fn *k;
    CXCursor unit;
    bool uses_locals;
    CXCursor *types; /* local type declarations it names */
    size_t ntypes;
};

static bool inside(CXCursor c, CXCursor unit, cw_tu *tu)
{
    unsigned b, e, ub, ue;
    return cw_expansion_range(tu, c, &b, &e) && cw_expansion_range(tu, unit, &ub, &ue) && b >= ub && e <= ue;
}

static enum CXChildVisitResult find_deps(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct deps *s = d;
    CXCursor r = clang_getCursorReferenced(c);
    if (c.kind == CXCursor_TypeRef && is_type_decl(r) && is_local(r) && !inside(r, s->unit, s->k->tu)) {
        *CW_PUSH(s->types, s->ntypes) = r;
    } else if (c.kind == CXCursor_DeclRefExpr && (r.kind == CXCursor_VarDecl || r.kind == CXCursor_ParmDecl) &&
               is_local(r)) {
        s->uses_locals = true;
    }
    return CXChildVisit_Recurse;
}

/* ---- names: a moved name must mean the same everywhere it is seen ------ */

struct name_search {
    const char *name;
    CXCursor unit;
    cw_tu *tu;
    bool found;
};

static bool same_name(CXCursor c, const char *name)
{
    CXString s = clang_getCursorSpelling(c);
    bool r = strcmp(clang_getCString(s), name) == 0;
    clang_disposeString(s);
    return r;
}

static enum CXChildVisitResult find_file_scope_name(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct name_search *s = d;
    if (clang_isDeclaration(c.kind) && same_name(c, s->name)) {
        s->found = true;
        return CXChildVisit_Break;
    }
    return CXChildVisit_Continue;
}

static enum CXChildVisitResult find_local_name(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct name_search *s = d;
    if (clang_isDeclaration(c.kind) && c.kind != CXCursor_FieldDecl && same_name(c, s->name) &&
        !inside(c, s->unit, s->tu)) {
        s->found = true;
        return CXChildVisit_Break;
    }
    return CXChildVisit_Recurse;
}

static bool name_taken(cw_fn *k, CXCursor unit, const char *name)
{
    if (!*name)
        return false;
    for (size_t i = 0; i < k->tu->nhoisted_names; i++)
        if (strcmp(k->tu->hoisted_names[i], name) == 0)
            return true;
    struct name_search s = {name, unit, k->tu, false};
    clang_visitChildren(clang_getTranslationUnitCursor(k->tu->tu), find_file_scope_name, &s);
    if (!s.found)
        clang_visitChildren(k->fn->decl, find_local_name, &s);
    return s.found;
}

/* The names the unit declares: its tags, typedefs and enumerators. */
static enum CXChildVisitResult collect_names(CXCursor c, CXCursor parent, CXClientData d)
{
    strbuf *names = d;
    if (cw_repeated_tag(c, parent))
        return CXChildVisit_Continue;
    if (is_type_decl(c) || c.kind == CXCursor_EnumConstantDecl) {
        bool tag = c.kind != CXCursor_TypedefDecl && c.kind != CXCursor_EnumConstantDecl;
        CXString s = clang_getCursorSpelling(c);
        /* libclang spells an unnamed tag after its typedef, or "(unnamed ...)": neither is a tag name */
        bool unnamed = tag && (parent.kind == CXCursor_TypedefDecl || strchr(clang_getCString(s), ' '));
        if (!unnamed)
            sb_printf(names, "%s%c", clang_getCString(s), '\0');
        clang_disposeString(s);
    }
    return c.kind == CXCursor_EnumDecl || c.kind == CXCursor_DeclStmt || c.kind == CXCursor_TypedefDecl
               ? CXChildVisit_Recurse
               : CXChildVisit_Continue;
}

/* ---- moving ------------------------------------------------------------ */

static bool hoisted(cw_tu *tu, CXCursor d, size_t *index)
{
    for (size_t i = 0; i < tu->nhoisted; i++)
        if (clang_equalCursors(tu->hoisted[i].decl, d)) {
            if (index)
                *index = i;
            return true;
        }
    return false;
}

static void mark(cw_tu *tu, CXCursor d, CXCursor stmt, char *anon)
{
    *CW_PUSH(tu->hoisted, tu->nhoisted) = (cw_hoisted){d, stmt, anon};
}

static bool hoist_decl(cw_fn *k, CXCursor decl, CXCursor where);

static bool refuse(cw_fn *k, CXCursor decl, CXCursor where, const char *why)
{
    (void)where;
    CXString s = clang_getCursorSpelling(decl);
    cw_error(k->tu, decl,
             "'%s' is declared inside the function and a local living across an await has its type, "
             "but cawait cannot move it to file scope: %s",
             clang_getCString(s), why);
    clang_disposeString(s);
    return false;
}

static bool hoist_decl(cw_fn *k, CXCursor decl, CXCursor where)
{
    cw_tu *tu = k->tu;
    decl = clang_getCanonicalCursor(decl);
    if (!is_local(decl) || hoisted(tu, decl, NULL))
        return true;
    if (cw_declared_in_params(tu, k->fn, decl)) /* refused at the function (lower_stmt.c) */
        return false;
    struct holder_search h = {decl, clang_getNullCursor(), false};
    clang_visitChildren(k->fn->decl, find_holder, &h);
    if (!h.found)
        return refuse(k, decl, where, "it is not a declaration statement of its own");
    bool whole = types_only(h.stmt);
    CXCursor unit = whole ? h.stmt : decl;
    unsigned b, e;
    if (!cw_clean_range(tu, unit, &b, &e))
        return refuse(k, decl, where, "it is written in a macro");
    CXType canon = clang_getCanonicalType(clang_getCursorType(decl));
    if (decl.kind == CXCursor_TypedefDecl)
        canon = clang_getCanonicalType(clang_getTypedefDeclUnderlyingType(decl));
    if (canon.kind == CXType_VariableArray)
        return refuse(k, decl, where, "its type is a variable-length array");
    struct deps d = {k, unit, false, NULL, 0};
    clang_visitChildren(unit, find_deps, &d);
    if (d.uses_locals) {
        free(d.types);
        return refuse(k, decl, where, "it names the function's variables");
    }
    /* Mark first: a struct that points to itself names itself. */
    char *anon = NULL;
    CXString sp = clang_getCursorSpelling(decl);
    if (!whole && strchr(clang_getCString(sp), ' ')) /* "struct (unnamed at ...)" */
        anon = cw_strdup_printf("ca__anon%d", ++tu->nanon);
    clang_disposeString(sp);
    if (whole) {
        CXCursor *v;
        unsigned n = cw_children(h.stmt, &v);
        for (unsigned i = 0; i < n; i++)
            mark(tu, clang_getCanonicalCursor(v[i]), h.stmt, NULL);
        free(v);
    } else {
        mark(tu, decl, clang_getNullCursor(), anon);
    }
    bool ok = true;
    for (size_t i = 0; i < d.ntypes && ok; i++)
        ok = hoist_decl(k, d.types[i], where);
    free(d.types);
    if (!ok)
        return false;
    strbuf names;
    sb_init(&names);
    if (unit.kind == CXCursor_DeclStmt)
        clang_visitChildren(unit, collect_names, &names);
    else
        collect_names(unit, h.stmt, &names);
    for (size_t at = 0; at < names.len && ok; at += strlen(names.s + at) + 1) {
        if (name_taken(k, unit, names.s + at)) {
            char *why = cw_strdup_printf("the name '%s' is taken at file scope or elsewhere in the function; "
                                         "rename it",
                                         names.s + at);
            ok = refuse(k, decl, where, why);
            free(why);
        }
    }
    for (size_t at = 0; at < names.len && ok; at += strlen(names.s + at) + 1) {
        *CW_PUSH(tu->hoisted_names, tu->nhoisted_names) = cw_strdup(names.s + at);
    }
    sb_free(&names);
    if (!ok)
        return false;
    if (tu->opt->line_directives)
        sb_printf(&k->hoisted, "#line %u \"%s\"\n", cw_line_of(tu, unit), tu->main_name);
    if (anon) { /* struct { ... } -> struct ca__anonN { ... } */
        const char *brace = memchr(tu->text + b, '{', e - b);
        size_t head = brace ? (size_t)(brace - (tu->text + b)) : e - b;
        while (head > 0 && (tu->text[b + head - 1] == ' ' || tu->text[b + head - 1] == '\t'))
            head--;
        const char *rest = tu->text + b + head;
        while (*rest == ' ' || *rest == '\t')
            rest++;
        sb_printf(&k->hoisted, "%.*s %s %.*s;\n", (int)head, tu->text + b, anon, (int)(tu->text + e - rest), rest);
    } else {
        bool semi = e > b && tu->text[e - 1] == ';';
        sb_printf(&k->hoisted, "%.*s%s\n", (int)(e - b), tu->text + b, semi ? "" : ";");
    }
    return true;
}

/* The local type declarations t is made of: through pointers, arrays, typedefs, members. */
bool cw_hoist_type(cw_fn *k, CXType t, CXCursor where)
{
    for (;;) {
        if (t.kind == CXType_Pointer)
            t = clang_getPointeeType(t);
        else if (cw_is_array_type(t))
            t = clang_getArrayElementType(t);
        else
            break;
    }
    CXCursor d = clang_getTypeDeclaration(t);
    if (clang_Cursor_isNull(d) || clang_isInvalid(d.kind) || !is_type_decl(d))
        return true;
    if (!hoist_decl(k, d, where))
        return false;
    if (d.kind == CXCursor_TypedefDecl) /* a typedef of a file-scope type made of local ones? */
        return cw_hoist_type(k, clang_getTypedefDeclUnderlyingType(d), where);
    return true;
}

const char *cw_hoisted_name(cw_tu *tu, CXCursor decl)
{
    size_t i;
    return hoisted(tu, clang_getCanonicalCursor(decl), &i) ? tu->hoisted[i].anon : NULL;
}

bool cw_is_hoisted(cw_tu *tu, CXCursor decl)
{
    return is_type_decl(decl) && hoisted(tu, clang_getCanonicalCursor(decl), NULL);
}
