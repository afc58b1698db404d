/* The server, converted. */
#ifndef CA_SERVER_H
#define CA_SERVER_H

#include <cawait.h>

/* Serve one client of the listening socket lfd (closed on return). */
async void ping_server(int lfd);

#endif
