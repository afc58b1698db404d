/* Spelling C declarations from libclang types: `int (*name)[4]` from a type and a name. */
#ifndef CW_CTYPES_H
#define CW_CTYPES_H

#include <clang-c/Index.h>
#include <stdbool.h>

/*
 * The declaration of `name` with type t, e.g. "char (*p)(int)", or with an
 * empty name the type itself as a cast would spell it. NULL when the type
 * cannot be spelled outside its declaration (anonymous struct, variably
 * modified type); *why then says which.
 */
char *cw_declare(CXType t, const char *name, const char **why);

/* The declaration of a parameter `name` of type t, arrays and functions
   adjusted to pointers as C adjusts parameters. */
char *cw_declare_param(CXType t, const char *name, const char **why);

bool cw_is_void(CXType t);
/* Is t, as it is (callers canonicalize), an array type: of constant, unknown or variable length? */
bool cw_is_array_type(CXType t);

/* Names for anonymous tags that have been given one (hoist.c): NULL when the tag has none. */
void cw_set_tag_namer(const char *(*namer)(void *ctx, CXCursor tag), void *ctx);

#endif
