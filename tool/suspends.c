/*
 * Can code suspend here (suspends.h)? The one test that decides both which
 * async functions can suspend (collect.c) and which statements and
 * expressions the lowering turns into resume points.
 */
#include "suspends.h"

struct await_search {
    cw_tu *tu;
    cw_async_fn *fn;
    bool (*escaping)(void *, CXCursor);
    void *ctx;
    bool found;
};

static enum CXChildVisitResult find_await(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct await_search *s = d;
    if (c.kind == CXCursor_UnaryExpr) /* sizeof, _Alignof: never evaluated */
        return CXChildVisit_Continue;
    if (cw_is_yield(s->tu, c) || cw_is_ca_for(s->tu, c) || (s->escaping && s->escaping(s->ctx, c))) {
        s->found = true;
        return CXChildVisit_Break;
    }
    if (cw_is_await(s->tu, c)) {
        cw_async_fn *f = cw_async_callee(s->tu, cw_keyword_call(s->tu, c));
        if (!f || f->can_suspend) {
            s->found = true;
            return CXChildVisit_Break;
        }
    }
    /* A jump out of a statement expression in a state machine is lowered like an await (stmt_expr.c). */
    if (c.kind == CXCursor_StmtExpr && s->fn->can_suspend && cw_stmt_expr_jumps(c)) {
        s->found = true;
        return CXChildVisit_Break;
    }
    return CXChildVisit_Recurse;
}

bool cw_suspends_in(cw_tu *tu, cw_async_fn *fn, CXCursor c, bool (*escaping)(void *, CXCursor), void *ctx)
{
    if (c.kind == CXCursor_UnaryExpr)
        return false;
    struct await_search s = {tu, fn, escaping, ctx, false};
    if (cw_is_yield(tu, c) || cw_is_ca_for(tu, c) || (escaping && escaping(ctx, c)))
        return true;
    if (cw_is_await(tu, c)) {
        find_await(c, c, &s);
        if (s.found)
            return true;
    }
    clang_visitChildren(c, find_await, &s);
    return s.found;
}

CXCursor cw_keyword_call(cw_tu *tu, CXCursor keyword)
{
    CXCursor c = cw_strip(cw_child(keyword, 0));
    if (cw_is_ca_spawn(tu, keyword)) /* ((void)(call), (struct ca_task *)0) */
        c = cw_strip(cw_child(cw_child(cw_strip(keyword), 0), 0));
    return c;
}

static enum CXChildVisitResult find_jump(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    if (c.kind == CXCursor_ReturnStmt || c.kind == CXCursor_BreakStmt || c.kind == CXCursor_ContinueStmt ||
        c.kind == CXCursor_GotoStmt || c.kind == CXCursor_IndirectGotoStmt) {
        *(bool *)d = true;
        return CXChildVisit_Break;
    }
    return CXChildVisit_Recurse;
}

bool cw_stmt_expr_jumps(CXCursor e)
{
    bool found = false;
    clang_visitChildren(e, find_jump, &found);
    return found;
}
