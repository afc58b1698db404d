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
    CXCursor *group; /* top-level declarations that begin at one offset: `int *p = f, *q = g;` */
    size_t ngroup;
    unsigned group_begin;
} emitter;

static void line_directive(emitter *e, unsigned off)
{
    if (e->tu->opt->line_directives)
        cw_put_line(e->tu, &e->out, clang_getLocationForOffset(e->tu->tu, e->tu->main_file, off));
    else
        sb_puts(&e->out, "\n");
}

/*
 * Copy the text up to `begin`, then in place of [begin, end): generated code
 * `pre`, the user's text `user` (on its own lines again), generated `post`.
 * Any of them may be NULL.
 */
static void replace(emitter *e, unsigned begin, unsigned end, const char *pre, const char *user, const char *post)
{
    sb_putn(&e->out, e->tu->text + e->pos, begin - e->pos);
    sb_puts(&e->out, "\n");
    if (pre && *pre)
        sb_printf(&e->out, "%s%s", e->tu->opt->line_directives ? CW_SELF_LINE : "", pre);
    if (user) {
        line_directive(e, begin);
        sb_puts(&e->out, user);
    }
    if (post && *post)
        sb_printf(&e->out, "\n%s%s", e->tu->opt->line_directives ? CW_SELF_LINE : "", post);
    line_directive(e, end);
    e->pos = end;
    e->edited = true;
}

struct uses {
    cw_tu *tu;
    strbuf *protos;
};

/* f's entry prototypes (__ca_start, a generator's drop) into protos, once. */
static void declare_entry(cw_tu *tu, cw_async_fn *f, strbuf *protos)
{
    if (f->abi_declared || f->from_cawait || cw_is_variadic(f))
        return;
    char *p = cw_abi_proto(tu, f);
    sb_printf(protos, "%s;\n", p);
    free(p);
    if (f->is_gen) {
        char *d = cw_drop_proto(f);
        sb_printf(protos, "%s;\n", d);
        free(d);
    }
    f->abi_declared = true;
}

static enum CXChildVisitResult declare_used(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct uses *u = d;
    if (c.kind == CXCursor_DeclRefExpr) {
        cw_async_fn *f = cw_async_of(u->tu, c);
        if (f)
            declare_entry(u->tu, f, u->protos);
    }
    return CXChildVisit_Recurse;
}

/*
 * A plain C function (an async function that cannot suspend): its
 * __ca_start entry, and, when other files may spawn it, its __ca_make entry.
 */
static void plain_entry(cw_tu *tu, cw_async_fn *f, strbuf *b)
{
    char *proto = cw_abi_proto(tu, f);
    strbuf call;
    sb_init(&call);
    char *fname = cw_call_name(tu, f);
    sb_printf(&call, "%s(", fname);
    free(fname);
    int n = cw_nparams(f);
    for (int i = 0; i < n; i++)
        sb_printf(&call, "%sca__a%d", i ? ", " : "", i);
    sb_puts(&call, ")");
    sb_printf(b, "%s\n{\n(void)ca__t, (void)ca__parent;\n", proto);
    if (f->is_void)
        sb_printf(b, "%s;\n", sb_str(&call));
    else
        cw_assign(b, clang_getUnqualifiedType(clang_getResultType(f->type)), "*ca__ret", sb_str(&call));
    sb_puts(b, "return CA_DONE;\n}\n");
    sb_free(&call);
    free(proto);
    if (!f->is_static) {
        char *make = cw_make_proto(tu, f), *name = cw_strdup_printf("%s__ca", f->name);
        cw_emit_call_frame(tu, b, f, name, make, true);
        free(make), free(name);
    }
}

static void emit_decl(emitter *e, CXCursor c)
{
    cw_tu *tu = e->tu;
    unsigned begin, end;
    if (!cw_expansion_range(tu, c, &begin, &end) || begin < e->pos)
        return;
    strbuf pre, post;
    sb_init(&pre), sb_init(&post);
    struct uses u = {tu, &pre};
    clang_visitChildren(c, declare_used, &u); /* prototypes of async functions from headers */

    cw_fn k;
    memset(&k, 0, sizeof k);
    k.tu = tu;
    k.prelude = &pre;
    cw_async_fn *f = c.kind == CXCursor_FunctionDecl ? cw_async_of(tu, c) : NULL;
    bool definition = clang_isCursorDefinition(c), variadic = f && cw_is_variadic(f);
    char *user = NULL;      /* the user's text for [begin, end), when it stays */
    bool generated = false; /* [begin, end) is replaced by generated code in pre */
    if (f && definition && f->can_suspend) {
        cw_lower_function(tu, f, &pre, &pre);
        generated = true;
    } else if (f && !definition && variadic) {
        /* No __ca_start entry: variable arguments cannot be forwarded. Plain C callers use f itself. */
    } else if (f && !definition) {
        char *p = cw_abi_proto(tu, f);
        if (f->can_suspend) { /* the async prototype becomes the __ca_start one */
            if (f->is_gen) { /* and a generator's, its drop's too */
                char *d = cw_drop_proto(f);
                sb_printf(&pre, "%s; ", d);
                free(d);
            }
            sb_puts(&pre, p);
            generated = true;
        } else { /* the plain function keeps its prototype; the entry's follows */
            user = cw_copy_text(&k, c, begin, end);
            sb_printf(&post, "%s", p);
            char *u2 = cw_strdup_printf("%s;", user ? user : "");
            free(user);
            user = u2;
        }
        f->abi_declared = true;
        free(p);
    } else {
        /* Synchronous code, or an async function lowered to a plain one. */
        user = cw_copy_text(&k, c, begin, end);
        if (!user) {
            cw_error(tu, c, "cawait cannot rewrite ca_run/ca_spawn here (inside a macro?)");
            user = cw_strdup("");
        }
        if (f && !variadic)
            plain_entry(tu, f, &post);
        bool changed = strlen(user) != end - begin || memcmp(user, tu->text + begin, end - begin) != 0;
        if (!changed && !post.len) { /* untouched: the text is copied as it is */
            free(user);
            user = NULL;
        }
    }
    if (generated)
        replace(e, begin, end, sb_str(&pre), NULL, NULL);
    else if (user)
        replace(e, begin, end, sb_str(&pre), user, sb_str(&post));
    else if (pre.len)
        replace(e, begin, begin, sb_str(&pre), NULL, NULL);
    free(user);
    sb_free(&pre), sb_free(&post);
}

/*
 * Several declarations written as one (`void f(), g();`, `afn *p = f, *q = g;`,
 * `struct s {...} x;`) share their text: they are rewritten together, their
 * entries' prototypes after the whole declaration.
 */
static void emit_group(emitter *e, const CXCursor *v, size_t n)
{
    cw_tu *tu = e->tu;
    unsigned begin = e->group_begin, end = begin;
    for (size_t i = 0; i < n; i++) {
        unsigned b, en;
        if (cw_expansion_range(tu, v[i], &b, &en) && en > end)
            end = en;
    }
    if (begin < e->pos)
        return;
    strbuf pre, post;
    sb_init(&pre), sb_init(&post);
    struct uses u = {tu, &pre};
    for (size_t i = 0; i < n; i++)
        clang_visitChildren(v[i], declare_used, &u);
    cw_fn k;
    memset(&k, 0, sizeof k);
    k.tu = tu;
    k.prelude = &pre;
    char *user = cw_copy_group_text(&k, v, n, begin, end);
    if (!user) {
        cw_error(tu, v[0], "cawait cannot rewrite this declaration (inside a macro?)");
        user = cw_strdup("");
    }
    for (size_t i = 0; i < n; i++) { /* a function declared here: its entry's prototype follows (none is a definition) */
        cw_async_fn *f = v[i].kind == CXCursor_FunctionDecl ? cw_async_of(tu, v[i]) : NULL;
        if (f)
            declare_entry(tu, f, &post);
    }
    bool changed = strlen(user) != end - begin || memcmp(user, tu->text + begin, end - begin) != 0;
    if (post.len) { /* after the declaration's ';' */
        char *u2 = cw_strdup_printf("%s;", user);
        free(user);
        user = u2;
        unsigned semi = end;
        while (semi < tu->size && (tu->text[semi] == ' ' || tu->text[semi] == '\t' || tu->text[semi] == '\n'))
            semi++;
        end = semi < tu->size && tu->text[semi] == ';' ? semi + 1 : end;
        if (end == semi) /* no ';' right after it (a comment, a macro): cannot place the prototypes */
            cw_error(tu, v[0], "cawait cannot rewrite this declaration of several names; declare each on its own");
    }
    if (changed || post.len)
        replace(e, begin, end, sb_str(&pre), user, sb_str(&post));
    else if (pre.len)
        replace(e, begin, begin, sb_str(&pre), NULL, NULL);
    free(user);
    sb_free(&pre), sb_free(&post);
}

static void flush_group(emitter *e)
{
    if (e->ngroup == 1)
        emit_decl(e, e->group[0]);
    else if (e->ngroup > 1)
        emit_group(e, e->group, e->ngroup);
    e->ngroup = 0;
}

static enum CXChildVisitResult emit_top(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    emitter *e = d;
    CXFile f;
    unsigned begin, end;
    clang_getExpansionLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
    if (!f || !clang_File_isEqual(f, e->tu->main_file) || !cw_expansion_range(e->tu, c, &begin, &end))
        return CXChildVisit_Continue;
    if (e->ngroup && begin != e->group_begin)
        flush_group(e);
    e->group_begin = begin;
    *CW_PUSH(e->group, e->ngroup) = c;
    return CXChildVisit_Continue;
}

/* Give each CW_SELF_LINE its real line number in the output. */
static char *resolve_self_lines(cw_tu *tu, const char *text)
{
    static const char marker[] = "#line __cawait_self__";
    const char *name = strcmp(tu->opt->output, "-") == 0 ? "<stdout>" : tu->opt->output;
    strbuf b;
    sb_init(&b);
    unsigned line = 1;
    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len == sizeof marker - 1 && memcmp(p, marker, len) == 0)
            sb_printf(&b, "#line %u ", line + 1), cw_put_c_string(&b, name);
        else
            sb_putn(&b, p, len);
        if (!eol)
            break;
        sb_puts(&b, "\n");
        line++;
        p = eol + 1;
    }
    return sb_take(&b);
}

char *cw_emit(cw_tu *tu)
{
    emitter e = {tu, {0}, 0, false, NULL, 0, 0};
    sb_init(&e.out);
    clang_visitChildren(clang_getTranslationUnitCursor(tu->tu), emit_top, &e);
    flush_group(&e);
    free(e.group);
    sb_putn(&e.out, tu->text + e.pos, tu->size - e.pos);
    if (tu->nhelpers) {
        sb_printf(&e.out, "\n%s", tu->opt->line_directives ? CW_SELF_LINE : "");
        cw_emit_task_helpers(tu, &e.out);
    }
    if (tu->errors) {
        sb_free(&e.out);
        return NULL;
    }
    tu->edited = e.edited;
    if (!e.edited)
        return sb_take(&e.out);
    strbuf all;
    sb_init(&all);
    /* A UTF-8 byte order mark stays the file's first bytes, before any #line. */
    size_t bom = tu->size >= 3 && memcmp(tu->text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    sb_putn(&all, tu->text, bom);
    if (tu->opt->line_directives)
        cw_put_line(tu, &all, clang_getLocationForOffset(tu->tu, tu->main_file, (unsigned)bom));
    sb_puts(&all, sb_str(&e.out) + bom);
    sb_free(&e.out);
    /* Without a mark, the output starts with the #line itself, not an empty line. */
    char *r = resolve_self_lines(tu, sb_str(&all) + (!bom && all.len && all.s[0] == '\n'));
    sb_free(&all);
    return r;
}
