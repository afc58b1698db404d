// --frame-report: frame sizes and worst-case frame bytes per task, unbounded
// when recursive; plain C functions have no frame.
// RUN: %cawait %s -o %t.out.c --frame-report > %t.report
// RUN: FileCheck %s < %t.report
// The sizes reported are the compiler's: assert each against sizeof.
// RUN: awk '$2 ~ /^[0-9]+$/ { printf "_Static_assert(sizeof(struct %%s__ca_frame) == %%s, \"%%s\");\n", $1, $2, $1 }' %t.report > %t.asserts
// RUN: grep -c _Static_assert %t.asserts | grep -x 7
// RUN: cat %t.out.c %t.asserts > %t.sizes.c && %cc -c %t.sizes.c -o %t.o
// Each task is made with the same worst case spelled in C, from sizeof of the
// frame structs (enumerators NAME__ca_task_bytes): assert the two sums agree.
// RUN: awk '$1 ~ /^(top|loops|ld)$/ { printf "_Static_assert(%%s__ca_task_bytes == %%s, \"%%s\");\n", $1, $3, $1 }' %t.report > %t.tasks
// RUN: grep -c _Static_assert %t.tasks | grep -x 3
// RUN: cat %t.out.c %t.tasks > %t.tasks.c && %cc -c %t.tasks.c -o %t.o
// RUN: FileCheck %s --check-prefix=SPELLED < %t.out.c
// RUN: not %cawait %s -o - --frame-report 2>&1 | FileCheck %s --check-prefix=STDOUT
#include <cawait.h>
static async int plain(int x) { return x + 1; }
static async int leaf(void) { await ca_sleep(1); return 1; }
static async int mid(void) { char buf[64]; buf[0] = 1; return await leaf() + buf[0]; }
static async int top(void) { return await mid() + await leaf() + await plain(1); }
static async int rec(int n) { return n ? await rec(n - 1) : await leaf(); }
static async ca_gen(int) nums(int n) { for (int i = 0; i < n; i++) { await ca_sleep(0); yield(i); } }
static async int loops(void) { int s = 0; ca_for (int v, nums(3)) ca_for (int w, nums(2)) s += v * w + await leaf(); return s; }
static async long double ld(long double x) { await ca_sleep(0); return x; }
int main(void) { return ca_run(top()) + ca_run(rec(3)) + ca_run(loops()) + (int)ca_run(ld(0)); }
// CHECK: async function            frame bytes  worst-case frame bytes of a task running it
// CHECK-DAG: {{^}}plain                              -  plain C function: uses the C stack, no frame
// ca_sleep waits in the task and pushes no frame; mid holds leaf, top holds mid or leaf.
// CHECK-DAG: {{^}}leaf                              32  32
// CHECK-DAG: {{^}}mid                               96  128
// CHECK-DAG: {{^}}top                               40  168
// Both generators' frames stay while the inner body awaits leaf.
// CHECK-DAG: {{^}}nums                              48  48
// CHECK-DAG: {{^}}loops                             80  208
// A 16-byte-aligned frame may need 8 bytes of padding on the 8-byte-granular stack.
// CHECK-DAG: {{^}}ld                                48  56
// CHECK-DAG: {{^}}rec                               40  unbounded: recursive through rec
// STDOUT: cawait: error: --frame-report prints to standard output; give -o FILE
// SPELLED:      {{^}}enum {
// SPELLED-NEXT: {{^}}    leaf__ca_task_bytes = sizeof(struct leaf__ca_frame),
// SPELLED-NEXT: {{^}}    mid__ca_task_bytes = sizeof(struct mid__ca_frame) + leaf__ca_task_bytes,
// SPELLED-NEXT: {{^}}    top__ca_task_bytes = sizeof(struct top__ca_frame) + (mid__ca_task_bytes > leaf__ca_task_bytes ? mid__ca_task_bytes : leaf__ca_task_bytes),
// SPELLED:      {{^}}    loops__ca_task_bytes = sizeof(struct loops__ca_frame) + nums__ca_task_bytes + nums__ca_task_bytes + leaf__ca_task_bytes,
// SPELLED-NEXT: {{^}}    ld__ca_task_bytes = sizeof(struct ld__ca_frame) + __alignof__(struct ld__ca_frame) - 8,
// SPELLED-NEXT: {{^}}};
// SPELLED:      ca__task_new(NULL, top__ca_task_bytes);
// rec is recursive: its task's stack starts small and grows.
// SPELLED:      ca__task_new(NULL, 0);
// SPELLED:      ca__task_new(NULL, loops__ca_task_bytes);
