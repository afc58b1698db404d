/*
 * A state machine's frame as data: its fields in the order the lowering
 * adds them, then their layout. The frame struct the output declares and
 * the field-by-field report (--dump-after=lower) are both printed from it,
 * and the task sizes (report.c) add up its size.
 */
#ifndef CW_FRAME_H
#define CW_FRAME_H

#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum cw_field_kind {
    CW_FIELD_FIXED, /* the tool's own: the header, the resume point, the result or generator pointers */
    CW_FIELD_PARAM, /* a parameter */
    CW_FIELD_LOCAL, /* a local that lives across an await (or has a cleanup) */
    CW_FIELD_TEMP,  /* a value of an expression kept across an await */
} cw_field_kind;

typedef struct cw_field {
    char *name;
    char *decl;             /* its declaration as C spells it: "int ca__t1" */
    char *type;             /* its type, for the report */
    long long size, align;  /* size < 0: unknown (the compiler lays it out; the report says "?") */
    cw_field_kind kind;
    long long offset;       /* filled by cw_frame_layout */
} cw_field;

typedef struct cw_frame {
    cw_field *fields;
    size_t nfields;
    long long size, align;  /* filled by cw_frame_layout; size 0: no state machine */
} cw_frame;

/* Add a field (decl and type are copied); its index. */
size_t cw_frame_add(cw_frame *fr, cw_field_kind kind, const char *name, const char *decl, const char *type,
                    long long size, long long align);
/* Give each field its offset, as the C compiler lays the struct out, and the frame its size. */
void cw_frame_layout(cw_frame *fr);
/* "struct TAG {\n    ca_frame hdr;\n ...};\n" */
void cw_frame_struct(const cw_frame *fr, const char *tag, strbuf *out);
/* The report of --dump-after=lower: "frame NAME: N bytes", then a line per field. */
void cw_frame_print(const cw_frame *fr, const char *name);
void cw_frame_free(cw_frame *fr);

#endif
