/* Preprocessor directives in replaced text: see directives.h. */
#include "directives.h"

#include <stdlib.h>
#include <string.h>

/* The end of a block comment starting at text[i] (a slash and a star), or of a string or character literal (its quote). */
static unsigned skip_comment_or_literal(const char *text, unsigned i, unsigned to)
{
    if (text[i] == '/') {
        for (i += 2; i + 1 < to && !(text[i] == '*' && text[i + 1] == '/'); i++)
            ;
        return i + 2 < to ? i + 2 : to;
    }
    char q = text[i++];
    while (i < to && text[i] != q && text[i] != '\n')
        i += text[i] == '\\' ? 2 : 1;
    return i + 1 < to ? i + 1 : to;
}

/* The end of the directive line starting at text[i]: its newline, past continuations and comments. */
static unsigned directive_end(const char *text, unsigned i, unsigned to)
{
    while (i < to && text[i] != '\n') {
        if (text[i] == '\\' && i + 1 < to)
            i += 2;
        else if ((text[i] == '/' && i + 1 < to && text[i + 1] == '*') || text[i] == '"' || text[i] == '\'')
            i = skip_comment_or_literal(text, i, to);
        else if (text[i] == '/' && i + 1 < to && text[i + 1] == '/')
            while (i < to && text[i] != '\n')
                i++;
        else
            i++;
    }
    return i;
}

size_t cw_directive_lines(const char *text, unsigned from, unsigned to, cw_directive **out)
{
    size_t n = 0;
    *out = NULL;
    bool line_start = from == 0 || text[from - 1] == '\n';
    for (unsigned i = from; i < to;) {
        char c = text[i];
        if (c == '\n') {
            line_start = true, i++;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            i++;
        } else if (c == '#' && line_start) {
            unsigned e = directive_end(text, i, to);
            *CW_PUSH(*out, n) = (cw_directive){i, e};
            i = e;
        } else if ((c == '/' && i + 1 < to && text[i + 1] == '*') || c == '"' || c == '\'') {
            i = skip_comment_or_literal(text, i, to); /* a comment before a '#' leaves it at the line's start */
            line_start = line_start && c == '/';
        } else if (c == '/' && i + 1 < to && text[i + 1] == '/') {
            while (i < to && text[i] != '\n')
                i++;
        } else {
            line_start = false, i++;
        }
    }
    return n;
}

/* The directive's name ("define", "endif"...) after its '#': does it equal word? */
static bool is_directive(const char *text, const cw_directive *d, const char *word)
{
    unsigned i = d->begin + 1;
    while (i < d->end && (text[i] == ' ' || text[i] == '\t'))
        i++;
    size_t n = strlen(word);
    return d->end - i >= n && memcmp(text + i, word, n) == 0 && (d->end - i == n || !cw_ident_char(text[i + n]));
}

static void read_skipped_ranges(cw_tu *tu)
{
    tu->skips_known = true;
    /* Only a parse that keeps a detailed preprocessing record knows; rare enough (a directive where code is
       replaced) to parse again, without function bodies. */
    CXTranslationUnit detailed = NULL;
    struct CXUnsavedFile unsaved = tu->unsaved;
    clang_parseTranslationUnit2(tu->index, tu->parse_name, tu->clang_args, tu->nclang, &unsaved, 1,
                                CXTranslationUnit_KeepGoing | CXTranslationUnit_DetailedPreprocessingRecord |
                                    CXTranslationUnit_SkipFunctionBodies,
                                &detailed);
    CXFile file = detailed ? clang_getFile(detailed, tu->parse_name) : NULL;
    CXSourceRangeList *skips = file ? clang_getSkippedRanges(detailed, file) : NULL;
    for (unsigned i = 0; skips && i < skips->count; i++) {
        unsigned b, e;
        clang_getFileLocation(clang_getRangeStart(skips->ranges[i]), NULL, NULL, NULL, &b);
        clang_getFileLocation(clang_getRangeEnd(skips->ranges[i]), NULL, NULL, NULL, &e);
        *CW_PUSH(tu->skips, tu->nskips) = b;
        *CW_PUSH(tu->skips, tu->nskips) = e;
    }
    if (skips)
        clang_disposeSourceRangeList(skips);
    if (detailed)
        clang_disposeTranslationUnit(detailed);
}

bool cw_skipped(cw_tu *tu, unsigned off)
{
    if (!tu->skips_known)
        read_skipped_ranges(tu);
    for (size_t i = 0; i + 1 < tu->nskips; i += 2)
        if (tu->skips[i] <= off && off < tu->skips[i + 1])
            return true;
    return false;
}

static void put_line(strbuf *out, const char *text, const cw_directive *d)
{
    sb_puts(out, "\n");
    sb_putn(out, text + d->begin, d->end - d->begin);
    sb_puts(out, "\n");
}

size_t cw_gap_defines(cw_tu *tu, strbuf *out, unsigned from, unsigned to)
{
    cw_directive *d;
    size_t n = cw_directive_lines(tu->text, from, to, &d), kept = 0;
    for (size_t i = 0; i < n; i++)
        if ((is_directive(tu->text, &d[i], "define") || is_directive(tu->text, &d[i], "undef")) &&
            !cw_skipped(tu, d[i].begin)) {
            if (out)
                put_line(out, tu->text, &d[i]);
            kept++;
        }
    free(d);
    return kept;
}

static bool opens(const char *t, const cw_directive *d)
{
    return is_directive(t, d, "if") || is_directive(t, d, "ifdef") || is_directive(t, d, "ifndef");
}

static bool continues_or_closes(const char *t, const cw_directive *d)
{
    return is_directive(t, d, "endif") || is_directive(t, d, "else") || is_directive(t, d, "elif") ||
           is_directive(t, d, "elifdef") || is_directive(t, d, "elifndef");
}

void cw_unmatched_conditionals(cw_tu *tu, unsigned begin, unsigned end, strbuf *before, strbuf *after)
{
    const char *t = tu->text;
    cw_directive *d;
    size_t n = cw_directive_lines(t, begin, end, &d), depth = 0;
    size_t *open = calloc(n + 1, sizeof *open);   /* the groups open now, by their opening lines */
    size_t *owner = calloc(n + 1, sizeof *owner); /* a continuation's group (its opening line), plus one */
    for (size_t i = 0; i < n; i++) {
        if (opens(t, &d[i])) {
            open[depth++] = i;
        } else if (continues_or_closes(t, &d[i])) {
            if (!depth)
                put_line(before, t, &d[i]); /* its group began before the text */
            else if (is_directive(t, &d[i], "endif"))
                depth--;
            else
                owner[i] = open[depth - 1] + 1;
        }
    }
    /* The groups still open end after the text: their lines in the text go after it, in order. */
    bool *stays = calloc(n + 1, sizeof *stays);
    for (size_t k = 0; k < depth; k++)
        stays[open[k]] = true;
    for (size_t i = 0; i < n; i++)
        if (stays[i] || (owner[i] && stays[owner[i] - 1]))
            put_line(after, t, &d[i]);
    free(open), free(owner), free(stays), free(d);
}
