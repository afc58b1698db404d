/* Shared queries on the translation unit: diagnostics, locations, keywords, async lookup. */
#include "tu.h"

#include "diag_json.h"
#include "strbuf.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Where loc is as the user's #line directives present it: the file name
 * (tu->main_name for the main file itself; caller frees *name) and line.
 * Macro-expanded locations count where the expansion is written.
 */
static unsigned presumed(cw_tu *tu, CXSourceLocation loc, char **name)
{
    CXFile file;
    unsigned off;
    clang_getExpansionLocation(loc, &file, NULL, NULL, &off);
    *name = NULL;
    if (!file)
        return 0;
    CXString pname, fname = clang_getFileName(file);
    unsigned line;
    clang_getPresumedLocation(clang_getLocationForOffset(tu->tu, file, off), &pname, &line, NULL);
    const char *p = clang_getCString(pname), *f = clang_getCString(fname);
    bool main_itself = clang_File_isEqual(file, tu->main_file) && f && p && strcmp(p, f) == 0;
    *name = cw_strdup(main_itself ? tu->main_name : p ? p : "");
    clang_disposeString(pname);
    clang_disposeString(fname);
    return line;
}

void cw_put_c_string(strbuf *out, const char *s)
{
    sb_putn(out, "\"", 1);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            sb_putn(out, "\\", 1);
        if (*s == '\n')
            sb_puts(out, "\\n");
        else
            sb_putn(out, s, 1);
    }
    sb_putn(out, "\"", 1);
}

void cw_put_line(cw_tu *tu, strbuf *out, CXSourceLocation loc)
{
    char *name;
    unsigned line = presumed(tu, loc, &name);
    sb_printf(out, "\n#line %u ", line ? line : 1);
    cw_put_c_string(out, name ? name : tu->main_name);
    sb_puts(out, "\n");
    free(name);
}

unsigned cw_presumed_location(cw_tu *tu, CXSourceLocation loc, char **name, unsigned *col)
{
    CXFile file;
    unsigned line = 0, off = 0;
    clang_getFileLocation(loc, &file, &line, col, &off);
    *name = NULL;
    unsigned shown = file ? presumed(tu, clang_getLocationForOffset(tu->tu, file, off), name) : 0;
    if (!*name)
        *name = cw_strdup(tu->main_name);
    return shown ? shown : line;
}

/* Has this message been given at this place already? (Passes that meet one construct twice say it once.) */
static bool said_before(cw_tu *tu, CXFile file, unsigned off, const char *msg)
{
    CXString path = clang_getFileName(file);
    char *key = cw_strdup_printf("%s:%u:%s", file ? clang_getCString(path) : "", off, msg);
    clang_disposeString(path);
    for (size_t i = 0; i < tu->nsaid; i++)
        if (strcmp(tu->said[i], key) == 0) {
            free(key);
            return true;
        }
    *CW_PUSH(tu->said, tu->nsaid) = key;
    return false;
}

static void verror(cw_tu *tu, CXSourceLocation loc, const char *fmt, va_list ap)
{
    CXFile file;
    unsigned line = 0, col = 0, off = 0, shown_col;
    clang_getFileLocation(loc, &file, &line, &col, &off);
    tu->errors++;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *msg = malloc(n > 0 ? (size_t)n + 1 : 1);
    if (msg)
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
    if (msg && said_before(tu, file, off, msg)) {
        free(msg);
        return;
    }
    char *name;
    unsigned shown = cw_presumed_location(tu, loc, &name, &shown_col);
    if (tu->opt && tu->opt->diag_json) {
        cw_diag_json(stderr, "cawait", "error", name, shown, shown_col, msg ? msg : fmt);
        free(msg);
        free(name);
        return;
    }
    fprintf(stderr, "%s:%u:%u: error: %s\n", name, shown, shown_col, msg ? msg : fmt);
    free(name);
    free(msg);
    size_t size = 0;
    const char *text = file ? clang_getFileContents(tu->tu, file, &size) : NULL;
    if (text && line > 0) {
        const char *p = text, *end = text + size;
        for (unsigned l = 1; l < line && p < end; p++)
            if (*p == '\n')
                l++;
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        fprintf(stderr, "%.*s\n", (int)(eol - p), p);
        for (unsigned i = 1; i < col && p + i - 1 < eol; i++)
            fputc(p[i - 1] == '\t' ? '\t' : ' ', stderr);
        fputs("^\n", stderr);
    }
}

void cw_error_at(cw_tu *tu, CXSourceLocation loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(tu, loc, fmt, ap);
    va_end(ap);
}

void cw_error(cw_tu *tu, CXCursor c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(tu, clang_getCursorLocation(c), fmt, ap);
    va_end(ap);
}

static bool helper_name_taken(const cw_tu *tu, const char *name)
{
    for (size_t i = 0; i < tu->nhelper_names; i++)
        if (strcmp(tu->helper_names[i], name) == 0)
            return true;
    return false;
}

const char *cw_helper_name(cw_tu *tu, const char *kind, const char *what)
{
    char *name = cw_strdup_printf("ca__%s_%s", kind, what);
    for (int n = 2; helper_name_taken(tu, name); n++) {
        free(name);
        name = cw_strdup_printf("ca__%s_%s_%d", kind, what, n);
    }
    *CW_PUSH(tu->helper_names, tu->nhelper_names) = name;
    return name;
}

static bool is_tag(CXCursor c)
{
    return c.kind == CXCursor_StructDecl || c.kind == CXCursor_UnionDecl || c.kind == CXCursor_EnumDecl;
}

/* `typedef struct {...} T;`: the struct has no name, but libclang spells it T. Its location is its keyword. */
static bool unnamed_tag(CXCursor c)
{
    return is_tag(c) && clang_equalLocations(clang_getCursorLocation(c), clang_getRangeStart(clang_getCursorExtent(c)));
}

void cw_refuse_reserved_name(cw_tu *tu, CXCursor c)
{
    if (unnamed_tag(c))
        return;
    CXString s = clang_getCursorSpelling(c);
    const char *name = clang_getCString(s);
    if (strncmp(name, "ca__", 4) == 0)
        cw_error(tu, c, "'%s' is reserved for cawait's generated code (names beginning with 'ca__'); rename it", name);
    clang_disposeString(s);
}

bool cw_repeated_tag(CXCursor c, CXCursor parent)
{
    return is_tag(c) && (parent.kind == CXCursor_VarDecl || parent.kind == CXCursor_TypedefDecl ||
                         parent.kind == CXCursor_FieldDecl);
}

struct collect {
    CXCursor *v;
    unsigned n, cap;
};

static enum CXChildVisitResult collect_child(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct collect *k = d;
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 8;
        k->v = realloc(k->v, k->cap * sizeof *k->v);
        if (!k->v) {
            fputs("cawait: error: out of memory\n", stderr);
            exit(2);
        }
    }
    k->v[k->n++] = c;
    return CXChildVisit_Continue;
}

unsigned cw_children(CXCursor c, CXCursor **out)
{
    struct collect k = {NULL, 0, 0};
    clang_visitChildren(c, collect_child, &k);
    *out = k.v;
    return k.n;
}

CXCursor cw_child(CXCursor c, unsigned i)
{
    CXCursor *v;
    unsigned n = cw_children(c, &v);
    CXCursor r = i < n ? v[i] : clang_getNullCursor();
    free(v);
    return r;
}

CXCursor cw_strip(CXCursor c)
{
    while (c.kind == CXCursor_ParenExpr || c.kind == CXCursor_UnexposedExpr) {
        CXCursor *v;
        unsigned n = cw_children(c, &v);
        CXCursor next = n == 1 ? v[0] : clang_getNullCursor();
        free(v);
        if (clang_Cursor_isNull(next))
            break;
        c = next;
    }
    return c;
}

/* Looked up for every call and reference in the file: compare canonical declarations by hash first. */
cw_async_fn *cw_async_of(cw_tu *tu, CXCursor c)
{
    CXCursor d = c.kind == CXCursor_FunctionDecl ? c : clang_getCursorReferenced(c);
    if (d.kind != CXCursor_FunctionDecl)
        return NULL;
    d = clang_getCanonicalCursor(d);
    unsigned h = clang_hashCursor(d);
    for (size_t i = 0; i < tu->nfns; i++)
        if (tu->fns[i].hash == h && clang_equalCursors(tu->fns[i].canonical, d))
            return &tu->fns[i];
    return NULL;
}

CXCursor cw_function_body(CXCursor def)
{
    CXCursor *v;
    unsigned n = cw_children(def, &v);
    CXCursor b = n && v[n - 1].kind == CXCursor_CompoundStmt ? v[n - 1] : clang_getNullCursor();
    free(v);
    return b;
}

/* The record or enum t names, through pointers, arrays and functions' results; a null cursor if none. */
static CXCursor tag_of(CXType t)
{
    for (int depth = 0; depth < 64; depth++) {
        CXType c = clang_getCanonicalType(t);
        if (c.kind == CXType_Pointer)
            t = clang_getPointeeType(c);
        else if (c.kind == CXType_ConstantArray || c.kind == CXType_IncompleteArray || c.kind == CXType_VariableArray)
            t = clang_getArrayElementType(c);
        else if (c.kind == CXType_FunctionProto || c.kind == CXType_FunctionNoProto)
            t = clang_getResultType(c);
        else
            return c.kind == CXType_Record || c.kind == CXType_Enum ? clang_getTypeDeclaration(c)
                                                                    : clang_getNullCursor();
    }
    return clang_getNullCursor();
}

bool cw_declared_in_params(cw_tu *tu, const cw_async_fn *f, CXCursor decl)
{
    unsigned name_at, begin, end, at;
    CXFile file, df;
    clang_getExpansionLocation(clang_getCursorLocation(f->decl), &file, NULL, NULL, &name_at);
    if (!file || !cw_expansion_range(tu, f->decl, &begin, &end))
        return false;
    CXCursor body = cw_function_body(f->decl);
    unsigned body_begin, body_end;
    if (!clang_Cursor_isNull(body) && cw_expansion_range(tu, body, &body_begin, &body_end))
        end = body_begin;
    clang_getExpansionLocation(clang_getCursorLocation(clang_getCanonicalCursor(decl)), &df, NULL, NULL, &at);
    return df && clang_File_isEqual(df, file) && at > name_at && at < end;
}

CXCursor cw_tag_declared_in_params(cw_tu *tu, const cw_async_fn *f)
{
    for (int i = 0, n = cw_nparams(f); i < n; i++) {
        CXCursor tag = tag_of(clang_getCursorType(clang_Cursor_getArgument(f->decl, (unsigned)i)));
        if (!clang_Cursor_isNull(tag) && cw_declared_in_params(tu, f, tag))
            return tag;
    }
    return clang_getNullCursor();
}

CXCursor cw_tag_defined_by_result(cw_tu *tu, CXCursor decl, unsigned begin, unsigned end)
{
    CXCursor tag = tag_of(clang_getCursorResultType(decl));
    CXCursor def = clang_Cursor_isNull(tag) ? tag : clang_getCursorDefinition(tag);
    unsigned b, e;
    if (clang_Cursor_isNull(def) || !cw_expansion_range(tu, def, &b, &e) || b < begin || e > end)
        return clang_getNullCursor();
    return def;
}

CXCursor cw_tag_first_named_by_result(cw_tu *tu, CXCursor decl, unsigned begin, unsigned end)
{
    CXCursor tag = tag_of(clang_getCursorResultType(decl));
    CXCursor first = clang_Cursor_isNull(tag) ? tag : clang_getCanonicalCursor(tag);
    unsigned b, e;
    if (clang_Cursor_isNull(first) || !cw_expansion_range(tu, first, &b, &e) || b < begin || e > end)
        return clang_getNullCursor();
    return first;
}

int cw_nparams(const cw_async_fn *f)
{
    int n = clang_getNumArgTypes(f->type);
    return n >= 0 ? n : clang_Cursor_getNumArguments(f->decl);
}

bool cw_is_variadic(const cw_async_fn *f)
{
    if (f->type.kind == CXType_FunctionNoProto)
        return !f->defined_here;
    return clang_isFunctionTypeVariadic(f->type);
}

CXType cw_param_type(const cw_async_fn *f, unsigned i)
{
    if (f->type.kind == CXType_FunctionProto)
        return clang_getArgType(f->type, i);
    return clang_getCursorType(clang_Cursor_getArgument(f->decl, i));
}

/* The names of the main file's `#define name(` lines, read once. */
static void read_function_macros(cw_tu *tu)
{
    tu->fn_macros_known = true;
    for (const char *p = tu->text, *end = tu->text + tu->size; (p = memchr(p, '#', (size_t)(end - p))); p++) {
        const char *q = p + 1;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        if ((size_t)(end - q) < 7 || memcmp(q, "define", 6) != 0 || (q[6] != ' ' && q[6] != '\t'))
            continue;
        q += 6;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        const char *name = q;
        while (q < end && (*q == '_' || isalnum((unsigned char)*q)))
            q++;
        if (q > name && q < end && *q == '(')
            *CW_PUSH(tu->fn_macros, tu->nfn_macros) = cw_strdup_printf("%.*s", (int)(q - name), name);
    }
}

/* Does the main file hold `#define name(`? (Plain "(f)" would lose an implicit declaration of f.) */
static bool defines_function_macro(cw_tu *tu, const char *name)
{
    if (!tu->fn_macros_known)
        read_function_macros(tu);
    for (size_t i = 0; i < tu->nfn_macros; i++)
        if (strcmp(tu->fn_macros[i], name) == 0)
            return true;
    return false;
}

char *cw_call_name(cw_tu *tu, const cw_async_fn *f)
{
    return defines_function_macro(tu, f->name) ? cw_strdup_printf("(%s)", f->name) : cw_strdup(f->name);
}

/* The callee of a call written f(...), (f)(...), (&f)(...) or (*f)(...). */
cw_async_fn *cw_async_callee(cw_tu *tu, CXCursor call)
{
    if (call.kind != CXCursor_CallExpr)
        return NULL;
    CXCursor callee = cw_strip(cw_child(call, 0));
    if (callee.kind == CXCursor_UnaryOperator) {
        enum CXUnaryOperatorKind op = clang_getCursorUnaryOperatorKind(callee);
        if (op == CXUnaryOperator_AddrOf || op == CXUnaryOperator_Deref)
            callee = cw_strip(cw_child(callee, 0));
    }
    if (callee.kind != CXCursor_DeclRefExpr)
        return NULL;
    return cw_async_of(tu, callee);
}

/* Is the spelling location of c on line `line` of cawait/keywords.h? */
static bool spelled_on_keyword_line(CXCursor c, unsigned line)
{
    CXFile file;
    unsigned l;
    clang_getSpellingLocation(clang_getCursorLocation(c), &file, &l, NULL, NULL);
    if (!file || l != line)
        return false;
    CXString name = clang_getFileName(file);
    const char *s = clang_getCString(name);
    size_t n = strlen(s);
    static const char suffix[] = "cawait/keywords.h";
    bool ok = n >= sizeof suffix - 1 && strcmp(s + n - (sizeof suffix - 1), suffix) == 0;
    clang_disposeString(name);
    return ok;
}

bool cw_is_await(cw_tu *tu, CXCursor c)
{
    return c.kind == CXCursor_UnaryOperator && clang_getCursorUnaryOperatorKind(c) == CXUnaryOperator_Extension &&
           spelled_on_keyword_line(c, tu->await_line);
}

bool cw_is_ca_run(cw_tu *tu, CXCursor c)
{
    return c.kind == CXCursor_ParenExpr && spelled_on_keyword_line(c, tu->run_line);
}

bool cw_is_to_thread(cw_tu *tu, CXCursor c)
{
    return c.kind == CXCursor_ParenExpr && spelled_on_keyword_line(c, tu->to_thread_line) &&
           cw_child(c, 0).kind == CXCursor_BinaryOperator;
}

CXCursor cw_to_thread_operand(cw_tu *tu, CXCursor await)
{
    CXCursor c = cw_child(await, 0);
    while (c.kind == CXCursor_ParenExpr || c.kind == CXCursor_UnexposedExpr) {
        if (cw_is_to_thread(tu, c))
            return c;
        c = cw_child(c, 0);
    }
    return clang_getNullCursor();
}

/* ((void)(call), (struct ca_task *)0): the outer parentheses, not the inner (call).
   ca_group_spawn has the same shape: ((void)(call), ca__group_handle(group)). */
bool cw_is_ca_spawn(cw_tu *tu, CXCursor c)
{
    return c.kind == CXCursor_ParenExpr &&
           (spelled_on_keyword_line(c, tu->spawn_line) || spelled_on_keyword_line(c, tu->group_spawn_line)) &&
           cw_child(c, 0).kind == CXCursor_BinaryOperator;
}

CXCursor cw_spawn_group(cw_tu *tu, CXCursor c)
{
    if (!cw_is_ca_spawn(tu, c) || !spelled_on_keyword_line(c, tu->group_spawn_line))
        return clang_getNullCursor();
    CXCursor handle = cw_strip(cw_child(cw_child(c, 0), 1)); /* ca__group_handle(group) */
    return cw_child(handle, 1);
}

/* __typeof__((void)(__typeof__(T) *)0, (struct ca_task *)0) */
bool cw_is_task_of(cw_tu *tu, CXCursor c)
{
    return c.kind == CXCursor_ParenExpr && spelled_on_keyword_line(c, tu->task_of_line) &&
           cw_child(c, 0).kind == CXCursor_BinaryOperator;
}

/* ((void)(value)): the outer parentheses, not the inner (value). */
bool cw_is_yield(cw_tu *tu, CXCursor c)
{
    return c.kind == CXCursor_ParenExpr && spelled_on_keyword_line(c, tu->yield_line) &&
           cw_child(c, 0).kind == CXCursor_CStyleCastExpr;
}

bool cw_is_ca_for(cw_tu *tu, CXCursor c)
{
    return c.kind == CXCursor_ForStmt && spelled_on_keyword_line(c, tu->for_line);
}

/* for (decl; (void)(call), 0;) body */
CXCursor cw_ca_for_call(CXCursor for_stmt)
{
    CXCursor comma = cw_child(for_stmt, 1);
    return cw_strip(cw_child(cw_child(comma, 0), 0));
}

/* ((void)(value)) */
CXCursor cw_yield_value(CXCursor yield)
{
    CXCursor cast = cw_strip(yield);
    CXCursor *v;
    unsigned n = cw_children(cast, &v);
    CXCursor r = n ? v[n - 1] : clang_getNullCursor();
    free(v);
    return r.kind == CXCursor_ParenExpr ? cw_child(r, 0) : r;
}

bool cw_file_offset(cw_tu *tu, CXSourceLocation loc, unsigned *off)
{
    CXFile ef, sf;
    unsigned eo, so;
    clang_getExpansionLocation(loc, &ef, NULL, NULL, &eo);
    clang_getSpellingLocation(loc, &sf, NULL, NULL, &so);
    if (!ef || !sf || !clang_File_isEqual(ef, tu->main_file) || !clang_File_isEqual(sf, tu->main_file) || eo != so)
        return false;
    *off = eo;
    return true;
}

bool cw_clean_range(cw_tu *tu, CXCursor c, unsigned *begin, unsigned *end)
{
    CXSourceRange r = clang_getCursorExtent(c);
    return cw_file_offset(tu, clang_getRangeStart(r), begin) && cw_file_offset(tu, clang_getRangeEnd(r), end) &&
           *begin <= *end && *end <= tu->size;
}

bool cw_expansion_range(cw_tu *tu, CXCursor c, unsigned *begin, unsigned *end)
{
    CXSourceRange r = clang_getCursorExtent(c);
    CXFile bf, ef;
    clang_getExpansionLocation(clang_getRangeStart(r), &bf, NULL, NULL, begin);
    clang_getExpansionLocation(clang_getRangeEnd(r), &ef, NULL, NULL, end);
    return bf && ef && clang_File_isEqual(bf, tu->main_file) && clang_File_isEqual(ef, tu->main_file) &&
           *begin <= *end && *end <= tu->size;
}

unsigned cw_line_of(cw_tu *tu, CXCursor c)
{
    (void)tu;
    unsigned line = 0;
    clang_getExpansionLocation(clang_getCursorLocation(c), NULL, &line, NULL, NULL);
    return line;
}
