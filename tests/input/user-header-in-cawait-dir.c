// A user's header under a directory named cawait/ is the user's: its async
// functions are lowered and called like any other file's, not taken for the
// runtime's (which the tool knows by the marks in its headers, not by path).
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %strip-checks %s > %t.dir/main.c
// RUN: %cawait %t.dir/main.c -o %t.dir/main.out.c -- -I%S/../Inputs/cawait/inc
// RUN: %cawait %S/../Inputs/cawait/user_await_lib.c -o %t.dir/lib.out.c -- -I%S/../Inputs/cawait/inc
// RUN: %cc -I%S/../Inputs/cawait/inc %t.dir/main.out.c %t.dir/lib.out.c %libcawait -o %t.dir/prog
// RUN: %t.dir/prog | FileCheck %s
// RUN: FileCheck %s --check-prefix=SHAPE < %t.dir/main.out.c
#include <user_await.h>
#include <stdio.h>
async int f(int x) { return await user_twice(x) + await ca_sleep(1); }
int main(void) { printf("%d\n", ca_run(f(21))); return 0; }
// CHECK: 42
// SHAPE: int user_twice__ca_start(
