/*
 * Constructs a state machine cannot hold, refused with the reason.
 *
 * alloca and __builtin_frame_address/__builtin_return_address in a function
 * that can suspend: they are about the C stack frame, which a state machine
 * leaves at each suspension (alloca's memory would dangle after an await).
 * gcc's __builtin_va_arg_pack(_len), which only an always_inline function
 * inlined into its caller can use.
 *
 * setjmp and longjmp in a function that can suspend. A state
 * machine returns to its caller at every suspension and resumes from the
 * runtime's loop on another C stack frame, so a jmp_buf saved by setjmp in
 * it names a frame that is gone by the time of a later longjmp; and a longjmp
 * out of it unwinds the runtime's driver, leaving the task's frames
 * half-run. (The frame-stack data would survive; the C stack does not.)
 */
#include "refuse.h"

#include <stdlib.h>
#include <string.h>

static const char *const jumps[] = {
    "setjmp",  "_setjmp",  "__setjmp",   "sigsetjmp",     "__sigsetjmp",       "savectx", "__builtin_setjmp",
    "longjmp", "_longjmp", "siglongjmp", "__longjmp_chk", "__builtin_longjmp", NULL,
};

/* Builtins about the C stack frame, which a state machine leaves at each suspension. */
static const struct {
    const char *name, *why;
} frame_builtins[] = {
    {"alloca", "its memory is released when the function suspends"},
    {"__builtin_alloca", "its memory is released when the function suspends"},
    {"__builtin_alloca_with_align", "its memory is released when the function suspends"},
    {"__builtin_frame_address", "the function runs on a different C stack frame after each suspension"},
    {"__builtin_return_address", "the function returns to the runtime's loop after a suspension"},
    {"__builtin_va_arg_pack", "it stands for the variable arguments of a call inlined in its place, and a state "
                              "machine is never inlined"},
    {"__builtin_va_arg_pack_len", "it stands for the variable arguments of a call inlined in its place, and a "
                                  "state machine is never inlined"},
    {NULL, NULL},
};

static enum CXChildVisitResult find_jumps(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    cw_tu *tu = d;
    if (c.kind != CXCursor_CallExpr)
        return CXChildVisit_Recurse;
    CXString s = clang_getCursorSpelling(clang_getCursorReferenced(c));
    const char *name = clang_getCString(s);
    for (int i = 0; name && frame_builtins[i].name; i++)
        if (strcmp(name, frame_builtins[i].name) == 0)
            cw_error(tu, c, "'%s' in an async function that can suspend: %s", name, frame_builtins[i].why);
    for (int i = 0; name && jumps[i]; i++)
        if (strcmp(name, jumps[i]) == 0) {
            cw_error(
                tu, c,
                "'%s' (setjmp/longjmp) in an async function that can suspend: its C stack frame does not outlive a "
                "suspension, so a jump buffer cannot hold across one",
                name);
            break;
        }
    clang_disposeString(s);
    return CXChildVisit_Recurse;
}

/*
 * A variably modified typedef (`typedef int c[n];`) in a block where an await
 * follows it: a resume point would jump into its scope, past the evaluation
 * of its size, which C forbids. (A variable-length array variable there lives
 * in the frame, which lowering handles or refuses on its own.)
 */
static bool variably_modified(CXType t)
{
    t = clang_getCanonicalType(t);
    for (;;) {
        if (t.kind == CXType_VariableArray || t.kind == CXType_DependentSizedArray)
            return true;
        if (t.kind == CXType_Pointer)
            t = clang_getCanonicalType(clang_getPointeeType(t));
        else if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray)
            t = clang_getCanonicalType(clang_getArrayElementType(t));
        else
            return false;
    }
}

static enum CXChildVisitResult find_vm_typedef(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    CXCursor *found = d;
    if (c.kind == CXCursor_TypedefDecl && variably_modified(clang_getTypedefDeclUnderlyingType(c))) {
        *found = c;
        return CXChildVisit_Break;
    }
    return CXChildVisit_Continue;
}

static enum CXChildVisitResult find_blocks(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    cw_fn *k = d;
    if (c.kind != CXCursor_CompoundStmt)
        return CXChildVisit_Recurse;
    CXCursor *v;
    unsigned n = cw_children(c, &v);
    for (unsigned i = 0; i < n; i++) {
        CXCursor td = clang_getNullCursor();
        if (v[i].kind == CXCursor_DeclStmt)
            clang_visitChildren(v[i], find_vm_typedef, &td);
        if (clang_Cursor_isNull(td))
            continue;
        for (unsigned j = i + 1; j < n; j++)
            if (cw_has_await(k, v[j])) {
                CXString name = clang_getCursorSpelling(td);
                cw_error(k->tu, td,
                         "cawait cannot resume in the scope of '%s', a variably modified type: a jump "
                         "there would skip the evaluation of its size; declare it in a block without "
                         "awaits after it",
                         clang_getCString(name));
                clang_disposeString(name);
                break;
            }
    }
    free(v);
    return CXChildVisit_Recurse;
}

void cw_refuse_unsupported(cw_fn *k, CXCursor body)
{
    clang_visitChildren(body, find_jumps, k->tu);
    if (find_blocks(body, body, k) == CXChildVisit_Recurse)
        clang_visitChildren(body, find_blocks, k);
}
