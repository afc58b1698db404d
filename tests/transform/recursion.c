// Recursion, direct and mutual, thousands deep, every level suspending.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe > %t.vg.got && diff %t.want %t.vg.got
#include <cawait.h>
#include <stdio.h>

async long depth(int n) { if (n == 0) return 0; await ca_yield(); return 1 + await depth(n - 1); }
async int is_odd(int n);
async int is_even(int n) { if (n == 0) return 1; await ca_yield(); return await is_odd(n - 1); }
async int is_odd(int n) { if (n == 0) return 0; return await is_even(n - 1); }
async long fib(int n) { if (n < 2) return n; return await fib(n - 1) + await fib(n - 2); }

async int run(void)
{
    printf("depth=%ld even=%d odd=%d fib=%ld\n", await depth(5000), await is_even(3001), await is_odd(3001), await fib(15));
    return 0;
}

int main(void) { return ca_run(run()); }
// OUT: depth=5000 even=0 odd=1 fib=610
