/* A growable NUL-terminated string; the tool builds all its output in these. */
#ifndef CW_STRBUF_H
#define CW_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
    char *s;      /* always NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
} strbuf;

void sb_init(strbuf *b);
void sb_free(strbuf *b);
void sb_putn(strbuf *b, const char *s, size_t n);
void sb_puts(strbuf *b, const char *s);
void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *sb_str(strbuf *b);                 /* "" when empty */
char *sb_take(strbuf *b);                      /* caller frees; b is reset */
char *cw_strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *cw_strdup(const char *s);

#endif
