/*
 * An async function that cannot suspend stays a plain C function f, and its
 * entry f__ca_start (what an async pointer to f holds, and what other files
 * call) calls it. When the user marks f noinline, as a function called from
 * many places often is, that call stays: a call through a pointer then pays
 * two calls for one. So the body moves into a static function both call:
 *
 *     static unsigned leaf__ca_body(unsigned x);
 *     __attribute__((noinline)) unsigned leaf(unsigned x) { return leaf__ca_body(x); }
 *     static unsigned leaf__ca_body(unsigned x)
 *     #line 12 "leaf.c"
 *     { return x * 3 + 1; }
 *     int leaf__ca_start(ca_task *ca__t, ca_frame *ca__parent, unsigned *ca__ret, unsigned ca__a0)
 *     { ...; *ca__ret = leaf__ca_body(ca__a0); return CA_DONE; }
 *
 * The compiler inlines a small body into both and keeps a large one out of
 * line, once (f then jumps to it). The body keeps its lines, its __func__,
 * and the attributes that shape its code (target, optimize, no_sanitize...:
 * attrs.h). It stays where it is when its entry is never called (a static f
 * never used as a value), or when moving it could change it: an attribute
 * cawait does not know, a C99 inline definition (which may not call a
 * static function), a noreturn f, a type the tool cannot spell (a
 * variable-length array parameter, a struct first declared in the
 * parameter list), an unnamed parameter, or a preprocessor line between
 * f's name and its body.
 */
#include "plain_body.h"

#include "attrs.h"
#include "ctypes.h"
#include "lower.h"
#include "lower_tu.h"

#include <stdlib.h>
#include <string.h>

/* Does a line in text[begin, end) begin with '#'? The body, moved after it, would not see what it says. */
static bool has_directive(const char *text, unsigned begin, unsigned end)
{
    bool line_start = true;
    for (unsigned i = begin; i < end; i++) {
        if (text[i] == '\n')
            line_start = true;
        else if (text[i] == '#' && line_start)
            return true;
        else if (text[i] != ' ' && text[i] != '\t')
            line_start = false;
    }
    return false;
}

static bool is_noreturn(cw_async_fn *f)
{
    CXString t = clang_getTypeSpelling(f->type);
    bool r = strstr(clang_getCString(t), "noreturn") != NULL;
    clang_disposeString(t);
    return r;
}

/* "static ATTRS RET f__ca_body(P0 a, P1 b)" and "a, b" in args, or NULL when a name or a type is missing. */
static char *body_declarator(cw_tu *tu, cw_async_fn *f, strbuf *args)
{
    strbuf params;
    sb_init(&params);
    int n = cw_nparams(f);
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        /* As declared: a K&R `char c` is char here, though f's type passes an int. */
        CXCursor param = clang_Cursor_getArgument(f->decl, (unsigned)i);
        CXString s = clang_getCursorSpelling(param);
        const char *name = clang_getCString(s);
        char *p = *name ? cw_declare_param(clang_getCursorType(param), name, NULL) : NULL;
        if (p) { /* f passes every parameter: an unused one was the user's to mark, on f */
            sb_printf(&params, "%s%s __attribute__((unused))", i ? ", " : "", p);
            sb_printf(args, "%s%s", i ? ", " : "", name);
        }
        ok = p != NULL;
        free(p);
        clang_disposeString(s);
    }
    char *r = NULL;
    if (ok) {
        char *inner = cw_strdup_printf("%s__ca_body(%s)", f->name, n ? sb_str(&params) : "void");
        char *d = cw_declare(clang_getUnqualifiedType(clang_getResultType(f->type)), inner, NULL);
        char *attrs = cw_body_attrs(tu, f);
        r = d ? cw_strdup_printf("static %s%s", attrs, d) : NULL;
        free(inner), free(d), free(attrs);
    }
    sb_free(&params);
    return r;
}

/* A #line back to the body's '{' at `off`, then the blanks before it on its line, so columns hold too. */
static void back_to(cw_tu *tu, strbuf *out, unsigned off)
{
    if (!tu->opt->line_directives) {
        sb_puts(out, "\n");
        return;
    }
    cw_put_line(tu, out, clang_getLocationForOffset(tu->tu, tu->main_file, off));
    unsigned line = off;
    while (line > 0 && tu->text[line - 1] != '\n')
        line--;
    for (unsigned i = line; i < off; i++)
        sb_putn(out, tu->text[i] == '\t' ? "\t" : " ", 1);
}

bool cw_move_plain_body(cw_tu *tu, cw_async_fn *f, unsigned begin, unsigned end, char **user, strbuf *proto,
                        strbuf *body)
{
    if ((f->is_static && !f->used_as_value) || f->is_gen || cw_is_variadic(f) || is_noreturn(f) ||
        (clang_Cursor_isFunctionInlined(f->decl) && !f->is_static) ||
        !clang_Cursor_isNull(cw_tag_declared_in_params(tu, f)))
        return false;
    CXCursor b = cw_function_body(f->decl);
    unsigned bb, be;
    if (clang_Cursor_isNull(b) || !cw_expansion_range(tu, b, &bb, &be) || be != end || bb <= begin ||
        tu->text[bb] != '{' || !cw_attrs_let_body_move(tu, f))
        return false;
    /* The header is copied as written (nothing in it is rewritten), so the body's copy starts after it. */
    size_t header = bb - begin;
    if (strlen(*user) < header || strncmp(*user, tu->text + begin, header) != 0 || has_directive(tu->text, begin, bb))
        return false;
    strbuf args;
    sb_init(&args);
    char *decl = body_declarator(tu, f, &args);
    if (!decl) {
        sb_free(&args);
        return false;
    }
    sb_printf(proto, "%s;\n", decl);
    cw_define_func_name(body, f->name);
    sb_puts(body, decl);
    back_to(tu, body, bb);
    sb_printf(body, "%s\n", *user + header);
    cw_undef_func_name(body);
    sb_puts(body, CW_SELF_LINE);
    char *wrapper = cw_strdup_printf("%.*s{ %s%s__ca_body(%s); }", (int)header, *user, f->is_void ? "" : "return ",
                                     f->name, sb_str(&args));
    free(*user);
    *user = wrapper;
    free(decl);
    sb_free(&args);
    return true;
}
