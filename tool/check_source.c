/*
 * Part of pass "check": the source's preprocessing shape. A header included
 * inside the body of an async function that becomes a state machine would be
 * lowered declaration by declaration (stdio.h: a hundred errors located in
 * system headers); one error at the #include says what to do instead.
 * A keyword redefined by a macro (`#define int unsigned`, from gcc's
 * c-torture/compile bitf.c) would change the code cawait generates, which
 * spells types and statements with C's keywords: refused at the #define.
 */
#include "check.h"
#include "directives.h"

#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

struct includes {
    cw_tu *tu;
};

/* The state machine whose body holds main-file offset off, or NULL. */
static cw_async_fn *enclosing_state_machine(cw_tu *tu, unsigned off)
{
    for (size_t i = 0; i < tu->nfns; i++) {
        cw_async_fn *f = &tu->fns[i];
        unsigned b, e;
        if (f->defined_here && f->can_suspend && cw_expansion_range(tu, f->decl, &b, &e) && b <= off && off < e)
            return f;
    }
    return NULL;
}

static void visit(CXFile file, CXSourceLocation *stack, unsigned depth, CXClientData d)
{
    (void)file;
    cw_tu *tu = ((struct includes *)d)->tu;
    if (depth != 1)
        return; /* only #include lines written in the main file */
    CXFile in;
    unsigned off;
    clang_getExpansionLocation(stack[0], &in, NULL, NULL, &off);
    if (!in || !clang_File_isEqual(in, tu->main_file))
        return;
    cw_async_fn *f = enclosing_state_machine(tu, off);
    if (f)
        cw_error_at(tu, stack[0],
                    "#include inside the body of async function '%s': cawait cannot lower a header's "
                    "declarations into a state machine; include it at file scope",
                    f->name);
}

void cw_check_source(cw_tu *tu)
{
    struct includes k = {tu};
    clang_getInclusions(tu->tu, visit, &k);
}

/* The keywords generated code spells, where a macro would change what it says. (const, volatile, restrict,
   inline, register and __attribute__ are left out: old or portable code defines them away, and the code cawait
   writes only repeats what they say, or says nothing the output needs.) */
static const char *const spelled_keywords[] = {
    "void",     "char",   "short",    "int",    "long",  "float",    "double",     "signed",
    "unsigned", "_Bool",  "_Complex", "struct", "union", "enum",     "static",     "extern",
    "typedef",  "return", "if",       "else",   "goto",  "switch",   "case",       "default",
    "sizeof",   "do",     "while",    "for",    "break", "continue", "__typeof__", "__alignof__",
};

static bool is_spelled_keyword(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof spelled_keywords / sizeof *spelled_keywords; i++)
        if (strlen(spelled_keywords[i]) == n && memcmp(spelled_keywords[i], s, n) == 0)
            return true;
    return false;
}

static const char *skip_blanks(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

static const char *ident_end(const char *p, const char *end)
{
    while (p < end && cw_ident_char(*p))
        p++;
    return p;
}

/* `#define static` (to test a file's static functions) takes nothing the generated code needs away. */
static bool harmless_definition(const char *name, size_t n, const char *value, size_t nvalue)
{
    bool storage = (n == 6 && memcmp(name, "static", 6) == 0) || (n == 6 && memcmp(name, "extern", 6) == 0);
    return (nvalue == n && memcmp(value, name, n) == 0) || (storage && nvalue == 0);
}

/* The offset of the name of each `#define KEYWORD ...` line of the main file, active or not. */
static size_t keyword_defines(cw_tu *tu, unsigned **at)
{
    const char *text = tu->text, *end = text + tu->size;
    size_t n = 0;
    *at = NULL;
    for (const char *line = text; line < end;) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        eol = eol ? eol : end;
        const char *p = skip_blanks(line, eol);
        bool directive = p < eol && *p == '#';
        p = directive ? skip_blanks(p + 1, eol) : p;
        if (directive && eol - p > 6 && memcmp(p, "define", 6) == 0 && (p[6] == ' ' || p[6] == '\t')) {
            const char *name = skip_blanks(p + 6, eol), *q = ident_end(name, eol);
            const char *value = skip_blanks(q, eol), *value_end = eol;
            while (value_end > value && (value_end[-1] == ' ' || value_end[-1] == '\t' || value_end[-1] == '\r'))
                value_end--;
            size_t len = (size_t)(q - name);
            if (len && is_spelled_keyword(name, len) &&
                !harmless_definition(name, len, value, (size_t)(value_end - value)))
                *CW_PUSH(*at, n) = (unsigned)(name - text);
        }
        line = eol + 1;
    }
    return n;
}

void cw_refuse_keyword_macros(cw_tu *tu)
{
    unsigned *at;
    size_t n = keyword_defines(tu, &at);
    for (size_t i = 0; i < n; i++) {
        if (cw_skipped(tu, at[i])) /* #ifndef __GNUC__ */
            continue;
        const char *name = tu->text + at[i], *q = ident_end(name, tu->text + tu->size);
        cw_error_at(tu, clang_getLocationForOffset(tu->tu, tu->main_file, at[i]),
                    "'%.*s' is defined as a macro: the code cawait generates spells the keyword '%.*s' and would "
                    "mean something else; cawait cannot transform a file that redefines it",
                    (int)(q - name), name, (int)(q - name), name);
    }
    free(at);
}
