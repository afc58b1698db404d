/* The cawait server: one task per connection, as a user writes it (async C through the tool). */
#include <cawait.h>

#include "common.h"

/* One connection: read a request (16 KiB of buffer, in the task's frame), write the response; until EOF. */
static async void serve(int fd)
{
    char buf[16384];
    size_t have = 0;
    for (;;) {
        ssize_t n = await ca_read(fd, buf + have, sizeof buf - have);
        if (n <= 0)
            break;
        have += (size_t)n;
        if (!request_complete(buf, have)) {
            if (have == sizeof buf)
                break; /* not ours to handle */
            continue;
        }
        have = 0;
        if (await ca_write_all(fd, RESPONSE, RESPONSE_LEN) < 0)
            break;
    }
    ca_close(fd);
}

static async int accept_loop(int lfd)
{
    for (;;) {
        int fd = await ca_accept(lfd, NULL, NULL);
        if (fd < 0)
            return fd;
        if (ca_detach(ca_spawn(serve(fd))) < 0)
            ca_close(fd); /* no memory for the task */
    }
}

int main(int argc, char **argv)
{
    int lfd = listen_on(port_arg(argc, argv));
    return ca_run(accept_loop(lfd)) < 0;
}
