/* Small file helpers shared by cawait and cawait-cc (files.h). */
#include "files.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

char *cw_read_file(const char *path, size_t *size)
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
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (err) {
        sb_free(&b);
        errno = err;
        return NULL;
    }
    *size = b.len;
    return sb_take(&b);
}

char *cw_replace_suffix(const char *path, const char *suffix, bool base_only)
{
    const char *slash = strrchr(path, '/');
    if (base_only && slash)
        path = slash + 1, slash = NULL;
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t keep = dot && dot != base ? (size_t)(dot - path) : strlen(path);
    return cw_strdup_printf("%.*s%s", (int)keep, path, suffix);
}

void cw_put_make_escaped(strbuf *b, const char *path)
{
    for (const char *s = path; *s; s++) {
        if (*s == ' ' || *s == '#')
            sb_putn(b, "\\", 1);
        if (*s == '$')
            sb_putn(b, "$", 1);
        sb_putn(b, s, 1);
    }
}

bool cw_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}
