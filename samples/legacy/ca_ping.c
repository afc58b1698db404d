/*
 * The program of uv_ping.c, converted entirely: the server (ca_server.c)
 * and the client (ca_client.c) are tasks of cawait's loop; the name is
 * resolved with getaddrinfo on the runtime's thread pool.
 */
#include "ca_client.h"
#include "ca_server.h"

#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

struct lookup {
    const char *host, *port;
    struct addrinfo *res;
};

static intptr_t lookup_blocking(void *arg)
{
    struct lookup *l = arg;
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM};
    return getaddrinfo(l->host, l->port, &hints, &l->res);
}

async int resolve(const char *host, const char *port, struct addrinfo **res)
{
    struct lookup l = {host, port, NULL};
    int r = (int)await ca_blocking(lookup_blocking, &l);
    *res = l.res;
    return r;
}

static async int ping(int lfd, const char *port)
{
    ca_task *server = ca_spawn(ping_server(lfd));
    int r = await ping_client(port);
    await ca_join(server);
    return r;
}

int main(void)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, len) < 0 || listen(lfd, 16) < 0 ||
        getsockname(lfd, (struct sockaddr *)&addr, &len) < 0)
        return 1;
    char port[8];
    snprintf(port, sizeof port, "%d", ntohs(addr.sin_port));
    return ca_run(ping(lfd, port));
}
