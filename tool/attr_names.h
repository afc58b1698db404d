/* Attributes whose arguments name an async function (attr_names.c). */
#ifndef CW_ATTR_NAMES_H
#define CW_ATTR_NAMES_H

#include "tu.h"

/* Errors for attribute a (a cursor of the main file) if it names an async function that cannot be named. */
void cw_check_attr_names(cw_tu *tu, CXCursor a);
/* The same for the attributes clang ignored in the main file (gcc's copy...), which have no cursor. */
void cw_check_ignored_attr_names(cw_tu *tu);

#endif
