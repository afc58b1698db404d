/*
 * A state machine's frame as data: its fields in the order the lowering
 * adds them, where each holds a value, and their layout. The frame struct
 * the output declares and the field-by-field report (--dump-after=lower)
 * are both printed from it, and the task sizes (task_bytes.c) add up its size.
 *
 * Fields whose live spans do not overlap share storage (a union): a
 * temporary holds its value within one statement, a local within its
 * block, a parameter from the start to its last use. Spans are positions
 * in the lowered code of the resume function, a text in which a field is
 * named only as `ca__f->name`; lower_stmt.c finds them after lowering.
 */
#ifndef CW_FRAME_H
#define CW_FRAME_H

#include "index.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum cw_field_kind {
    CW_FIELD_FIXED, /* the tool's own: the header, the resume point, the result or generator pointers */
    CW_FIELD_PARAM, /* a parameter */
    CW_FIELD_LOCAL, /* a local that lives across an await (or has a cleanup) */
    CW_FIELD_TEMP,  /* a value of an expression kept across an await */
} cw_field_kind;

/* [begin, end] in the lowered code; begin > end: empty. */
typedef struct cw_span {
    long begin, end;
} cw_span;

typedef struct cw_field {
    char *name;
    char *decl;            /* its declaration as C spells it: "int ca__tmp1" */
    char *type;            /* its type, for the report */
    long long size, align; /* size < 0: unknown (the compiler lays it out; the report says "?") */
    cw_field_kind kind;
    bool pinned;       /* never shares storage: its address or uses may outlive its span */
    bool scalar;       /* an arithmetic or pointer type, neither volatile nor atomic (field_cache.h) */
    bool in_register;  /* the resume function keeps it in a local between suspensions (field_cache.h) */
    long written_from; /* an await's result: a mention before this position (the resume point)
                               only passes its address to the callee, which writes it while the caller
                               waits; it counts as a use here */
    cw_span live;      /* where it holds a value (cw_frame_note_uses, then lower_stmt.c) */
    size_t slot;       /* fields of one slot share storage (cw_frame_share) */
    long long offset;  /* filled by cw_frame_layout */
} cw_field;

typedef struct cw_frame {
    cw_field *fields;
    size_t nfields;
    cw_index by_name; /* the fields by name (cw_frame_find) */
    size_t *order;    /* the slots in struct order: a field index each (its first member) */
    size_t nslots;
    long long size, align; /* filled by cw_frame_layout; size 0: no state machine */
} cw_frame;

/* Add a field (decl and type are copied); its index. Parameters, locals and temporaries may share storage. */
size_t cw_frame_add(cw_frame *fr, cw_field_kind kind, const char *name, const char *decl, const char *type,
                    long long size, long long align);
/* The field named name, or -1. */
long cw_frame_find(const cw_frame *fr, const char *name);
/* Set each field's live span to its first and last mention `ca__f->name` in code. */
void cw_frame_note_uses(cw_frame *fr, const char *code);
/* Pin every field that code names (code outside the resume function: a generator's drop). */
void cw_frame_pin_named(cw_frame *fr, const char *code);
/*
 * Decide which fields share storage: those not pinned, with a known size,
 * whose spans do not overlap once each span that meets a loop is widened to
 * the whole loop (a value may then be read in a later iteration).
 */
void cw_frame_share(cw_frame *fr, const cw_span *loops, size_t nloops);
/* Give each slot its offset: the header, the resume point right after it (gdb's cawait.py reads it
   there), then the others by alignment, largest first, each in the first gap padding left where it
   fits, else at the end; the frame its size. The struct declares the slots by offset. */
void cw_frame_layout(cw_frame *fr);
/* "struct TAG {\n    ca_frame hdr;\n ...};\n", a shared slot as an anonymous union */
void cw_frame_struct(const cw_frame *fr, const char *tag, strbuf *out);
/* The report of --dump-after=lower: "frame NAME: N bytes", then a line per field, marked "(shared)" when
   it shares its slot and "(register)" when the running function keeps it in a local. */
void cw_frame_print(const cw_frame *fr, const char *name);
void cw_frame_free(cw_frame *fr);

#endif
