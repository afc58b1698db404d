/*
 * Dependency files in the format gcc's -MD writes, so Make and Ninja rerun
 * cawait when a header the input includes changes. Every included file is
 * listed, system headers too (as -MD does), each once.
 */
#include "depfile.h"

#include "strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct deps {
    strbuf text;
};

/* Spaces and '#' must be escaped in Make; '$' doubled. */
static void put_escaped(strbuf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == ' ' || *s == '#')
            sb_puts(b, "\\");
        if (*s == '$')
            sb_puts(b, "$");
        sb_putn(b, s, 1);
    }
}

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
    put_escaped(&k->text, clang_getCString(name));
    clang_disposeString(name);
}

int cw_write_depfile(CXTranslationUnit tu, const char *path, const char *target)
{
    struct deps k;
    sb_init(&k.text);
    put_escaped(&k.text, target);
    sb_puts(&k.text, ":");
    clang_getInclusions(tu, add_file, &k);
    sb_puts(&k.text, "\n");
    FILE *f = fopen(path, "w");
    int rc = 0;
    if (!f || fputs(sb_str(&k.text), f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "cawait: error: cannot write '%s': %s\n", path, strerror(errno));
        rc = -1;
    }
    sb_free(&k.text);
    return rc;
}
