/*
 * cawait-cc: a C compiler driver with cc's interface that runs cawait on
 * every C source before the C compiler, so `make CC=cawait-cc` works.
 *
 *     cawait-cc -O2 -c a.c -o a.o
 *     cawait-cc a.c b.c lib.a -o prog
 *
 * For each C input: first the C compiler ($CAWAIT_CC, default cc) compiles
 * the file as it is, with <cawait.h> poisoned (CAWAIT_CC_PROBE); a file that
 * does not include it is done then, at the cost of a plain compile. Any
 * other file goes through cawait, which writes the generated C (with #line
 * directives back to the original) into a private temporary directory, and
 * the C compiler compiles that. Preprocessor flags (-I,
 * -D, -U, -std, -include, ...) go to both. The runtime's include directory
 * is added after the user's own -I flags; when linking, libcawait.a and
 * -pthread are added after the user's inputs.
 *
 * -MD/-MMD (with -MF/-MT/-MQ/-MP) write a dependency file that names the
 * original source and the headers; it is renamed into place only when the
 * step succeeded. The exit status is the failing step's; nothing but the C
 * compiler's own outputs is written, and temporaries are removed.
 *
 * No libclang here: this program only execs cawait and the C compiler. It
 * finds them relative to its own location (see locate()).
 */
#define _GNU_SOURCE
#include "files.h"
#include "outfile.h"
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Baked in by cmake/install.cmake: where things are relative to bin/. */
#ifndef CAWAIT_CC_SOURCE_INCLUDE_DIR
#define CAWAIT_CC_SOURCE_INCLUDE_DIR "" /* the build tree's headers (source tree) */
#endif
#ifndef CAWAIT_CC_BUILD_LIB_REL
#define CAWAIT_CC_BUILD_LIB_REL "../lib" /* build tree: bin/ -> lib/ */
#endif
#ifndef CAWAIT_CC_INSTALL_INCLUDE_REL
#define CAWAIT_CC_INSTALL_INCLUDE_REL "../include" /* install tree: bin/ -> include/ */
#endif
#ifndef CAWAIT_CC_INSTALL_LIB_REL
#define CAWAIT_CC_INSTALL_LIB_REL "../lib"
#endif
#ifndef CAWAIT_VERSION
#define CAWAIT_VERSION "0.0.0"
#endif

static const char *prog = "cawait-cc";

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: error: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p)
        die("out of memory");
    return p;
}

static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s;
    if (vasprintf(&s, f, ap) < 0)
        die("out of memory");
    va_end(ap);
    return s;
}

/* A growable argv. */
typedef struct {
    const char **v;
    int n, cap;
} argv_t;

static void push(argv_t *a, const char *s)
{
    if (a->n + 2 > a->cap) {
        a->cap = a->cap ? a->cap * 2 : 32;
        a->v = realloc(a->v, (size_t)a->cap * sizeof *a->v);
        if (!a->v)
            die("out of memory");
    }
    a->v[a->n++] = s;
    a->v[a->n] = NULL;
}

static void push_all(argv_t *a, const argv_t *b)
{
    for (int i = 0; i < b->n; i++)
        push(a, b->v[i]);
}

/* ---- temporaries, removed at exit and on fatal signals ---- */

#define MAX_TEMPS 4096
static char *temps[MAX_TEMPS]; /* files, then the directories that hold them */
static bool temp_is_dir[MAX_TEMPS];
static volatile sig_atomic_t ntemps;

static void add_temp(char *path, bool dir)
{
    if (ntemps >= MAX_TEMPS)
        die("too many inputs");
    temps[ntemps] = path;
    temp_is_dir[ntemps] = dir;
    ntemps++;
}

static void cleanup(void)
{
    /* Newest first: a directory's files before the directory. Signal-safe. */
    for (int i = ntemps - 1; i >= 0; i--) {
        if (temp_is_dir[i])
            rmdir(temps[i]);
        else
            unlink(temps[i]);
    }
    ntemps = 0;
}

static void on_signal(int sig)
{
    cleanup();
    signal(sig, SIG_DFL);
    raise(sig);
}

static char *tmp_root;

static const char *tmp_dir(void)
{
    if (!tmp_root) {
        const char *t = getenv("TMPDIR");
        if (!t || !*t)
            t = "/tmp";
        tmp_root = fmt("%s/cawait-cc.XXXXXX", t);
        if (!mkdtemp(tmp_root))
            die("cannot create a temporary directory in '%s': %s", t, strerror(errno));
        add_temp(tmp_root, true);
    }
    return tmp_root;
}

/* A fresh subdirectory per input, so a.c and lib/a.c do not collide. */
static char *tmp_subdir(int k)
{
    char *d = fmt("%s/%d", tmp_dir(), k);
    if (mkdir(d, 0700) != 0)
        die("cannot create '%s': %s", d, strerror(errno));
    add_temp(d, true);
    return d;
}

/* ---- running programs ---- */

static bool verbose;

/* Run argv, its stderr into err_path when not NULL; the exit status (128+signal when killed),
   127 when it cannot be run. */
static int run_to(const argv_t *a, const char *err_path)
{
    if (verbose) {
        for (int i = 0; i < a->n; i++)
            fprintf(stderr, "%s%s", i ? " " : "", a->v[i]);
        fputc('\n', stderr);
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        die("fork: %s", strerror(errno));
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        int fd = err_path ? open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600) : -1;
        if (fd >= 0)
            dup2(fd, 2), close(fd);
        execvp(a->v[0], (char *const *)a->v);
        fprintf(stderr, "%s: error: cannot run '%s': %s\n", prog, a->v[0], strerror(errno));
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            die("waitpid: %s", strerror(errno));
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return 1;
}

static int run(const argv_t *a)
{
    return run_to(a, NULL);
}

/* Copy what a command wrote to path onto our stderr. */
static void show_stderr_of(const char *path)
{
    size_t len;
    char *text = cw_read_file(path, &len);
    if (text)
        fwrite(text, 1, len, stderr);
    free(text);
}

/* ---- where cawait, the headers and the library are ---- */

static bool exists(const char *p)
{
    return access(p, F_OK) == 0;
}

struct paths {
    char *cawait, *include, *lib;
};

/*
 * Relative to this program's directory D:
 *   install tree  D/cawait, D/<bin->include>/cawait.h, D/<bin->lib>/libcawait.a
 *   build tree    D/cawait, the source tree's runtime/include, D/../lib/libcawait.a
 * $CAWAIT (the tool) and $CAWAIT_INCLUDE_DIR / $CAWAIT_LIBRARY override each.
 */
static struct paths locate(void)
{
    struct paths p = {0};
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        die("cannot find this program's location: %s", strerror(errno));
    self[n] = 0;
    char *slash = strrchr(self, '/');
    *slash = 0;
    const char *dir = self;

    char *inc = fmt("%s/%s", dir, CAWAIT_CC_INSTALL_INCLUDE_REL);
    char *probe = fmt("%s/cawait.h", inc);
    bool installed = exists(probe);
    free(probe);
    const char *e;
    if ((e = getenv("CAWAIT")) && *e)
        p.cawait = xstrdup(e);
    else
        p.cawait = fmt("%s/cawait", dir);
    if ((e = getenv("CAWAIT_INCLUDE_DIR")) && *e)
        p.include = xstrdup(e);
    else if (installed)
        p.include = inc;
    else
        p.include = xstrdup(CAWAIT_CC_SOURCE_INCLUDE_DIR);
    if ((e = getenv("CAWAIT_LIBRARY")) && *e)
        p.lib = xstrdup(e);
    else
        p.lib = fmt("%s/%s/libcawait.a", dir, installed ? CAWAIT_CC_INSTALL_LIB_REL : CAWAIT_CC_BUILD_LIB_REL);
    return p;
}

/* ---- the command line ---- */

enum mode { M_LINK, M_COMPILE, M_ASM, M_PREPROCESS };
enum kind { K_C, K_OTHER_SOURCE, K_LINK_INPUT };

struct input {
    const char *path;
    const char *lang; /* the -x in force, or NULL */
    enum kind kind;
    int argpos; /* index in argv, for the link line's order */
};

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

static enum kind classify(const char *path, const char *lang)
{
    if (lang)
        return strcmp(lang, "c") == 0 ? K_C : K_OTHER_SOURCE;
    if (strcmp(path, "-") == 0)
        return K_OTHER_SOURCE;
    if (has_suffix(path, ".c"))
        return K_C;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    static const char *const src[] = {".i",   ".s", ".S",   ".sx", ".h",  ".cc", ".cpp",
                                      ".cxx", ".C", ".c++", ".m",  ".ii", NULL};
    if (dot)
        for (int i = 0; src[i]; i++)
            if (strcmp(dot, src[i]) == 0)
                return K_OTHER_SOURCE;
    return K_LINK_INPUT; /* .o, .a, .so, .so.1, linker scripts... */
}

/* Options whose value is the next argument (when not joined). */
static bool takes_arg(const char *a, bool *pp, bool *linkonly)
{
    static const char *const pp_opts[] = {
        "-I",         "-D",       "-U",           "-include",           "-imacros",  "-isystem", "-iquote",
        "-idirafter", "-iprefix", "-iwithprefix", "-iwithprefixbefore", "-isysroot", NULL};
    static const char *const link_opts[] = {"-L", "-l", "-Xlinker", "-T", "-u", "-z", NULL};
    static const char *const other[] = {"--param",  "-Xassembler", "-Xpreprocessor", "-aux-info", "-dumpbase",
                                        "-dumpdir", "-arch",       "-target",        "-Xclang",   NULL};
    *pp = *linkonly = false;
    for (int i = 0; pp_opts[i]; i++)
        if (strcmp(a, pp_opts[i]) == 0)
            return *pp = true;
    for (int i = 0; link_opts[i]; i++)
        if (strcmp(a, link_opts[i]) == 0)
            return *linkonly = true;
    for (int i = 0; other[i]; i++)
        if (strcmp(a, other[i]) == 0)
            return true;
    return false;
}

/* Is a one of `exact`, or does it start with one of `prefixes`? (NULL-terminated lists) */
static bool matches(const char *a, const char *const *exact, const char *const *prefixes)
{
    for (int i = 0; exact[i]; i++)
        if (strcmp(a, exact[i]) == 0)
            return true;
    for (int i = 0; prefixes[i]; i++)
        if (strncmp(a, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

/* Joined preprocessor flags that cawait's clang must see too. */
static bool is_pp_flag(const char *a)
{
    static const char *const prefixes[] = {"-I",         "-D",       "-U",       "-std=",     "-isystem",  "-iquote",
                                           "-idirafter", "-include", "-imacros", "--sysroot", "-isysroot", NULL};
    static const char *const exact[] = {"-ansi", "-nostdinc", "-undef",          "-m32",          "-m64",
                                        "-mx32", "-pthread",  "-funsigned-char", "-fsigned-char", NULL};
    return matches(a, exact, prefixes);
}

static bool is_link_only(const char *a)
{
    static const char *const prefixes[] = {"-l", "-L", "-Wl,", NULL};
    static const char *const exact[] = {"-static",        "-shared",        "-rdynamic", "-s",      "-nostdlib",
                                        "-nodefaultlibs", "-nostartfiles",  "-pie",      "-no-pie", "-static-pie",
                                        "-static-libgcc", "-shared-libgcc", NULL};
    return matches(a, exact, prefixes);
}

static void usage(void)
{
    printf("usage: cawait-cc [cc options] FILES...\n"
           "\n"
           "A C compiler driver: runs cawait on each .c file, then the C compiler\n"
           "($CAWAIT_CC, default cc) on the generated C, and adds libcawait's include\n"
           "directory and, when linking, libcawait.a and -pthread.\n"
           "\n"
           "  -c, -S, -E, -o FILE      as cc\n"
           "  -I, -D, -U, -std=, ...   passed to cawait (after --) and to cc\n"
           "  -MD, -MMD, -MF, -MT, -MQ, -MP\n"
           "                           a dependency file naming the original sources and headers\n"
           "  -Xcawait ARG             pass ARG to cawait (e.g. -Xcawait --no-sync-lowering)\n"
           "  -v                       print the commands run (and pass -v to cc)\n"
           "  --cawait-version         print cawait-cc's version\n"
           "\n"
           "environment: CAWAIT_CC (the compiler, may hold arguments: \"ccache gcc\"),\n"
           "CAWAIT (the cawait tool), CAWAIT_INCLUDE_DIR, CAWAIT_LIBRARY (libcawait.a).\n");
}

/* The compiler command: $CAWAIT_CC split on blanks, or "cc". */
static void compiler(argv_t *a)
{
    const char *e = getenv("CAWAIT_CC");
    if (!e || !*e) {
        push(a, "cc");
        return;
    }
    char *s = xstrdup(e);
    for (char *tok = strtok(s, " \t"); tok; tok = strtok(NULL, " \t"))
        push(a, tok);
    if (a->n == 0)
        push(a, "cc");
}

/* ---- dependency files ---- */

/* Write text to path so that a build never sees half of it. */
static int write_atomic(const char *path, const char *text, size_t len)
{
    if (cw_write_file(path, text, len) == 0)
        return 0;
    fprintf(stderr, "%s: error: cannot write '%s': %s\n", prog, path, strerror(errno));
    return -1;
}

/* The compiler's depfile for the generated C, with the generated file's name replaced by the original's. */
static int finish_depfile(const char *tmp_dep, const char *final_dep, const char *gen, const char *orig)
{
    size_t len;
    char *text = cw_read_file(tmp_dep, &len);
    if (!text) {
        fprintf(stderr, "%s: error: the compiler wrote no dependency file '%s'\n", prog, tmp_dep);
        return -1;
    }
    strbuf from, to, out;
    sb_init(&from), sb_init(&to), sb_init(&out);
    cw_put_make_escaped(&from, gen);
    cw_put_make_escaped(&to, orig);
    for (const char *p = text;;) {
        const char *q = from.len ? strstr(p, sb_str(&from)) : NULL;
        if (!q) {
            sb_puts(&out, p);
            break;
        }
        sb_putn(&out, p, (size_t)(q - p));
        sb_puts(&out, sb_str(&to));
        p = q + from.len;
    }
    int rc = write_atomic(final_dep, sb_str(&out), out.len);
    sb_free(&from), sb_free(&to), sb_free(&out);
    free(text);
    return rc;
}

/* ---- compiling one C input ---- */

/* The dependency file of one compile: written to tmp, finished into final. */
struct deps {
    const char *kind; /* -MD or -MMD; NULL: none */
    char *tmp, *final;
    const argv_t *opts; /* the user's -MT/-MQ/-MP */
    const char *target; /* -MQ TARGET when the user gave none */
};

struct compile {
    enum mode mode;
    const argv_t *pp, *common;
    const char *include; /* the runtime's headers */
    const char *out;     /* -o, or NULL */
    const struct deps *deps;
};

/* PP COMMON -I INCLUDE -c SRC [-o OUT] [-MD -MF TMP ...]: the compile of src, after the compiler
   and its extra flags. */
static void compile_args(argv_t *cc, const struct compile *c, const char *src)
{
    push_all(cc, c->pp);
    push_all(cc, c->common);
    push(cc, "-I");
    push(cc, c->include);
    push(cc, c->mode == M_PREPROCESS ? "-E" : c->mode == M_ASM ? "-S" : "-c");
    push(cc, src);
    if (c->out) {
        push(cc, "-o");
        push(cc, c->out);
    }
    if (c->deps->kind) {
        push(cc, c->deps->kind);
        push(cc, "-MF");
        push(cc, c->deps->tmp);
        push_all(cc, c->deps->opts);
        if (c->deps->target) {
            push(cc, "-MQ");
            push(cc, c->deps->target);
        }
    }
}

/* ---- main ---- */

int main(int argc, char **argv)
{
    enum mode mode = M_LINK;
    const char *output = NULL, *dep_file = NULL, *lang = NULL;
    const char *dep_kind = NULL; /* "-MD" or "-MMD" */
    bool deps_only = false;      /* -M / -MM: preprocessor dependency output only */
    bool dep_targets = false;    /* the user gave -MT or -MQ */
    argv_t pp = {0};             /* preprocessor flags: to cawait and cc */
    argv_t common = {0};         /* other compile flags: to cc (compile and link) */
    argv_t depopts = {0};        /* -MT/-MQ/-MP: to the compile that writes the depfile */
    argv_t cawait_opts = {0};    /* -Xcawait */
    struct input *in = xmalloc((size_t)argc * sizeof *in);
    int nin = 0;
    bool *link_arg = calloc((size_t)argc + 1, 1); /* argv[i] goes to the link line in place */

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool pp_opt, linkonly;
        if (strcmp(a, "--help") == 0) {
            usage();
            return 0;
        } else if (strcmp(a, "--cawait-version") == 0) {
            printf("cawait-cc %s\n", CAWAIT_VERSION);
            return 0;
        } else if (a[0] != '-' || strcmp(a, "-") == 0) {
            in[nin] = (struct input){a, lang, classify(a, lang), i};
            nin++;
        } else if (strcmp(a, "-c") == 0) {
            if (mode < M_COMPILE)
                mode = M_COMPILE;
        } else if (strcmp(a, "-S") == 0) {
            if (mode < M_ASM)
                mode = M_ASM;
        } else if (strcmp(a, "-E") == 0) {
            mode = M_PREPROCESS;
        } else if (strcmp(a, "-o") == 0 || strncmp(a, "-o", 2) == 0) {
            if (a[2])
                output = a + 2;
            else if (++i < argc)
                output = argv[i];
            else
                die("missing argument to '-o'");
        } else if (strcmp(a, "-x") == 0 || strncmp(a, "-x", 2) == 0) {
            const char *l = a[2] ? a + 2 : (++i < argc ? argv[i] : NULL);
            if (!l)
                die("missing argument to '-x'");
            lang = strcmp(l, "none") == 0 ? NULL : l;
        } else if (strcmp(a, "-Xcawait") == 0) {
            if (++i >= argc)
                die("missing argument to '-Xcawait'");
            push(&cawait_opts, argv[i]);
        } else if (strcmp(a, "-MD") == 0 || strcmp(a, "-MMD") == 0) {
            dep_kind = a;
        } else if (strcmp(a, "-M") == 0 || strcmp(a, "-MM") == 0) {
            deps_only = true;
        } else if (strcmp(a, "-MF") == 0) {
            if (++i >= argc)
                die("missing argument to '-MF'");
            dep_file = argv[i];
        } else if (strcmp(a, "-MT") == 0 || strcmp(a, "-MQ") == 0) {
            if (++i >= argc)
                die("missing argument to '%s'", a);
            push(&depopts, a);
            push(&depopts, argv[i]);
            dep_targets = true;
        } else if (strcmp(a, "-MP") == 0 || strcmp(a, "-MG") == 0) {
            push(&depopts, a);
        } else if (strcmp(a, "-v") == 0) {
            verbose = true;
            push(&common, a);
            link_arg[i] = true;
        } else if (takes_arg(a, &pp_opt, &linkonly)) {
            if (i + 1 >= argc)
                die("missing argument to '%s'", a);
            if (linkonly) {
                link_arg[i] = link_arg[i + 1] = true;
            } else if (pp_opt) {
                push(&pp, a);
                push(&pp, argv[i + 1]);
            } else {
                push(&common, a);
                push(&common, argv[i + 1]);
                link_arg[i] = link_arg[i + 1] = true;
            }
            i++;
        } else if (is_link_only(a)) {
            link_arg[i] = true;
        } else if (is_pp_flag(a)) {
            push(&pp, a);
            if (strcmp(a, "-pthread") == 0 || strncmp(a, "-m", 2) == 0 || strncmp(a, "--sysroot", 9) == 0)
                link_arg[i] = true;
        } else {
            push(&common, a); /* -O2, -g, -W..., -f..., --version, ... */
            link_arg[i] = true;
        }
    }

    struct paths where = locate();

    /* Nothing to transform: cc itself (e.g. --version, -dumpmachine), or -M/-MM on the originals. */
    bool any_c = false;
    for (int i = 0; i < nin; i++)
        any_c = any_c || in[i].kind == K_C;
    if (nin == 0 || deps_only) {
        argv_t cmd = {0};
        compiler(&cmd);
        for (int i = 1; i < argc; i++)
            push(&cmd, argv[i]);
        if (nin > 0) {
            push(&cmd, "-I");
            push(&cmd, where.include);
        }
        return run(&cmd);
    }
    if (output && nin > 1 && mode != M_LINK)
        die("cannot specify '-o' with '-c', '-S' or '-E' with multiple files");
    if (dep_file && any_c && nin > 1 && mode != M_LINK)
        die("cannot specify '-MF' with multiple files");

    atexit(cleanup);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);

    const char **obj_for_arg = calloc((size_t)argc + 1, sizeof *obj_for_arg);
    int nc = 0;
    for (int i = 0; i < nin; i++)
        nc += in[i].kind == K_C;

    for (int k = 0; k < nin; k++) {
        struct input *x = &in[k];
        if (x->kind != K_C) {
            if (mode == M_LINK)
                continue; /* handed to the link line as is */
            /* -c/-S/-E on a source cawait does not handle: cc alone. */
            argv_t cmd = {0};
            compiler(&cmd);
            push_all(&cmd, &pp);
            push_all(&cmd, &common);
            push(&cmd, "-I");
            push(&cmd, where.include);
            push(&cmd, mode == M_COMPILE ? "-c" : mode == M_ASM ? "-S" : "-E");
            if (x->lang) {
                push(&cmd, "-x");
                push(&cmd, x->lang);
            }
            push(&cmd, x->path);
            if (output) {
                push(&cmd, "-o");
                push(&cmd, output);
            }
            int rc = run(&cmd);
            if (rc)
                return rc;
            continue;
        }

        char *dir = tmp_subdir(k);
        const char *base = strrchr(x->path, '/');
        base = base ? base + 1 : x->path;
        char *gen = has_suffix(base, ".c") ? fmt("%s/%s", dir, base) : fmt("%s/%s.c", dir, base);
        add_temp(gen, false);
        const char *out = output;
        if (mode == M_LINK) {
            out = cw_replace_suffix(gen, ".o", false);
            add_temp((char *)out, false);
            obj_for_arg[x->argpos] = out;
        } else if (!out && mode != M_PREPROCESS) {
            out = cw_replace_suffix(x->path, mode == M_ASM ? ".s" : ".o", true);
        }
        struct deps d = {0};
        if (dep_kind) {
            if (dep_file && (mode != M_LINK || nc == 1))
                d.final = xstrdup(dep_file);
            else if (output && (mode != M_LINK || nc == 1))
                d.final = cw_replace_suffix(output, ".d", false);
            else
                d.final = cw_replace_suffix(x->path, ".d", true);
            d.tmp = fmt("%s/dep.d", dir);
            add_temp(d.tmp, false);
            d.kind = dep_kind;
            d.opts = &depopts;
            if (!dep_targets)
                d.target = mode == M_LINK ? (output ? output : "a.out")
                           : out          ? out
                                          : cw_replace_suffix(x->path, ".o", true);
        }
        const struct compile c = {mode, &pp, &common, where.include, out, &d};

        /*
         * 1. Most files of a C project never include <cawait.h>: compile the
         * original as it is, with cawait's keywords poisoned (keywords.h
         * stops any file that includes it under CAWAIT_CC_PROBE). When that
         * succeeds it is the file's real compile and cawait is not needed;
         * otherwise its messages are dropped and the file goes through cawait.
         */
        if (mode != M_PREPROCESS) {
            argv_t cc = {0};
            compiler(&cc);
            push(&cc, "-DCAWAIT_CC_PROBE");
            push(&cc, "-Wfatal-errors");
            compile_args(&cc, &c, x->path);
            char *err = fmt("%s/probe.err", dir);
            add_temp(err, false);
            if (run_to(&cc, err) == 0) {
                show_stderr_of(err);
                if (dep_kind && finish_depfile(d.tmp, d.final, x->path, x->path) != 0)
                    return 1;
                continue;
            }
        }

        /* 2. cawait ORIG -o TMP/base.c -- PP -I INCLUDE */
        argv_t cmd = {0};
        push(&cmd, where.cawait);
        push(&cmd, x->path);
        push(&cmd, "-o");
        push(&cmd, gen);
        push_all(&cmd, &cawait_opts);
        push(&cmd, "--");
        push_all(&cmd, &pp);
        push(&cmd, "-I");
        push(&cmd, where.include);
        int rc = run(&cmd);
        if (rc)
            return rc;

        /* 3. cc -iquote ORIGDIR PP COMMON -I INCLUDE -c TMP/base.c -o OUT [-MD -MF TMP/dep.d -MQ TARGET] */
        argv_t cc = {0};
        compiler(&cc);
        /* The generated file is elsewhere: #include "x.h" must still find the original's neighbours. */
        push(&cc, "-iquote");
        push(&cc, base == x->path ? "." : fmt("%.*s", (int)(base - x->path - 1 > 0 ? base - x->path - 1 : 1), x->path));
        /* Debug info names the original's directory, not the temporary (reproducible objects). */
        if (base == x->path)
            push(&cc, fmt("-ffile-prefix-map=%s/=", dir));
        else
            push(&cc, fmt("-ffile-prefix-map=%s=%.*s", dir, (int)(base - x->path - 1), x->path));
        compile_args(&cc, &c, gen);
        rc = run(&cc);
        if (rc)
            return rc;
        if (dep_kind && finish_depfile(d.tmp, d.final, gen, x->path) != 0)
            return 1;
    }
    if (mode != M_LINK)
        return 0;

    /* 3. cc [user's link line, C sources replaced by their objects] LIBCAWAIT -pthread */
    argv_t ld = {0};
    compiler(&ld);
    for (int i = 1; i < argc; i++) {
        if (obj_for_arg[i]) {
            push(&ld, obj_for_arg[i]);
            continue;
        }
        bool is_input = false;
        for (int k = 0; k < nin; k++)
            if (in[k].argpos == i) {
                is_input = true;
                if (in[k].lang) {
                    push(&ld, "-x");
                    push(&ld, in[k].lang);
                }
                push(&ld, in[k].path);
                if (in[k].lang) {
                    push(&ld, "-x");
                    push(&ld, "none");
                }
            }
        if (!is_input && link_arg[i])
            push(&ld, argv[i]);
    }
    /* Other sources compiled by the link line itself need the preprocessor flags. */
    for (int k = 0; k < nin; k++)
        if (in[k].kind == K_OTHER_SOURCE) {
            push_all(&ld, &pp);
            push(&ld, "-I");
            push(&ld, where.include);
            break;
        }
    if (output) {
        push(&ld, "-o");
        push(&ld, output);
    }
    push(&ld, where.lib);
    push(&ld, "-pthread");
    return run(&ld);
}
