// Pass "collect": the async functions, and which can suspend (a fixpoint:
// a function awaiting only functions that cannot suspend cannot either).
// RUN: %cawait %s --dump-after=collect | FileCheck %s
// RUN: %cawait %s --dump-after=collect --no-sync-lowering | FileCheck %s --check-prefix=ALL
#include <cawait.h>
async int elsewhere(int);
static async int leaf(int x) { return x * 2; }
static async int mid(int x) { return await leaf(x) + 1; }
static async int sleeper(void) { await ca_sleep(1); return 0; }
static async int top(void) { return await mid(1) + await sleeper() + await elsewhere(2); }
async ca_gen(long) gen(void) { yield(1); }
// CHECK-DAG: async elsewhere: declared only, state machine
// CHECK-DAG: async leaf: defined here, plain C function (cannot suspend)
// CHECK-DAG: async mid: defined here, plain C function (cannot suspend)
// CHECK-DAG: async sleeper: defined here, state machine
// CHECK-DAG: async top: defined here, state machine
// CHECK-DAG: generator gen: defined here, state machine, yields long
// ALL-DAG: async leaf: defined here, state machine
