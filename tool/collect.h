/*
 * Pass "collect" (collect.c): the async functions of the translation unit,
 * keyed by their canonical declaration, and which of them can suspend.
 */
#ifndef CW_COLLECT_H
#define CW_COLLECT_H

#include "tu.h"

void cw_collect_async(cw_tu *tu);

#endif
