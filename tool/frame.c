/*
 * A frame's fields, their live spans, shared storage and layout (frame.h).
 */
#include "frame.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t cw_frame_add(cw_frame *fr, cw_field_kind kind, const char *name, const char *decl, const char *type,
                    long long size, long long align)
{
    if (size < 0 || align <= 0)
        size = -1, align = 1;
    size_t i = fr->nfields;
    *CW_PUSH(fr->fields, fr->nfields) = (cw_field){.name = cw_strdup(name),
                                                   .decl = cw_strdup(decl),
                                                   .type = cw_strdup(type),
                                                   .size = size,
                                                   .align = align,
                                                   .kind = kind,
                                                   .pinned = kind == CW_FIELD_FIXED,
                                                   .written_from = -1,
                                                   .live = {1, 0},
                                                   .slot = i};
    cw_index_add(&fr->by_name, cw_hash_string(name), i);
    return i;
}

long cw_frame_find(const cw_frame *fr, const char *name)
{
    long found = -1; /* the newest of that name */
    size_t it = 0, i;
    while ((i = cw_index_next(&fr->by_name, cw_hash_string(name), &it)) != CW_INDEX_END)
        if ((long)i > found && strcmp(fr->fields[i].name, name) == 0)
            found = (long)i;
    return found;
}

/* Call fn(fr, field, position) for each `ca__f->name` in code that names a field. */
static void each_mention(cw_frame *fr, const char *code, void (*fn)(cw_field *, long))
{
    static const char arrow[] = "ca__f->";
    strbuf name;
    sb_init(&name);
    for (const char *p = strstr(code, arrow); p; p = strstr(p, arrow)) {
        if (p > code && cw_ident_char(p[-1])) { /* `xca__f->`: not the frame pointer */
            p++;
            continue;
        }
        const char *b = p + sizeof arrow - 1, *e = b;
        while (cw_ident_char(*e))
            e++;
        name.len = 0;
        sb_putn(&name, b, (size_t)(e - b));
        size_t it = 0, i;
        while ((i = cw_index_next(&fr->by_name, cw_hash_string(sb_str(&name)), &it)) != CW_INDEX_END)
            if (strcmp(fr->fields[i].name, sb_str(&name)) == 0)
                fn(&fr->fields[i], (long)(p - code));
        p = e;
    }
    sb_free(&name);
}

static void note_use(cw_field *x, long at)
{
    if (at < x->written_from) /* only its address: the callee writes it while the caller waits */
        at = x->written_from;
    if (x->live.begin > x->live.end)
        x->live = (cw_span){at, at};
    else if (at > x->live.end)
        x->live.end = at;
}

void cw_frame_note_uses(cw_frame *fr, const char *code)
{
    each_mention(fr, code, note_use);
}

static void pin(cw_field *x, long at)
{
    (void)at;
    x->pinned = true;
}

void cw_frame_pin_named(cw_frame *fr, const char *code)
{
    each_mention(fr, code, pin);
}

/* Widen s over each loop it meets without lying inside it, until none is left. */
static void widen(cw_span *s, const cw_span *loops, size_t nloops)
{
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < nloops; i++) {
            const cw_span *l = &loops[i];
            bool meets = s->begin <= l->end && l->begin <= s->end;
            bool inside = l->begin <= s->begin && s->end <= l->end;
            bool covers = s->begin <= l->begin && l->end <= s->end;
            if (meets && !inside && !covers) {
                s->begin = s->begin < l->begin ? s->begin : l->begin;
                s->end = s->end > l->end ? s->end : l->end;
                changed = true;
            }
        }
    }
}

static long long round_up(long long n, long long align)
{
    return (n + align - 1) / align * align;
}

static const cw_frame *sorting; /* for qsort's comparisons */

static int by_begin(const void *a, const void *b)
{
    const cw_field *x = &sorting->fields[*(const size_t *)a], *y = &sorting->fields[*(const size_t *)b];
    if (x->live.begin != y->live.begin)
        return x->live.begin < y->live.begin ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

struct slot {
    size_t leader; /* its first member */
    long end;      /* the last position any member is live */
    long long size, align;
};

void cw_frame_share(cw_frame *fr, const cw_span *loops, size_t nloops)
{
    size_t *cand = cw_calloc(fr->nfields + 1, sizeof *cand), n = 0;
    for (size_t i = 0; i < fr->nfields; i++) {
        cw_field *x = &fr->fields[i];
        x->slot = i;
        if (x->pinned || x->size <= 0 || x->live.begin > x->live.end)
            continue;
        widen(&x->live, loops, nloops);
        cand[n++] = i;
    }
    sorting = fr;
    qsort(cand, n, sizeof *cand, by_begin);

    struct slot *slots = NULL;
    size_t nslots = 0;
    for (size_t c = 0; c < n; c++) {
        cw_field *x = &fr->fields[cand[c]];
        /* Of the slots free by now, the one that grows least; an exact fit first. */
        size_t best = nslots;
        long long best_growth = 0;
        for (size_t s = 0; s < nslots; s++) {
            if (slots[s].end >= x->live.begin)
                continue;
            long long align = slots[s].align > x->align ? slots[s].align : x->align;
            long long size = slots[s].size > x->size ? slots[s].size : x->size;
            long long growth = round_up(size, align) - round_up(slots[s].size, slots[s].align);
            if (best == nslots || growth < best_growth)
                best = s, best_growth = growth;
            if (growth == 0 && slots[s].size == x->size && slots[s].align == x->align)
                break;
        }
        if (best == nslots) {
            *CW_PUSH(slots, nslots) = (struct slot){cand[c], x->live.end, x->size, x->align};
            continue;
        }
        struct slot *s = &slots[best];
        x->slot = s->leader;
        s->end = x->live.end;
        s->size = s->size > x->size ? s->size : x->size;
        s->align = s->align > x->align ? s->align : x->align;
    }
    free(slots);
    /* Each slot is named by its member of the lowest index, so its members follow it in the array. */
    for (size_t i = 0; i < fr->nfields; i++)
        cand[i] = SIZE_MAX;
    for (size_t i = 0; i < fr->nfields; i++) {
        size_t *first = &cand[fr->fields[i].slot];
        if (*first == SIZE_MAX)
            *first = i;
        fr->fields[i].slot = *first;
    }
    free(cand);
}

static long long *slot_align, *slot_offset; /* by leader, for the comparisons */

/*
 * The placement order: the header and the resume point first (added first;
 * gdb's cawait.py reads the resume point right after the header, abi.h),
 * then by alignment, largest first; sizes the tool does not know last.
 */
static int by_alignment(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const cw_field *x = &sorting->fields[i], *y = &sorting->fields[j];
    int kx = i < 2 ? 0 : x->size < 0 ? 2 : 1, ky = j < 2 ? 0 : y->size < 0 ? 2 : 1;
    if (kx != ky)
        return kx < ky ? -1 : 1;
    if (kx == 1 && slot_align[i] != slot_align[j])
        return slot_align[i] > slot_align[j] ? -1 : 1;
    return i < j ? -1 : 1;
}

static int by_offset(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    if (slot_offset[i] != slot_offset[j])
        return slot_offset[i] < slot_offset[j] ? -1 : 1;
    return i < j ? -1 : 1;
}

void cw_frame_layout(cw_frame *fr)
{
    /* Each slot's size and alignment: those of its largest members. */
    long long *size = cw_calloc(fr->nfields + 1, sizeof *size), *align = cw_calloc(fr->nfields + 1, sizeof *align);
    long long *offset = cw_calloc(fr->nfields + 1, sizeof *offset);
    for (size_t i = 0; i < fr->nfields; i++) {
        const cw_field *x = &fr->fields[i];
        size[x->slot] = x->slot == i || x->size > size[x->slot] ? x->size : size[x->slot];
        align[x->slot] = x->align > align[x->slot] ? x->align : align[x->slot];
    }
    free(fr->order);
    fr->order = cw_calloc(fr->nfields + 1, sizeof *fr->order);
    fr->nslots = 0;
    for (size_t i = 0; i < fr->nfields; i++)
        if (fr->fields[i].slot == i)
            fr->order[fr->nslots++] = i;
    sorting = fr;
    slot_align = align;
    qsort(fr->order, fr->nslots, sizeof *fr->order, by_alignment);
    /* First fit: a slot goes in the first gap padding left (after the resume point) where it fits, else at the
       end. The struct declares the slots by offset, so the compiler lays them out the same. */
    cw_span *holes = NULL;
    size_t nholes = 0;
    long long end = 0, frame_align = 1;
    for (size_t s = 0; s < fr->nslots; s++) {
        size_t leader = fr->order[s];
        long long a = align[leader], n = size[leader] > 0 ? round_up(size[leader], a) : 0, at = -1;
        for (size_t h = 0; h < nholes && n > 0 && at < 0; h++) {
            long long o = round_up(holes[h].begin, a);
            if (o + n > holes[h].end)
                continue;
            at = o;
            cw_span rest = {o + n, holes[h].end};
            holes[h].end = o;
            if (rest.begin < rest.end)
                *CW_PUSH(holes, nholes) = rest;
        }
        if (at < 0) {
            at = round_up(end, a);
            if (at > end)
                *CW_PUSH(holes, nholes) = (cw_span){end, at};
            end = at + n;
        }
        offset[leader] = at;
        frame_align = a > frame_align ? a : frame_align;
        for (size_t i = leader; i < fr->nfields; i++)
            if (fr->fields[i].slot == leader)
                fr->fields[i].offset = at;
    }
    slot_offset = offset;
    qsort(fr->order, fr->nslots, sizeof *fr->order, by_offset);
    fr->size = round_up(end, frame_align);
    fr->align = frame_align;
    free(holes);
    free(size), free(align), free(offset);
}

static size_t members(const cw_frame *fr, size_t leader)
{
    size_t n = 0;
    for (size_t i = leader; i < fr->nfields; i++)
        n += fr->fields[i].slot == leader;
    return n;
}

void cw_frame_struct(const cw_frame *fr, const char *tag, strbuf *out)
{
    sb_printf(out, "struct %s {\n", tag);
    for (size_t s = 0; s < fr->nslots; s++) {
        size_t leader = fr->order[s];
        if (members(fr, leader) == 1) {
            sb_printf(out, "    %s;\n", fr->fields[leader].decl);
            continue;
        }
        sb_puts(out, "    __extension__ union {\n");
        for (size_t i = leader; i < fr->nfields; i++)
            if (fr->fields[i].slot == leader)
                sb_printf(out, "        %s;\n", fr->fields[i].decl);
        sb_puts(out, "    };\n");
    }
    sb_puts(out, "};\n");
}

void cw_frame_print(const cw_frame *fr, const char *name)
{
    printf("frame %s: %lld bytes\n", name, fr->size);
    printf("  %6s %6s  %s\n", "offset", "size", "field");
    for (size_t s = 0; s < fr->nslots; s++) {
        size_t leader = fr->order[s];
        bool shared = members(fr, leader) > 1;
        for (size_t i = leader; i < fr->nfields; i++) {
            const cw_field *x = &fr->fields[i];
            if (x->slot != leader)
                continue;
            if (x->size < 0)
                printf("  %6lld %6s  %s %s", x->offset, "?", x->type, x->name);
            else
                printf("  %6lld %6lld  %s %s", x->offset, x->size, x->type, x->name);
            printf("%s%s\n", shared ? "  (shared)" : "", x->in_register ? "  (register)" : "");
        }
    }
}

void cw_frame_free(cw_frame *fr)
{
    for (size_t i = 0; i < fr->nfields; i++)
        free(fr->fields[i].name), free(fr->fields[i].decl), free(fr->fields[i].type);
    free(fr->fields);
    cw_index_free(&fr->by_name);
    free(fr->order);
    *fr = (cw_frame){0};
}
