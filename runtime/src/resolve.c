/*
 * Name resolution on the thread pool (getaddrinfo and getnameinfo block on
 * the network, as libuv's uv_getaddrinfo knows), and connecting by host
 * name and port.
 *
 * The request copies node, service and hints (req.c), so a cancelled
 * await lets its caller's strings go at once; the list that a cancelled
 * getaddrinfo returns later is freed by the request.
 */
#include "internal.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* getaddrinfo's EAI_* codes, negative in glibc, moved out of errno's range. */
static intptr_t eai(int rc)
{
    if (rc == 0)
        return 0;
    if (rc == EAI_SYSTEM)
        return errno ? -errno : -EIO;
    if (rc == EAI_MEMORY)
        return -ENOMEM;
    return CA_EAI(rc);
}

const char *ca_strerror(int err)
{
    if (err <= CA_EAI(0) && err > CA_EAI(-1000))
        return gai_strerror(err - CA_EAI(0));
    return strerror(-err);
}

struct gai_req {
    struct ca__req req;
    struct addrinfo hints, *res;
    bool has_hints;
    const char *node, *service; /* in data, or NULL */
    struct addrinfo **out;
    char data[];
};

static intptr_t run_gai(struct ca__req *q)
{
    struct gai_req *r = (struct gai_req *)q;
    errno = 0;
    return eai(getaddrinfo(r->node, r->service, r->has_hints ? &r->hints : NULL, &r->res));
}

static void finish_gai(struct ca__req *q)
{
    struct gai_req *r = (struct gai_req *)q;
    *r->out = q->result == 0 ? r->res : NULL;
}

static void abandon_gai(struct ca__req *q)
{
    struct gai_req *r = (struct gai_req *)q;
    if (q->result == 0)
        freeaddrinfo(r->res);
}

static char *copy_str(char **p, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = memcpy(*p, s, n);
    *p += n;
    return d;
}

int ca_getaddrinfo__ca_start(ca_task *t, ca_frame *parent, int *ret, const char *node, const char *service,
                             const struct addrinfo *hints, struct addrinfo **res)
{
    if (!res || (!node && !service)) {
        *ret = -EINVAL;
        return CA_DONE;
    }
    *res = NULL;
    size_t n = (node ? strlen(node) + 1 : 0) + (service ? strlen(service) + 1 : 0);
    struct gai_req *r = ca__malloc(sizeof *r + n);
    if (r) {
        memset(r, 0, sizeof *r);
        r->req.run = run_gai;
        r->req.finish = finish_gai;
        r->req.abandon = abandon_gai;
        char *p = r->data;
        r->node = copy_str(&p, node);
        r->service = copy_str(&p, service);
        if (hints) {
            /* Only the fields getaddrinfo reads in hints; its pointers must be NULL. */
            r->hints.ai_flags = hints->ai_flags;
            r->hints.ai_family = hints->ai_family;
            r->hints.ai_socktype = hints->ai_socktype;
            r->hints.ai_protocol = hints->ai_protocol;
            r->has_hints = true;
        }
        r->out = res;
    }
    return ca__req_await(t, parent, ret, false, r ? &r->req : NULL);
}

struct gni_req {
    struct ca__req req;
    struct sockaddr_storage sa;
    socklen_t salen;
    int flags;
    char *host, *serv; /* the caller's */
    size_t hostlen, servlen;
    char hbuf[NI_MAXHOST], sbuf[NI_MAXSERV];
};

static intptr_t run_gni(struct ca__req *q)
{
    struct gni_req *r = (struct gni_req *)q;
    errno = 0;
    return eai(getnameinfo((struct sockaddr *)&r->sa, r->salen, r->host ? r->hbuf : NULL,
                           r->host ? (r->hostlen < sizeof r->hbuf ? r->hostlen : sizeof r->hbuf) : 0,
                           r->serv ? r->sbuf : NULL,
                           r->serv ? (r->servlen < sizeof r->sbuf ? r->servlen : sizeof r->sbuf) : 0, r->flags));
}

static void finish_gni(struct ca__req *q)
{
    struct gni_req *r = (struct gni_req *)q;
    if (q->result != 0)
        return;
    if (r->host)
        memcpy(r->host, r->hbuf, strlen(r->hbuf) + 1);
    if (r->serv)
        memcpy(r->serv, r->sbuf, strlen(r->sbuf) + 1);
}

int ca_getnameinfo__ca_start(ca_task *t, ca_frame *parent, int *ret, const struct sockaddr *sa, socklen_t salen,
                             char *host, size_t hostlen, char *serv, size_t servlen, int flags)
{
    if (!sa || salen > sizeof(struct sockaddr_storage) || (host && !hostlen) || (serv && !servlen) ||
        (!host && !serv)) {
        *ret = -EINVAL;
        return CA_DONE;
    }
    struct gni_req *r = ca__malloc(sizeof *r);
    if (r) {
        memset(r, 0, sizeof *r);
        r->req.run = run_gni;
        r->req.finish = finish_gni;
        memcpy(&r->sa, sa, salen);
        r->salen = salen;
        r->flags = flags;
        r->host = host;
        r->hostlen = hostlen;
        r->serv = serv;
        r->servlen = servlen;
    }
    return ca__req_await(t, parent, ret, false, r ? &r->req : NULL);
}

/*
 * ca_connect_host: resolve, then try each address in getaddrinfo's order
 * until one connects. A frame of its own that awaits ca_getaddrinfo, then
 * ca_connect (each pushes one op frame on top of it).
 */
struct ch_fr {
    ca_frame hdr;
    unsigned state;
    int r, fd, err;
    int *ret;
    const char *host; /* the caller's, until getaddrinfo has copied it */
    struct addrinfo *list, *ai;
    char port[8];
};
_Static_assert(sizeof(struct ch_fr) <= CA__OP_FRAME_MAX, "the tool counts ca_connect_host as two op frames");

static int ch_resume(ca_task *t, ca_frame *fr)
{
    struct ch_fr *F = (struct ch_fr *)fr;
    switch (F->state) {
    case 1:
        goto resolved;
    case 2:
        goto connected;
    }
    F->state = 1;
    {
        struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
        int st = ca_getaddrinfo__ca_start(t, &F->hdr, &F->r, F->host, F->port, &hints, &F->list);
        if (st != CA_DONE)
            return st;
    }
resolved:
    if (F->r < 0) {
        F->err = F->r;
        goto out;
    }
    F->err = -ECONNREFUSED;
    for (F->ai = F->list; F->ai; F->ai = F->ai->ai_next) {
        F->fd = socket(F->ai->ai_family, F->ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, F->ai->ai_protocol);
        if (F->fd < 0) {
            F->err = -errno;
            continue;
        }
        F->state = 2;
        {
            int st = ca_connect__ca_start(t, &F->hdr, &F->r, F->fd, F->ai->ai_addr, F->ai->ai_addrlen);
            if (st != CA_DONE)
                return st;
        }
    connected:
        if (F->r == 0) {
            F->err = F->fd;
            break;
        }
        close(F->fd);
        F->err = F->r;
        if (F->r == -ECANCELED || F->r == -ETIMEDOUT)
            break;
    }
    freeaddrinfo(F->list);
out:
    *F->ret = F->err;
    ca__frame_free(t, F);
    return CA_DONE;
}

int ca_connect_host__ca_start(ca_task *t, ca_frame *parent, int *ret, const char *host, unsigned port)
{
    int e = ca__check(ca__cur_loop, t);
    if (!e && (!host || port > 65535))
        e = -EINVAL;
    if (e) {
        *ret = e;
        return CA_DONE;
    }
    struct ch_fr *F = CA__FRAME_NEW(t, struct ch_fr, ch_resume, parent);
    F->ret = ret;
    snprintf(F->port, sizeof F->port, "%u", port);
    F->host = host;
    return ch_resume(t, &F->hdr);
}
