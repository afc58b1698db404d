/*
 * What the benchmark's hand-written peer servers share with each other:
 * the same request parser as samples/httpd (http-parser) and the same
 * response bytes for GET /hello, so the table compares event loops, not
 * parsers or header sets.
 */
#ifndef PEER_COMMON_H
#define PEER_COMMON_H

#include <http_parser.h>
#include <stddef.h>

#define PEER_OUT_CAP 4096

/* Per connection: the parser and the responses not written yet. */
struct peer_conn {
    http_parser parser;
    size_t out_len;
    int close_after; /* an error, or the client did not keep alive */
    size_t url_len;
    char url[64];    /* the request's URL, when it is that short */
    char out[PEER_OUT_CAP];
};

void peer_conn_init(struct peer_conn *c);
/*
 * Parse n bytes; the response to each complete request is appended to
 * c->out (a 400 for a malformed one, which sets close_after). Returns -1
 * when out is too full to take another response (the caller writes it out
 * and calls again with the rest: the count consumed is in *used).
 */
int peer_feed(struct peer_conn *c, const char *buf, size_t n, size_t *used);
/* A non-blocking listening socket on 127.0.0.1:port, or -1. */
int peer_listen(int port);

#endif
