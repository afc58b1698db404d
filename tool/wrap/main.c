/*
 * cawait-wrap: reads the header of a callback-style C API and writes
 * awaitable wrappers for its functions (docs/converting.md, section 5).
 *
 *     cawait-wrap HEADER -o OUT.c [--header OUT.h] [--include SPELLING]
 *                 [--prefix P]... [--only NAME,...] [--once NAME,...]
 *                 [--stream NAME[:STOP],...] [--capacity N] [@FILE] [-- CLANG_FLAGS...]
 *
 * A callback that fires once becomes `await NAME_async(...)`; one that fires
 * many times (NAME_start with a NAME_stop, or --stream) becomes a stream of
 * events (emit_stream.c).
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

/* A function named by --only (kind inferred), --once or --stream. */
typedef enum { REQ_ANY, REQ_ONCE, REQ_STREAM } req_kind;
typedef struct {
    char *name;
    const char *stop; /* --stream NAME:STOP */
    req_kind kind;
} request;

typedef struct {
    const char *header, *out_c, *out_h, *include;
    const char **prefixes;
    unsigned nprefixes;
    request *only;
    unsigned nonly;
    unsigned capacity;
    int clang_argc;
    const char *const *clang_argv;
} options;

#define DEFAULT_CAPACITY 64

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
          "  --once A,B,...     wrap these too, and their callbacks fire once: NAME_async\n"
          "  --stream A[:S],... wrap these too, and their callbacks fire many times until the\n"
          "                     function S (default: A less _start or _init, plus _stop) is\n"
          "                     called: a stream of events (without these, a NAME_start with a\n"
          "                     NAME_stop is a stream). S may end the calls asynchronously (a\n"
          "                     callback of its own, as uv_close) and take A's result\n"
          "  --capacity N       the events a stream holds before it pauses or ends (default 64)\n"
          "  @FILE              FILE's words as arguments (# comments out the rest of a line)\n"
          "  --help             show this help\n",
          to);
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/*
 * The arguments with each @FILE before a -- replaced by FILE's words
 * (separated by white space; a # comments out the rest of its line), so
 * that a project keeps what it knows of an API (which functions fire many
 * times, and what ends them) in one file. NULL when a file cannot be read.
 */
static char **expand_at_files(int *argc, char **argv)
{
    char **out = NULL;
    unsigned n = 0;
    bool clang = false;
    for (int i = 0; i < *argc; i++) {
        const char *a = argv[i];
        clang |= strcmp(a, "--") == 0;
        if (i == 0 || clang || a[0] != '@' || !a[1]) {
            *CW_PUSH(out, n) = argv[i];
            continue;
        }
        FILE *f = fopen(a + 1, "r");
        if (!f) {
            fprintf(stderr, "cawait-wrap: error: cannot read '%s': %s\n", a + 1, strerror(errno));
            return NULL;
        }
        char *line = NULL;
        size_t cap = 0;
        while (getline(&line, &cap, f) >= 0) {
            line[strcspn(line, "#")] = 0;
            for (char *t = strtok(line, " \t\r\n"); t; t = strtok(NULL, " \t\r\n"))
                *CW_PUSH(out, n) = cw_strdup(t);
        }
        free(line);
        fclose(f);
    }
    *argc = (int)n;
    *CW_PUSH(out, n) = NULL;
    return out;
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
            *CW_PUSH(o->prefixes, o->nprefixes) = argv[++i];
        } else if ((strcmp(a, "--only") == 0 || strcmp(a, "--once") == 0 || strcmp(a, "--stream") == 0) && has_val) {
            req_kind k = strcmp(a, "--only") == 0 ? REQ_ANY : strcmp(a, "--once") == 0 ? REQ_ONCE : REQ_STREAM;
            for (char *t = strtok(argv[++i], ","); t; t = strtok(NULL, ",")) {
                char *colon = k == REQ_STREAM ? strchr(t, ':') : NULL;
                if (colon)
                    *colon = 0;
                *CW_PUSH(o->only, o->nonly) = (request){t, colon ? colon + 1 : NULL, k};
            }
        } else if (strcmp(a, "--capacity") == 0 && has_val) {
            char *end;
            unsigned long n = strtoul(argv[++i], &end, 10);
            if (*end || n == 0 || n > 1u << 20) {
                fprintf(stderr, "cawait-wrap: error: --capacity wants a number from 1 to %u\n", 1u << 20);
                return -1;
            }
            o->capacity = (unsigned)n;
        } else if (a[0] != '-' && !o->header) {
            o->header = a;
        } else {
            fprintf(stderr, "cawait-wrap: error: unexpected argument '%s'\n", a);
            return -1;
        }
    }
    for (unsigned i = 0; i < o->nonly; i++) {
        for (unsigned j = 0; j < i; j++) {
            if (o->only[i].kind != REQ_ANY && o->only[j].kind != REQ_ANY &&
                strcmp(o->only[i].name, o->only[j].name) == 0) {
                fprintf(stderr, "cawait-wrap: error: '%s' is named twice by --once or --stream\n", o->only[i].name);
                return -1;
            }
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

/* Every function the translation unit declares, once each. */
typedef struct {
    char **names;
    CXCursor *cursors;
    unsigned n;
} decls;

static enum CXChildVisitResult collect(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    decls *ds = d;
    if (c.kind != CXCursor_FunctionDecl)
        return CXChildVisit_Continue;
    CXString cs = clang_getCursorSpelling(c);
    const char *name = clang_getCString(cs);
    bool seen = false;
    for (unsigned i = 0; i < ds->n && !seen; i++)
        seen = strcmp(ds->names[i], name) == 0;
    if (!seen) {
        unsigned n = ds->n;
        *CW_PUSH(ds->names, n) = cw_strdup(name);
        *CW_PUSH(ds->cursors, ds->n) = c;
    }
    clang_disposeString(cs);
    return CXChildVisit_Continue;
}

static int find_decl(const decls *ds, const char *name)
{
    for (unsigned i = 0; i < ds->n; i++)
        if (strcmp(ds->names[i], name) == 0)
            return (int)i;
    return -1;
}

typedef struct {
    const options *o;
    const decls *ds;
    CXFile main_file;
    cw_wrap_fn *fns;
    unsigned n;
    bool *found; /* per --only name */
    int errors;
} scan;

/*
 * Which --only, --once or --stream entry names it, the most telling
 * (-1: none), marking each that does as found.
 */
static int request_of(const scan *s, const char *name)
{
    int at = -1;
    for (unsigned i = 0; i < s->o->nonly; i++) {
        if (strcmp(s->o->only[i].name, name) != 0)
            continue;
        s->found[i] = true; /* each entry that names it: --only A --stream A:S */
        if (at < 0 || s->o->only[i].kind != REQ_ANY)
            at = (int)i;
    }
    return at;
}

/* Whether a --prefix or the default selects it (not when --only names functions). */
static bool selected(const scan *s, CXCursor c, const char *name)
{
    for (unsigned i = 0; i < s->o->nonly; i++)
        if (s->o->only[i].kind == REQ_ANY)
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

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

/*
 * Once or many times: what --once or --stream says, else the name. libuv's
 * convention, which other C APIs share, pairs each function whose callback
 * fires until stopped with a stop function: uv_read_start and uv_read_stop,
 * uv_timer_start and uv_timer_stop. So NAME_start with a NAME_stop is a
 * stream, NAME_start without one cannot be told (a diagnostic), anything
 * else fires once. Why not (a static string), or NULL.
 */
static const char *decide_kind(const scan *s, const request *req, cw_wrap_fn *f, bool *unknown)
{
    *unknown = false;
    bool starts = ends_with(f->name, "_start");
    /* The names' stem: uv_read for uv_read_start, uv_async for uv_async_init. */
    size_t cut = starts ? 6 : ends_with(f->name, "_init") ? 5 : 0;
    char *stem = cw_strdup_printf("%.*s", (int)(strlen(f->name) - cut), f->name);
    char *stop = req && req->stop ? cw_strdup(req->stop) : cw_strdup_printf("%s_stop", stem);
    const char *why = NULL;
    bool stream = req && req->kind == REQ_STREAM;
    int at = find_decl(s->ds, stop);
    if (!req || req->kind == REQ_ANY) {
        stream = starts && at >= 0;
        *unknown = starts && at < 0;
    }
    if (*unknown)
        why = "cannot tell whether its callback fires once or many times (a NAME_start without a NAME_stop): "
              "name it in --once, or in --stream NAME:STOP";
    else if (stream && at < 0)
        why = req->stop ? "its stop function (--stream NAME:STOP) is not declared"
                        : "no stop function NAME_stop is declared: name one with --stream NAME:STOP";
    else if (stream)
        why = cw_wrap_make_stream(f, s->ds->cursors[at]);
    else if (f->alloc_index >= 0)
        why = "it takes an allocator callback, for calls that fire many times: wrap it with --stream";
    if (!why && f->ret_pointer && !f->ret_token)
        why = "its result is a pointer that no stop function takes (the wrapper would lose it)";
    if (!why && f->embed_decl && starts)
        why = "its stop function ends the handle (it calls back when the handle is closed), so the stream must "
              "hold the handle from its initialisation: a NAME_start starts a handle initialised before "
              "(end it with NAME_stop, then close the handle yourself)";
    if (!why && stream)
        f->base = cw_strdup(stem);
    free(stem);
    free(stop);
    return why;
}

/* A name the wrappers would define that the header already declares. */
static const char *taken_name(const scan *s, const cw_wrap_fn *f)
{
    static const char *const stream_fns[] = {"_stream_start", "_stream_next", "_stream_close", "_stream_handle"};
    for (unsigned i = 0; i < (!f->stream ? 1u : f->embed_decl ? 4u : 3u); i++) {
        char *name =
            f->stream ? cw_strdup_printf("%s%s", f->base, stream_fns[i]) : cw_strdup_printf("%s_async", f->name);
        int at = find_decl(s->ds, name);
        free(name);
        if (at >= 0)
            return s->ds->names[at];
    }
    return NULL;
}

static void consider(scan *s, CXCursor c, const char *name)
{
    int only = request_of(s, name);
    if (only < 0 && !selected(s, c, name))
        return;
    const request *req = only >= 0 ? &s->o->only[only] : NULL;
    cw_wrap_fn f;
    bool unknown = false;
    const char *why = cw_wrap_analyse(c, &f);
    if (!why)
        why = decide_kind(s, req, &f, &unknown);
    const char *taken = why ? NULL : taken_name(s, &f);
    if (!why && !taken) {
        *CW_PUSH(s->fns, s->n) = f;
    } else if (taken) {
        print_location(c);
        fprintf(stderr, "error: cannot wrap '%s': the header already declares '%s'\n", name, taken);
        s->errors++;
    } else if (req) {
        print_location(c);
        fprintf(stderr, "error: cannot wrap '%s': %s\n", name, why);
        s->errors++;
    } else if (unknown) {
        print_location(c);
        fprintf(stderr, "warning: not wrapping '%s': %s\n", name, why);
    }
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
    options o = {.capacity = DEFAULT_CAPACITY};
    argv = expand_at_files(&argc, argv);
    if (!argv || parse_args(argc, argv, &o) != 0)
        return 1;
    char *out_h = (char *)o.out_h;
    if (!out_h) {
        size_t len = strlen(o.out_c);
        out_h = len > 2 && strcmp(o.out_c + len - 2, ".c") == 0 ? cw_strdup_printf("%.*s.h", (int)(len - 2), o.out_c)
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

    decls ds = {0};
    clang_visitChildren(clang_getTranslationUnitCursor(tu), collect, &ds);
    scan s = {.o = &o, .ds = &ds, .main_file = clang_getFile(tu, o.header), .found = calloc(o.nonly + 1, 1)};
    for (unsigned i = 0; i < ds.n; i++)
        consider(&s, ds.cursors[i], ds.names[i]);
    for (unsigned i = 0; i < o.nonly; i++) {
        if (!s.found[i]) {
            fprintf(stderr, "%s: error: no function '%s' is declared\n", o.header, o.only[i].name);
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
        sb_printf(&guard, "%c",
                  (*p >= 'a' && *p <= 'z')                                 ? *p - 'a' + 'A'
                  : ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) ? *p
                                                                           : '_');
    sb_init(&h);
    sb_init(&c);
    cw_wrap_emit_header(&h, s.fns, s.n, include, sb_str(&guard), o.capacity);
    cw_wrap_emit_source(&c, s.fns, s.n, base_name(out_h), o.capacity);
    /* The header first: a build that sees the new OUT.c finds the matching OUT.h. */
    if (write_out(out_h, &h) != 0 || write_out(o.out_c, &c) != 0)
        return 1;
    clang_disposeTranslationUnit(tu);
    clang_disposeIndex(idx);
    return 0;
}
