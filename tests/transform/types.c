// Struct, union, pointer, floating and void returns and parameters.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe > %t.vg.got && diff %t.want %t.vg.got
#include <cawait.h>
#include <stdio.h>

struct big { double d[4]; char name[8]; };
union u { int i; float f; };
typedef struct big big_t;

static async big_t make(double base, const char *name)
{
    big_t b;
    await ca_yield();
    for (int i = 0; i < 4; i++)
        b.d[i] = base * i;
    snprintf(b.name, sizeof b.name, "%s", name);
    return b;
}
static async union u as_float(float f) { union u x; await ca_yield(); x.f = f; return x; }
static async double half(double v) { await ca_yield(); return v / 2; }
static async const char *pick(const char *a, const char *b, int first) { await ca_yield(); return first ? a : b; }
static int hits;
static async void bump(int *p, int by) { await ca_yield(); *p += by; hits++; }
static async long double ld(long double v) { await ca_yield(); return v * 3; }

async int run(void)
{
    big_t b = await make(1.5, "frame");
    union u x = await as_float(2.5f);
    double h = await half(await half(10.0));
    int v = 0;
    await bump(&v, 3);
    await bump(&v, 4);
    printf("%s %.1f %.1f %.2f %.2f %s %d %d %.1Lf\n", b.name, b.d[1], b.d[3], (double)x.f, h,
           await pick("yes", "no", 0), v, hits, await ld(1.5L));
    return 0;
}

int main(void) { return ca_run(run()); }
// OUT: frame 1.5 4.5 2.50 2.50 no 7 2 4.5
