/*
 * cawait: async/await for C. The one header users include.
 *
 *   keywords.h  async, await, ca_run, ca_spawn, ca_gen, yield, ca_for
 *   abi.h       what the generated C calls (frames, frame stack, tasks)
 *   runtime.h   libcawait's API: tasks, time, I/O, thread pool, futures,
 *               channels and synchronisation
 */
#ifndef CAWAIT_H
#define CAWAIT_H

#include "cawait/keywords.h"
#include "cawait/abi.h"
#include "cawait/runtime.h"

#endif
