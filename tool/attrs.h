/* Attributes of an async function on its generated entry points (attrs.c). */
#ifndef CW_ATTRS_H
#define CW_ATTRS_H

#include "tu.h"

/* Errors for the attributes of f (a state machine) that cannot carry over. */
void cw_check_attrs(cw_tu *tu, cw_async_fn *f);
/* "__attribute__((weak)) ..." for f's entry points: "" when none (caller frees).
   user_facing: for f__ca_start, which user code calls (deprecated goes there only). */
char *cw_entry_attrs(cw_tu *tu, cw_async_fn *f, bool user_facing);
/* "__attribute__((target(\"avx2\"))) ..." for the code that runs f's body (its resume function, or its
   body moved out of a plain f): what shapes how that code is made. "" when none (caller frees). */
char *cw_body_attrs(cw_tu *tu, cw_async_fn *f);
/* May a plain f's body move into another function (plain_body.h)? Each of its attributes is about
   its symbol or its callers (weak, noinline, format...), or one cw_body_attrs gives the body too. */
bool cw_attrs_let_body_move(cw_tu *tu, cw_async_fn *f);
/* An attribute as written: its name without __x__ underscores ("section") and
   its full text ("section(\".x\")"), both to free. False for an implicit one. */
bool cw_attr_text(cw_tu *tu, CXCursor a, char **name, char **full);
/* The attributes clang ignored in the main file (it does not know them: gcc's copy, optimize...),
   which have no cursor, read from its warnings. */
const struct cw_ignored_attr *cw_ignored_attrs(cw_tu *tu, size_t *n);

#endif
