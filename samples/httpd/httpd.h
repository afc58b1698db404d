/*
 * samples/httpd: an HTTP/1.1 server written with cawait.
 *
 * One loop per thread, each with its own SO_REUSEPORT listening socket; one
 * task per connection (conn.c), written as straight-line code. main.c reads
 * the options, starts the threads and turns SIGINT/SIGTERM into a clean
 * shutdown; files.c serves --root.
 */
#ifndef HTTPD_H
#define HTTPD_H

#include <cawait.h>

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The command line, shared read-only by every thread. */
struct config {
    int port;                    /* --port, 0: any free port (printed) */
    int threads;                 /* --threads */
    const char *root;            /* --root, NULL: only /hello */
    int rootfd;                  /* an O_PATH descriptor of root, or -1 */
    size_t max_conns;            /* --max-conns, per thread */
    uint64_t idle_timeout_ms;    /* --idle-timeout: keep-alive wait for a request */
    uint64_t request_timeout_ms; /* --request-timeout: first byte to whole request */
    uint64_t write_timeout_ms;   /* --write-timeout: writing one batch of responses */
};

/* A live connection, linked into its server's list (the task's own frame holds it). */
struct conn_link {
    struct conn_link *prev, *next;
    ca_task *task;
};

/* One per thread: that thread's listening socket and its connections. */
struct server {
    const struct config *cfg;
    int lfd;
    int port;                /* the port bound (for --port 0) */
    struct conn_link *conns; /* running connection tasks */
    size_t nconns;           /* spawned and not yet ended (some may not be linked yet) */
    int busy;                /* nconns reached BUSY_CONNS since it was last 0 */
    int stopping;            /* set once the stop future fired: new tasks leave at once */
    ca_event drained;        /* set when nconns drops to 0 while stopping */
    ca_future stop;          /* resolved, from the signal watcher's thread, to stop */
};

/*
 * The runtime keeps the memory of ended tasks in malloc's free lists; when
 * the last connection of a period with at least BUSY_CONNS of them ends,
 * httpd gives it back to the system (malloc_trim).
 */
#define BUSY_CONNS 64

/* Serve one accepted connection until it closes; closes fd. */
async void connection(struct server *s, int fd);

/* ---- files.c: --root ---- */

/* What a request for a file under --root resolved to. */
struct file_reply {
    int status;           /* 200, 403, 404 */
    int fd;               /* open file when status is 200, else -1 */
    off_t size;
    const char *type;     /* Content-Type */
};

/* Resolve the URL path (with its query) under cfg->rootfd: never escapes root. */
struct file_reply file_open(const struct config *cfg, const char *url, size_t len);
/* Send size bytes of ffd to the socket fd with sendfile(2): 0 or -errno;
 * -ETIMEDOUT when the client takes no bytes for stall_ms. */
async int file_send(int fd, int ffd, off_t size, uint64_t stall_ms);

#endif
