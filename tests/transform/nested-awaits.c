// The slice of issue 2: nested awaits, ca_sleep and ca_run, each await in
// statement position and in expressions, forced to suspend.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: FileCheck %s --check-prefix=OUT < %t.got
// RUN: %cc %asan %t.out.c %libcawait -o %t.asan && %t.asan > %t.asan.got && diff %t.want %t.asan.got
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe > %t.vg.got && diff %t.want %t.vg.got
#include <cawait.h>
#include <stdio.h>

static async int add1(int x) { await ca_yield(); return x + 1; }

static async int twice(int x) { return await add1(await add1(x)) * 2; }

async long pipeline(int n)
{
    long total = 0;
    await ca_sleep(1);
    for (int i = 0; i < n; i++) {
        int t = await twice(i);
        total += t;
        printf("step %d: %d\n", i, t);
    }
    int last = await add1(await twice(await add1(1)));
    return total * 100 + last;
}

int main(void)
{
    printf("result %ld\n", ca_run(pipeline(3)));
    return 0;
}

// The resume point after the header, then fields by alignment, largest
// first, filling padding. The parameter n is dead after the loop: last
// (which lives from its initialiser) and the temporaries of the last line
// share its storage; i shares with the unused result of ca_sleep, dead
// before the loop.
// SHAPE-LABEL: struct pipeline__ca_frame {
// SHAPE-NEXT:    ca_frame hdr;
// SHAPE-NEXT:    unsigned ca__state;
// SHAPE-NEXT:    __extension__ union {
// SHAPE-NEXT:        int n;
// SHAPE-NEXT:        int last;
// SHAPE-NEXT:        int ca__tmp3;
// SHAPE-NEXT:        int ca__tmp4;
// SHAPE-NEXT:    };
// SHAPE-NEXT:    long *ca__ret;
// SHAPE-NEXT:    long total;
// SHAPE-NEXT:    __extension__ union {
// SHAPE-NEXT:        int i;
// SHAPE-NEXT:        int ca__tmp1;
// SHAPE-NEXT:        int ca__tmp5;
// SHAPE-NEXT:    };
// SHAPE-NEXT:    int t;
// SHAPE-NEXT:    int ca__tmp2;
// SHAPE-NEXT:  };
// SHAPE-LABEL: static int pipeline__ca_resume(ca_task *ca__t, ca_frame *ca__fr)
// The scalars whose address is never taken live in locals (registers) between suspensions: stored
// into the frame when it suspends (those live there), read back where it resumes, the parameter on the
// start path. The await results stay in the frame: the callee writes them.
// SHAPE:         __typeof__(ca__f->n) ca__l_n = 0;
// last is not saved before its declaration: it lives from its initialiser.
// SHAPE:         case 1: ca__l_n = ca__f->n; ca__l_total = ca__f->total; goto ca__s1;
// SHAPE:         ca__l_n = ca__f->n;
// SHAPE:       if ((ca__st = ca_sleep__ca_start(ca__t, &ca__f->hdr, {{.*}})) != CA_DONE) { ca__f->n = ca__l_n; ca__f->total = ca__l_total; ca__f->ca__state = 1; return ca__st; } ca__s1:;
// SHAPE:       ca__s2:; ca__l_t = ca__f->ca__tmp2; }
// SHAPE:       ca__l_total += ca__l_t;
// SHAPE-LABEL: ca_frame *pipeline__ca_make(ca_task *ca__t, ca_frame *ca__parent, long *ca__ret, int ca__a0)
// SHAPE:         ca__frame_alloc(ca__t, sizeof *ca__f, __alignof__(struct pipeline__ca_frame));
// SHAPE-LABEL: int pipeline__ca_start(ca_task *ca__t, ca_frame *ca__parent, long *ca__ret, int ca__a0)
// SHAPE-NEXT:  {
// SHAPE-NEXT:      return pipeline__ca_resume(ca__t, pipeline__ca_make(ca__t, ca__parent, ca__ret, ca__a0));
// OUT: step 0: 4
// OUT: step 1: 6
// OUT: step 2: 8
// OUT: result 1809
