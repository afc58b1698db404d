/*
 * Small file helpers shared by cawait and cawait-cc: reading a whole file,
 * naming a companion file (x.o -> x.d), Make's escaping of a path.
 */
#ifndef CW_FILES_H
#define CW_FILES_H

#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/* The whole file, NUL-terminated (it may hold NUL bytes: *size counts them);
   NULL with errno set when it cannot be read. Caller frees. */
char *cw_read_file(const char *path, size_t *size);

/* "dir/x.o" -> "dir/x" + suffix ("dir/.x" and "dir/x" keep their names whole);
   with base_only, the directory is dropped too. Caller frees. */
char *cw_replace_suffix(const char *path, const char *suffix, bool base_only);

/* Append path escaped as gcc writes it in a dependency file: '\ ', '\#', '$$'. */
void cw_put_make_escaped(strbuf *b, const char *path);

/* Do a and b name the same existing file (same device and inode)? */
bool cw_same_file(const char *a, const char *b);

#endif
