/*
 * What the tool knows about libcawait's own awaits. The names are the
 * runtime's contract (runtime/include/cawait/runtime.h); the numbers follow
 * its op frames (abi.h).
 */
#include "runtime_awaits.h"

#include <string.h>

/* Upper bound of what a runtime await puts on the frame stack: abi.h's CA__OP_FRAME_MAX. */
#define RUNTIME_WAIT_BYTES 80

static bool named(const cw_async_fn *f, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f->name, names[i]) == 0)
            return true;
    return false;
}

long long cw_runtime_wait_bytes(const cw_async_fn *f)
{
    /* These wait in the task itself, pushing no frame. */
    static const char *const frameless[] = {"ca_sleep",    "ca_yield", "ca_join",  "ca_future_wait",
                                            "ca_blocking", "ca_pread", "ca_pwrite"};
    /* These are a frame of their own awaiting another runtime await that pushes one. */
    static const char *const two_frames[] = {"ca_connect_host", "ca_recvfrom", "ca_sendto", "ca_recvmsg",
                                             "ca_sendmsg",      "ca_file_read", "ca_file_write"};
    if (named(f, frameless, sizeof frameless / sizeof *frameless))
        return 0;
    if (named(f, two_frames, sizeof two_frames / sizeof *two_frames))
        return 2 * RUNTIME_WAIT_BYTES;
    return RUNTIME_WAIT_BYTES;
}

bool cw_result_on_resume(const cw_async_fn *f)
{
    static const char *const on_resume[] = {"ca_yield"};
    return f->from_cawait && named(f, on_resume, sizeof on_resume / sizeof *on_resume);
}
