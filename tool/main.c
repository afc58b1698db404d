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

#include "check.h"
#include "collect.h"
#include "compdb.h"
#include "diag_json.h"
#include "emit.h"
#include "depfile.h"
#include "files.h"
#include "outfile.h"
#include "report.h"
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
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
            else if (left > 23 && strncmp(p, "#define ca_group_spawn(", 23) == 0)
                tu->group_spawn_line = line;
            else if (left > 19 && strncmp(p, "#define ca_task_of(", 19) == 0)
                tu->task_of_line = line;
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

/* Standard output was closed by our caller: fd 1 now holds /dev/null (see guard_std_fds). */
static bool stdout_closed;

/*
 * A caller may start us with fd 0, 1 or 2 closed; our own files would then
 * take those numbers and printf would write into them. Give each closed one
 * /dev/null, and remember a closed standard output, which is then an error
 * to write to.
 */
static void guard_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        stdout_closed = stdout_closed || fd == 1;
        int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (n >= 0 && n != fd) {
            dup2(n, fd);
            close(n);
        }
    }
}

/* Flush standard output; 0, or -1 with a message (a full disk, a closed pipe, no stdout at all). */
static int finish_stdout(void)
{
    if (stdout_closed) {
        fputs("cawait: error: cannot write to standard output: it is closed\n", stderr);
        return -1;
    }
    if (fflush(stdout) == 0 && !ferror(stdout))
        return 0;
    fprintf(stderr, "cawait: error: cannot write to standard output: %s\n", strerror(errno));
    return -1;
}

/* Write OUT so that a build never sees half of it ('-': standard output). */
static int write_output(const char *path, const char *text, size_t len)
{
    if (strcmp(path, "-") == 0)
        return fwrite(text, 1, len, stdout) == len ? finish_stdout() : (finish_stdout(), -1);
    if (cw_write_file(path, text, len) == 0)
        return 0;
    fprintf(stderr, "cawait: error: cannot write '%s': %s\n", path, strerror(errno));
    return -1;
}

/*
 * A NUL byte in the source: clang reads past it, but the rewritten text
 * cannot hold it (strings end there). A file with nothing to rewrite is
 * written back byte for byte; otherwise an error at the first NUL.
 */
static bool refuse_nul(cw_tu *tu, const cw_lowered_tu *l)
{
    const char *nul = memchr(tu->text, 0, tu->size);
    if (!nul || !l->nedits)
        return false;
    CXSourceLocation loc = clang_getLocationForOffset(tu->tu, tu->main_file, (unsigned)(nul - tu->text));
    cw_error_at(tu, loc, "a NUL byte in a file with async code: cawait cannot rewrite it; remove the byte");
    return true;
}

/* The output: the input with l's edits applied, or the input as it is when there are none. */
static int emit_output(cw_tu *tu, const cw_lowered_tu *l, const char *path)
{
    if (!l->nedits)
        return write_output(path, tu->text, tu->size);
    char *out = cw_emit(tu, l);
    int r = write_output(path, out, strlen(out));
    free(out);
    return r;
}

/* collect, check, lower, emit, stopping after opt->dump_after; 0 on success. */
static int run_passes(cw_tu *tu, const cw_options *opt)
{
    if (opt->dump_after == CW_PASS_PARSE) {
        cw_dump_parse(tu);
        return finish_stdout() == 0 ? 0 : 1;
    }
    cw_collect_async(tu);
    if (opt->dump_after == CW_PASS_COLLECT) {
        cw_dump_collect(tu);
        return finish_stdout() == 0 ? 0 : 1;
    }
    cw_check(tu);
    cw_check_tasks(tu);
    cw_check_source(tu);
    if (tu->errors || opt->dump_after == CW_PASS_CHECK)
        return tu->errors ? 1 : 0;
    cw_lowered_tu low;
    cw_lower(tu, &low);
    int status = 1;
    if (low.nedits)
        cw_refuse_keyword_macros(tu);
    if (tu->errors || refuse_nul(tu, &low))
        status = 1;
    else if (opt->dump_after == CW_PASS_LOWER)
        cw_dump_frames(tu), status = finish_stdout() == 0 ? 0 : 1;
    else if (emit_output(tu, &low, opt->output) == 0)
        status = 0;
    if (status == 0 && opt->frame_report) {
        cw_frame_report(tu);
        if (finish_stdout() != 0)
            status = 1, cw_remove_output(opt->output);
    }
    cw_lowered_free(&low);
    return status;
}

static int forward_clang_errors(cw_tu *tu)
{
    int errors = 0;
    unsigned n = clang_getNumDiagnostics(tu->tu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu->tu, i);
        enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
        if (sev >= CXDiagnostic_Error) {
            const char *what = sev == CXDiagnostic_Fatal ? "fatal error" : "error";
            CXString s = clang_getDiagnosticSpelling(d);
            CXSourceLocation loc = clang_getDiagnosticLocation(d);
            char *name = NULL;
            unsigned line = 0, col = 0;
            if (!clang_equalLocations(loc, clang_getNullLocation())) /* as the user's #line directives present it */
                line = cw_presumed_location(tu, loc, &name, &col);
            if (tu->opt->diag_json)
                cw_diag_json(stderr, "clang", "error", name ? name : tu->main_name, line, col, clang_getCString(s));
            else if (name)
                fprintf(stderr, "%s:%u:%u: %s: %s\n", name, line, col, what, clang_getCString(s));
            else
                fprintf(stderr, "%s: %s\n", what, clang_getCString(s));
            free(name);
            clang_disposeString(s);
            errors++;
        }
        clang_disposeDiagnostic(d);
    }
    return errors;
}

/* -std=c++17, -std=gnu++20...: clang would refuse to parse C that way, and say only "error 4". */
static bool cxx_standard(const char *a)
{
    return strncmp(a, "-std=", 5) == 0 && strstr(a + 5, "++") != NULL;
}

/*
 * clang's warnings are not cawait's to report (the C compiler has its own), so
 * the user's -Werror must not make them errors: gcc's own attributes and
 * warning flags are unknown to clang. They stay on, -w or not: those about
 * attributes clang ignores are how cawait sees them (attrs.c).
 */
static void keep_warnings_warnings(const char **args, int *n)
{
    int kept = 0;
    for (int i = 0; i < *n; i++)
        if (strcmp(args[i], "-w") != 0)
            args[kept++] = args[i];
    args[kept++] = "-Wno-error";
    args[kept++] = "-Wunknown-attributes";
    args[kept++] = "-Wignored-attributes";
    *n = kept;
}

/* Check the clang flags for what cawait cannot do; 0, or -1 with a message. */
static int check_clang_args(const char **args, int n)
{
    for (int i = 0; i < n; i++) {
        const char *lang = strcmp(args[i], "-x") == 0 && i + 1 < n ? args[i + 1]
                           : strncmp(args[i], "-x", 2) == 0        ? args[i] + 2
                                                                   : NULL;
        if (cxx_standard(args[i]) || (lang && strcmp(lang, "c") != 0)) {
            fprintf(stderr,
                    "cawait: error: '%s%s%s' asks for another language than C; cawait transforms C "
                    "(use a C standard, e.g. -std=gnu11)\n",
                    args[i], lang && lang != args[i] + 2 ? " " : "", lang && lang != args[i] + 2 ? lang : "");
            return -1;
        }
    }
    return 0;
}

/* Why libclang could not parse at all (it keeps the driver's own message to itself). */
static void parse_failure(const char *input, enum CXErrorCode rc, const char **args, int n)
{
    const char *why = rc == CXError_Crashed            ? "libclang crashed"
                      : rc == CXError_InvalidArguments ? "libclang was called wrongly"
                                                       : "clang rejected the command line";
    fprintf(stderr, "cawait: error: cannot parse '%s': %s; the clang flags were:", input, why);
    for (int i = 0; i < n; i++)
        fprintf(stderr, " %s", args[i]);
    fputc('\n', stderr);
}

/* An option's value: the next argument, or an error when there is none. */
static const char *option_value(int argc, char **argv, int *i)
{
    if (*i + 1 < argc)
        return argv[++*i];
    fprintf(stderr, "cawait: error: missing argument to '%s'\n", argv[*i]);
    return NULL;
}

int main(int argc, char **argv)
{
    guard_std_fds();
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
        } else if (strcmp(a, "-o") == 0) {
            if (!(opt.output = option_value(argc, argv, &i)))
                return 2;
        } else if (strcmp(a, "-p") == 0) {
            if (!(build_dir = option_value(argc, argv, &i)))
                return 2;
        } else if (strcmp(a, "-MD") == 0) {
            want_deps = true;
        } else if (strcmp(a, "-MF") == 0) {
            want_deps = true;
            if (!(dep_file = option_value(argc, argv, &i)))
                return 2;
        } else if (strcmp(a, "-MT") == 0) {
            if (!(dep_target = option_value(argc, argv, &i)))
                return 2;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return finish_stdout() == 0 ? 0 : 1;
        } else if (strcmp(a, "--version") == 0) {
            printf("cawait %s (libclang: ", CAWAIT_VERSION);
            CXString v = clang_getClangVersion();
            printf("%s)\n", clang_getCString(v));
            clang_disposeString(v);
            return finish_stdout() == 0 ? 0 : 1;
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
    if (check_clang_args(clang_args, nclang) != 0)
        return 2;
    if (stdout_closed && (strcmp(opt.output, "-") == 0 || opt.frame_report)) {
        finish_stdout();
        return 1;
    }
    char *dep_path = NULL;
    if (want_deps && dep_file) {
        dep_path = cw_strdup(dep_file);
    } else if (want_deps && strcmp(opt.output, "-") == 0) {
        fputs("cawait: error: -MD with -o - needs -MF FILE\n", stderr);
        return 2;
    } else if (want_deps) { /* OUT.d: the output's name without its extension, if it has one */
        dep_path = cw_replace_suffix(opt.output, ".d", false);
    }
    /* Writing over the input (by any path to it) would destroy the source. */
    const char *clobbered = strcmp(opt.output, "-") != 0 && cw_same_file(opt.output, opt.input) ? opt.output
                            : dep_path && cw_same_file(dep_path, opt.input)                     ? dep_path
                                                                                                : NULL;
    if (clobbered) {
        fprintf(stderr, "cawait: error: '%s' is the input file '%s'; refusing to write over it\n", clobbered,
                opt.input);
        return 2;
    }
    size_t size;
    char *text = cw_read_file(opt.input, &size);
    if (!text) {
        fprintf(stderr, "cawait: error: cannot read '%s': %s\n", opt.input, strerror(errno));
        return 1;
    }
    /* The name clang parses: absolute when a compile command moves clang's working directory. */
    const char *parse_name = opt.input;
    if (build_dir) {
        int n = cw_compdb_flags(build_dir, opt.input, clang_args + nclang,
                                room - nclang - 8); /* room for the flags added below */
        if (n < 0 || check_clang_args(clang_args + nclang, n) != 0)
            return 1;
        for (int i = 0; i < n; i++)
            user_std = user_std || strncmp(clang_args[nclang + i], "-std=", 5) == 0;
        nclang += n;
        char *abs = opt.input[0] == '/' ? NULL : realpath(opt.input, NULL);
        if (abs)
            parse_name = abs; /* lives as long as the process */
    }
    if (!user_std)
        clang_args[nclang++] = "-std=gnu11";
    clang_args[nclang++] = "-I" CAWAIT_INCLUDE_DIR; /* after the user's -I: theirs win */
    keep_warnings_warnings(clang_args, &nclang);

    cw_tu tu = {0};
    tu.opt = &opt;
    tu.main_name = opt.input;
    tu.text = text;
    tu.size = size;
    /* Generators: clang parses the file with typedefs of their element types appended. */
    char *gen_typedefs = NULL, *parsed = NULL;
    struct CXUnsavedFile unsaved = {parse_name, text, (unsigned long)size};
    cw_gen_typedefs(text, size, &gen_typedefs);
    if (gen_typedefs) {
        parsed = malloc(size + strlen(gen_typedefs) + 1);
        memcpy(parsed, text, size);
        strcpy(parsed + size, gen_typedefs);
        unsaved.Contents = parsed;
        unsaved.Length = size + strlen(gen_typedefs);
    }
    CXIndex index = clang_createIndex(0, 0);
    enum CXErrorCode rc = clang_parseTranslationUnit2(index, parse_name, clang_args, nclang, &unsaved, 1,
                                                      CXTranslationUnit_KeepGoing, &tu.tu);
    if (rc != CXError_Success) {
        parse_failure(opt.input, rc, clang_args, nclang);
        return 1;
    }
    tu.index = index, tu.parse_name = parse_name, tu.clang_args = clang_args, tu.nclang = nclang, tu.unsaved = unsaved;
    tu.main_file = clang_getFile(tu.tu, parse_name);
    int status = 1;
    if (forward_clang_errors(&tu) == 0) {
        clang_getInclusions(tu.tu, visit_inclusion, &tu);
        status = run_passes(&tu, &opt);
        if (status == 0 && dep_path && cw_write_depfile(tu.tu, dep_path, dep_target ? dep_target : opt.output) != 0) {
            status = 1;
            if (strcmp(opt.output, "-") != 0 && opt.dump_after == CW_PASS_EMIT)
                cw_remove_output(opt.output); /* no output without its dependencies */
        }
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
