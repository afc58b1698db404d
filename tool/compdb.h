/* Clang flags for a file from a build's compile_commands.json (-p BUILD_DIR). */
#ifndef CW_COMPDB_H
#define CW_COMPDB_H

/*
 * Append to args (which has room for `room` more entries; strings are
 * leaked on purpose: they live as long as the process) the flags that the
 * build uses for `file`: -I, -D, -std... and -working-directory. Returns the
 * number appended, or -1 with a message when the database or the file's
 * entry is missing.
 */
int cw_compdb_flags(const char *build_dir, const char *file, const char **args, int room);

#endif
