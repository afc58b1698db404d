/* Async functions handed out as pointers to another file. */
#include "plugin.h"
#include <stdio.h>

static async int count_handle(struct plugin *p, int x) { return p->state += x; }   /* plain C */
static async int slow_handle(struct plugin *p, int x) { await ca_yield(); return p->state *= x; }
static async void say_close(struct plugin *p) { await ca_yield(); printf("closed at %d\n", p->state); }

static const struct plugin_ops counting = { count_handle, say_close };
static const struct plugin_ops slow = { .handle = &slow_handle, .close = say_close };
static struct plugin plugins[2] = { { &counting, 0 }, { &slow, 1 } };

struct plugin *plugin_open(int kind) { return &plugins[kind]; }

async long sum_reducer(long acc, int x) { return acc + x; }
static async long max_reducer(long acc, int x) { await ca_yield(); return acc > x ? acc : x; }
reducer_fn *plugin_reducer(int which) { return which ? max_reducer : sum_reducer; }
