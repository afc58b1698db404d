/*
 * GNU statement expressions `({ decl; stmt; value; })` that must be lowered
 * as statements: those holding an await (or a yield or ca_for), and, in a
 * state machine, those holding a jump (return, break, continue, goto),
 * which copied as text would jump inside the resume function instead of
 * the user's function (a return would return a status, a continue skip a
 * lowered loop's increment, a goto skip the generators it leaves).
 *
 * The block becomes a block of lowered statements at the place where C
 * evaluates the expression; its value, the last statement when that is an
 * expression, is stored in a frame temporary read afterwards. Its locals
 * are planned like any block's (lower_stmt.c's plan_vars).
 */
#include "lower.h"

#include "ctypes.h"

#include <stdlib.h>

cw_val cw_lin_stmt_expr(cw_fn *k, strbuf *out, CXCursor e, bool unused)
{
    CXCursor body = cw_child(e, 0);
    unsigned b, en;
    if (body.kind != CXCursor_CompoundStmt || !cw_clean_range(k->tu, body, &b, &en)) {
        cw_error(k->tu, e,
                 "cawait cannot transform a statement expression written in a macro's body that "
                 "awaits or jumps");
        return (cw_val){cw_strdup("0"), true};
    }
    CXType t = clang_getCursorType(e);
    char *tmp = !unused && !cw_is_void(t) ? cw_new_temp(k, t, e) : NULL;
    CXCursor *v;
    unsigned n = cw_children(body, &v);
    sb_puts(out, "{ ");
    cw_scope_push(k, body);
    for (unsigned i = 0; i < n; i++) {
        if (i + 1 < n || !clang_isExpression(v[i].kind)) {
            cw_stmt(k, out, v[i]);
            continue;
        }
        cw_line(k, out, v[i]);
        cw_val x = unused || !tmp ? cw_lin_unused(k, out, v[i]) : cw_lin(k, out, v[i], false);
        if (tmp && x.s)
            cw_assign(out, t, tmp, x.s);
        else if (x.s && !x.stable)
            sb_printf(out, "(void)(%s); ", x.s);
        free(x.s);
    }
    cw_scope_pop(k, out);
    sb_puts(out, "} ");
    free(v);
    return (cw_val){tmp, true};
}
