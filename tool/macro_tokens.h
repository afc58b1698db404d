/*
 * The tokens macros made by `#` and `##` in an expansion (macro_tokens.c),
 * to tell whether a name written in a macro's argument is also turned into a
 * string or pasted into another token, in which case editing the argument's
 * text would change them.
 */
#ifndef CW_MACRO_TOKENS_H
#define CW_MACRO_TOKENS_H

#include "tu.h"

typedef struct {
    struct cw_macro_token {
        unsigned at; /* main-file offset of the (outermost) macro invocation that made it */
        char *text;  /* its spelling: a literal with its quotes, or a name */
        bool literal;
    } * v;
    size_t n;
    bool known; /* read already */
} cw_macro_tokens;

/* Read, once, the made tokens of the expressions under roots. */
void cw_macro_tokens_read(cw_tu *tu, cw_macro_tokens *t, const CXCursor *roots, size_t n);
/* Does a token made by the invocation at `at` hold name (a word of a literal, or part of a pasted name)? */
bool cw_macro_tokens_mention(const cw_macro_tokens *t, unsigned at, const char *name);
void cw_macro_tokens_free(cw_macro_tokens *t);

#endif
