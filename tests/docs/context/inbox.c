/* docs/runtime.md's inbox fragment: a callback API that reports progress from its own thread. */
#include <cawait.h>

struct progress {
    long done, total;
};

typedef void progress_fn(const struct progress *p, void *user);
void start_download(const char *url, progress_fn *cb, void *user);
void on_progress(const struct progress *p, void *user);
void show(const struct progress *p);

async int download(const char *url)
{
@SNIPPET@
    return 0;
}
