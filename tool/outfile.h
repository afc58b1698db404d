/* Writing an output file so that a build never sees half of it. */
#ifndef CW_OUTFILE_H
#define CW_OUTFILE_H

#include <stddef.h>

/*
 * Write len bytes of text to path: into a temporary beside it, renamed into
 * place, with the mode creat(2) would give (0666 less the umask). When path
 * exists and is not a regular file (/dev/null, a FIFO, a terminal), write
 * straight into it instead: renaming over it would replace the device or
 * pipe with a regular file. 0, or -1 with errno set.
 */
int cw_write_file(const char *path, const char *text, size_t len);

/* Undo a cw_write_file after a later step failed: remove path when it is a
   regular file (a device or FIFO written into stays). */
void cw_remove_output(const char *path);

#endif
