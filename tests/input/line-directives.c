// The user's own #line directives count: cawait's diagnostics name the
// presumed file and line, and the output's #line directives (after each
// rewritten function) point where the user's would, so the C compiler's
// warnings do too. A file name with a quote and a backslash is escaped.
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %strip-checks %s > %t.dir/in.c
// RUN: %cawait %t.dir/in.c -o %t.dir/out.c
// RUN: FileCheck %s --check-prefix=SHAPE < %t.dir/out.c
// RUN: %cc -Wno-error -Wunused-variable -c %t.dir/out.c -o %t.dir/out.o 2>&1 | FileCheck %s --check-prefix=WARN
// RUN: sed 's/int unused = 0;/int unused = nope;/' %t.dir/in.c > %t.dir/bad.c
// RUN: not %cawait %t.dir/bad.c -o %t.dir/bad.out.c 2>&1 | FileCheck %s --check-prefix=CLANG
// RUN: sed 's/await ca_yield();/await twice;/' %t.dir/in.c > %t.dir/misuse.c
// RUN: not %cawait %t.dir/misuse.c -o %t.dir/misuse.out.c 2>&1 | FileCheck %s --check-prefix=OWN
#include <cawait.h>
#line 500 "gram\"mar\\.y"
static async int twice(int x) { await ca_yield(); return 2 * x; }
async int f(int x)
{
    await ca_yield();
    { int unused = 0; }
    return await twice(x);
}
// SHAPE: #line 1 "{{.*}}in.c"
// SHAPE: {{^}}#line 500 "gram\"mar\\.y"
// SHAPE: {{^}}#line 504 "gram\"mar\\.y"
// WARN: gram"mar\.y:504:{{[0-9]+}}: warning: unused variable {{.+}}unused
// CLANG: gram"mar\.y:504:20: error: use of undeclared identifier 'nope'
// OWN: gram"mar\.y:503:{{[0-9]+}}: error:
