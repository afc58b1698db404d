// Attributes of an async function that becomes a state machine are kept on
// its entry points where they still mean something (they were dropped): weak,
// section, visibility, used, unused, noinline, deprecated (on f__ca_start only, which
// the user's awaits call: f__ca_start's own call of the make entry may still inline);
// hints that change nothing (pure, nonnull...) are dropped.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck %s < %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: nm %t.exe | FileCheck %s --check-prefix=SYMS
// RUN: objdump -h %t.exe | FileCheck %s --check-prefix=SECTIONS
#include <cawait.h>
#include <stdio.h>

#define NOINLINE __attribute__((noinline))

// CHECK: __attribute__((weak)) __attribute__((section("cawait_test_text"))) __attribute__((noinline)) int twice__ca_start(
// CHECK: {{^}}__attribute__((weak)) __attribute__((section("cawait_test_text"))) ca_frame *twice__ca_make(
__attribute__((weak, section("cawait_test_text"))) async int twice(int);
NOINLINE async int twice(int x) { await ca_yield(); return 2 * x; }

// CHECK: __attribute__((weak)) int plain__ca_start(
__attribute__((weak)) async int plain(int x) { return x + 1; }

// CHECK: __attribute__((used)) __attribute__((deprecated("old"))) int old__ca_start(
// CHECK: __attribute__((used)) ca_frame *old__ca_make(
__attribute__((used, deprecated("old"))) async int old(void) { await ca_yield(); return 7; }

int main(void)
{
    printf("%d %d\n", ca_run(twice(21)), ca_run(plain(1)));
    return 0;
}
// SYMS-DAG: W twice__ca_start
// SYMS-DAG: W plain__ca_start
// SYMS-DAG: W plain{{$}}
// SECTIONS: cawait_test_text
