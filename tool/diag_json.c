/* Diagnostics as JSON Lines (diag_json.h). */
#include "diag_json.h"

#include <stddef.h>

/* The length of the UTF-8 sequence at s (at most n bytes), 0 when it is not one. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len = s[0] < 0xc2 ? 0 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : s[0] < 0xf5 ? 4 : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90) ||
        (s[0] == 0xed && s[1] >= 0xa0)) /* overlong, beyond U+10FFFF, surrogates */
        return 0;
    return len;
}

static void string(FILE *to, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = 0;
    while (p[n])
        n++;
    fputc('"', to);
    for (size_t i = 0; i < n;) {
        unsigned char ch = p[i];
        size_t len;
        if (ch == '"' || ch == '\\') {
            fputc('\\', to);
            fputc(ch, to);
            i++;
        } else if (ch == '\n') {
            fputs("\\n", to);
            i++;
        } else if (ch == '\t') {
            fputs("\\t", to);
            i++;
        } else if (ch < 0x20 || ch == 0x7f) {
            fprintf(to, "\\u%04x", ch);
            i++;
        } else if (ch < 0x80) {
            fputc(ch, to);
            i++;
        } else if ((len = utf8_len(p + i, n - i)) != 0) {
            fwrite(p + i, 1, len, to);
            i += len;
        } else {
            fprintf(to, "\\u%04x", ch); /* not UTF-8: the byte as a Latin-1 character */
            i++;
        }
    }
    fputc('"', to);
}

void cw_diag_json(FILE *to, const char *source, const char *severity, const char *file, unsigned line, unsigned column,
                  const char *message)
{
    fputs("{\"file\":", to);
    string(to, file);
    fprintf(to, ",\"line\":%u,\"column\":%u,\"severity\":", line, column);
    string(to, severity);
    fputs(",\"message\":", to);
    string(to, message);
    fputs(",\"source\":", to);
    string(to, source);
    fputs("}\n", to);
}
