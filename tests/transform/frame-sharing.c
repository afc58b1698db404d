// Frames only as big as needed: fields whose lives do not overlap share
// storage (an anonymous union), and fields go by alignment, largest first.
// The programs' output must stay the synchronous twin's, under ASan too.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cawait %t.in.c --dump-after=lower | FileCheck %s --check-prefix=LOWER
// The sizes the report gives are the compiler's:
// RUN: printf '_Static_assert(sizeof(struct nap__ca_frame) == 32, "nap");\n_Static_assert(sizeof(struct sleeper__ca_frame) == 24, "sleeper");\n' > %t.asserts
// RUN: cat %t.out.c %t.asserts > %t.sizes.c && %cc -c %t.sizes.c -o %t.o
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
#include <cawait.h>
#include <stdio.h>

static async int Y(int v) { await ca_yield(); return v; }

/* Issue 15's goal: ms is read only before the first await, and the result
   slot is written only when the callee ends, so they share 4 bytes. */
static int woke;
async int nap(int ms) { return await ca_sleep(ms); }
async void sleeper(int ms)
{
    if (await nap(ms) == 0)
        woke++;
}
// SHAPE-LABEL: struct nap__ca_frame {
// SHAPE-NEXT:      ca_frame hdr;
// SHAPE-NEXT:      unsigned ca__state;
// SHAPE-NEXT:      __extension__ union {
// SHAPE-NEXT:          int ms;
// SHAPE-NEXT:          int ca__tmp1;
// SHAPE-NEXT:      };
// SHAPE-NEXT:      int *ca__ret;
// SHAPE-NEXT:  };
// LOWER-LABEL: frame nap: 32 bytes
// LOWER:       20      4  int ms  (shared)
// LOWER-NEXT:  20      4  int ca__tmp1  (shared)
// LOWER-LABEL: frame sleeper: 24 bytes

/* Locals of sibling blocks share; the temporaries of successive statements
   too. The resume point stays right after the header (gdb's cawait.py reads
   it there); padding after it is filled. */
async long siblings(int k)
{
    long r = 0;
    if (k) {
        long a = await Y(k);
        r += a + await Y(1);
    } else {
        double b = await Y(2);
        r += (long)b;
    }
    r += await Y(3);
    return r;
}
// k is dead once the branch is taken: a and b (locals that live from their
// initialisers, a only until its value is copied before the second await),
// and temporaries, share it.
// SHAPE-LABEL: struct siblings__ca_frame {
// SHAPE-NEXT:      ca_frame hdr;
// SHAPE-NEXT:      unsigned ca__state;
// SHAPE-NEXT:      long *ca__ret;
// SHAPE-NEXT:      __extension__ union {
// SHAPE-NEXT:          int k;
// SHAPE-NEXT:          long a;
// SHAPE-NEXT:          double b;
// SHAPE-NEXT:          int ca__tmp3;
// SHAPE-NEXT:          int ca__tmp5;
// SHAPE-NEXT:      };
// SHAPE-NEXT:      long r;
// SHAPE-NEXT:      __extension__ union {
// SHAPE-NEXT:          int ca__tmp1;
// SHAPE-NEXT:          long ca__tmp2;
// SHAPE-NEXT:          int ca__tmp4;
// SHAPE-NEXT:      };
// SHAPE-NEXT:  };

/* A parameter whose address is taken lives as long as the call; one read
   in a loop lives through the loop (q, then inner); a local lives through
   its block (i, then the result of Y(10)). */
async int kept(int p, int q)
{
    int *pp = &p;
    int s = 0;
    for (int i = 0; i < q; i++)
        s += await Y(i);
    {
        int inner = await Y(10);
        s += inner;
    }
    return s + *pp;
}
// LOWER-LABEL: frame kept: 56 bytes
// LOWER:       20      4  int p{{$}}
// LOWER:       40      4  int q  (shared)  (register){{$}}
// LOWER-NEXT:  40      4  int inner  (shared)  (register){{$}}
// LOWER-NEXT:  44      4  int s  (register){{$}}
// LOWER-NEXT:  48      4  int i  (shared)  (register){{$}}
// LOWER-NEXT:  48      4  int ca__tmp2  (shared){{$}}
// LOWER-NEXT:  52      4  int ca__tmp1{{$}}

/* Loops and a backward goto: a value carried from one iteration to the next keeps its field. */
// LOWER-LABEL: frame loops:
// LOWER-NOT:   shared
// LOWER:       frame run:
async int loops(int n)
{
    int carried = 0, total = 0;
again:
    for (int i = 0; i < n; i++) {
        int step = await Y(i);
        total += carried;
        carried = step;
    }
    if (total < 10 && n++ < 6)
        goto again;
    return total + carried;
}

async int run(void)
{
    await sleeper(0);
    long s = await siblings(5) + await siblings(0);
    printf("woke %d siblings %ld kept %d loops %d\n", woke, s, await kept(7, 3), await loops(2));
    return 0;
}

int main(void) { return ca_run(run()); }
// OUT: woke 1 siblings 14 kept 20 loops 20
