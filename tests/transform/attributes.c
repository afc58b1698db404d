// Attributes of an async function that becomes a state machine are kept on
// its entry points where they still mean something (they were dropped): weak,
// section, visibility, used, unused, noinline, deprecated (on f__ca_start only, which
// the user's awaits call: f__ca_start's own call of the make entry may still inline);
// hints that change nothing (pure, nonnull...) are dropped; what shapes how the
// body's code is made (target, optimize, no_sanitize...) goes on the resume
// function too, where the body runs: AVX2 intrinsics there compile.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck %s < %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: nm %t.exe | FileCheck %s --check-prefix=SYMS
// RUN: objdump -h %t.exe | FileCheck %s --check-prefix=SECTIONS
#include <cawait.h>
#include <immintrin.h>
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

// CHECK: static __attribute__((target("avx2"))) int vsum__ca_resume(
__attribute__((target("avx2"))) async int vsum(const int *p)
{
    __m256i a = _mm256_loadu_si256((const __m256i *)p);
    await ca_yield();
    int out[8];
    _mm256_storeu_si256((__m256i *)out, _mm256_add_epi32(a, a));
    return out[0] + out[7];
}

/* One clang does not know, through a macro: read from clang's warning that it ignored it. */
#define OPT_O1 __attribute__((__optimize__("O1")))
// CHECK: static __attribute__((no_sanitize_address)) __attribute__((__optimize__("O1"))) int tuned__ca_resume(
OPT_O1 __attribute__((no_sanitize_address)) async int tuned(int x) { await ca_yield(); return x + 3; }

int main(void)
{
    int v[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    printf("%d %d\n", __builtin_cpu_supports("avx2") ? ca_run(vsum(v)) : 18, ca_run(tuned(1)));
    printf("%d %d\n", ca_run(twice(21)), ca_run(plain(1)));
    return 0;
}
// SYMS-DAG: W twice__ca_start
// SYMS-DAG: W plain__ca_start
// SYMS-DAG: W plain{{$}}
// SECTIONS: cawait_test_text
