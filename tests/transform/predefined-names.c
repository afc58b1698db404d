// __func__ and its GNU spellings name the user's function inside a state
// machine (whose C function is f__ca_resume), also when a macro (assert's
// kind) writes them; and literals that builtin macros expand to, in the
// arguments of ca_run (a macro), keep their value and type: __FUNCTION__ came
// out as `__FU`, __LDBL_MAX__ as `infL`, __UINT64_MAX__ as -1 (from gcc's
// torture suite: 20001011-1.c, pr39228.c).
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
#include <cawait.h>
#include <float.h>
#include <stdio.h>
#include <string.h>

#define WHERE() printf("in %s\n", __func__)

static async int len(const char *s) { await ca_yield(); return (int)strlen(s); }
static async long double same(long double x) { await ca_yield(); return x; }
static async unsigned long long half(unsigned long long x) { await ca_yield(); return x / 2; }

static async int named(void)
{
    await ca_yield();
    WHERE();
    printf("%s %s %s\n", __func__, __FUNCTION__, __PRETTY_FUNCTION__);
    return await len(__func__) + await len(__FUNCTION__);
}

int main(void)
{
    printf("%d\n", ca_run(named()));
    printf("%d\n", ca_run(len(__FUNCTION__)));
    printf("%d %d %d\n", ca_run(same(__LDBL_MAX__)) == __LDBL_MAX__, ca_run(same(LDBL_MIN)) == LDBL_MIN,
           ca_run(same(__FLT_MAX__)) == __FLT_MAX__);
    printf("%d\n", ca_run(half(__UINT64_MAX__)) == __UINT64_MAX__ / 2);
    return 0;
}
// OUT: in named
// OUT-NEXT: named named named
// OUT-NEXT: 10
// OUT-NEXT: 4
// OUT-NEXT: 1 1 1
// OUT-NEXT: 1
