/*
 * Async function pointers: which values are async callables, the checks on
 * them (fnptr.c), and calls through them (fnptr_call.c).
 *
 * `async` is a declaration attribute (keywords.h), so clang's types do not
 * say which function pointers are async: the tool does. A value is an async
 * callable when it is an async function, or names (through member access,
 * subscripts, `*`, `&`) a variable, parameter or struct member declared
 * `async`, or has a type written with a typedef declared `async` (at any
 * depth of pointers and arrays). Casts, calls and other expressions carry
 * asyncness only through such a typedef.
 *
 * The ABI (abi.h): an async pointer holds the callee's __ca_start entry,
 * cast to the pointer's declared type, so declarations (in headers too) keep
 * their C types and a pointer made in one file can be awaited in another.
 */
#ifndef CW_FNPTR_H
#define CW_FNPTR_H

#include "tu.h"

typedef enum cw_callable {
    CW_NOT_CALLABLE, /* not a function, nor a pointer or array of them */
    CW_PLAIN_CALLABLE,
    CW_ASYNC_CALLABLE
} cw_callable;

/* Does decl carry cawait's `async` attribute? */
bool cw_has_async_attr(CXCursor decl);
/* Is t written with an async typedef (through pointers and arrays)? */
bool cw_type_is_async(CXType t);
/* Is a variable, parameter, member or typedef declared async (attribute or typedef)? */
bool cw_decl_is_async(CXCursor decl);
/* What kind of callable the value of expression e is. */
cw_callable cw_callable_of(cw_tu *tu, CXCursor e);
/* The association a _Generic selection chose, when it is the only one of the selection's type; else a
   null cursor (clang's C API does not say which it chose). */
CXCursor cw_generic_chosen(CXCursor sel);
/* Is call a call through an async function pointer (not of an async function by name)? */
bool cw_is_ptr_call(cw_tu *tu, CXCursor call);
/* The function type a call through a pointer calls. */
CXType cw_ptr_call_type(CXCursor call);

/* Conversions between async and plain callables at c (an initialisation,
   assignment, argument, return or cast), checked where clang cannot;
   fn is the enclosing function or a null cursor. */
void cw_check_fnptr_conversions(cw_tu *tu, CXCursor c, CXCursor fn);

#endif
