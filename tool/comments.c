/* Comments between statements: see comments.h. */
#include "comments.h"

/* Skip a string or character literal starting at text[i] (the quote); the index after it. */
static size_t skip_literal(const char *text, size_t i, size_t to)
{
    char q = text[i++];
    while (i < to && text[i] != q && text[i] != '\n')
        i += text[i] == '\\' ? 2 : 1;
    return i + 1;
}

/* Skip a preprocessor directive line starting at text[i] ('#'), continuations included. */
static size_t skip_directive(const char *text, size_t i, size_t to)
{
    while (i < to && text[i] != '\n')
        i += text[i] == '\\' ? 2 : 1;
    return i;
}

/* The comment's body as one line; a `//` comment's text made safe inside a block comment. */
static void put_body(strbuf *out, const char *s, size_t n, int line_comment)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\n' || c == '\r')
            c = ' ';
        sb_putn(out, &c, 1);
        /* Inside a block comment, a line comment's star-slash would end it and its slash-star warns. */
        if (line_comment && (c == '*' || c == '/') && i + 1 < n && s[i + 1] == (c == '*' ? '/' : '*'))
            sb_puts(out, " ");
    }
}

void cw_gap_comments(strbuf *out, const char *text, size_t from, size_t to)
{
    int line_start = 0; /* at the start of a line (only blanks since the newline) */
    for (size_t i = from; i < to;) {
        char c = text[i];
        if (c == '\n') {
            line_start = 1, i++;
        } else if (c == ' ' || c == '\t') {
            i++;
        } else if (c == '#' && line_start) {
            i = skip_directive(text, i, to);
        } else if (c == '"' || c == '\'') {
            i = skip_literal(text, i, to), line_start = 0;
        } else if (c == '/' && i + 1 < to && text[i + 1] == '*') {
            size_t j = i + 2;
            while (j + 1 < to && !(text[j] == '*' && text[j + 1] == '/'))
                j++;
            if (j + 1 >= to)
                return; /* not closed in the gap: not ours to copy */
            sb_puts(out, "/*");
            put_body(out, text + i + 2, j - i - 2, 0);
            sb_puts(out, "*/ ");
            i = j + 2, line_start = 0;
        } else if (c == '/' && i + 1 < to && text[i + 1] == '/') {
            size_t j = i + 2;
            while (j < to && text[j] != '\n' && !(text[j] == '\\' && j + 1 < to && text[j + 1] == '\n'))
                j++;
            if (j < to && text[j] == '\\')
                return; /* a continued line comment: rare, left out */
            sb_puts(out, "/*");
            put_body(out, text + i + 2, j - i - 2, 1);
            sb_puts(out, " */ ");
            i = j;
        } else {
            i++, line_start = 0;
        }
    }
}
