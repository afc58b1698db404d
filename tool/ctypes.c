/*
 * Declarators from types. C writes a declaration inside out: the type of a
 * pointer to an array of 4 int named p is `int (*p)[4]`. cw_declare builds
 * the declarator around the name, from the outermost type constructor in.
 */
#include "ctypes.h"

#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

static const char *(*tag_namer)(void *, CXCursor);
static void *tag_namer_ctx;

void cw_set_tag_namer(const char *(*namer)(void *ctx, CXCursor tag), void *ctx)
{
    tag_namer = namer;
    tag_namer_ctx = ctx;
}

static char *qualifiers(CXType t)
{
    return cw_strdup_printf("%s%s%s", clang_isConstQualifiedType(t) ? "const " : "",
                            clang_isVolatileQualifiedType(t) ? "volatile " : "",
                            clang_isRestrictQualifiedType(t) ? "restrict " : "");
}

/* Canonical: a __typeof__ of a function or array type is spelled as that type (see declare). */
static bool is_array_or_function(CXType t)
{
    switch (clang_getCanonicalType(t).kind) {
    case CXType_ConstantArray:
    case CXType_IncompleteArray:
    case CXType_VariableArray:
    case CXType_FunctionProto:
    case CXType_FunctionNoProto:
        return true;
    default:
        return false;
    }
}

static char *declare(CXType t, char *inner, const char **why);

static char *declare_params(CXType fn, const char **why)
{
    strbuf b;
    sb_init(&b);
    int n = clang_getNumArgTypes(fn);
    for (int i = 0; i < n; i++) {
        char *p = declare(clang_getArgType(fn, (unsigned)i), cw_strdup(""), why);
        if (!p) {
            sb_free(&b);
            return NULL;
        }
        sb_printf(&b, "%s%s", i ? ", " : "", p);
        free(p);
    }
    if (clang_isFunctionTypeVariadic(fn))
        sb_puts(&b, n ? ", ..." : "...");
    else if (n == 0)
        sb_puts(&b, "void");
    return sb_take(&b);
}

/* Takes ownership of inner. */
static char *declare(CXType t, char *inner, const char **why)
{
    char *r = NULL;
    switch (t.kind) {
    case CXType_Pointer: {
        CXType to = clang_getPointeeType(t);
        char *q = qualifiers(t);
        char *in = cw_strdup_printf(is_array_or_function(to) ? "(*%s%s)" : "*%s%s", q, inner);
        free(q);
        free(inner);
        return declare(to, in, why);
    }
    case CXType_ConstantArray: {
        char *in = cw_strdup_printf("%s[%lld]", inner, clang_getArraySize(t));
        free(inner);
        return declare(clang_getArrayElementType(t), in, why);
    }
    case CXType_IncompleteArray: {
        char *in = cw_strdup_printf("%s[]", inner);
        free(inner);
        return declare(clang_getArrayElementType(t), in, why);
    }
    case CXType_FunctionProto:
    case CXType_FunctionNoProto: {
        char *params = t.kind == CXType_FunctionProto ? declare_params(t, why) : cw_strdup("");
        if (!params) {
            free(inner);
            return NULL;
        }
        char *in = cw_strdup_printf("%s(%s)", inner, params);
        free(params);
        free(inner);
        return declare(clang_getResultType(t), in, why);
    }
    case CXType_VariableArray:
    case CXType_DependentSizedArray:
        *why = "a variable-length array type";
        free(inner);
        return NULL;
    default:
        break;
    }
    CXString s = clang_getTypeSpelling(t);
    const char *sp = clang_getCString(s);
    if (strncmp(sp, "typeof", 6) == 0 && !clang_equalTypes(t, clang_getCanonicalType(t))) {
        /* __typeof__(expr) (ca_task_of's too) prints as `typeof (...)`, no keyword in strict C, and its
           expression may name locals: spell the type it stands for instead. */
        clang_disposeString(s);
        return declare(clang_getCanonicalType(t), inner, why);
    }
    CXCursor tag = clang_getTypeDeclaration(t);
    const char *named =
        tag_namer && (strstr(sp, "(unnamed") || strstr(sp, "(anonymous")) ? tag_namer(tag_namer_ctx, tag) : NULL;
    if (named) {
        char *q = qualifiers(t);
        const char *kw = tag.kind == CXCursor_UnionDecl ? "union" : tag.kind == CXCursor_EnumDecl ? "enum" : "struct";
        r = cw_strdup_printf("%s%s %s%s%s", q, kw, named, *inner ? " " : "", inner);
        free(q);
    } else if (strstr(sp, "(unnamed") || strstr(sp, "(anonymous")) {
        *why = "an unnamed struct, union or enum type";
    } else {
        r = cw_strdup_printf("%s%s%s", sp, *inner ? " " : "", inner);
    }
    clang_disposeString(s);
    free(inner);
    return r;
}

char *cw_declare(CXType t, const char *name, const char **why)
{
    static const char *unused;
    return declare(t, cw_strdup(name), why ? why : &unused);
}

bool cw_is_array_type(CXType t)
{
    return t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray || t.kind == CXType_VariableArray;
}

char *cw_declare_param(CXType t, const char *name, const char **why)
{
    static const char *unused;
    CXType c = clang_getCanonicalType(t);
    bool array = cw_is_array_type(c);
    CXType named = t.kind == CXType_Elaborated ? clang_Type_getNamedType(t) : t;
    if (array && named.kind == CXType_Typedef) {
        /* va_list is `struct __va_list_tag[1]`, whose tag no program may name: reach the element through the
           typedef's name, as C adjusts the parameter to a pointer to it. */
        CXString tn = clang_getTypeSpelling(clang_getUnqualifiedType(t));
        char *r = cw_strdup_printf("__typeof__((*(%s *)0)[0]) (*%s)", clang_getCString(tn), name);
        clang_disposeString(tn);
        return r;
    }
    if (array)
        return declare(clang_getArrayElementType(c), cw_strdup_printf("(*%s)", name), why ? why : &unused);
    if (c.kind == CXType_FunctionProto || c.kind == CXType_FunctionNoProto)
        return declare(t, cw_strdup_printf("(*%s)", name), why ? why : &unused);
    return declare(t, cw_strdup(name), why ? why : &unused);
}

bool cw_is_void(CXType t)
{
    return clang_getCanonicalType(t).kind == CXType_Void;
}
