/*
 * -p BUILD_DIR, as clang tools do it: the compile command recorded for the
 * input file, minus what names the compiler's own inputs and outputs.
 */
#include "compdb.h"

#include "strbuf.h"

#include <clang-c/CXCompilationDatabase.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool same_file(const char *dir, const char *a, const char *b)
{
    char pa[PATH_MAX], pb[PATH_MAX];
    char *full = a[0] == '/' ? cw_strdup(a) : cw_strdup_printf("%s/%s", dir, a);
    bool same = realpath(full, pa) && realpath(b, pb) && strcmp(pa, pb) == 0;
    free(full);
    return same;
}

/*
 * Open BUILD_DIR's database. libclang explains a failure only by printing
 * "LIBCLANG TOOLING ERROR: ..." to stderr, mixing a missing file with a
 * malformed one; so a missing file is found first, and what libclang prints
 * is caught and shown as the reason.
 */
static CXCompilationDatabase open_db(const char *build_dir)
{
    char *json = cw_strdup_printf("%s/compile_commands.json", build_dir);
    struct stat st;
    if (stat(json, &st) != 0) {
        if (errno == ENOENT)
            fprintf(stderr, "cawait: error: no compile_commands.json in '%s'\n", build_dir);
        else
            fprintf(stderr, "cawait: error: cannot read '%s': %s\n", json, strerror(errno));
        free(json);
        return NULL;
    }
    fflush(stderr);
    FILE *caught = tmpfile();
    int saved = caught ? dup(2) : -1;
    if (saved >= 0)
        dup2(fileno(caught), 2);
    CXCompilationDatabase_Error err;
    CXCompilationDatabase db = clang_CompilationDatabase_fromDirectory(build_dir, &err);
    if (saved >= 0) {
        dup2(saved, 2);
        close(saved);
    }
    if (err != CXCompilationDatabase_NoError) {
        /* The JSON reader's own line, e.g. "json-compilation-database: Expected array." */
        char line[512], why[512] = "";
        if (caught)
            rewind(caught);
        while (caught && fgets(line, sizeof line, caught))
            if (strncmp(line, "json-compilation-database: ", 27) == 0)
                snprintf(why, sizeof why, "%s", line + 27);
        why[strcspn(why, "\n")] = 0;
        fprintf(stderr, "cawait: error: '%s' is not a valid compilation database%s%s\n", json, *why ? ": " : "", why);
        db = NULL;
    }
    if (caught)
        fclose(caught);
    free(json);
    return db;
}

/* The flags of one compile command: its directory as -working-directory, then its arguments. */
static int command_flags(CXCompileCommand cmd, const char *file, const char **args, int room)
{
    CXString dir = clang_CompileCommand_getDirectory(cmd);
    const char *d = clang_getCString(dir);
    int n = 0;
    if (n + 2 <= room) {
        args[n++] = "-working-directory";
        args[n++] = cw_strdup(d);
    }
    unsigned nargs = clang_CompileCommand_getNumArgs(cmd);
    for (unsigned i = 1; i < nargs && n < room; i++) { /* 0 is the compiler */
        CXString a = clang_CompileCommand_getArg(cmd, i);
        const char *s = clang_getCString(a);
        bool skip_next =
            strcmp(s, "-o") == 0 || strcmp(s, "-MF") == 0 || strcmp(s, "-MT") == 0 || strcmp(s, "-MQ") == 0;
        bool drop = skip_next || strcmp(s, "-c") == 0 || strcmp(s, "--") == 0 || strcmp(s, "-MD") == 0 ||
                    strcmp(s, "-MMD") == 0 || same_file(d, s, file);
        if (!drop)
            args[n++] = cw_strdup(s);
        clang_disposeString(a);
        if (skip_next)
            i++;
    }
    clang_disposeString(dir);
    return n;
}

int cw_compdb_flags(const char *build_dir, const char *file, const char **args, int room)
{
    CXCompilationDatabase db = open_db(build_dir);
    if (!db)
        return -1;
    char abs[PATH_MAX];
    const char *key = realpath(file, abs) ? abs : file;
    CXCompileCommands cmds = clang_CompilationDatabase_getCompileCommands(db, key);
    int n = -1;
    if (clang_CompileCommands_getSize(cmds) == 0) {
        fprintf(stderr, "cawait: error: '%s' has no entry in %s/compile_commands.json\n", file, build_dir);
    } else {
        CXCompileCommand cmd = clang_CompileCommands_getCommand(cmds, 0);
        CXString dir = clang_CompileCommand_getDirectory(cmd);
        struct stat st;
        if (stat(clang_getCString(dir), &st) != 0 || !S_ISDIR(st.st_mode))
            fprintf(stderr, "cawait: error: %s/compile_commands.json compiles '%s' in '%s', which is not a directory\n",
                    build_dir, file, clang_getCString(dir));
        else
            n = command_flags(cmd, file, args, room);
        clang_disposeString(dir);
    }
    clang_CompileCommands_dispose(cmds);
    clang_CompilationDatabase_dispose(db);
    return n;
}
