// The task-value and task-group examples of docs/language.md and the
// fragments of docs/runtime.md, taken from the pages themselves: each goes
// through cawait and cc, and runs where it does something to see.
// RUN: awk '/<!-- example: task-values /{f=1;next} f&&/^```c/{p=1;next} p&&/^```/{exit} p' %S/../../docs/language.md > %t.values.c
// RUN: awk '/<!-- example: task-groups /{f=1;next} f&&/^```c/{p=1;next} p&&/^```/{exit} p' %S/../../docs/language.md > %t.groups.c
// RUN: grep -q ca_join_value %t.values.c && grep -q ca_group_wait %t.groups.c
// RUN: %cawait %t.values.c -o %t.values.out.c && %cc -Wextra %t.values.out.c %libcawait -o %t.values && %t.values | FileCheck %s
// RUN: %cawait %t.groups.c -o %t.groups.out.c && %cc -Wextra %t.groups.out.c %libcawait -o %t.groups
// RUN: %cc -Wextra -fsyntax-only %t.values.c && %cc -Wextra -fsyntax-only %t.groups.c
// RUN: cat %S/../Inputs/doc-tasks/head.c > %t.frag.c
// RUN: awk '/<!-- fragment: task-values /{f=1;next} f&&/^ *```c/{p=1;next} p&&/^ *```/{exit} p' %S/../../docs/runtime.md >> %t.frag.c
// RUN: cat %S/../Inputs/doc-tasks/mid.c >> %t.frag.c
// RUN: awk '/<!-- fragment: task-groups /{f=1;next} f&&/^ *```c/{p=1;next} p&&/^ *```/{exit} p' %S/../../docs/runtime.md >> %t.frag.c
// RUN: cat %S/../Inputs/doc-tasks/tail.c >> %t.frag.c
// RUN: %cawait %t.frag.c -o %t.frag.out.c && %cc -Wextra %t.frag.out.c %libcawait -o %t.frag && %t.frag | FileCheck %s --check-prefix=FRAG
// CHECK: parts: 10 20 30
// CHECK-NEXT: 4 files, 600 bytes
// FRAG: 49
// FRAG-NEXT: group: -5
