// -MD/-MF/-MT write a Make dependency file naming the input and its headers;
// -p takes the flags (here the -I for sepcomp.h) from compile_commands.json.
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: cp %s %t.dir/prog.c
// RUN: printf '[{"directory": "%S/../Inputs", "file": "%t.dir/prog.c", "arguments": ["cc", "-I.", "-c", "%t.dir/prog.c", "-o", "prog.o"]}]' > %t.dir/compile_commands.json
// RUN: %cawait %t.dir/prog.c -o %t.dir/prog.gen.c -p %t.dir -MD -MT prog.gen.c
// RUN: FileCheck %s --check-prefix=DEPS < %t.dir/prog.gen.d
// RUN: %cawait %t.dir/prog.c -o %t.dir/out.c -MF %t.dir/custom.d -- -I%S/../Inputs
// RUN: FileCheck %s --check-prefix=CUSTOM < %t.dir/custom.d
// RUN: not %cawait %t.dir/prog.c -o %t.dir/nope.c -p %t.dir/missing 2>&1 | FileCheck %s --check-prefix=NODB
#include "sepcomp.h"
async long twice(struct acc *a) { await acc_add(a, 1); return await acc_add(a, 1); }
// DEPS: prog.gen.c: \
// DEPS-NEXT: prog.c \
// DEPS: Inputs/sepcomp.h \
// DEPS: cawait/keywords.h
// CUSTOM: {{.*}}out.c: \
// NODB: cawait: error: no compile_commands.json in
