/*
 * The body of an async function that cannot suspend, moved into a static
 * function f__ca_body that both f and its entry f__ca_start call
 * (plain_body.c), so that a call through an async pointer runs the body
 * itself, not a call of f.
 */
#ifndef CW_PLAIN_BODY_H
#define CW_PLAIN_BODY_H

#include "strbuf.h"
#include "tu.h"

/*
 * f's definition [begin, end), whose text copied for the output is *user:
 * when its body may move, *user becomes f's own text with a body that calls
 * f__ca_body, `proto` gets f__ca_body's prototype (to go before f) and
 * `body` its definition (after f), and true is returned. Otherwise nothing
 * changes and f__ca_start calls f.
 */
bool cw_move_plain_body(cw_tu *tu, cw_async_fn *f, unsigned begin, unsigned end, char **user, strbuf *proto,
                        strbuf *body);

#endif
