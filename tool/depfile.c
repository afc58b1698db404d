/*
 * Dependency files in the format gcc's -MD writes, so Make and Ninja rerun
 * cawait when a header the input includes changes. Every included file is
 * listed, system headers too (as -MD does), each once.
 */
#include "depfile.h"

#include "files.h"
#include "outfile.h"
#include "strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct deps {
    strbuf text;
};

static void add_file(CXFile file, CXSourceLocation *stack, unsigned depth, CXClientData d)
{
    (void)stack;
    (void)depth;
    struct deps *k = d;
    /* The real path: a name relative to clang's -working-directory means nothing to Make. */
    CXString name = clang_File_tryGetRealPathName(file);
    if (!*clang_getCString(name)) {
        clang_disposeString(name);
        name = clang_getFileName(file);
    }
    sb_puts(&k->text, " \\\n  ");
    cw_put_make_escaped(&k->text, clang_getCString(name));
    clang_disposeString(name);
}

int cw_write_depfile(CXTranslationUnit tu, const char *path, const char *target)
{
    struct deps k;
    sb_init(&k.text);
    cw_put_make_escaped(&k.text, target);
    sb_puts(&k.text, ":");
    clang_getInclusions(tu, add_file, &k);
    sb_puts(&k.text, "\n");
    int rc = 0;
    if (cw_write_file(path, k.text.s, k.text.len) != 0) {
        fprintf(stderr, "cawait: error: cannot write '%s': %s\n", path, strerror(errno));
        rc = -1;
    }
    sb_free(&k.text);
    return rc;
}
