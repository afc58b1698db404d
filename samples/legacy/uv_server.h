/* The legacy server, libuv callbacks: answers each byte upper-cased. */
#ifndef UV_SERVER_H
#define UV_SERVER_H

#include <uv.h>

/* Listen on 127.0.0.1 (any free port, stored in *port) and serve one client. 0 or a libuv error. */
int uv_server_start(uv_loop_t *loop, int *port);

#endif
