/*
 * What the tool knows about libcawait's own awaits, read from the marks the
 * runtime's headers put on their declarations (runtime.h, "Marks for the
 * cawait tool"): annotate("cawait_runtime in_task"), "... op_frames N BYTES"
 * or "... on_resume". A user's header in a directory named cawait/ is just
 * a user's header.
 */
#include "runtime_awaits.h"

#include <stdlib.h>
#include <string.h>

static const char prefix[] = "cawait_runtime ";

/* Apply one mark's text (after the prefix) to f; false when it is not one the tool knows. */
static bool apply_mark(cw_async_fn *f, const char *what)
{
    if (strcmp(what, "in_task") == 0) {
        f->runtime_wait_bytes = 0;
    } else if (strcmp(what, "on_resume") == 0) {
        f->runtime_wait_bytes = 0;
        f->result_on_resume = true;
    } else if (strncmp(what, "op_frames ", 10) == 0) { /* "op_frames N BYTES" */
        char *end, *end2;
        long long n = strtoll(what + 10, &end, 10), bytes = strtoll(end, &end2, 10);
        if (end == what + 10 || end2 == end || *end2 || n < 0 || bytes < 0)
            return false;
        f->runtime_wait_bytes = n * bytes;
        f->runtime_op_frames = n;
    } else {
        return false;
    }
    f->from_cawait = true;
    return true;
}

void cw_read_runtime_mark(cw_tu *tu, cw_async_fn *f, CXCursor decl)
{
    CXCursor *v;
    unsigned n = cw_children(decl, &v);
    for (unsigned i = 0; i < n; i++) {
        if (v[i].kind != CXCursor_AnnotateAttr)
            continue;
        CXString s = clang_getCursorSpelling(v[i]);
        const char *text = clang_getCString(s);
        if (strncmp(text, prefix, sizeof prefix - 1) == 0 && !apply_mark(f, text + sizeof prefix - 1))
            cw_error(tu, decl, "unknown cawait runtime mark '%s' on '%s' (see runtime.h)", text, f->name);
        clang_disposeString(s);
    }
    free(v);
}

long long cw_runtime_wait_bytes(const cw_async_fn *f)
{
    return f->runtime_wait_bytes;
}

bool cw_result_on_resume(const cw_async_fn *f)
{
    return f->from_cawait && f->result_on_resume;
}
