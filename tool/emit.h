/*
 * Pass "emit": the output file, the main file's text with the lower pass'
 * edits applied (emit.c).
 */
#ifndef CW_EMIT_H
#define CW_EMIT_H

#include "lower_tu.h"

/* The transformed file, for a non-empty l (with none, the output is the input). Caller frees. */
char *cw_emit(cw_tu *tu, const cw_lowered_tu *l);

#endif
