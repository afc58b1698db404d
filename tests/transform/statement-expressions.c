// GNU statement expressions with awaits inside: locals declared in them
// (living across the await in the frame), their value (scalar, struct, void),
// evaluation order against the operands around them, and jumps out of them:
// return, break, continue (in a loop whose increment awaits), goto. One
// without awaits or jumps stays text. Compared with the synchronous twin.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe > %t.vg.got && diff %t.want %t.vg.got
#include <cawait.h>
#include <stdio.h>

static async int Y(int v) { await ca_yield(); return v; }
static async int S(int v) { await ca_sleep(0); return v; }
static int trace(int v) { printf("trace %d\n", v); return v; }

struct pair { int a, b; };

async int values(int x)
{
    // SHAPE: ca__l_ca__tmp1 = trace(1); { { if ({{.*}} ca__s1:; ca__f->t = ca__f->ca__tmp3; } ca__l_ca__tmp2 = ca__f->t * 2; } ca__l_a = ((ca__l_ca__tmp1 + ca__l_ca__tmp2) + trace(2));
    int a = trace(1) + ({ int t = await Y(x); t * 2; }) + trace(2);
    // SHAPE: ca__l_b = ({ int u = 5; u + ca__l_a; });
    int b = ({ int u = 5; u + a; });
    struct pair p = ({ struct pair q = {await S(a), await Y(b)}; q; });
    ({ a += await Y(1); (void)0; });
    return a + b + p.a * 100 + p.b * 1000;
}

async int jumps(int x)
{
    int sum = 0;
    ({ if (x > 3) return -x; sum += await Y(1); });
    for (int i = 0; i < 4; i += await Y(1)) {
        int c = ({ if (i == 1) continue; if (i == 3) break; await S(i * 10); });
        sum += c;
    }
    while (1) {
        sum += ({ int d = await Y(7); if (x == 2) goto done; d; });
        break;
    }
    sum += 1000;
done:
    return sum + ({ int q = await Y(2); q; });
}

int main(void)
{
    for (int i = 0; i < 5; i++)
        printf("values(%d) = %d, jumps(%d) = %d\n", i, ca_run(values(i)), i, ca_run(jumps(i)));
    return 0;
}
