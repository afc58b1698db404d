/* The client, converted: straight-line async code. */
#ifndef CA_CLIENT_H
#define CA_CLIENT_H

#include <cawait.h>
#include <netdb.h>

/*
 * How the client resolves a name: 0 and *res (freeaddrinfo'd by the
 * caller), or an error. Each program defines it its own way: ca_ping.c
 * with getaddrinfo on the thread pool, mixed_ping.c with libuv's.
 */
async int resolve(const char *host, const char *port, struct addrinfo **res);

/* Resolve "localhost", connect to port, send three pings 20 ms apart, print the answers. */
async int ping_client(const char *port);

#endif
