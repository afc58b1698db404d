/*
 * Pass "emit": the output file. The main file's text is copied as it is,
 * except for
 *   - async function definitions, replaced by their state machines (or, for
 *     those that cannot suspend, kept as plain C functions plus a __ca_start
 *     entry for callers in other files);
 *   - async prototypes, replaced by the __ca_start prototype;
 *   - ca_run/ca_spawn expressions, replaced by code that makes and runs a
 *     task through a thunk emitted before the enclosing declaration;
 *   - the __ca_start prototypes of async functions declared in the user's
 *     headers, inserted before the first declaration that uses them.
 * After each replacement a #line directive puts the compiler back on the
 * original line, so diagnostics and debuggers point at the user's source.
 */
#include "lower.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    cw_tu *tu;
    strbuf out;
    unsigned pos;   /* main-file text copied up to here */
    bool edited;
} emitter;

static unsigned line_at(cw_tu *tu, unsigned off)
{
    unsigned line = 1;
    for (unsigned i = 0; i < off && i < tu->size; i++)
        line += tu->text[i] == '\n';
    return line;
}

static void line_directive(emitter *e, unsigned off)
{
    if (e->tu->opt->line_directives)
        sb_printf(&e->out, "\n#line %u \"%s\"\n", line_at(e->tu, off), e->tu->main_name);
    else
        sb_puts(&e->out, "\n");
}

/* Copy the text up to `begin`, then `with` in place of [begin, end). */
static void replace(emitter *e, unsigned begin, unsigned end, const char *with)
{
    sb_putn(&e->out, e->tu->text + e->pos, begin - e->pos);
    sb_puts(&e->out, "\n");
    sb_puts(&e->out, with);
    line_directive(e, end);
    e->pos = end;
    e->edited = true;
}

struct uses {
    cw_tu *tu;
    strbuf *protos;
};

static enum CXChildVisitResult declare_used(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct uses *u = d;
    if (c.kind == CXCursor_DeclRefExpr) {
        cw_async_fn *f = cw_async_of(u->tu, c);
        if (f && !f->abi_declared && !f->from_cawait && !clang_isFunctionTypeVariadic(f->type)) {
            char *p = cw_abi_proto(u->tu, f);
            sb_printf(u->protos, "%s;\n", p);
            free(p);
            f->abi_declared = true;
        }
    }
    return CXChildVisit_Recurse;
}

/* A plain C function (an async function that cannot suspend) and its __ca_start entry. */
static void plain_entry(cw_tu *tu, cw_async_fn *f, strbuf *b)
{
    char *proto = cw_abi_proto(tu, f);
    strbuf call;
    sb_init(&call);
    sb_printf(&call, "%s(", f->name);
    int n = cw_nparams(f);
    for (int i = 0; i < n; i++)
        sb_printf(&call, "%sca__a%d", i ? ", " : "", i);
    sb_puts(&call, ")");
    sb_printf(b, "%s\n{\n(void)ca__parent;\n", proto);
    if (f->is_void)
        sb_printf(b, "%s;\n", sb_str(&call));
    else
        cw_assign(b, clang_getUnqualifiedType(clang_getResultType(f->type)), "*ca__ret", sb_str(&call));
    sb_puts(b, "return CA_DONE;\n}\n");
    sb_free(&call);
    free(proto);
}

static void emit_decl(emitter *e, CXCursor c)
{
    cw_tu *tu = e->tu;
    unsigned begin, end;
    if (!cw_expansion_range(tu, c, &begin, &end) || begin < e->pos)
        return;
    strbuf protos, prelude, with;
    sb_init(&protos), sb_init(&prelude), sb_init(&with);
    struct uses u = {tu, &protos};
    clang_visitChildren(c, declare_used, &u);

    cw_fn k;
    memset(&k, 0, sizeof k);
    k.tu = tu;
    k.prelude = &prelude;
    cw_async_fn *f = c.kind == CXCursor_FunctionDecl ? cw_async_of(tu, c) : NULL;
    bool definition = clang_isCursorDefinition(c);
    if (f && definition && f->can_suspend) {
        cw_lower_function(tu, f, &with, &prelude);
    } else if (f && !definition && clang_isFunctionTypeVariadic(f->type)) {
        /* No __ca_start entry: variable arguments cannot be forwarded. Plain C callers use f itself. */
    } else if (f && !definition) {
        char *p = cw_abi_proto(tu, f);
        if (!f->can_suspend) {
            char *orig = cw_copy_text(&k, c, begin, end);
            sb_printf(&with, "%s;\n", orig ? orig : "");
            free(orig);
        }
        sb_puts(&with, p);
        f->abi_declared = true;
        free(p);
    } else {
        /* Synchronous code, or an async function lowered to a plain one. */
        char *orig = cw_copy_text(&k, c, begin, end);
        if (!orig) {
            cw_error(tu, c, "cawait cannot rewrite ca_run/ca_spawn here (inside a macro?)");
            orig = cw_strdup("");
        }
        bool changed = strlen(orig) != end - begin || memcmp(orig, tu->text + begin, end - begin) != 0;
        if (changed || (f && !clang_isFunctionTypeVariadic(f->type)) || protos.len) {
            sb_puts(&with, orig);
            if (f && !clang_isFunctionTypeVariadic(f->type)) {
                sb_puts(&with, "\n");
                plain_entry(tu, f, &with);
            }
        }
        free(orig);
    }
    if (with.len || protos.len || prelude.len) {
        strbuf all;
        sb_init(&all);
        sb_printf(&all, "%s%s", sb_str(&protos), sb_str(&prelude));
        if (with.len) {
            sb_puts(&all, sb_str(&with));
            replace(e, begin, end, sb_str(&all));
        } else {
            replace(e, begin, begin, sb_str(&all));
        }
        sb_free(&all);
    }
    sb_free(&protos), sb_free(&prelude), sb_free(&with);
}

static enum CXChildVisitResult emit_top(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    emitter *e = d;
    CXFile f;
    clang_getExpansionLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
    if (f && clang_File_isEqual(f, e->tu->main_file))
        emit_decl(e, c);
    return CXChildVisit_Continue;
}

char *cw_emit(cw_tu *tu)
{
    emitter e = {tu, {0}, 0, false};
    sb_init(&e.out);
    clang_visitChildren(clang_getTranslationUnitCursor(tu->tu), emit_top, &e);
    sb_putn(&e.out, tu->text + e.pos, tu->size - e.pos);
    if (tu->errors) {
        sb_free(&e.out);
        return NULL;
    }
    if (!e.edited || !tu->opt->line_directives)
        return sb_take(&e.out);
    strbuf all;
    sb_init(&all);
    sb_printf(&all, "#line 1 \"%s\"\n%s", tu->main_name, sb_str(&e.out));
    sb_free(&e.out);
    return sb_take(&all);
}
