/*
 * Statements of an async function, and the function itself.
 *
 * The body keeps its own block structure: if/while/for/switch/goto stay what
 * the user wrote, so user `switch` statements keep their own cases, and each
 * await becomes a label `ca__s<N>` that the dispatch at the top of the resume
 * function jumps to (goto into a block is valid C; jumping into the scope of
 * a variable-length array is not, which is why one with an await in its
 * scope becomes a frame-stack block: vla.c). A loop whose condition or increment awaits
 * becomes `for (;;)` with an explicit exit, and `continue` in it becomes a
 * jump to the increment.
 *
 * Locals whose scope holds an await, those with a cleanup attribute, and
 * the parameters, live in the frame (one address for the whole activation);
 * every other local stays a plain C local the compiler can keep in a
 * register. What leaving a scope runs (cleanups, generator and VLA
 * releases) is scopes.c's.
 */
#include "lower.h"
#include "spawn.h"

#include "comments.h"
#include "directives.h"
#include "attrs.h"
#include "field_cache.h"
#include "refuse.h"
#include "variadic.h"

#include "ctypes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void stmt(cw_fn *k, strbuf *out, CXCursor c);

void cw_stmt(cw_fn *k, strbuf *out, CXCursor c)
{
    stmt(k, out, c);
}

void cw_line(cw_fn *k, strbuf *out, CXCursor c)
{
    if (!k->tu->opt->line_directives)
        return;
    unsigned line = cw_line_of(k->tu, c);
    if (line == 0 || line == k->last_line)
        return;
    k->last_line = line;
    cw_put_line(k->tu, out, clang_getCursorLocation(c));
}

/* ---- which fields share storage ------------------------------------- */

/*
 * A local declared with an initializer in a block, whose address is never
 * taken, holds a value only from its initialization to its last use: the
 * declaration runs each time the block is entered, an enclosing loop's next
 * turn included, and a read before it (a jump into the block past it) reads
 * an indeterminate value (C11 6.2.4p6, 6.3.2.1p2). Its span is where the
 * code names it, widened over the loops inside its block only, and it is
 * not saved at a suspension after its last use. A for statement's own
 * variables keep their whole statement: its lowered condition and step are
 * not in the order they run.
 */
static bool lives_from_initializer(const cw_var *v, const cw_field *x, bool taken)
{
    return !taken && x->scalar && v->decl.kind == CXCursor_VarDecl && v->scope.kind == CXCursor_CompoundStmt &&
           !clang_Cursor_isNull(clang_Cursor_getVarDeclInitializer(v->decl));
}

/*
 * Which fields share storage (frame.h). A field lives where the code names
 * it; a parameter from before the code (its make function stores it); a
 * local over its whole block as well, as C's lifetime is (one whose block
 * was not lowered here, in a statement expression, keeps its own storage),
 * unless it lives from its initializer (above). A field a generator's drop
 * names is pinned.
 */
static void share_storage(cw_fn *k)
{
    cw_frame *fr = &k->fn->lowered.frame;
    cw_frame_note_uses(fr, sb_str(k->code));
    if (k->drops.len)
        cw_frame_pin_named(fr, sb_str(&k->drops));
    bool *taken = cw_address_taken(k, sb_str(k->code));
    for (size_t i = 0; i < k->nvars; i++) {
        long at = cw_frame_find(fr, k->vars[i].field);
        if (at < 0)
            continue;
        cw_field *x = &fr->fields[at];
        cw_span scope = {-1, -1};
        if (!clang_Cursor_isNull(k->vars[i].scope)) {
            size_t it = 0, b;
            scope = (cw_span){1, 0};
            while ((b = cw_index_next(&k->blocks_by_stmt, clang_hashCursor(k->vars[i].scope), &it)) != CW_INDEX_END)
                if (clang_equalCursors(k->blocks[b].stmt, k->vars[i].scope))
                    scope = k->blocks[b].span;
            if (scope.begin > scope.end) {
                x->pinned = true;
                continue;
            }
        }
        if (!k->no_sharing && x->live.begin <= x->live.end && lives_from_initializer(&k->vars[i], x, taken[at]))
            continue;
        if (x->live.begin > x->live.end)
            x->live = scope;
        x->live.begin = x->live.begin < scope.begin ? x->live.begin : scope.begin;
        x->live.end = x->live.end > scope.end ? x->live.end : scope.end;
    }
    free(taken);
    if (k->no_sharing)
        return;
    if (k->jumps.begin <= k->jumps.end)
        *CW_PUSH(k->loop_spans, k->nloop_spans) = k->jumps;
    cw_frame_share(fr, k->loop_spans, k->nloop_spans);
}

/* ---- which locals live in the frame ----------------------------------- */

static char *unique_field(cw_fn *k, const char *name)
{
    char *f = cw_strdup(*name ? name : "ca__unnamed");
    for (int n = 2;; n++) {
        /* The header and the tool's own fields (ca__state, ca__ret, ca__tmp1...) are not the user's. */
        bool taken = strcmp(f, "hdr") == 0 || (n == 2 && *name && strncmp(f, "ca__", 4) == 0);
        size_t it = 0, i;
        while (!taken && (i = cw_index_next(&k->vars_by_field, cw_hash_string(f), &it)) != CW_INDEX_END)
            taken = strcmp(k->vars[i].field, f) == 0;
        if (!taken)
            return f;
        free(f);
        f = cw_strdup_printf("%s_%d", name, n);
    }
}

/* A local that lives in the frame, found by its declaration and by its field. */
static void remember_var(cw_fn *k, CXCursor decl, char *field, char *ref, CXCursor scope)
{
    cw_index_add(&k->vars_by_decl, clang_hashCursor(decl), k->nvars);
    cw_index_add(&k->vars_by_field, cw_hash_string(field), k->nvars);
    *CW_PUSH(k->vars, k->nvars) = (cw_var){decl, field, ref, scope};
}

struct addr_search {
    CXCursor parm;
    bool in_addr_of, taken;
};

static enum CXChildVisitResult find_addr_of(CXCursor c, CXCursor parent, CXClientData d)
{
    (void)parent;
    struct addr_search *s = d;
    if (s->in_addr_of && c.kind == CXCursor_DeclRefExpr && clang_equalCursors(clang_getCursorReferenced(c), s->parm)) {
        s->taken = true;
        return CXChildVisit_Break;
    }
    if (!s->in_addr_of && c.kind == CXCursor_UnaryOperator &&
        clang_getCursorUnaryOperatorKind(c) == CXUnaryOperator_AddrOf) {
        s->in_addr_of = true;
        clang_visitChildren(c, find_addr_of, s);
        s->in_addr_of = false;
        return s->taken ? CXChildVisit_Break : CXChildVisit_Continue;
    }
    return CXChildVisit_Recurse;
}

/*
 * A parameter lives from the start to its last use, and may then share its
 * storage, when that is all of its life: a scalar whose address is never
 * taken (`&p`, or `&p[i]`, anything under `&` that names it), so that no
 * pointer to it can outlive its uses.
 */
static bool param_may_share(cw_fn *k, CXCursor parm, CXType type)
{
    switch (clang_getCanonicalType(type).kind) {
    case CXType_Bool:
    case CXType_Char_U:
    case CXType_UChar:
    case CXType_UShort:
    case CXType_UInt:
    case CXType_ULong:
    case CXType_ULongLong:
    case CXType_Char_S:
    case CXType_SChar:
    case CXType_Short:
    case CXType_Int:
    case CXType_Long:
    case CXType_LongLong:
    case CXType_Float:
    case CXType_Double:
    case CXType_Pointer:
    case CXType_Enum:
        break;
    default:
        return false;
    }
    struct addr_search s = {parm, false, false};
    clang_visitChildren(k->fn->decl, find_addr_of, &s);
    return !s.taken;
}

static void add_frame_var(cw_fn *k, CXCursor decl, CXType type, CXCursor scope)
{
    CXString name = clang_getCursorSpelling(decl);
    char *field = unique_field(k, clang_getCString(name));
    clang_disposeString(name);
    const char *why = NULL;
    char *d = NULL;
    if (decl.kind == CXCursor_VarDecl && cw_is_vla(type)) {
        remember_var(k, decl, field, cw_vla_frame_var(k, decl, field), scope);
        return;
    }
    if (!cw_hoist_type(k, type, decl))
        ; /* said why */
    else if (!(d = decl.kind == CXCursor_ParmDecl ? cw_declare_param(clang_getUnqualifiedType(type), field, &why)
                                                  : cw_declare(clang_getUnqualifiedType(type), field, &why)))
        cw_error(k->tu, decl, "'%s' lives across an await but has %s", field, why);
    bool parm = decl.kind == CXCursor_ParmDecl;
    size_t i = cw_add_field(k, parm ? CW_FIELD_PARAM : CW_FIELD_LOCAL, field, d ? d : "int ca__invalid", type);
    k->fn->lowered.frame.fields[i].pinned = !d || (parm && !param_may_share(k, decl, type));
    free(d);
    remember_var(k, decl, field, cw_strdup_printf("ca__f->%s", field), scope);
}

static bool is_automatic(CXCursor var)
{
    enum CX_StorageClass sc = clang_Cursor_getStorageClass(var);
    return sc == CX_SC_None || sc == CX_SC_Auto || sc == CX_SC_Register;
}

/* Walk the body: a local goes in the frame when its scope (block or for statement) holds an await. */
static void plan_vars(cw_fn *k, CXCursor c, CXCursor scope, bool scope_awaits)
{
    CXCursor *v;
    unsigned n = cw_children(c, &v);
    for (unsigned i = 0; i < n; i++) {
        CXCursor x = v[i];
        if (x.kind == CXCursor_CompoundStmt || x.kind == CXCursor_ForStmt)
            plan_vars(k, x, x, cw_has_await(k, x));
        else if (x.kind == CXCursor_StmtExpr && !cw_has_await(k, x))
            continue; /* copied as text: its locals stay C's */
        else if (clang_isStatement(x.kind) || clang_isExpression(x.kind) || x.kind == CXCursor_VarDecl) {
            /* A local with a cleanup goes in the frame too: its cleanup runs on the scope's exits (scopes.c). */
            bool found = false;
            if (x.kind == CXCursor_VarDecl && is_automatic(x) && !scope_awaits)
                free(cw_cleanup_fn(k, x, &found, false));
            if (x.kind == CXCursor_VarDecl && is_automatic(x) && (scope_awaits || found))
                add_frame_var(k, x, clang_getCursorType(x), scope);
            plan_vars(k, x, scope, scope_awaits); /* expressions: the blocks of statement expressions */
        }
    }
    free(v);
}

/* ---- statements -------------------------------------------------------- */

/* An expression statement, or the value of one discarded. */
static void expr_stmt(cw_fn *k, strbuf *out, CXCursor e)
{
    if (!cw_has_await(k, e)) {
        char *t = cw_text(k, e);
        sb_printf(out, "%s; ", t);
        free(t);
        return;
    }
    sb_puts(out, "{ ");
    cw_val v = cw_lin_unused(k, out, e);
    if (v.s && !v.stable)
        sb_printf(out, "%s; ", v.s);
    free(v.s);
    sb_puts(out, "} ");
}

/* The text of a whole statement without awaits (a declaration, asm), macros kept. */
static void copy_stmt(cw_fn *k, strbuf *out, CXCursor c, const char *after)
{
    unsigned b, e;
    char *t = NULL;
    if (cw_clean_range(k->tu, c, &b, &e) || cw_expansion_range(k->tu, c, &b, &e))
        t = cw_copy_text(k, c, b, e);
    if (!t) {
        cw_error(k->tu, c,
                 "cawait cannot transform this statement: it comes from a macro that names a "
                 "variable living across an await");
        return;
    }
    sb_printf(out, "%s%s ", t, after);
    free(t);
}

static bool needs_aggregate_copy(CXCursor var, CXCursor init)
{
    enum CXTypeKind k = clang_getCanonicalType(clang_getCursorType(var)).kind;
    return init.kind == CXCursor_InitListExpr || k == CXType_ConstantArray;
}

static void frame_var_init(cw_fn *k, strbuf *out, CXCursor var, cw_var *fv, CXCursor init)
{
    sb_puts(out, "{ ");
    cw_val v = cw_lin(k, out, init, false);
    if (needs_aggregate_copy(var, init)) {
        char *t = cw_declare(clang_getCursorType(var), "", NULL);
        bool braces = init.kind != CXCursor_InitListExpr;
        sb_printf(out, "__builtin_memcpy((void *)&ca__f->%s, &(%s)%s%s%s, sizeof ca__f->%s); ", fv->field,
                  t ? t : "int", braces ? "{" : "", v.s, braces ? "}" : "", fv->field);
        free(t);
    } else {
        char *dst = cw_strdup_printf("ca__f->%s", fv->field);
        cw_assign(out, clang_getCursorType(var), dst, v.s);
        free(dst);
    }
    free(v.s);
    sb_puts(out, "} ");
}

static void var_decl(cw_fn *k, strbuf *out, CXCursor var)
{
    CXCursor init = clang_Cursor_getVarDeclInitializer(var);
    bool has_init = !clang_Cursor_isNull(init) && !clang_isInvalid(init.kind);
    cw_var *fv = cw_frame_var(k, var);
    if (!fv) {
        const char *why = NULL;
        CXString name = clang_getCursorSpelling(var);
        char *d = cw_declare(clang_getCursorType(var), clang_getCString(name), &why);
        clang_disposeString(name);
        if (!d) {
            cw_error(k->tu, var, "cawait cannot spell this declaration: %s", why);
            return;
        }
        enum CX_StorageClass sc = clang_Cursor_getStorageClass(var);
        char *it = has_init ? cw_text(k, init) : NULL;
        sb_printf(out, "%s%s%s%s; ",
                  sc == CX_SC_Static   ? "static "
                  : sc == CX_SC_Extern ? "extern "
                                       : "",
                  d, it ? " = " : "", it ? it : "");
        free(d), free(it);
        return;
    }
    if (cw_is_vla(clang_getCursorType(var)))
        cw_vla_decl(k, out, var, fv);
    else if (has_init)
        frame_var_init(k, out, var, fv, init);
    /* The cleanup runs on every exit from here to the end of the scope. */
    bool cleanup = false;
    char *fn = cw_cleanup_fn(k, var, &cleanup, true);
    if (fn) {
        unsigned at, end;
        cw_expansion_range(k->tu, var, &at, &end);
        cw_exit_add(k, cw_strdup_printf("%s(&%s); ", fn, cw_var_ref(fv)), at, true);
        free(fn);
    }
}

static void decl_stmt(cw_fn *k, strbuf *out, CXCursor c)
{
    CXCursor *v;
    unsigned n = cw_children(c, &v);
    bool moved = n > 0;
    for (unsigned i = 0; i < n && moved; i++)
        moved = cw_is_hoisted(k->tu, v[i]);
    if (moved) { /* its types are declared in front of the function now (hoist.c) */
        sb_puts(out, "; ");
        free(v);
        return;
    }
    /* A declaration inside a statement that a macro expands to (`do { const
       char *s = x; ... } while (0)`) has no text of its own: printed from the AST. */
    bool lowered = cw_has_await(k, c) || k->part_of_macro;
    for (unsigned i = 0; i < n && !lowered; i++)
        lowered = v[i].kind == CXCursor_VarDecl && cw_frame_var(k, v[i]);
    if (!lowered) {
        copy_stmt(k, out, c, "");
    } else {
        for (unsigned i = 0; i < n; i++) {
            if (v[i].kind == CXCursor_VarDecl)
                var_decl(k, out, v[i]);
            else if (!cw_is_hoisted(k->tu, v[i]))
                cw_error(k->tu, v[i],
                         "cawait cannot transform a type declared together with a variable that "
                         "lives across an await");
        }
    }
    free(v);
}

/* The parts of a for statement: libclang omits absent ones, so they are told apart by position. */
static bool for_parts(cw_fn *k, CXCursor c, CXCursor part[4])
{
    CXCursor *v;
    unsigned n = cw_children(c, &v);
    for (int i = 0; i < 4; i++)
        part[i] = clang_getNullCursor();
    part[3] = v[n - 1];
    bool ok = true;
    if (n == 4) {
        for (int i = 0; i < 3; i++)
            part[i] = v[i];
    } else {
        CXToken *tok;
        unsigned ntok, semi[2], nsemi = 0, depth = 0;
        clang_tokenize(k->tu->tu, clang_getCursorExtent(c), &tok, &ntok);
        for (unsigned i = 0; i < ntok && nsemi < 2; i++) {
            CXString s = clang_getTokenSpelling(k->tu->tu, tok[i]);
            const char *t = clang_getCString(s);
            if (strcmp(t, "(") == 0)
                depth++;
            else if (strcmp(t, ")") == 0)
                depth--;
            else if (strcmp(t, ";") == 0 && depth == 1 &&
                     !cw_file_offset(k->tu, clang_getTokenLocation(k->tu->tu, tok[i]), &semi[nsemi++]))
                ok = false;
            clang_disposeString(s);
        }
        clang_disposeTokens(k->tu->tu, tok, ntok);
        ok = ok && nsemi == 2;
        for (unsigned i = 0; ok && i + 1 < n; i++) {
            unsigned b, e;
            if (!cw_expansion_range(k->tu, v[i], &b, &e)) {
                ok = false;
                break;
            }
            part[b < semi[0] ? 0 : b < semi[1] ? 1 : 2] = v[i];
        }
    }
    free(v);
    if (!ok)
        cw_error(k->tu, c, "cawait cannot take apart this for statement (written in a macro?)");
    return ok;
}

static void push_loop(cw_fn *k, bool is_switch, int continue_label)
{
    *CW_PUSH(k->loops, k->nloops) = (cw_loop){is_switch, continue_label, k->nexits};
}

/* `if (!(cond)) break;` with the condition linearised into out. */
static void exit_unless(cw_fn *k, strbuf *out, CXCursor cond)
{
    cw_val v = cw_lin(k, out, cond, false);
    sb_printf(out, "if (!(%s)) break; ", v.s);
    free(v.s);
}

static void for_stmt(cw_fn *k, strbuf *out, CXCursor c)
{
    CXCursor p[4];
    if (!for_parts(k, c, p))
        return;
    bool header_awaits =
        (!clang_Cursor_isNull(p[1]) && cw_has_await(k, p[1])) || (!clang_Cursor_isNull(p[2]) && cw_has_await(k, p[2]));
    sb_puts(out, "{ ");
    cw_scope_push(k, c);
    if (!clang_Cursor_isNull(p[0])) {
        if (p[0].kind == CXCursor_DeclStmt)
            decl_stmt(k, out, p[0]);
        else
            expr_stmt(k, out, p[0]);
    }
    if (!header_awaits) {
        char *cond = clang_Cursor_isNull(p[1]) ? cw_strdup("") : cw_text(k, p[1]);
        char *inc = clang_Cursor_isNull(p[2]) ? cw_strdup("") : cw_text(k, p[2]);
        sb_printf(out, "for (; %s; %s) ", cond, inc);
        free(cond), free(inc);
        push_loop(k, false, -1);
        stmt(k, out, p[3]);
        k->nloops--;
    } else {
        int label = ++k->nlabels;
        sb_puts(out, "for (;;) { ");
        if (!clang_Cursor_isNull(p[1]))
            exit_unless(k, out, p[1]);
        push_loop(k, false, label);
        stmt(k, out, p[3]);
        k->nloops--;
        sb_printf(out, "ca__c%d: __attribute__((unused)); ", label);
        if (!clang_Cursor_isNull(p[2]))
            expr_stmt(k, out, p[2]);
        sb_puts(out, "} ");
    }
    cw_scope_pop(k, out);
    sb_puts(out, "} ");
}

static void return_stmt(cw_fn *k, strbuf *out, CXCursor c)
{
    CXCursor e = cw_child(c, 0);
    sb_puts(out, "{ ");
    if (!clang_Cursor_isNull(e)) {
        cw_val v = cw_lin(k, out, e, false);
        if (v.s && !k->fn->is_void)
            cw_assign(out, clang_getUnqualifiedType(clang_getResultType(k->fn->type)), "*ca__f->ca__ret", v.s);
        else if (v.s)
            sb_printf(out, "(void)(%s); ", v.s);
        free(v.s);
    }
    cw_exits_return(k, out);
    sb_puts(out, "goto ca__end; } ");
}

/*
 * yield(v) in a generator: store v where the consumer's ca_for reads it,
 * then hand control back to the consumer with CA_DONE; the next advance of
 * the generator resumes after the yield.
 */
static void yield_stmt(cw_fn *k, strbuf *out, CXCursor c)
{
    sb_puts(out, "{ ");
    cw_val v = cw_lin(k, out, cw_yield_value(c), false);
    char *slot = cw_strdup_printf("*(__typeof__(%s) *)ca__f->ca__slot", k->fn->gen_t);
    if (k->fn->gen_type.kind != CXType_Invalid)
        cw_assign(out, k->fn->gen_type, slot, v.s ? v.s : "0");
    else
        sb_printf(out, "%s = %s; ", slot, v.s ? v.s : "0");
    int state = cw_new_state(k, c);
    cw_note_yield(k, state);
    sb_printf(out, "*ca__f->ca__more = 1; ca__f->ca__state = %d; return CA_DONE; ca__s%d:; } ", state, state);
    free(slot), free(v.s);
}

/*
 * ca_for (T v, gen(args)) body: make the generator's frame on this task's
 * stack, advance it (which may suspend, like an await) until it ends, and
 * free it when the loop is left by its end, break or goto; a return frees it
 * with this function's own frame.
 */
static void ca_for_stmt(cw_fn *k, strbuf *out, CXCursor c)
{
    CXCursor *v;
    unsigned n = cw_children(c, &v);
    CXCursor decl = v[0], body = v[n - 1], call = cw_ca_for_call(c);
    free(v);
    cw_async_fn *g = cw_async_callee(k->tu, call);
    int id = ++k->ntemps;
    cw_note_iterated(k, g);
    char *names[3] = {cw_strdup_printf("ca__g%d", id), cw_strdup_printf("ca__slot%d", id),
                      cw_strdup_printf("ca__more%d", id)};
    char *decls[3] = {cw_strdup_printf("ca_frame *%s", names[0]),
                      cw_strdup_printf("__typeof__(%s) %s", g->gen_t, names[1]), cw_strdup_printf("int %s", names[2])};
    CXType slot_type = g->gen_type.kind != CXType_Invalid ? g->gen_type : clang_getCursorType(cw_child(decl, 0));
    cw_add_raw_field(k, CW_FIELD_TEMP, names[0], decls[0], "ca_frame *", (long long)sizeof(void *),
                     (long long)sizeof(void *));
    size_t slot_field = cw_add_field(k, CW_FIELD_TEMP, names[1], decls[1], slot_type);
    k->fn->lowered.frame.fields[slot_field].pinned = true; /* the generator writes it */
    cw_add_raw_field(k, CW_FIELD_TEMP, names[2], decls[2], "int", (long long)sizeof(int), (long long)sizeof(int));
    for (int i = 0; i < 3; i++)
        free(names[i]), free(decls[i]);
    sb_puts(out, "{ ");
    int nargs;
    char **list = cw_lin_args(k, out, call, &nargs);
    char *args = cw_join_args(list, nargs, true);
    sb_printf(out, "ca__f->ca__g%d = %s__ca_gen(ca__t, &ca__f->hdr, &ca__f->ca__slot%d, &ca__f->ca__more%d%s); ", id,
              g->name, id, id, args);
    free(args);
    /* However the loop is left, the generator is released: dropped (its cleanups run) unless it has ended. */
    cw_scope_push(k, c);
    char *release = cw_release_gen(k, g, id);
    unsigned at, end;
    cw_expansion_range(k->tu, c, &at, &end);
    cw_exit_add(k, release, at, strstr(release, "__ca_drop") != NULL);
    int state = cw_new_state(k, c);
    k->passes_status = true;
    /* A generator defined above in this file is resumed by a direct call the compiler can inline. */
    unsigned gen_at, gen_end, here, here_end;
    if (g->defined_here && cw_expansion_range(k->tu, g->decl, &gen_at, &gen_end) &&
        cw_expansion_range(k->tu, k->fn->decl, &here, &here_end) && gen_end <= here)
        sb_printf(out, "for (;;) { if ((ca__st = %s__ca_resume(ca__t, ca__f->ca__g%d)) != CA_DONE) { ", g->name, id);
    else
        sb_printf(out, "for (;;) { if ((ca__st = ca__f->ca__g%d->resume(ca__t, ca__f->ca__g%d)) != CA_DONE) { ", id,
                  id);
    sb_printf(out, "ca__f->ca__state = %d; return ca__st; } ca__s%d:; ", state, state);
    sb_printf(out, "if (!ca__f->ca__more%d) break; ", id);
    /* The loop variable takes the yielded value. */
    CXCursor var = cw_child(decl, 0);
    cw_var *fv = cw_frame_var(k, var);
    char *slot = cw_strdup_printf("ca__f->ca__slot%d", id);
    if (fv) {
        char *dst = cw_strdup_printf("ca__f->%s", fv->field);
        cw_assign(out, clang_getCursorType(var), dst, slot);
        free(dst);
    } else {
        cw_error(k->tu, var, "cawait cannot transform this ca_for variable");
    }
    free(slot);
    push_loop(k, false, -1);
    stmt(k, out, body);
    k->nloops--;
    sb_puts(out, "} ");
    cw_scope_pop(k, out);
    sb_puts(out, "} ");
}

static char *spelling(CXCursor c)
{
    CXString s = clang_getCursorSpelling(c);
    char *r = cw_strdup(clang_getCString(s));
    clang_disposeString(s);
    return r;
}

/* The comments before the next statement, after its #line: a fall-through comment must touch its case label. */
static void flush_comments(cw_fn *k, strbuf *out)
{
    if (k->comments.len)
        sb_puts(out, sb_str(&k->comments));
    k->comments.len = 0;
}

/* The #define and #undef lines before the next statement, on their own lines before its #line. */
static void flush_defines(cw_fn *k, strbuf *out)
{
    if (!k->defines.len)
        return;
    sb_puts(out, sb_str(&k->defines));
    k->defines.len = 0;
    k->last_line = 0; /* the next statement says its line again */
}

/* What lies between two statements (text[from, to)): the user's comments and #define lines. */
static void gap(cw_fn *k, unsigned from, unsigned to)
{
    cw_gap_comments(&k->comments, k->tu->text, from, to);
    k->ndefines += cw_gap_defines(k->tu, &k->defines, from, to);
}

/* { statements }, with the user's comments and #define lines between them. */
static void compound_stmt(cw_fn *k, strbuf *out, CXCursor c, CXCursor *v, unsigned n)
{
    unsigned prev, end, b, e;
    bool known = cw_expansion_range(k->tu, c, &prev, &end);
    prev++; /* after the { */
    sb_puts(out, "{ ");
    cw_scope_push(k, c);
    for (unsigned i = 0; i < n; i++) {
        if (known && cw_expansion_range(k->tu, v[i], &b, &e) && b >= prev && e <= end) {
            gap(k, prev, b);
            prev = e;
        }
        stmt(k, out, v[i]);
    }
    if (known && end > prev)
        gap(k, prev, end - 1);
    flush_defines(k, out);
    flush_comments(k, out);
    cw_scope_pop(k, out);
    sb_puts(out, "} ");
}

/* The comments between a label (case, default, a goto label) and its statement. */
static void label_comments(cw_fn *k, CXCursor label, CXCursor sub)
{
    unsigned b, e, sb, se;
    if (cw_expansion_range(k->tu, label, &b, &e) && cw_expansion_range(k->tu, sub, &sb, &se) && b <= sb)
        gap(k, b, sb);
}

/* Is c (a statement) part of a macro expansion that an enclosing statement
   being lowered also comes from, so that its text is not its own? */
static bool part_of_macro(cw_fn *k, CXCursor c, unsigned outer_b, unsigned outer_e)
{
    unsigned b, e;
    return outer_e > 0 && !cw_clean_range(k->tu, c, &b, &e) && cw_expansion_range(k->tu, c, &b, &e) && b == outer_b &&
           e == outer_e;
}

static void stmt_kind(cw_fn *k, strbuf *out, CXCursor c);

static void stmt(cw_fn *k, strbuf *out, CXCursor c)
{
    unsigned b, e, outer_b = k->macro_begin, outer_e = k->macro_end;
    if (cw_clean_range(k->tu, c, &b, &e) || !cw_expansion_range(k->tu, c, &b, &e))
        b = e = 0;
    k->part_of_macro = part_of_macro(k, c, outer_b, outer_e);
    k->macro_begin = b, k->macro_end = e;
    if (out != k->code) /* positions are in k->code only */
        k->no_sharing = true;
    long begin = (long)out->len;
    stmt_kind(k, out, c);
    cw_span span = {begin, (long)out->len - 1}; /* the last character is its end: spans are closed */
    if (c.kind == CXCursor_CompoundStmt || c.kind == CXCursor_ForStmt) {
        cw_index_add(&k->blocks_by_stmt, clang_hashCursor(c), k->nblocks);
        *CW_PUSH(k->blocks, k->nblocks) = (cw_lowered){c, span};
    }
    if (c.kind == CXCursor_ForStmt || c.kind == CXCursor_WhileStmt || c.kind == CXCursor_DoStmt)
        *CW_PUSH(k->loop_spans, k->nloop_spans) = span;
    if (c.kind == CXCursor_LabelStmt || c.kind == CXCursor_GotoStmt) { /* a goto may jump back: like a loop */
        if (k->jumps.begin > k->jumps.end)
            k->jumps = span;
        k->jumps.begin = k->jumps.begin < begin ? k->jumps.begin : begin;
        k->jumps.end = k->jumps.end > span.end ? k->jumps.end : span.end;
    }
    if (c.kind == CXCursor_IndirectGotoStmt)
        k->no_sharing = true;
    if (c.kind == CXCursor_LabelStmt || c.kind == CXCursor_GotoStmt) /* (a computed one turns sharing off) */
        cw_va_note_jump(k, c, begin);
    k->macro_begin = outer_b, k->macro_end = outer_e;
}

static void stmt_kind(cw_fn *k, strbuf *out, CXCursor c)
{
    flush_defines(k, out);
    cw_line(k, out, c);
    flush_comments(k, out);
    CXCursor *v;
    unsigned n = cw_children(c, &v);
    switch (c.kind) {
    case CXCursor_CompoundStmt:
        compound_stmt(k, out, c, v, n);
        break;
    case CXCursor_DeclStmt:
        decl_stmt(k, out, c);
        break;
    case CXCursor_NullStmt:
        sb_puts(out, "; ");
        break;
    case CXCursor_IfStmt: {
        bool awaits = cw_has_await(k, v[0]);
        if (awaits)
            sb_puts(out, "{ ");
        cw_val cond = cw_lin(k, out, v[0], false);
        sb_printf(out, "if (%s) ", cond.s);
        free(cond.s);
        stmt(k, out, v[1]);
        if (n > 2) {
            sb_puts(out, "else ");
            stmt(k, out, v[2]);
        }
        if (awaits)
            sb_puts(out, "} ");
        break;
    }
    case CXCursor_WhileStmt:
        if (cw_has_await(k, v[0])) {
            sb_puts(out, "for (;;) { ");
            exit_unless(k, out, v[0]);
        } else {
            char *cond = cw_text(k, v[0]);
            sb_printf(out, "while (%s) ", cond);
            free(cond);
        }
        push_loop(k, false, -1);
        stmt(k, out, v[1]);
        k->nloops--;
        if (cw_has_await(k, v[0]))
            sb_puts(out, "} ");
        break;
    case CXCursor_DoStmt:
        if (cw_has_await(k, v[1])) {
            int label = ++k->nlabels;
            sb_puts(out, "for (;;) { ");
            push_loop(k, false, label);
            stmt(k, out, v[0]);
            k->nloops--;
            sb_printf(out, "ca__c%d: __attribute__((unused)); ", label);
            exit_unless(k, out, v[1]);
            sb_puts(out, "} ");
        } else {
            sb_puts(out, "do ");
            push_loop(k, false, -1);
            stmt(k, out, v[0]);
            k->nloops--;
            char *cond = cw_text(k, v[1]);
            sb_printf(out, "while (%s); ", cond);
            free(cond);
        }
        break;
    case CXCursor_ForStmt:
        if (cw_is_ca_for(k->tu, c))
            ca_for_stmt(k, out, c);
        else
            for_stmt(k, out, c);
        break;
    case CXCursor_SwitchStmt: {
        sb_puts(out, "{ ");
        cw_val cond = cw_lin(k, out, v[0], false);
        sb_printf(out, "switch (%s) ", cond.s);
        free(cond.s);
        push_loop(k, true, -1);
        stmt(k, out, v[n - 1]);
        k->nloops--;
        sb_puts(out, "} ");
        break;
    }
    case CXCursor_CaseStmt: {
        label_comments(k, c, v[n - 1]);
        char *lo = cw_text(k, v[0]);
        if (n == 3) {
            char *hi = cw_text(k, v[1]);
            sb_printf(out, "case %s ... %s: ", lo, hi);
            free(hi);
        } else {
            sb_printf(out, "case %s: ", lo);
        }
        free(lo);
        stmt(k, out, v[n - 1]);
        break;
    }
    case CXCursor_DefaultStmt:
        label_comments(k, c, v[0]);
        sb_puts(out, "default: ");
        stmt(k, out, v[0]);
        break;
    case CXCursor_LabelStmt: {
        label_comments(k, c, v[0]);
        char *name = spelling(c);
        sb_printf(out, "%s: ", name);
        free(name);
        stmt(k, out, v[0]);
        break;
    }
    case CXCursor_GotoStmt: {
        sb_puts(out, "{ ");
        cw_exits_goto(k, out, clang_getCursorReferenced(v[0]));
        char *name = spelling(v[0]);
        sb_printf(out, "goto %s; } ", name);
        free(name);
        break;
    }
    case CXCursor_IndirectGotoStmt: {
        char *t = cw_text(k, v[0]);
        sb_printf(out, "goto *%s; ", t);
        free(t);
        break;
    }
    case CXCursor_ContinueStmt: {
        size_t i = k->nloops;
        while (i > 0 && k->loops[i - 1].is_switch)
            i--;
        sb_puts(out, "{ "); /* the exits and the jump: one statement, as under an if */
        if (i > 0)
            cw_exits_to(k, out, k->loops[i - 1].nexits);
        if (i > 0 && k->loops[i - 1].continue_label >= 0)
            sb_printf(out, "goto ca__c%d; } ", k->loops[i - 1].continue_label);
        else
            sb_puts(out, "continue; } ");
        break;
    }
    case CXCursor_BreakStmt:
        sb_puts(out, "{ ");
        if (k->nloops)
            cw_exits_to(k, out, k->loops[k->nloops - 1].nexits);
        sb_puts(out, "break; } ");
        break;
    case CXCursor_ReturnStmt:
        return_stmt(k, out, c);
        break;
    case CXCursor_GCCAsmStmt:
        /* Its operands are copied as text, where an await would be taken for
           an unevaluated one (as in sizeof) and replaced: refuse it instead. */
        if (cw_has_await(k, c))
            cw_error(k->tu, c,
                     "cawait cannot transform an await in the operands of an asm statement; await "
                     "into a local variable first");
        copy_stmt(k, out, c, ";");
        break;
    default:
        if (cw_is_yield(k->tu, c))
            yield_stmt(k, out, c);
        else if (clang_isExpression(c.kind))
            expr_stmt(k, out, c);
        else
            cw_error(k->tu, c, "cawait cannot transform this statement");
        break;
    }
    free(v);
}

/* ---- the function ------------------------------------------------------ */

/*
 * The resume function declares ca__t, ca__fr, ca__f and ca__st and labels
 * ca__s<N>, ca__c<N> and ca__end, and calls the runtime's ca__ functions. A
 * user declaration keeps its own name in the output unless it lives in the
 * frame (unique_field renames those), so one named ca__... could shadow or
 * clash with them: refuse it. Struct members cannot shadow anything. (check.c
 * refuses such names everywhere else in the file.)
 */
static enum CXChildVisitResult refuse_reserved_names(CXCursor c, CXCursor parent, CXClientData d)
{
    cw_fn *k = d;
    if (cw_repeated_tag(c, parent))
        return CXChildVisit_Continue;
    bool named = clang_isDeclaration(c.kind) || c.kind == CXCursor_LabelStmt;
    if (named && c.kind != CXCursor_FieldDecl && !cw_frame_var(k, c))
        cw_refuse_reserved_name(k->tu, c);
    return CXChildVisit_Recurse;
}

static const char *tag_name(void *tu, CXCursor tag)
{
    return cw_hoisted_name(tu, tag);
}

/*
 * The type a parameter has in the body. clang gives an old-style definition
 * `int h(c) char c; {...}` the type `int (int)`: its callers pass c promoted,
 * and the entry takes it so, but the body sees a char (the frame's field
 * converts it on entry). Otherwise the function type's own parameter type.
 */
static CXType frame_param_type(cw_async_fn *f, CXCursor parm, unsigned i)
{
    CXType entry = cw_param_type(f, i), own = clang_getCursorType(parm);
    CXType ce = clang_getCanonicalType(clang_getUnqualifiedType(entry));
    CXType co = clang_getCanonicalType(clang_getUnqualifiedType(own));
    bool promoted = co.kind == CXType_Bool || co.kind == CXType_Char_S || co.kind == CXType_Char_U ||
                    co.kind == CXType_SChar || co.kind == CXType_UChar || co.kind == CXType_Short ||
                    co.kind == CXType_UShort || co.kind == CXType_Float;
    return promoted && !clang_equalTypes(ce, co) ? own : entry;
}

/*
 * C evaluates the size expressions of variably modified parameters each time
 * the function is entered (`int a[i++]` increments i): the entry's parameter
 * is a plain pointer, so evaluate them first thing, in order.
 */
static void eval_param_sizes(cw_fn *k, strbuf *out, int nparams)
{
    for (int i = 0; i < nparams; i++) {
        CXCursor *v;
        unsigned n = cw_children(clang_Cursor_getArgument(k->fn->decl, (unsigned)i), &v);
        for (unsigned j = 0; j < n; j++)
            if (clang_isExpression(v[j].kind)) {
                char *e = cw_text(k, v[j]);
                sb_printf(out, "(void)(%s); ", e);
                free(e);
            }
        free(v);
    }
}

void cw_lower_function(cw_tu *tu, cw_async_fn *f, strbuf *out, strbuf *prelude)
{
    cw_fn k;
    memset(&k, 0, sizeof k);
    k.tu = tu;
    k.fn = f;
    k.prelude = prelude;
    cw_set_tag_namer(tag_name, tu);
    sb_init(&k.comments);
    sb_init(&k.defines);
    sb_init(&k.drops);
    sb_init(&k.hoisted);
    cw_frame_free(&f->lowered.frame);
    /* The header (ca_frame: two pointers), the resume point, then the result or generator pointers. */
    long long ptr = (long long)sizeof(void *);
    cw_add_raw_field(&k, CW_FIELD_FIXED, "hdr", "ca_frame hdr", "ca_frame", 2 * ptr, ptr);
    cw_add_raw_field(&k, CW_FIELD_FIXED, "ca__state", "unsigned ca__state", "unsigned", (long long)sizeof(unsigned),
                     (long long)sizeof(unsigned));
    if (f->is_gen) {
        cw_add_raw_field(&k, CW_FIELD_FIXED, "ca__slot", "void *ca__slot", "void *", ptr, ptr);
        cw_add_raw_field(&k, CW_FIELD_FIXED, "ca__more", "int *ca__more", "int *", ptr, ptr);
    } else if (!f->is_void) {
        char *r = cw_declare(clang_getUnqualifiedType(clang_getResultType(f->type)), "*ca__ret", NULL);
        cw_add_raw_field(&k, CW_FIELD_FIXED, "ca__ret", r ? r : "int *ca__ret", "pointer", ptr, ptr);
        free(r);
    }
    bool variadic = cw_is_variadic(f);
    if (variadic && f->is_gen)
        cw_error(tu, f->decl,
                 "a generator cannot be variadic: its variable arguments live on the C stack of its "
                 "first advance");
    else if (variadic) /* the entry's va_list while the first run lasts (variadic.h) */
        cw_add_raw_field(&k, CW_FIELD_FIXED, "ca__va", "__builtin_va_list *ca__va", "__builtin_va_list *", ptr, ptr);
    int nparams = clang_Cursor_getNumArguments(f->decl);
    cw_check_attrs(tu, f);
    CXCursor own_tag = cw_tag_declared_in_params(tu, f);
    if (!clang_Cursor_isNull(own_tag)) {
        CXString t = clang_getTypeSpelling(clang_getCursorType(own_tag));
        cw_error(tu, f->decl,
                 "'%s' is first declared in the parameter list of async function '%s', where only the "
                 "function sees it, and its entry points cannot name it; declare it before the function",
                 clang_getCString(t), f->name);
        clang_disposeString(t);
    }
    for (int i = 0; i < nparams; i++) {
        CXCursor p = clang_Cursor_getArgument(f->decl, (unsigned)i);
        add_frame_var(&k, p, frame_param_type(f, p, (unsigned)i), clang_getNullCursor());
    }
    CXCursor body = cw_function_body(f->decl);
    cw_find_escaping_literals(&k, body);
    plan_vars(&k, body, body, cw_has_await(&k, body));
    cw_refuse_unsupported(&k, body);
    clang_visitChildren(body, refuse_reserved_names, &k);
    if (variadic && !f->is_gen)
        cw_va_begin(&k, body);

    strbuf code;
    sb_init(&code);
    k.code = &code;
    k.jumps = (cw_span){1, 0};
    size_t prelude_from = prelude->len;
    eval_param_sizes(&k, &code, nparams);
    stmt(&k, &code, body);
    unsigned body_begin, body_end;
    if (cw_expansion_range(tu, body, &body_begin, &body_end) &&
        cw_gap_defines(tu, NULL, body_begin, body_end) != k.ndefines)
        cw_error(tu, body,
                 "a #define or #undef inside a statement of async function '%s': cawait rebuilds the statement "
                 "and cannot keep the directive in it; move it between statements",
                 f->name);
    if (k.va)
        cw_va_end(&k, &code, prelude, prelude_from);
    share_storage(&k);

    char *proto = cw_abi_proto(tu, f);
    if (k.hoisted.len) /* the user's own lines, then the generated code's again */
        sb_printf(out, "%s%s", sb_str(&k.hoisted), tu->opt->line_directives ? CW_SELF_LINE : "");
    if (!f->declared.abi) { /* (a recursive body's use declared it already) */
        sb_printf(out, "%s;\n", proto);
        if (f->is_gen) { /* its consumers (itself, when recursive) release it early with its drop */
            char *drop = cw_drop_proto(f);
            sb_printf(out, "%s;\n", drop);
            free(drop);
        }
    }
    f->declared.abi = true; /* later uses need no prototype of their own */
    cw_frame_layout(&f->lowered.frame);
    char *tag = cw_strdup_printf("%s__ca_frame", f->name);
    cw_frame_struct(&f->lowered.frame, tag, out);
    free(tag);
    cw_define_func_name(out, f->name); /* the body now runs inside f__ca_resume */
    /* A generator's resume runs once per element: let the compiler inline it into ca_for loops. */
    char *code_attrs = cw_body_attrs(tu, f); /* target("avx2") and the like: the body runs here */
    sb_printf(out, "static %s%sint %s__ca_resume(ca_task *ca__t, ca_frame *ca__fr)\n{\n", code_attrs,
              f->is_gen ? "inline " : "", f->name);
    free(code_attrs);
    sb_printf(out, "    struct %s__ca_frame *ca__f = (struct %s__ca_frame *)ca__fr;\n", f->name, f->name);
    if (k.passes_status) /* the status of a callee that did not end */
        sb_puts(out, "    int ca__st;\n");
    cw_field_cache cache;
    cw_cache_fields(&k, sb_str(&code), &cache);
    sb_puts(out, sb_str(&cache.decls));
    if (k.nstates) {
        /* Most calls resume a suspended frame (state 0, the start, is usually
           f__ca_start's own inlined copy): lay that path out straight. */
        sb_puts(out, "    if (__builtin_expect(ca__f->ca__state != 0, 1)) switch (ca__f->ca__state) {\n");
        for (int s = 1; s <= k.nstates; s++)
            sb_printf(out, "    case %d: %sgoto ca__s%d;\n", s, s <= cache.nstates ? sb_str(&cache.reloads[s - 1]) : "",
                      s);
        sb_puts(out, "    default: __builtin_unreachable();\n    }\n");
    }
    if (cache.start.len) /* the loads end with a space */
        sb_printf(out, "    %.*s\n", (int)cache.start.len - 1, sb_str(&cache.start));
    sb_puts(out, cache.code);
    cw_field_cache_free(&cache);
    sb_puts(out, "\n" CW_SELF_LINE "ca__end: __attribute__((unused));\n");
    if (f->is_gen && k.drops.len) /* finished: its drop (by the consumer's ca_for) only frees the frame */
        sb_puts(out, "    ca__f->ca__state = 0;\n");
    if (f->is_gen) /* finished: the consumer's ca_for frees the frame */
        sb_puts(out, "    *ca__f->ca__more = 0;\n    return CA_DONE;\n}\n");
    else
        sb_puts(out, "    ca__frame_free(ca__t, ca__f);\n    return CA_DONE;\n}\n");
    cw_undef_func_name(out);
    /* The make function (a generator's __ca_gen): allocate the frame on the task's stack, store the arguments. */
    char *make = f->is_gen ? cw_strdup(proto) : cw_make_proto(tu, f);
    if (!f->declared.make && !f->is_gen && !f->is_static) /* gcc -Wmissing-prototypes */
        sb_printf(out, "%s;\n", make);
    f->declared.make = true;
    sb_printf(out, "%s\n{\n", make);
    sb_printf(
        out,
        "    struct %s__ca_frame *ca__f = ca__frame_alloc(ca__t, sizeof *ca__f, __alignof__(struct %s__ca_frame));\n",
        f->name, f->name);
    sb_printf(out, "    ca__f->hdr.resume = %s__ca_resume;\n    ca__f->hdr.parent = ca__parent;\n", f->name);
    sb_puts(out, "    ca__f->ca__state = 0;\n");
    if (f->is_gen)
        sb_puts(out, "    ca__f->ca__slot = ca__slot;\n    ca__f->ca__more = ca__more;\n");
    else if (!f->is_void)
        sb_puts(out, "    ca__f->ca__ret = ca__ret;\n");
    if (variadic && !f->is_gen)
        sb_puts(out, "    ca__f->ca__va = ca__va;\n");
    strbuf store;
    sb_init(&store);
    for (int i = 0; i < nparams; i++) { /* one statement a line (cw_assign ends it with a space) */
        char *dst = cw_strdup_printf("ca__f->%s", k.vars[i].field), *src = cw_strdup_printf("ca__a%d", i);
        store.len = 0;
        cw_assign(&store, cw_param_type(f, (unsigned)i), dst, src);
        sb_printf(out, "    %.*s\n", (int)store.len - 1, sb_str(&store));
        free(dst), free(src);
    }
    sb_free(&store);
    sb_puts(out, "    return &ca__f->hdr;\n}\n");
    if (f->is_gen)
        cw_emit_drop(&k, out);
    if (!f->is_gen && variadic) { /* its list lives here until the first run ends (variadic.h) */
        char *args = cw_entry_args(f);
        char *last =
            nparams ? cw_strdup_printf("ca__a%d", nparams - 1) : cw_strdup(f->is_void ? "ca__parent" : "ca__ret");
        sb_printf(out, "%s\n{\n    __builtin_va_list ca__va;\n    __builtin_va_start(ca__va, %s);\n", proto, last);
        sb_printf(out, "    int ca__st = %s__ca_resume(ca__t, %s__ca_make(ca__t, ca__parent%s%s, &ca__va));\n", f->name,
                  f->name, f->is_void ? "" : ", ca__ret", args);
        sb_puts(out, "    __builtin_va_end(ca__va);\n    return ca__st;\n}\n");
        free(args), free(last);
    } else if (!f->is_gen) { /* the start function: make, and run (a generator's first advance runs it) */
        char *args = cw_entry_args(f);
        sb_printf(out, "%s\n{\n    return %s__ca_resume(ca__t, %s__ca_make(ca__t, ca__parent%s%s));\n}\n", proto,
                  f->name, f->name, f->is_void ? "" : ", ca__ret", args);
        free(args);
    }
    free(proto), free(make);
    sb_free(&code);
    sb_free(&k.comments);
    sb_free(&k.defines);
    sb_free(&k.drops);
    sb_free(&k.hoisted);
    free(k.exits);
    free(k.scopes);
    for (size_t i = 0; i < k.nvars; i++)
        free(k.vars[i].field), free(k.vars[i].ref);
    free(k.vars);
    cw_index_free(&k.vars_by_decl);
    cw_index_free(&k.vars_by_field);
    free(k.loops);
    free(k.blocks);
    free(k.loop_spans);
    free(k.state_at);
    cw_index_free(&k.blocks_by_stmt);
    free(k.escaping);
    cw_index_free(&k.escaping_by_hash);
}

/* A body moved out of f keeps its __func__ (written plainly or by a macro such as assert): "f", not the
   name of the function it runs in. In C, __FUNCTION__ and __PRETTY_FUNCTION__ are the same string. */
void cw_define_func_name(strbuf *out, const char *f)
{
    sb_printf(out, "#define __func__ \"%s\"\n#define __FUNCTION__ __func__\n#define __PRETTY_FUNCTION__ __func__\n", f);
}

void cw_undef_func_name(strbuf *out)
{
    sb_puts(out, "#undef __func__\n#undef __FUNCTION__\n#undef __PRETTY_FUNCTION__\n");
}
