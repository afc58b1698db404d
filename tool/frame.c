/*
 * A frame's fields and their layout (frame.h).
 */
#include "frame.h"

#include <stdio.h>
#include <stdlib.h>

size_t cw_frame_add(cw_frame *fr, cw_field_kind kind, const char *name, const char *decl, const char *type,
                    long long size, long long align)
{
    if (size < 0 || align <= 0)
        size = -1, align = 1;
    *CW_PUSH(fr->fields, fr->nfields) =
        (cw_field){cw_strdup(name), cw_strdup(decl), cw_strdup(type), size, align, kind, 0};
    return fr->nfields - 1;
}

static long long round_up(long long n, long long align)
{
    return (n + align - 1) / align * align;
}

void cw_frame_layout(cw_frame *fr)
{
    long long end = 0, align = 1;
    for (size_t i = 0; i < fr->nfields; i++) {
        cw_field *x = &fr->fields[i];
        x->offset = round_up(end, x->align);
        if (x->size > 0)
            end = x->offset + x->size;
        if (x->align > align)
            align = x->align;
    }
    fr->size = round_up(end, align);
    fr->align = align;
}

void cw_frame_struct(const cw_frame *fr, const char *tag, strbuf *out)
{
    sb_printf(out, "struct %s {\n", tag);
    for (size_t i = 0; i < fr->nfields; i++)
        sb_printf(out, "    %s;\n", fr->fields[i].decl);
    sb_puts(out, "};\n");
}

void cw_frame_print(const cw_frame *fr, const char *name)
{
    printf("frame %s: %lld bytes\n", name, fr->size);
    printf("  %6s %6s  %s\n", "offset", "size", "field");
    for (size_t i = 0; i < fr->nfields; i++) {
        const cw_field *x = &fr->fields[i];
        if (x->size < 0)
            printf("  %6lld %6s  %s %s\n", x->offset, "?", x->type, x->name);
        else
            printf("  %6lld %6lld  %s %s\n", x->offset, x->size, x->type, x->name);
    }
}

void cw_frame_free(cw_frame *fr)
{
    for (size_t i = 0; i < fr->nfields; i++)
        free(fr->fields[i].name), free(fr->fields[i].decl), free(fr->fields[i].type);
    free(fr->fields);
    *fr = (cw_frame){0};
}
