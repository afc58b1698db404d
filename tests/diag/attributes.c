// Attributes on an async function that becomes a state machine: those that
// cannot hold for its entry points are refused, each with its reason (they
// were dropped without a word). tests/transform/attributes.c has the kept ones.
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t.out.c
#include <cawait.h>

// CHECK: attributes.c:[[@LINE+1]]:16: error: attribute 'constructor' on async function 'early' that can suspend: it would run the function before main, outside any task
__attribute__((constructor)) async void early(void) { await ca_yield(); }
// CHECK: attributes.c:[[@LINE+1]]:16: error: attribute 'destructor' on async function 'late' that can suspend: it would run the function after main
__attribute__((__destructor__)) async void late(void) { await ca_yield(); }
// CHECK: attributes.c:[[@LINE+1]]:1: error: attribute '_Noreturn' on async function 'stop' that can suspend: its entry point returns to its caller at each suspension
_Noreturn async void stop(void) { await ca_yield(); for (;;) {} }
// CHECK: attributes.c:[[@LINE+1]]:38: error: attribute 'noreturn' on async function 'halt' that can suspend: its entry point returns to its caller at each suspension
__attribute__((noreturn)) async void halt(void) { await ca_yield(); for (;;) {} }
async int renamed(void) __asm__("other_name");
// CHECK: attributes.c:[[@LINE-1]]:33: error: async function 'renamed' cannot have an asm label
async int renamed(void) { await ca_yield(); return 1; }

// One clang does not know (it only warns that it ignored it) is seen all the same.
// CHECK: attributes.c:[[@LINE+1]]:16: error: attribute 'no_stack_limit' on async function 'limited' that can suspend: cawait does not know what it would mean for the generated entry points
__attribute__((no_stack_limit)) async void limited(void) { await ca_yield(); }

// A function that never suspends stays plain C with its attributes.
__attribute__((constructor)) async void plain_early(void) {}

int main(void) { return 0; }
