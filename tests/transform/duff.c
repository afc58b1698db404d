// Duff's device with an await in every case, and continue inside a switch
// inside a for loop whose condition and increment await.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
#include <cawait.h>
#include <stdio.h>
static async int Y(int v) { await ca_yield(); return v; }
static async int duff(int count)
{
    int n = (count + 3) / 4, out = 0;
    switch (count % 4) {
    case 0: do { out += await Y(1);
    case 3:      out += await Y(1);
    case 2:      out += await Y(1);
    case 1:      out += await Y(1);
            } while (--n > 0);
    }
    return out;
}
static async int loops(void)
{
    int s = 0;
    for (int i = 0; i < await Y(6); i = i + await Y(1)) {
        switch (i) {
        case 2: continue;
        case 4: s += 100; break;
        default: s += i;
        }
        if (i == 5) break;
    }
    return s;
}
int main(void) { printf("%d %d %d %d\n", ca_run(duff(7)), ca_run(duff(8)), ca_run(duff(1)), ca_run(loops())); return 0; }
// OUT: 7 8 1 109
