/*
 * Pass "emit": the output file. The main file's text is copied as it is,
 * except for the lower pass' edits (lower_tu.h), then the task helpers.
 * After each edit a #line directive puts the compiler back on the original
 * line, so diagnostics and debuggers point at the user's source; generated
 * code gets #lines pointing at the output itself.
 */
#include "emit.h"

#include <stdlib.h>
#include <string.h>

static void line_directive(cw_tu *tu, strbuf *out, unsigned off)
{
    if (tu->opt->line_directives)
        cw_put_line(tu, out, clang_getLocationForOffset(tu->tu, tu->main_file, off));
    else
        sb_puts(out, "\n");
}

/* Copy the text from `pos` up to the edit, then the edit in place of its range. */
static void apply(cw_tu *tu, strbuf *out, unsigned pos, const cw_edit *d)
{
    const char *self = tu->opt->line_directives ? CW_SELF_LINE : "";
    sb_putn(out, tu->text + pos, d->begin - pos);
    sb_puts(out, "\n");
    if (d->pre && *d->pre)
        sb_printf(out, "%s%s", self, d->pre);
    if (d->user) {
        line_directive(tu, out, d->begin);
        sb_puts(out, d->user);
    }
    if (d->post && *d->post)
        sb_printf(out, "\n%s%s", self, d->post);
    line_directive(tu, out, d->end);
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

char *cw_emit(cw_tu *tu, const cw_lowered_tu *l)
{
    strbuf out;
    sb_init(&out);
    unsigned pos = 0;
    for (size_t i = 0; i < l->nedits; i++) {
        apply(tu, &out, pos, &l->edits[i]);
        pos = l->edits[i].end;
    }
    sb_putn(&out, tu->text + pos, tu->size - pos);
    if (l->helpers)
        sb_printf(&out, "\n%s%s", tu->opt->line_directives ? CW_SELF_LINE : "", l->helpers);
    strbuf all;
    sb_init(&all);
    /* A UTF-8 byte order mark stays the file's first bytes, before any #line. */
    size_t bom = tu->size >= 3 && memcmp(tu->text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    sb_putn(&all, tu->text, bom);
    if (tu->opt->line_directives)
        cw_put_line(tu, &all, clang_getLocationForOffset(tu->tu, tu->main_file, (unsigned)bom));
    sb_puts(&all, sb_str(&out) + bom);
    sb_free(&out);
    /* Without a mark, the output starts with the #line itself, not an empty line. */
    char *r = resolve_self_lines(tu, sb_str(&all) + (!bom && all.len && all.s[0] == '\n'));
    sb_free(&all);
    return r;
}
