/*
 * Part of pass "check": the source's preprocessing shape. A header included
 * inside the body of an async function that becomes a state machine would be
 * lowered declaration by declaration (stdio.h: a hundred errors located in
 * system headers); one error at the #include says what to do instead.
 */
#include "check.h"

struct includes {
    cw_tu *tu;
};

/* The state machine whose body holds main-file offset off, or NULL. */
static cw_async_fn *enclosing_state_machine(cw_tu *tu, unsigned off)
{
    for (size_t i = 0; i < tu->nfns; i++) {
        cw_async_fn *f = &tu->fns[i];
        unsigned b, e;
        if (f->defined_here && f->can_suspend && cw_expansion_range(tu, f->decl, &b, &e) && b <= off && off < e)
            return f;
    }
    return NULL;
}

static void visit(CXFile file, CXSourceLocation *stack, unsigned depth, CXClientData d)
{
    (void)file;
    cw_tu *tu = ((struct includes *)d)->tu;
    if (depth != 1)
        return; /* only #include lines written in the main file */
    CXFile in;
    unsigned off;
    clang_getExpansionLocation(stack[0], &in, NULL, NULL, &off);
    if (!in || !clang_File_isEqual(in, tu->main_file))
        return;
    cw_async_fn *f = enclosing_state_machine(tu, off);
    if (f)
        cw_error_at(tu, stack[0],
                    "#include inside the body of async function '%s': cawait cannot lower a header's "
                    "declarations into a state machine; include it at file scope",
                    f->name);
}

void cw_check_source(cw_tu *tu)
{
    struct includes k = {tu};
    clang_getInclusions(tu->tu, visit, &k);
}
