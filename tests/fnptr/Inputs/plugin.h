/* A plugin interface of async function pointers, implemented in plugin.c. */
#include <cawait.h>
struct plugin;
struct plugin_ops {
    async int (*handle)(struct plugin *p, int x);
    async void (*close)(struct plugin *p);
};
struct plugin { const struct plugin_ops *ops; int state; };
struct plugin *plugin_open(int kind);
typedef async long reducer_fn(long acc, int x);
reducer_fn *plugin_reducer(int which);
async long sum_reducer(long acc, int x);
