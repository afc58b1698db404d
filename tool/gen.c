/*
 * Generators: finding T in `async ca_gen(T) name(params)`.
 *
 * ca_gen(T) expands to `void`, so clang never sees T as a type. The tool
 * reads T from the declaration's text; for generators defined in the main
 * file it also appends `typedef __typeof__(T) ca__gen_type_<offset>;` to
 * the text clang parses (after the last line, so no line number moves), so
 * that yielded values can be checked against T.
 */
#include "tu.h"

#include "strbuf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* If text[i] starts `ca_gen (`, the offset just after the '('; else 0. */
static size_t gen_open(const char *text, size_t size, size_t i)
{
    if (i + 6 > size || strncmp(text + i, "ca_gen", 6) != 0 ||
        (i > 0 && (isalnum((unsigned char)text[i - 1]) || text[i - 1] == '_')))
        return 0;
    size_t j = i + 6;
    while (j < size && isspace((unsigned char)text[j]))
        j++;
    return j < size && text[j] == '(' ? j + 1 : 0;
}

/* T's text between the parentheses opened before `from`; NULL when unbalanced. */
static char *balanced(const char *text, size_t size, size_t from)
{
    int depth = 1;
    for (size_t j = from; j < size; j++) {
        if (text[j] == '(')
            depth++;
        else if (text[j] == ')' && --depth == 0) {
            char *t = malloc(j - from + 1);
            memcpy(t, text + from, j - from);
            t[j - from] = '\0';
            return t;
        }
    }
    return NULL;
}

char *cw_gen_type_text(cw_tu *tu, CXCursor fn, unsigned *offset)
{
    CXSourceRange r = clang_getCursorExtent(fn);
    CXFile f1, f2;
    unsigned b, e;
    clang_getExpansionLocation(clang_getRangeStart(r), &f1, NULL, NULL, &b);
    clang_getExpansionLocation(clang_getCursorLocation(fn), &f2, NULL, NULL, &e); /* the name */
    size_t size = 0;
    const char *text = f1 ? clang_getFileContents(tu->tu, f1, &size) : NULL;
    if (!text || !clang_File_isEqual(f1, f2) || e > size)
        return NULL;
    for (size_t i = b; i < e; i++) {
        size_t open = gen_open(text, size, i);
        if (open) {
            *offset = (unsigned)i;
            return balanced(text, size, open);
        }
    }
    return NULL;
}

/* Skip a comment or literal starting at text[i]; the index after it, or i. */
static size_t skip_noise(const char *text, size_t size, size_t i)
{
    if (text[i] == '/' && i + 1 < size && text[i + 1] == '/') {
        while (i < size && text[i] != '\n')
            i++;
    } else if (text[i] == '/' && i + 1 < size && text[i + 1] == '*') {
        const char *end = strstr(text + i + 2, "*/");
        i = end ? (size_t)(end - text) + 2 : size;
    } else if (text[i] == '"' || text[i] == '\'') {
        char q = text[i++];
        while (i < size && text[i] != q && text[i] != '\n')
            i += text[i] == '\\' ? 2 : 1;
        i++;
    } else if (text[i] == '#') { /* a directive line: #define ca_gen... is not a declaration */
        while (i < size && text[i] != '\n')
            i += text[i] == '\\' ? 2 : 1;
    }
    return i;
}

void cw_gen_typedefs(const char *text, size_t size, char **append)
{
    strbuf b;
    sb_init(&b);
    for (size_t i = 0; i < size;) {
        size_t next = skip_noise(text, size, i);
        if (next != i) {
            i = next;
            continue;
        }
        size_t open = text[i] == 'c' ? gen_open(text, size, i) : 0;
        char *t = open ? balanced(text, size, open) : NULL;
        if (t)
            sb_printf(&b, "\ntypedef __typeof__(%s) ca__gen_type_%zu;", t, i);
        free(t);
        i++;
    }
    if (b.len)
        sb_puts(&b, "\n");
    *append = b.len ? sb_take(&b) : NULL;
    sb_free(&b);
}
