/*
 * Requests: a blocking call (a file operation, getaddrinfo) run on the
 * loop's thread pool with data that the request owns, as libuv's uv_fs_t
 * and uv_getaddrinfo_t do.
 *
 * The caller copies what the call needs (paths, a bounce buffer, a
 * sockaddr) into one malloc'd request, so a task cancelled while the call
 * runs can let its own memory go: the pool never touches it after the
 * await has returned. The request has two references, the pool's and the
 * task's; whoever drops the last frees it, and calls `abandon` first when
 * the call ran but the task did not take its result (an fd opened for a
 * cancelled ca_file_open is closed, a getaddrinfo list is freed). A
 * call that must happen whatever (`must_run`: a close) runs on the loop's
 * thread when it never reached the pool.
 */
#include "internal.h"

#include <stdlib.h>

struct req_op {
    ca_frame hdr;
    unsigned state;
    bool retlong, queued;
    struct ca__req *req;
    void *ret;
    intptr_t r; /* 1 once run has returned; else the wait's error */
};
_Static_assert(sizeof(struct req_op) <= CA__OP_FRAME_MAX, "abi.h bounds op frames");

static void put(struct ca__req *r)
{
    if (__atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        if (r->ran && !r->taken && r->abandon)
            r->abandon(r);
        free(r);
    }
}

/* On the pool. */
static intptr_t trampoline(void *arg)
{
    struct ca__req *r = arg;
    r->result = r->run(r);
    r->ran = true;
    put(r);
    return 1;
}

static int req_resume(ca_task *t, ca_frame *fr)
{
    struct req_op *op = (struct req_op *)fr;
    struct ca__req *r = op->req;
    t->flags &= (uint16_t)~CA__T_ABORTED;
    if (op->r == 1) {
        r->taken = true;
        if (r->finish)
            r->finish(r);
        long v = r->result;
        op->r = v;
    }
    if (!op->queued && r->must_run) {
        /* The pool could not take it, or the task was cancelled first: run it here. */
        intptr_t v = r->run(r);
        if (op->r == -ENOMEM || op->r == -EAGAIN)
            op->r = v;
    }
    if (op->retlong)
        *(ssize_t *)op->ret = (ssize_t)op->r;
    else
        *(int *)op->ret = (int)op->r;
    if (op->queued)
        put(r);
    else
        free(r); /* run never ran on the pool */
    ca__op_free(t, fr);
    return CA_DONE;
}

int ca__req_await(ca_task *t, ca_frame *parent, void *ret, bool retlong, struct ca__req *r)
{
    if (!r) {
        if (retlong)
            *(ssize_t *)ret = -ENOMEM;
        else
            *(int *)ret = -ENOMEM;
        return CA_DONE;
    }
    r->refs = 2;
    r->ran = r->taken = false;
    struct req_op *op = ca__op_alloc(t, sizeof *op, req_resume, parent);
    op->retlong = retlong;
    op->req = r;
    op->ret = ret;
    int st = ca__blocking(t, &op->hdr, &op->r, trampoline, r, &op->queued);
    if (st != CA_DONE)
        return st;
    return req_resume(t, &op->hdr);
}
