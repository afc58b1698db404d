/*
 * cawait-wrap: reads the header of a callback-style C API and writes
 * awaitable wrappers for its functions (docs/converting.md, section 5).
 *
 *     cawait-wrap HEADER -o OUT.c [--header OUT.h] [--include SPELLING]
 *                 [--prefix P]... [--only NAME,...] [-- CLANG_FLAGS...]
 *
 * OUT.c holds async functions: transform it with cawait like any other
 * source. A separate program rather than a cawait subcommand: it shares
 * nothing with the transformer's passes, and its options are its own.
 */
#include "wrap.h"

#include "../outfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *header, *out_c, *out_h, *include;
    const char **prefixes;
    unsigned nprefixes;
    char **only;
    unsigned nonly;
    int clang_argc;
    const char *const *clang_argv;
} options;

static void usage(FILE *to)
{
    fputs("usage: cawait-wrap HEADER -o OUT.c [options] [-- CLANG_FLAGS...]\n"
          "\n"
          "Writes an awaitable wrapper NAME_async for each callback-style function of HEADER\n"
          "(a completion callback, and a void * or a handle with a data field for user data).\n"
          "\n"
          "options:\n"
          "  -o FILE            the wrappers' definitions (async C: transform it with cawait)\n"
          "  --header FILE      their declarations (default: FILE of -o with .h for .c)\n"
          "  --include SPELLING how both include HEADER (default: \"HEADER's file name\")\n"
          "  --prefix P         wrap the functions whose names begin with P (repeatable;\n"
          "                     default: every callback-style function declared in HEADER itself)\n"
          "  --only A,B,...     wrap exactly these functions: an error if one cannot be wrapped\n"
          "  --help             show this help\n",
          to);
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int parse_args(int argc, char **argv, options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_val = i + 1 < argc;
        if (strcmp(a, "--") == 0) {
            o->clang_argc = argc - i - 1;
            o->clang_argv = (const char *const *)argv + i + 1;
            break;
        } else if (strcmp(a, "--help") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(a, "-o") == 0 && has_val) {
            o->out_c = argv[++i];
        } else if (strcmp(a, "--header") == 0 && has_val) {
            o->out_h = argv[++i];
        } else if (strcmp(a, "--include") == 0 && has_val) {
            o->include = argv[++i];
        } else if (strcmp(a, "--prefix") == 0 && has_val) {
            o->prefixes = realloc(o->prefixes, (o->nprefixes + 1) * sizeof *o->prefixes);
            o->prefixes[o->nprefixes++] = argv[++i];
        } else if (strcmp(a, "--only") == 0 && has_val) {
            for (char *t = strtok(argv[++i], ","); t; t = strtok(NULL, ",")) {
                o->only = realloc(o->only, (o->nonly + 1) * sizeof *o->only);
                o->only[o->nonly++] = t;
            }
        } else if (a[0] != '-' && !o->header) {
            o->header = a;
        } else {
            fprintf(stderr, "cawait-wrap: error: unexpected argument '%s'\n", a);
            return -1;
        }
    }
    if (!o->header || !o->out_c) {
        usage(stderr);
        return -1;
    }
    return 0;
}

static void print_location(CXCursor c)
{
    CXFile file;
    unsigned line, col;
    clang_getSpellingLocation(clang_getCursorLocation(c), &file, &line, &col, NULL);
    CXString name = clang_getFileName(file);
    fprintf(stderr, "%s:%u:%u: ", clang_getCString(name), line, col);
    clang_disposeString(name);
}

typedef struct {
    const options *o;
    CXFile main_file;
    cw_wrap_fn *fns;
    unsigned n;
    char **seen; /* names already considered (redeclarations) */
    unsigned nseen;
    bool *found; /* per --only name */
    int errors;
} scan;

static bool seen_before(scan *s, const char *name)
{
    for (unsigned i = 0; i < s->nseen; i++)
        if (strcmp(s->seen[i], name) == 0)
            return true;
    s->seen = realloc(s->seen, (s->nseen + 1) * sizeof *s->seen);
    s->seen[s->nseen++] = cw_strdup(name);
    return false;
}

/* Which --only entry names it (-1: none); whether a --prefix or the default selects it. */
static int only_index(const scan *s, const char *name)
{
    for (unsigned i = 0; i < s->o->nonly; i++)
        if (strcmp(s->o->only[i], name) == 0)
            return (int)i;
    return -1;
}

static bool selected(const scan *s, CXCursor c, const char *name)
{
    if (s->o->nonly)
        return false;
    for (unsigned i = 0; i < s->o->nprefixes; i++)
        if (strncmp(name, s->o->prefixes[i], strlen(s->o->prefixes[i])) == 0)
            return true;
    if (s->o->nprefixes)
        return false;
    CXFile f;
    clang_getSpellingLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
    return f && clang_File_isEqual(f, s->main_file);
}

static enum CXChildVisitResult visit(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    scan *s = d;
    if (c.kind != CXCursor_FunctionDecl)
        return CXChildVisit_Continue;
    CXString cs = clang_getCursorSpelling(c);
    char *name = cw_strdup(clang_getCString(cs));
    clang_disposeString(cs);
    int only = only_index(s, name);
    if ((only < 0 && !selected(s, c, name)) || seen_before(s, name)) {
        free(name);
        return CXChildVisit_Continue;
    }
    cw_wrap_fn f;
    const char *why = cw_wrap_analyse(c, &f);
    if (!why) {
        s->fns = realloc(s->fns, (s->n + 1) * sizeof *s->fns);
        s->fns[s->n++] = f;
    } else if (only >= 0) {
        print_location(c);
        fprintf(stderr, "error: cannot wrap '%s': %s\n", name, why);
        s->errors++;
    }
    if (only >= 0)
        s->found[only] = true;
    free(name);
    return CXChildVisit_Continue;
}

static int write_out(const char *path, strbuf *b)
{
    if (cw_write_file(path, sb_str(b), b->len) == 0)
        return 0;
    fprintf(stderr, "cawait-wrap: error: cannot write '%s': %s\n", path, strerror(errno));
    return -1;
}

int main(int argc, char **argv)
{
    options o = {0};
    if (parse_args(argc, argv, &o) != 0)
        return 1;
    char *out_h = (char *)o.out_h;
    if (!out_h) {
        size_t len = strlen(o.out_c);
        out_h = len > 2 && strcmp(o.out_c + len - 2, ".c") == 0
                    ? cw_strdup_printf("%.*s.h", (int)(len - 2), o.out_c)
                    : cw_strdup_printf("%s.h", o.out_c);
    }
    char *include = o.include ? cw_strdup(o.include) : cw_strdup_printf("\"%s\"", base_name(o.header));

    const char **args = calloc((size_t)o.clang_argc + 2, sizeof *args);
    args[0] = "-xc";
    for (int i = 0; i < o.clang_argc; i++)
        args[i + 1] = o.clang_argv[i];
    CXIndex idx = clang_createIndex(0, 0);
    CXTranslationUnit tu;
    enum CXErrorCode ec = clang_parseTranslationUnit2(idx, o.header, args, o.clang_argc + 1, NULL, 0,
                                                      CXTranslationUnit_SkipFunctionBodies, &tu);
    if (ec != CXError_Success) {
        fprintf(stderr, "cawait-wrap: error: cannot parse '%s'\n", o.header);
        return 1;
    }
    int errors = 0;
    for (unsigned i = 0, n = clang_getNumDiagnostics(tu); i < n; i++) {
        CXDiagnostic dg = clang_getDiagnostic(tu, i);
        if (clang_getDiagnosticSeverity(dg) >= CXDiagnostic_Error) {
            CXString t = clang_formatDiagnostic(dg, clang_defaultDiagnosticDisplayOptions());
            fprintf(stderr, "%s\n", clang_getCString(t));
            clang_disposeString(t);
            errors++;
        }
        clang_disposeDiagnostic(dg);
    }
    if (errors)
        return 1;

    scan s = {.o = &o, .main_file = clang_getFile(tu, o.header), .found = calloc(o.nonly + 1, 1)};
    clang_visitChildren(clang_getTranslationUnitCursor(tu), visit, &s);
    for (unsigned i = 0; i < o.nonly; i++) {
        if (!s.found[i]) {
            fprintf(stderr, "%s: error: no function '%s' is declared\n", o.header, o.only[i]);
            s.errors++;
        }
    }
    if (!s.errors && s.n == 0) {
        fprintf(stderr, "%s: error: no callback-style function to wrap\n", o.header);
        s.errors++;
    }
    if (s.errors)
        return 1;

    strbuf guard, h, c;
    sb_init(&guard);
    sb_puts(&guard, "CAWAIT_WRAP_");
    for (const char *p = base_name(out_h); *p; p++)
        sb_printf(&guard, "%c", (*p >= 'a' && *p <= 'z') ? *p - 'a' + 'A'
                                : ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) ? *p : '_');
    sb_init(&h);
    sb_init(&c);
    cw_wrap_emit_header(&h, s.fns, s.n, include, sb_str(&guard));
    cw_wrap_emit_source(&c, s.fns, s.n, base_name(out_h));
    /* The header first: a build that sees the new OUT.c finds the matching OUT.h. */
    if (write_out(out_h, &h) != 0 || write_out(o.out_c, &c) != 0)
        return 1;
    clang_disposeTranslationUnit(tu);
    clang_disposeIndex(idx);
    return 0;
}
