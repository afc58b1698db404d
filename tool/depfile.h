/* A Make dependency file (-MD/-MF): OUT.c depends on IN.c and every header it includes. */
#ifndef CW_DEPFILE_H
#define CW_DEPFILE_H

#include <clang-c/Index.h>

/* Write "target: deps..." for tu to path; 0, or -1 with a message. */
int cw_write_depfile(CXTranslationUnit tu, const char *path, const char *target);

#endif
