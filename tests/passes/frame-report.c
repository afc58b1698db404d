// --frame-report: frame sizes and worst-case frame bytes per task, unbounded
// when recursive; plain C functions have no frame.
// RUN: %cawait %s -o %t.out.c --frame-report | FileCheck %s
// RUN: not %cawait %s -o - --frame-report 2>&1 | FileCheck %s --check-prefix=STDOUT
#include <cawait.h>
static async int plain(int x) { return x + 1; }
static async int leaf(void) { await ca_sleep(1); return 1; }
static async int mid(void) { char buf[64]; buf[0] = 1; return await leaf() + buf[0]; }
static async int top(void) { return await mid() + await leaf() + await plain(1); }
static async int rec(int n) { return n ? await rec(n - 1) : await leaf(); }
int main(void) { return ca_run(top()) + ca_run(rec(3)); }
// CHECK: async function            frame bytes  worst-case frame bytes of a task running it
// CHECK-DAG: {{^}}plain                              -  plain C function: uses the C stack, no frame
// CHECK-DAG: {{^}}leaf                              48  144
// CHECK-DAG: {{^}}mid                              112  256
// CHECK-DAG: {{^}}top                               48  304
// CHECK-DAG: {{^}}rec                               64  unbounded: recursive through rec
// STDOUT: cawait: error: --frame-report prints to standard output; give -o FILE
