/* Growable strings and arrays. Allocation failure ends the tool: it is a batch program. */
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Noreturn void out_of_memory(void)
{
    fputs("cawait: error: out of memory\n", stderr);
    exit(2);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p)
        out_of_memory();
    return p;
}

void sb_init(strbuf *b)
{
    b->s = NULL;
    b->len = b->cap = 0;
}

void sb_free(strbuf *b)
{
    free(b->s);
    sb_init(b);
}

static void reserve(strbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap * 2 : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->s = xrealloc(b->s, cap);
    b->cap = cap;
}

void sb_putn(strbuf *b, const char *s, size_t n)
{
    reserve(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sb_puts(strbuf *b, const char *s)
{
    sb_putn(b, s, strlen(s));
}

void sb_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    reserve(b, (size_t)n);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
}

const char *sb_str(strbuf *b)
{
    return b->s ? b->s : "";
}

char *sb_take(strbuf *b)
{
    char *s = b->s ? b->s : cw_strdup("");
    sb_init(b);
    return s;
}

char *cw_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

void *cw_grow(void *p, size_t n, size_t elem)
{
    if (n != 0 && (n < 8 || (n & (n - 1)) != 0))
        return p; /* room left below the next power of two */
    size_t cap = n ? n * 2 : 8;
    if (cap < n || cap > (size_t)-1 / elem)
        out_of_memory();
    return xrealloc(p, cap * elem);
}

void *cw_calloc(size_t n, size_t elem)
{
    void *p = calloc(n ? n : 1, elem ? elem : 1);
    if (!p)
        out_of_memory();
    return p;
}

char *cw_strdup_printf(const char *fmt, ...)
{
    strbuf b;
    sb_init(&b);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    reserve(&b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b.s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b.len = (size_t)n;
    return sb_take(&b);
}
