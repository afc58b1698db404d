// An await in an asm statement's operands is refused: the operands were
// copied as text, where the await was taken for an unevaluated one and
// replaced by a null dereference (the output crashed; from gcc's torture
// suite, 990130-1.c).
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
#include <cawait.h>

static int dummy;
static async int *where(void) { await ca_yield(); return &dummy; }

async void touch(void)
{
    // CHECK: asm-operands.c:[[@LINE+1]]:5: error: cawait cannot transform an await in the operands of an asm statement
    __asm__("" : "+r"(*await where()));
    int *p = await where();
    __asm__("" : "+r"(*p));
}

int main(void) { ca_run(touch()); return dummy; }
