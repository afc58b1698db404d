/*
 * Pass "check": misuse diagnostics before anything is lowered (check.c,
 * task_types.c, check_source.c).
 */
#ifndef CW_CHECK_H
#define CW_CHECK_H

#include "tu.h"

void cw_check(cw_tu *tu);        /* misuse diagnostics */
void cw_check_tasks(cw_tu *tu);  /* typed task handles: checks, and which spawns keep their value */
void cw_check_source(cw_tu *tu); /* #include inside a state machine's body */
/* A macro named like a keyword the generated code spells: an error at its #define (for a file that is rewritten). */
void cw_refuse_keyword_macros(cw_tu *tu);
/* Does the task of a ca_spawn, whose async call is `call`, keep its value (found by cw_check_tasks)? */
bool cw_spawn_keeps_value(cw_tu *tu, CXCursor call);

#endif
