/* A growable NUL-terminated string (the tool builds all its output in these), and growable arrays. */
#ifndef CW_STRBUF_H
#define CW_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *s; /* always NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
} strbuf;

void sb_init(strbuf *b);
void sb_free(strbuf *b);
void sb_putn(strbuf *b, const char *s, size_t n);
void sb_puts(strbuf *b, const char *s);
void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *sb_str(strbuf *b); /* "" when empty */
char *sb_take(strbuf *b);      /* caller frees; b is reset */
char *cw_strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *cw_strdup(const char *s);

/* Can c be part of a C identifier (ASCII)? */
static inline bool cw_ident_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * Arrays that grow one element at a time: p holds n elements of elem bytes;
 * the result has room for n + 1. The capacity is implied by n (8, then
 * doubling at each power of two), so p must be NULL or come from here, and
 * n must change by one at a time (a stack may pop). Overflow or out of
 * memory ends the tool.
 */
void *cw_grow(void *p, size_t n, size_t elem);
/* n zeroed elements of elem bytes; overflow or out of memory ends the tool. */
void *cw_calloc(size_t n, size_t elem);
/* Append one element to array arr of n elements: a pointer to it (n grows). */
#define CW_PUSH(arr, n) ((arr) = cw_grow((arr), (n), sizeof *(arr)), &(arr)[(n)++])

#endif
