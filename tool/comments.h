/*
 * The user's comments between the statements of a lowered body. Lowering
 * rebuilds statements from the AST, so the text between them (where comments
 * live) would be lost; a `fall through` comment before a case label matters
 * to gcc's -Wimplicit-fallthrough.
 */
#ifndef CW_COMMENTS_H
#define CW_COMMENTS_H

#include "strbuf.h"

#include <stddef.h>

/* Append the comments of text[from, to), each as a one-line block comment
   followed by a space, so that no output line moves. */
void cw_gap_comments(strbuf *out, const char *text, size_t from, size_t to);

#endif
