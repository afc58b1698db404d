/*
 * The server of uv_server.c, converted: accept one client, write back every
 * byte upper-cased until it leaves.
 */
#include "ca_server.h"

#include <ctype.h>
#include <stdio.h>
#include <unistd.h>

async void ping_server(int lfd)
{
    int fd = await ca_accept(lfd, NULL, NULL);
    close(lfd);
    if (fd < 0)
        return;
    char buf[1024];
    ssize_t n;
    while ((n = await ca_read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            buf[i] = (char)toupper((unsigned char)buf[i]);
        if (await ca_write_all(fd, buf, (size_t)n) < 0)
            break;
    }
    printf("server: client left\n");
    close(fd);
}
