/*
 * Static files under --root.
 *
 * The URL path is percent-decoded and must not contain a NUL byte or a ".."
 * segment; it is then opened relative to the root directory's descriptor,
 * so it cannot name anything outside root (symbolic links inside root are
 * followed, as nginx does by default). A path ending in '/' means its
 * index.html. open and fstat run on the loop thread: they are quick for
 * files in the page cache, which is what a sample serves.
 *
 * The body goes out with sendfile(2) on the non-blocking socket: whenever
 * the socket buffer is full the task waits until it is writable again.
 */
#include "httpd.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

static int hex(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Decode the URL's path into out (without its leading '/'): 0, or -1 when
 * it is malformed, too long or tries to leave root. */
static int decode_path(const char *url, size_t len, char *out, size_t cap)
{
    size_t o = 0;
    if (len == 0 || url[0] != '/')
        return -1;
    for (size_t i = 1; i < len && url[i] != '?' && url[i] != '#'; i++) {
        int ch = (unsigned char)url[i];
        if (ch == '%') {
            int hi = i + 2 < len ? hex(url[i + 1]) : -1, lo = hi >= 0 ? hex(url[i + 2]) : -1;
            if (lo < 0)
                return -1;
            ch = hi * 16 + lo;
            i += 2;
        }
        if (ch == 0 || o + 1 >= cap)
            return -1;
        out[o++] = (char)ch;
    }
    out[o] = 0;
    /* No ".." segment: "..", "../x", "x/..", "x/../y". */
    for (const char *s = out; (s = strstr(s, "..")) != NULL; s += 2)
        if ((s == out || s[-1] == '/') && (s[2] == 0 || s[2] == '/'))
            return -1;
    if (o == 0 || out[o - 1] == '/') {
        static const char index[] = "index.html";
        if (o + sizeof index > cap)
            return -1;
        memcpy(out + o, index, sizeof index);
    }
    return 0;
}

static const char *content_type(const char *path)
{
    static const struct { const char *ext, *type; } types[] = {
        {".html", "text/html; charset=utf-8"}, {".htm", "text/html; charset=utf-8"},
        {".txt", "text/plain; charset=utf-8"}, {".css", "text/css"},
        {".js", "text/javascript"},            {".json", "application/json"},
        {".png", "image/png"},                 {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},               {".gif", "image/gif"},
        {".svg", "image/svg+xml"},             {".ico", "image/x-icon"},
        {".wasm", "application/wasm"},         {".pdf", "application/pdf"},
    };
    const char *dot = strrchr(path, '.');
    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcmp(dot, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}

struct file_reply file_open(const struct config *cfg, const char *url, size_t len)
{
    struct file_reply r = {.status = 404, .fd = -1};
    char path[PATH_MAX];
    if (decode_path(url, len, path, sizeof path) < 0)
        return r;
    int fd = openat(cfg->rootfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        r.status = errno == EACCES || errno == EPERM ? 403 : 404;
        return r;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return r;
    }
    r.status = 200;
    r.fd = fd;
    r.size = st.st_size;
    r.type = content_type(path);
    return r;
}

async int file_send(int fd, int ffd, off_t size, uint64_t stall_ms)
{
    off_t off = 0;
    while (off < size) {
        ssize_t n = sendfile(fd, ffd, &off, (size_t)(size - off));
        if (n > 0)
            continue;
        if (n == 0)
            return -EIO; /* the file shrank under us */
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN)
            return -errno;
        ca_deadline_set(ca_now() + stall_ms);
        int r = await ca_wait_writable(fd);
        ca_deadline_set(CA_NEVER);
        if (r < 0)
            return r;
    }
    return 0;
}
