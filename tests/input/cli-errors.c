// Command-line mistakes say what is wrong.
// RUN: not %cawait %s -o 2>&1 | FileCheck %s --check-prefix=NOARG
// RUN: not %cawait %s -o %t.out.c -MF 2>&1 | FileCheck %s --check-prefix=NOMF
// RUN: not %cawait %s -o %t.out.c -- -std=c++17 2>&1 | FileCheck %s --check-prefix=CXX
// RUN: not %cawait %s -o %t.out.c -- -x c++ 2>&1 | FileCheck %s --check-prefix=XCXX
// RUN: rm -rf %t.db && mkdir -p %t.db/bad %t.db/gone %t.db/empty
// RUN: echo '{ not json' > %t.db/bad/compile_commands.json
// RUN: not %cawait %s -o %t.out.c -p %t.db/bad 2>&1 | FileCheck %s --check-prefix=BADDB
// RUN: printf '[{"directory": "%t.db/no-such-dir", "file": "%s", "arguments": ["cc", "-c", "%s"]}]' > %t.db/gone/compile_commands.json
// RUN: not %cawait %s -o %t.out.c -p %t.db/gone 2>&1 | FileCheck %s --check-prefix=NODIR
// RUN: not %cawait %s -o %t.out.c -p %t.db/empty 2>&1 | FileCheck %s --check-prefix=NOFILE
// RUN: not test -e %t.out.c
#include <cawait.h>
async int f(int x) { await ca_yield(); return x; }
// NOARG: cawait: error: missing argument to '-o'
// NOMF: cawait: error: missing argument to '-MF'
// CXX: cawait: error: '-std=c++17' asks for another language than C; cawait transforms C (use a C standard, e.g. -std=gnu11)
// XCXX: cawait: error: '-x c++' asks for another language than C
// BADDB: cawait: error: '{{.*}}bad/compile_commands.json' is not a valid compilation database: {{.+}}
// BADDB-NOT: LIBCLANG
// NODIR: cawait: error: {{.*}}gone/compile_commands.json compiles '{{.*}}cli-errors.c' in '{{.*}}no-such-dir', which is not a directory
// NOFILE: cawait: error: no compile_commands.json in '{{.*}}empty'
