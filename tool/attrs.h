/* Attributes of an async function on its generated entry points (attrs.c). */
#ifndef CW_ATTRS_H
#define CW_ATTRS_H

#include "tu.h"

/* Errors for the attributes of f (a state machine) that cannot carry over. */
void cw_check_attrs(cw_tu *tu, cw_async_fn *f);
/* "__attribute__((weak)) ..." for f's entry points: "" when none (caller frees).
   user_facing: for f__ca_start, which user code calls (deprecated goes there only). */
char *cw_entry_attrs(cw_tu *tu, cw_async_fn *f, bool user_facing);
/* Is every attribute of f about its symbol or its callers (weak, noinline, format...), none about how
   its body is compiled (optimize, target, no_sanitize...), so that the body may move (plain_body.h)?
   [begin, end) is f's text before its body, where attributes clang ignores are looked for. */
bool cw_attrs_leave_body_alone(cw_tu *tu, cw_async_fn *f, unsigned begin, unsigned end);
/* An attribute as written: its name without __x__ underscores ("section") and
   its full text ("section(\".x\")"), both to free. False for an implicit one. */
bool cw_attr_text(cw_tu *tu, CXCursor a, char **name, char **full);

#endif
