/*
 * Pass "lower" for the whole file: each top-level declaration of the main
 * file, in order, becomes an edit of its text (lower_tu.h):
 *   - async function definitions, replaced by their state machines (or, for
 *     those that cannot suspend, kept as plain C functions plus a __ca_start
 *     entry for callers in other files);
 *   - async prototypes, replaced by the __ca_start prototype;
 *   - ca_run/ca_spawn expressions, replaced by code that makes and runs a
 *     task through a thunk emitted before the enclosing declaration;
 *   - the __ca_start prototypes of async functions declared in the user's
 *     headers, inserted before the first declaration that uses them.
 */
#include "lower_tu.h"
#include "directives.h"
#include "lower.h"
#include "plain_body.h"
#include "spawn.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    cw_tu *tu;
    cw_lowered_tu *l;
    unsigned pos;    /* main-file text edited up to here */
    CXCursor *group; /* top-level declarations that begin at one offset: `int *p = f, *q = g;` */
    size_t ngroup;
    unsigned group_begin;
} lowerer;

static char *dup_or_null(const char *s)
{
    return s ? cw_strdup(s) : NULL;
}

/* [begin, end) becomes pre, user, post (cw_edit). */
static void edit(lowerer *e, unsigned begin, unsigned end, const char *pre, const char *user, const char *post)
{
    *CW_PUSH(e->l->edits, e->l->nedits) = (cw_edit){begin, end, dup_or_null(pre), dup_or_null(user), dup_or_null(post)};
    e->pos = end;
}

struct uses {
    cw_tu *tu;
    strbuf *protos;
};

/* f's entry prototypes (__ca_start, a generator's drop) into protos, once. */
static void declare_entry(cw_tu *tu, cw_async_fn *f, strbuf *protos)
{
    if (f->declared.abi || f->from_cawait || (cw_is_variadic(f) && !cw_variadic_entry(f)))
        return;
    char *p = cw_abi_proto(tu, f);
    sb_printf(protos, "%s;\n", p);
    free(p);
    if (f->is_gen) {
        char *d = cw_drop_proto(f);
        sb_printf(protos, "%s;\n", d);
        free(d);
    }
    f->declared.abi = true;
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
 * __ca_start entry, which calls f or the body moved out of it
 * (plain_body.h), and, when other files may spawn it, its __ca_make entry.
 */
static void plain_entry(cw_tu *tu, cw_async_fn *f, bool body_moved, strbuf *b)
{
    char *proto = cw_abi_proto(tu, f);
    strbuf call;
    sb_init(&call);
    char *fname = cw_call_name(tu, f);
    if (body_moved)
        sb_printf(&call, "%s__ca_body(", f->name);
    else
        sb_printf(&call, "%s(", fname);
    int n = cw_nparams(f);
    for (int i = 0; i < n; i++)
        sb_printf(&call, "%sca__a%d", i ? ", " : "", i);
    sb_puts(&call, ")");
    /* A prototype first (gcc -Wmissing-prototypes), unless a parameter's struct is f's own: each declaration would
       name another type. */
    bool declare = !f->is_static && clang_Cursor_isNull(cw_tag_declared_in_params(tu, f));
    if (declare && !f->declared.abi)
        sb_printf(b, "%s;\n", proto);
    /* A static f whose uses all became its entry's is used here, as before its body moved: no warning. */
    sb_printf(b, "%s\n{\n(void)ca__t, (void)ca__parent%s%s;\n", proto, body_moved ? ", (void)" : "",
              body_moved ? fname : "");
    free(fname);
    if (f->is_void)
        sb_printf(b, "%s;\n", sb_str(&call));
    else
        cw_assign(b, clang_getUnqualifiedType(clang_getResultType(f->type)), "*ca__ret", sb_str(&call));
    sb_puts(b, "return CA_DONE;\n}\n");
    sb_free(&call);
    free(proto);
    if (!f->is_static) {
        char *make = cw_make_proto(tu, f), *name = cw_strdup_printf("%s__ca", f->name);
        if (declare && !f->declared.make)
            sb_printf(b, "%s;\n", make);
        f->declared.make = true;
        cw_emit_call_frame(tu, b, f, name, make, true);
        free(make), free(name);
    }
}

/* `struct s {...} f(...)`: the definition of s, lost with the text of f that generated code replaces, goes first.
   `struct s *f(...)` with no s before: s is declared first (in the entry's parameter list, it would be another). */
static void keep_defined_tag(cw_fn *k, CXCursor c, unsigned begin, unsigned end, strbuf *pre)
{
    CXCursor tag = cw_tag_defined_by_result(k->tu, c, begin, end);
    CXCursor named = cw_tag_first_named_by_result(k->tu, c, begin, end);
    if (clang_Cursor_isNull(tag) && !clang_Cursor_isNull(named) && named.kind != CXCursor_EnumDecl) {
        CXString s = clang_getCursorSpelling(named);
        sb_printf(pre, "%s %s;\n", named.kind == CXCursor_UnionDecl ? "union" : "struct", clang_getCString(s));
        clang_disposeString(s);
    }
    unsigned tb, te;
    if (clang_Cursor_isNull(tag) || !cw_expansion_range(k->tu, tag, &tb, &te))
        return;
    char *text = cw_copy_text(k, tag, tb, te);
    if (!text) {
        cw_error(k->tu, tag, "cawait cannot rewrite this declaration (inside a macro?)");
        return;
    }
    if (k->tu->opt->line_directives)
        cw_put_line(k->tu, pre, clang_getLocationForOffset(k->tu->tu, k->tu->main_file, tb));
    sb_printf(pre, "%s;\n%s", text, k->tu->opt->line_directives ? CW_SELF_LINE : "");
    free(text);
}

/*
 * [begin, end), the text of c, becomes generated code: the directives in it that matter outside it come with it
 * (directives.h). Conditionals that close or continue a group begun before it, and the #define lines before the
 * body, go first; conditionals that open a group ending after it go last.
 */
static void edit_generated(lowerer *e, CXCursor c, unsigned begin, unsigned end, const char *code)
{
    strbuf before, after;
    sb_init(&before), sb_init(&after);
    cw_unmatched_conditionals(e->tu, begin, end, &before, &after);
    unsigned header_end = end, body_end;
    CXCursor body = cw_function_body(c);
    if (!clang_Cursor_isNull(body))
        cw_expansion_range(e->tu, body, &header_end, &body_end);
    cw_gap_defines(e->tu, &before, begin, header_end);
    if (before.len || after.len) {
        char *all = cw_strdup_printf("%s%s%s%s", sb_str(&before), e->tu->opt->line_directives ? CW_SELF_LINE : "", code,
                                     sb_str(&after));
        edit(e, begin, end, all, NULL, NULL);
        free(all);
    } else {
        edit(e, begin, end, code, NULL, NULL);
    }
    sb_free(&before), sb_free(&after);
}

static void lower_decl(lowerer *e, CXCursor c)
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
    bool definition = clang_isCursorDefinition(c), variadic = f && cw_is_variadic(f) && !cw_variadic_entry(f);
    char *user = NULL;      /* the user's text for [begin, end), when it stays */
    bool generated = false; /* [begin, end) is replaced by generated code in pre */
    if (f && (definition || !variadic) && f->can_suspend)
        keep_defined_tag(&k, c, begin, end, &pre);
    if (f && definition && f->can_suspend) {
        cw_lower_function(tu, f, &pre, &pre);
        generated = true;
    } else if (f && !definition && variadic) {
        /* No __ca_start entry: variable arguments cannot be forwarded. Plain C callers use f itself. (A state
           machine's entry starts its own list: cw_variadic_entry.) */
    } else if (f && !definition) {
        char *p = cw_abi_proto(tu, f);
        if (f->can_suspend) { /* the async prototype becomes the __ca_start one */
            if (f->is_gen) {  /* and a generator's, its drop's too */
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
        f->declared.abi = true;
        free(p);
    } else {
        /* Synchronous code, or an async function lowered to a plain one. */
        user = cw_copy_text(&k, c, begin, end);
        if (!user) {
            cw_error(tu, c, "cawait cannot rewrite ca_run/ca_spawn here (inside a macro?)");
            user = cw_strdup("");
        }
        if (f && !variadic) {
            bool moved = definition && cw_move_plain_body(tu, f, begin, end, &user, &pre, &post);
            plain_entry(tu, f, moved, &post);
            f->declared.abi = true; /* its definition: later uses need no prototype */
        }
        bool changed = strlen(user) != end - begin || memcmp(user, tu->text + begin, end - begin) != 0;
        if (!changed && !post.len) { /* untouched: the text is copied as it is */
            free(user);
            user = NULL;
        }
    }
    if (generated)
        edit_generated(e, c, begin, end, sb_str(&pre));
    else if (user)
        edit(e, begin, end, sb_str(&pre), user, sb_str(&post));
    else if (pre.len)
        edit(e, begin, begin, sb_str(&pre), NULL, NULL);
    free(user);
    sb_free(&pre), sb_free(&post);
}

/*
 * Several declarations written as one (`void f(), g();`, `afn *p = f, *q = g;`,
 * `struct s {...} x;`) share their text: they are rewritten together, their
 * entries' prototypes after the whole declaration.
 */
static void lower_group(lowerer *e, const CXCursor *v, size_t n)
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
    /* Only functions that suspend: none exists under its name any more, so the declaration goes, as one would. */
    bool only_entries = true;
    for (size_t i = 0; i < n;
         i++) { /* a function declared here: its entry's prototype follows (none is a definition) */
        cw_async_fn *f = v[i].kind == CXCursor_FunctionDecl ? cw_async_of(tu, v[i]) : NULL;
        only_entries &= f && f->can_suspend && (!cw_is_variadic(f) || cw_variadic_entry(f));
        if (f)
            declare_entry(tu, f, &post);
    }
    bool changed = strlen(user) != end - begin || memcmp(user, tu->text + begin, end - begin) != 0;
    unsigned semi = end;
    while (semi < tu->size && (tu->text[semi] == ' ' || tu->text[semi] == '\t' || tu->text[semi] == '\n'))
        semi++;
    bool semi_follows = semi < tu->size && tu->text[semi] == ';';
    if (only_entries && semi_follows) {
        sb_puts(&pre, sb_str(&post));
        edit(e, begin, semi + 1, sb_str(&pre), NULL, NULL);
        free(user);
        sb_free(&pre), sb_free(&post);
        return;
    }
    if (post.len) { /* after the declaration's ';' */
        char *u2 = cw_strdup_printf("%s;", user);
        free(user);
        user = u2;
        if (!semi_follows) /* a comment, a macro: cannot place the prototypes */
            cw_error(tu, v[0], "cawait cannot rewrite this declaration of several names; declare each on its own");
        end = semi_follows ? semi + 1 : end;
    }
    if (changed || post.len)
        edit(e, begin, end, sb_str(&pre), user, sb_str(&post));
    else if (pre.len)
        edit(e, begin, begin, sb_str(&pre), NULL, NULL);
    free(user);
    sb_free(&pre), sb_free(&post);
}

static void flush_group(lowerer *e)
{
    if (e->ngroup == 1)
        lower_decl(e, e->group[0]);
    else if (e->ngroup > 1)
        lower_group(e, e->group, e->ngroup);
    e->ngroup = 0;
}

static enum CXChildVisitResult lower_top(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    lowerer *e = d;
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

void cw_lower(cw_tu *tu, cw_lowered_tu *l)
{
    memset(l, 0, sizeof *l);
    lowerer e = {tu, l, 0, NULL, 0, 0};
    clang_visitChildren(clang_getTranslationUnitCursor(tu->tu), lower_top, &e);
    flush_group(&e);
    free(e.group);
    if (tu->nhelpers) {
        strbuf h;
        sb_init(&h);
        cw_emit_task_helpers(tu, &h);
        l->helpers = sb_take(&h);
    }
}

void cw_lowered_free(cw_lowered_tu *l)
{
    for (size_t i = 0; i < l->nedits; i++)
        free(l->edits[i].pre), free(l->edits[i].user), free(l->edits[i].post);
    free(l->edits);
    free(l->helpers);
    memset(l, 0, sizeof *l);
}
