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
 * so such an argument is never edited in place (macro_tokens.h).
 */
#include "macro_tokens.h"

#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

static bool in_scratch(CXCursor c)
{
    CXFile f;
    clang_getSpellingLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
    return !f;
}

static bool ident_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Is name in text, as a whole word (`word`) or anywhere (a pasted token holds it as a part)? */
static bool mentions(const char *text, const char *name, bool word)
{
    size_t n = strlen(name);
    for (const char *p = text; n && (p = strstr(p, name)); p++)
        if (!word || ((p == text || !ident_char(p[-1])) && !ident_char(p[n])))
            return true;
    return false;
}

static enum CXChildVisitResult collect(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    cw_macro_tokens *t = d;
    if ((clang_isExpression(c.kind) || clang_isReference(c.kind)) && in_scratch(c)) {
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

void cw_macro_tokens_read(cw_macro_tokens *t, const CXCursor *roots, size_t n)
{
    if (t->known)
        return;
    t->known = true;
    for (size_t i = 0; i < n; i++) {
        collect(roots[i], roots[i], t);
        clang_visitChildren(roots[i], collect, t);
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
