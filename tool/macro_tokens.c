/*
 * Tokens a macro made of its arguments' text: `#e` makes a string literal
 * and `a##b` a new token, both spelled in clang's scratch buffer, not in any
 * file. When cawait renames something written in a macro's argument (a frame
 * variable to `ca__l_x`, an async function used as a value to its entry), the
 * edit of the argument's text changes those tokens too:
 *
 *     #define CMD(n) { #n, n }
 *     CMD(get)    ->  { "(*(int (*)(int))(void (*)(void))get__ca_start)", ... }
 *
 * so such an argument is never edited in place (macro_tokens.h). Tokens in
 * expressions are found in the AST; an attribute's arguments have no cursors,
 * so its text in the macro's body is read for `#param` instead
 * (`alias(#func)`, from gcc's c-torture/compile 981001-2.c).
 */
#include "macro_tokens.h"

#include "attrs.h"
#include "lower.h"

#include <stdlib.h>
#include <string.h>

static bool in_scratch(CXCursor c)
{
    CXFile f;
    clang_getSpellingLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
    return !f;
}

/* Is name in text, as a whole word (`word`) or anywhere (a pasted token holds it as a part)? */
static bool mentions(const char *text, const char *name, bool word)
{
    size_t n = strlen(name);
    for (const char *p = text; n && (p = strstr(p, name)); p++)
        if (!word || ((p == text || !cw_ident_char(p[-1])) && !cw_ident_char(p[n])))
            return true;
    return false;
}

struct reading {
    cw_tu *tu;
    cw_macro_tokens *t;
};

static const char *ident_end(const char *p)
{
    while (cw_ident_char(*p))
        p++;
    return p;
}

/* `#param` and `param ## x` in the text of attribute a, written in a macro's body: what they make of the
   invocation's arguments. */
static void collect_attribute(struct reading *r, CXCursor a)
{
    CXSourceLocation loc = clang_getCursorLocation(a);
    CXFile f;
    unsigned at, spelled;
    clang_getExpansionLocation(loc, &f, NULL, NULL, &at);
    clang_getSpellingLocation(loc, NULL, NULL, NULL, &spelled);
    char *name, *full;
    if (!f || at == spelled || !cw_attr_text(r->tu, a, &name, &full))
        return;
    for (const char *p = full; *p; p++) {
        bool pasted = p[0] == '#' && p[1] == '#';
        if (*p != '#' || (p > full && p[-1] == '#'))
            continue;
        const char *id = p + 1 + pasted;
        while (*id == ' ' || *id == '\t')
            id++;
        char *param = strndup(id, (size_t)(ident_end(id) - id));
        char *arg = *param ? cw_macro_argument(r->tu, loc, param) : NULL;
        if (arg) { /* a pasted name holds the argument; a string, its words */
            char *made = pasted ? cw_strdup(arg) : cw_strdup_printf("\"%s\"", arg);
            *CW_PUSH(r->t->v, r->t->n) = (struct cw_macro_token){at, made, !pasted};
        }
        free(param), free(arg);
    }
    free(name), free(full);
}

static enum CXChildVisitResult collect(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct reading *r = d;
    cw_macro_tokens *t = r->t;
    if (clang_isAttribute(c.kind)) {
        collect_attribute(r, c);
    } else if ((clang_isExpression(c.kind) || clang_isReference(c.kind)) && in_scratch(c)) {
        CXFile f;
        unsigned at;
        clang_getExpansionLocation(clang_getCursorLocation(c), &f, NULL, NULL, &at);
        CXString s = clang_getCursorSpelling(c);
        const char *text = clang_getCString(s);
        if (f && text && *text) {
            bool literal = c.kind == CXCursor_StringLiteral || c.kind == CXCursor_CharacterLiteral;
            *CW_PUSH(t->v, t->n) = (struct cw_macro_token){at, cw_strdup(text), literal};
        }
        clang_disposeString(s);
    }
    return CXChildVisit_Recurse;
}

void cw_macro_tokens_read(cw_tu *tu, cw_macro_tokens *t, const CXCursor *roots, size_t n)
{
    if (t->known)
        return;
    t->known = true;
    struct reading r = {tu, t};
    for (size_t i = 0; i < n; i++) {
        collect(roots[i], roots[i], &r);
        clang_visitChildren(roots[i], collect, &r);
    }
}

bool cw_macro_tokens_mention(const cw_macro_tokens *t, unsigned at, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].at == at && mentions(t->v[i].text, name, t->v[i].literal))
            return true;
    return false;
}

void cw_macro_tokens_free(cw_macro_tokens *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].text);
    free(t->v);
    memset(t, 0, sizeof *t);
}
