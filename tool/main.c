/*
 * cawait: rewrites the async functions of a C file into stackless state
 * machines that run on libcawait.
 *
 *     cawait IN.c -o OUT.c [options] [-- CLANG_FLAGS...]
 *
 * The passes, in order: parse (libclang), collect (async functions, which
 * can suspend), check (misuse diagnostics), emit (lowering each async
 * function: linearise expressions, plan the frame, lower control flow).
 * On any error nothing is written and the exit status is 1.
 */
#include "tu.h"

#include "compdb.h"
#include "diag_json.h"
#include "depfile.h"
#include "outfile.h"
#include "strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CAWAIT_VERSION
#define CAWAIT_VERSION "0.0.0"
#endif

static void usage(FILE *to)
{
    fputs("usage: cawait IN.c -o OUT.c [options] [-- CLANG_FLAGS...]\n"
          "\n"
          "Rewrites the async functions of IN.c into plain C that links with libcawait.\n"
          "\n"
          "options:\n"
          "  -o FILE              write the output to FILE ('-' for standard output)\n"
          "  -p BUILD_DIR         take the clang flags for IN.c from BUILD_DIR/compile_commands.json\n"
          "  -MD                  also write a Make dependency file (OUT.d, or the -MF file)\n"
          "  -MF FILE             the dependency file's name (implies -MD)\n"
          "  -MT TARGET           the target named in the dependency file (default: OUT)\n"
          "  --no-line            do not emit #line directives\n"
          "  --diagnostics-format=text|json\n"
          "                       json: one JSON object per diagnostic and line on stderr\n"
          "  --frame-report       print each async function's frame size and the worst-case\n"
          "                       bytes of frames per task (stdout)\n"
          "  --dump-after=PASS    stop after PASS and print what it found (stdout), writing no\n"
          "                       output: parse (pseudo-keywords), collect (async functions),\n"
          "                       check (diagnostics only), lower (frame layouts), emit (the C)\n"
          "  --no-sync-lowering   lower every async function to a state machine, even those\n"
          "                       that can never suspend (for testing the state machines)\n"
          "  --help               show this help\n"
          "  --version            show the version\n"
          "\n"
          "CLANG_FLAGS (-I, -D, -std, ...) are passed to clang when it parses IN.c.\n",
          to);
}

/* The lines of cawait/keywords.h that define await, ca_run and ca_spawn. */
static void find_keyword_lines(cw_tu *tu, CXFile kw)
{
    size_t size;
    const char *text = clang_getFileContents(tu->tu, kw, &size);
    if (!text)
        return;
    unsigned line = 1;
    for (const char *p = text, *end = text + size; p < end; p++) {
        if (p == text || p[-1] == '\n') {
            size_t left = (size_t)(end - p);
            if (left > 14 && strncmp(p, "#define await ", 14) == 0)
                tu->await_line = line;
            else if (left > 15 && strncmp(p, "#define ca_run(", 15) == 0)
                tu->run_line = line;
            else if (left > 17 && strncmp(p, "#define ca_spawn(", 17) == 0)
                tu->spawn_line = line;
            else if (left > 21 && strncmp(p, "#define ca_to_thread(", 21) == 0)
                tu->to_thread_line = line;
            else if (left > 14 && strncmp(p, "#define yield(", 14) == 0)
                tu->yield_line = line;
            else if (left > 15 && strncmp(p, "#define ca_for(", 15) == 0)
                tu->for_line = line;
        }
        if (*p == '\n')
            line++;
    }
}

static void visit_inclusion(CXFile file, CXSourceLocation *stack, unsigned depth, CXClientData d)
{
    (void)stack;
    (void)depth;
    CXString name = clang_getFileName(file);
    const char *s = clang_getCString(name);
    size_t n = strlen(s);
    static const char suffix[] = "cawait/keywords.h";
    if (n >= sizeof suffix - 1 && strcmp(s + n - (sizeof suffix - 1), suffix) == 0)
        find_keyword_lines(d, file);
    clang_disposeString(name);
}

static char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf b;
    sb_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_putn(&b, chunk, n);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        sb_free(&b);
        return NULL;
    }
    *size = b.len;
    return sb_take(&b);
}

/* Write OUT so that a build never sees half of it ('-': standard output). */
static int write_output(const char *path, const char *text)
{
    if (strcmp(path, "-") == 0)
        return fputs(text, stdout) < 0 ? -1 : 0;
    if (cw_write_file(path, text, strlen(text)) == 0)
        return 0;
    fprintf(stderr, "cawait: error: cannot write '%s': %s\n", path, strerror(errno));
    return -1;
}

/* collect, check, lower + emit, stopping after opt->dump_after; 0 on success. */
static int run_passes(cw_tu *tu, const cw_options *opt)
{
    if (opt->dump_after == CW_PASS_PARSE) {
        cw_dump_parse(tu);
        return 0;
    }
    cw_collect_async(tu);
    if (opt->dump_after == CW_PASS_COLLECT) {
        cw_dump_collect(tu);
        return 0;
    }
    cw_check(tu);
    if (tu->errors || opt->dump_after == CW_PASS_CHECK)
        return tu->errors ? 1 : 0;
    char *out = cw_emit(tu); /* lowers each async function on the way */
    int status = 1;
    if (out && opt->dump_after == CW_PASS_LOWER)
        cw_dump_frames(tu), status = 0;
    else if (out && write_output(opt->output, out) == 0)
        status = 0;
    if (status == 0 && opt->frame_report)
        cw_frame_report(tu);
    free(out);
    return status;
}

static int forward_clang_errors(cw_tu *tu)
{
    int errors = 0;
    unsigned n = clang_getNumDiagnostics(tu->tu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu->tu, i);
        if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error && tu->opt->diag_json) {
            CXFile file;
            unsigned line, col;
            clang_getFileLocation(clang_getDiagnosticLocation(d), &file, &line, &col, NULL);
            CXString name = clang_getFileName(file), msg = clang_getDiagnosticSpelling(d);
            const char *fname = file && !clang_File_isEqual(file, tu->main_file) ? clang_getCString(name) : tu->main_name;
            cw_diag_json(stderr, "clang", "error", fname, line, col, clang_getCString(msg));
            clang_disposeString(name);
            clang_disposeString(msg);
            errors++;
        } else if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
            CXString s = clang_formatDiagnostic(d, CXDiagnostic_DisplaySourceLocation |
                                                       CXDiagnostic_DisplayColumn);
            fprintf(stderr, "%s\n", clang_getCString(s));
            clang_disposeString(s);
            errors++;
        }
        clang_disposeDiagnostic(d);
    }
    return errors;
}

int main(int argc, char **argv)
{
    cw_options opt = {0};
    opt.line_directives = true;
    opt.dump_after = CW_PASS_EMIT;
    int nclang = 0, room = argc + 1024;
    const char **clang_args = calloc((size_t)room, sizeof *clang_args);
    bool user_std = false, want_deps = false;
    const char *build_dir = NULL, *dep_file = NULL, *dep_target = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++) {
                user_std = user_std || strncmp(argv[i], "-std=", 5) == 0;
                clang_args[nclang++] = argv[i];
            }
        } else if (strcmp(a, "-o") == 0 && i + 1 < argc) {
            opt.output = argv[++i];
        } else if (strcmp(a, "-p") == 0 && i + 1 < argc) {
            build_dir = argv[++i];
        } else if (strcmp(a, "-MD") == 0) {
            want_deps = true;
        } else if (strcmp(a, "-MF") == 0 && i + 1 < argc) {
            want_deps = true;
            dep_file = argv[++i];
        } else if (strcmp(a, "-MT") == 0 && i + 1 < argc) {
            dep_target = argv[++i];
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("cawait %s (libclang: ", CAWAIT_VERSION);
            CXString v = clang_getClangVersion();
            printf("%s)\n", clang_getCString(v));
            clang_disposeString(v);
            return 0;
        } else if (strcmp(a, "--no-sync-lowering") == 0) {
            opt.no_sync_lowering = true;
        } else if (strcmp(a, "--no-line") == 0) {
            opt.line_directives = false;
        } else if (strcmp(a, "--diagnostics-format=json") == 0 || strcmp(a, "--diagnostics-format=text") == 0) {
            opt.diag_json = a[21] == 'j';
        } else if (strcmp(a, "--frame-report") == 0) {
            opt.frame_report = true;
        } else if (strncmp(a, "--dump-after=", 13) == 0) {
            static const char *const names[] = {"parse", "collect", "check", "lower", "emit"};
            int found = -1;
            for (int p = 0; p < 5; p++)
                if (strcmp(a + 13, names[p]) == 0)
                    found = p;
            if (found < 0) {
                fprintf(stderr, "cawait: error: unknown pass '%s' (parse, collect, check, lower, emit)\n", a + 13);
                return 2;
            }
            opt.dump_after = (cw_pass)found;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "cawait: error: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else if (!opt.input) {
            opt.input = a;
        } else {
            fprintf(stderr, "cawait: error: more than one input file ('%s' and '%s')\n", opt.input, a);
            return 2;
        }
    }
    if (opt.dump_after != CW_PASS_EMIT && !opt.output)
        opt.output = "-"; /* nothing is written */
    if (opt.frame_report && opt.output && strcmp(opt.output, "-") == 0 && opt.dump_after == CW_PASS_EMIT) {
        fputs("cawait: error: --frame-report prints to standard output; give -o FILE\n", stderr);
        return 2;
    }
    if (!opt.input || !opt.output) {
        fprintf(stderr, "cawait: error: %s\n", !opt.input ? "no input file" : "no output file (-o OUT.c)");
        usage(stderr);
        return 2;
    }
    char *dep_path = NULL;
    if (want_deps && dep_file) {
        dep_path = cw_strdup(dep_file);
    } else if (want_deps && strcmp(opt.output, "-") == 0) {
        fputs("cawait: error: -MD with -o - needs -MF FILE\n", stderr);
        return 2;
    } else if (want_deps) { /* OUT.d: the output's name without its extension, if it has one */
        const char *base = strrchr(opt.output, '/');
        const char *dot = strrchr(base ? base : opt.output, '.');
        int keep = dot ? (int)(dot - opt.output) : (int)strlen(opt.output);
        dep_path = cw_strdup_printf("%.*s.d", keep, opt.output);
    }
    size_t size;
    char *text = read_file(opt.input, &size);
    if (!text) {
        fprintf(stderr, "cawait: error: cannot read '%s': %s\n", opt.input, strerror(errno));
        return 1;
    }
    if (build_dir) {
        int n = cw_compdb_flags(build_dir, opt.input, clang_args + nclang, room - nclang - 4);
        if (n < 0)
            return 1;
        for (int i = 0; i < n; i++)
            user_std = user_std || strncmp(clang_args[nclang + i], "-std=", 5) == 0;
        nclang += n;
    }
    if (!user_std)
        clang_args[nclang++] = "-std=gnu11";
    clang_args[nclang++] = "-I" CAWAIT_INCLUDE_DIR; /* after the user's -I: theirs win */

    cw_tu tu = {0};
    tu.opt = &opt;
    tu.main_name = opt.input;
    tu.text = text;
    tu.size = size;
    /* Generators: clang parses the file with typedefs of their element types appended. */
    char *gen_typedefs = NULL, *parsed = NULL;
    struct CXUnsavedFile unsaved = {opt.input, text, (unsigned long)size};
    cw_gen_typedefs(text, size, &gen_typedefs);
    if (gen_typedefs) {
        parsed = cw_strdup_printf("%.*s%s", (int)size, text, gen_typedefs);
        unsaved.Contents = parsed;
        unsaved.Length = strlen(parsed);
    }
    CXIndex index = clang_createIndex(0, 0);
    enum CXErrorCode rc = clang_parseTranslationUnit2(index, opt.input, clang_args, nclang, &unsaved,
                                                      gen_typedefs ? 1 : 0, CXTranslationUnit_KeepGoing, &tu.tu);
    if (rc != CXError_Success) {
        fprintf(stderr, "cawait: error: clang could not parse '%s' (error %d)\n", opt.input, (int)rc);
        return 1;
    }
    tu.main_file = clang_getFile(tu.tu, opt.input);
    int status = 1;
    if (forward_clang_errors(&tu) == 0) {
        clang_getInclusions(tu.tu, visit_inclusion, &tu);
        status = run_passes(&tu, &opt);
        if (status == 0 && dep_path && cw_write_depfile(tu.tu, dep_path, dep_target ? dep_target : opt.output) != 0)
            status = 1;
    }
    clang_disposeTranslationUnit(tu.tu);
    clang_disposeIndex(index);
    free(text);
    free(parsed);
    free(gen_typedefs);
    free(dep_path);
    free(clang_args);
    return status;
}
