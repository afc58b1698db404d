/*
 * An attribute may name a function: alias("f"), weakref("f"), ifunc("f") by
 * its symbol, copy(f) or cleanup(f) by its identifier. A state machine f
 * leaves no function of that name in the output (only f__ca_start, f__ca_make
 * and a static resume function), so cc would reject it ("'f' undeclared"):
 * any attribute with an argument that is exactly such a name is refused at the
 * attribute. An async function that never suspends stays plain C under its
 * own name: naming it is fine, except in cleanup(f), which calls f where the
 * scope ends and never awaits it.
 * Found by gcc's c-torture (20190827-1.c: `int init_module(void)
 * __attribute__((__copy__(xt_init))) __attribute__((alias("xt_init")));`).
 */
#include "attr_names.h"

#include "attrs.h"
#include "lower.h"

#include <stdlib.h>
#include <string.h>

/* Attributes whose string arguments are symbol names (elsewhere a string is a section, a target...). */
static bool takes_symbol(const char *attr)
{
    return strcmp(attr, "alias") == 0 || strcmp(attr, "weakref") == 0 || strcmp(attr, "ifunc") == 0;
}

static cw_async_fn *by_name(cw_tu *tu, const char *s, size_t n)
{
    for (size_t i = 0; i < tu->nfns; i++)
        if (strlen(tu->fns[i].name) == n && strncmp(tu->fns[i].name, s, n) == 0)
            return &tu->fns[i];
    return NULL;
}

/* The async function an argument (its text from s to e) of attribute `attr` at `where` names, or NULL. */
static cw_async_fn *named_fn(cw_tu *tu, CXSourceLocation where, const char *attr, const char *s, const char *e)
{
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\n'))
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'))
        e--;
    if (e - s >= 2 && *s == '"' && e[-1] == '"' && takes_symbol(attr))
        s++, e--;
    else if (s < e && *s == '#' && takes_symbol(attr)) /* alias(#f) in a macro's body */
        s++;
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    if (s == e || (*s >= '0' && *s <= '9'))
        return NULL;
    for (const char *p = s; p < e; p++)
        if (!cw_ident_char(*p))
            return NULL;
    cw_async_fn *f = by_name(tu, s, (size_t)(e - s));
    if (!f) { /* a macro's parameter: `#define ALIAS(f) __attribute__((alias(#f)))`, ALIAS(xt_init) */
        char *param = strndup(s, (size_t)(e - s));
        char *arg = cw_macro_argument(tu, where, param);
        f = arg ? by_name(tu, arg, strlen(arg)) : NULL;
        free(param), free(arg);
    }
    return f;
}

static void refuse(cw_tu *tu, CXSourceLocation where, const char *attr, cw_async_fn *f)
{
    if (strcmp(attr, "cleanup") == 0)
        cw_error_at(tu, where,
                    "async function '%s' used as a value (a cleanup function is called, not awaited); "
                    "call it with await where the scope ends",
                    f->name);
    else if (f->can_suspend)
        cw_error_at(tu, where,
                    "attribute '%s' names async function '%s', which becomes a state machine: "
                    "no function of that name exists in the output",
                    attr, f->name);
}

/* Each argument of `attr(a, "b", c)` at the outer level, split at its commas (not those of strings or parentheses). */
static void check_text(cw_tu *tu, CXSourceLocation where, const char *attr, const char *full)
{
    const char *p = strchr(full, '(');
    if (!p)
        return;
    const char *arg = ++p;
    for (int depth = 0; *p; p++) {
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++)
                p += p[0] == '\\' && p[1];
            if (!*p)
                return;
        } else if (*p == '(') {
            depth++;
        } else if ((*p == ')' || *p == ',') && depth == 0) {
            cw_async_fn *f = named_fn(tu, where, attr, arg, p);
            if (f)
                refuse(tu, where, attr, f);
            if (*p == ')')
                return;
            arg = p + 1;
        } else if (*p == ')') {
            depth--;
        }
    }
}

void cw_check_attr_names(cw_tu *tu, CXCursor a)
{
    char *name, *full;
    if (!cw_attr_text(tu, a, &name, &full))
        return;
    check_text(tu, clang_getCursorLocation(a), name, full);
    free(name), free(full);
}

void cw_check_ignored_attr_names(cw_tu *tu)
{
    size_t n;
    const struct cw_ignored_attr *ignored = cw_ignored_attrs(tu, &n);
    for (size_t i = 0; i < n; i++)
        check_text(tu, ignored[i].loc, ignored[i].name, ignored[i].full);
}
