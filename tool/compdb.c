/*
 * -p BUILD_DIR, as clang tools do it: the compile command recorded for the
 * input file, minus what names the compiler's own inputs and outputs.
 */
#include "compdb.h"

#include "strbuf.h"

#include <clang-c/CXCompilationDatabase.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool same_file(const char *dir, const char *a, const char *b)
{
    char pa[PATH_MAX], pb[PATH_MAX];
    char *full = a[0] == '/' ? cw_strdup(a) : cw_strdup_printf("%s/%s", dir, a);
    bool same = realpath(full, pa) && realpath(b, pb) && strcmp(pa, pb) == 0;
    free(full);
    return same;
}

int cw_compdb_flags(const char *build_dir, const char *file, const char **args, int room)
{
    CXCompilationDatabase_Error err;
    CXCompilationDatabase db = clang_CompilationDatabase_fromDirectory(build_dir, &err);
    if (err != CXCompilationDatabase_NoError) {
        fprintf(stderr, "cawait: error: no compile_commands.json in '%s'\n", build_dir);
        return -1;
    }
    char abs[PATH_MAX];
    const char *key = realpath(file, abs) ? abs : file;
    CXCompileCommands cmds = clang_CompilationDatabase_getCompileCommands(db, key);
    int n = -1;
    if (clang_CompileCommands_getSize(cmds) == 0) {
        fprintf(stderr, "cawait: error: '%s' has no entry in %s/compile_commands.json\n", file, build_dir);
    } else {
        CXCompileCommand cmd = clang_CompileCommands_getCommand(cmds, 0);
        CXString dir = clang_CompileCommand_getDirectory(cmd);
        const char *d = clang_getCString(dir);
        n = 0;
        if (n + 2 <= room) {
            args[n++] = "-working-directory";
            args[n++] = cw_strdup(d);
        }
        unsigned nargs = clang_CompileCommand_getNumArgs(cmd);
        for (unsigned i = 1; i < nargs && n < room; i++) { /* 0 is the compiler */
            CXString a = clang_CompileCommand_getArg(cmd, i);
            const char *s = clang_getCString(a);
            bool skip_next = strcmp(s, "-o") == 0 || strcmp(s, "-MF") == 0 || strcmp(s, "-MT") == 0 ||
                             strcmp(s, "-MQ") == 0;
            bool drop = skip_next || strcmp(s, "-c") == 0 || strcmp(s, "--") == 0 || strcmp(s, "-MD") == 0 ||
                        strcmp(s, "-MMD") == 0 || same_file(d, s, file);
            if (!drop)
                args[n++] = cw_strdup(s);
            clang_disposeString(a);
            if (skip_next)
                i++;
        }
        clang_disposeString(dir);
    }
    clang_CompileCommands_dispose(cmds);
    clang_CompilationDatabase_dispose(db);
    return n;
}
