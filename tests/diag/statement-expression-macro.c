// A statement expression written in a macro's body cannot be lowered
// statement by statement when it holds an await: a diagnostic, not wrong code.
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s
#include <cawait.h>
#define TWICE(x) ({ int t_ = (x); t_ * 2; })
async int f(int x) { await ca_yield(); return x; }
async int g(void)
{
    // CHECK: statement-expression-macro.c:[[@LINE+1]]:12: error: cawait cannot transform a statement expression written in a macro's body that awaits or jumps
    return TWICE(await f(3));
}
