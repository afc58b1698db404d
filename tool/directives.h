/*
 * Preprocessor directives in the text a state machine replaces (its
 * definition, or its prototype). Lowering rebuilds the body from the AST, in
 * which directives have left no trace, so without this they are lost:
 *   - a #define or #undef in the body changes what the rest of the file
 *     means (`#undef N` / `#define N 5` inside f, `N` used after f);
 *   - a conditional that began before the function and ends inside its text
 *     (`#ifdef PROTOTYPES f(struct s x) #else f(x) struct s x; #endif {`,
 *     gcc's c-torture/compile structs.c) would lose its #else and #endif.
 * #define and #undef lines the preprocessor did not skip are kept where they
 * stand between statements (lower_stmt.c); conditionals whose other half
 * lies outside the text are kept before (closing ones) or after (opening
 * ones) the generated code. Conditionals wholly inside the text are dropped:
 * clang chose the branch, and only its code is generated.
 */
#ifndef CW_DIRECTIVES_H
#define CW_DIRECTIVES_H

#include "strbuf.h"
#include "tu.h"

typedef struct {
    unsigned begin, end; /* main-file offsets: the '#' and the end of the line (continued lines included) */
} cw_directive;

/* The directive lines of text[from, to), outside comments, in order. Caller frees *out. */
size_t cw_directive_lines(const char *text, unsigned from, unsigned to, cw_directive **out);

/* Did the preprocessor skip main-file offset off (#if 0, a false #ifdef)? */
bool cw_skipped(cw_tu *tu, unsigned off);

/* Append to out (unless NULL), each on its own line, the #define and #undef lines of [from, to) that the
   preprocessor did not skip; how many. */
size_t cw_gap_defines(cw_tu *tu, strbuf *out, unsigned from, unsigned to);

/* The conditionals of [begin, end) whose other half lies outside it: those that close or continue a group begun
   before (to put before generated code replacing the text) and those that open a group ending after (to put
   after it), each on its own line. */
void cw_unmatched_conditionals(cw_tu *tu, unsigned begin, unsigned end, strbuf *before, strbuf *after);

#endif
