/*
 * --diagnostics-format=json: each diagnostic as one JSON object on its own
 * line of standard error (JSON Lines), for editors and CI:
 *   {"file":"a.c","line":7,"column":10,"severity":"error","message":"...","source":"cawait"}
 * "source" is "cawait" for the tool's own diagnostics and "clang" for the
 * errors clang found while parsing. Bytes of a name or message that are not
 * UTF-8 are written as \u00XX escapes, so each line is valid JSON.
 */
#ifndef CW_DIAG_JSON_H
#define CW_DIAG_JSON_H

#include <stdio.h>

void cw_diag_json(FILE *to, const char *source, const char *severity, const char *file, unsigned line, unsigned column,
                  const char *message);

#endif
