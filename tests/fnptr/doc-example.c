// The example of docs/language.md's "Async function pointers" section
// compiles as plain C (clang and gcc) and through cawait, and prints what
// its comment says.
// RUN: sed -n '/^<!-- test: tests\/fnptr\/doc-example.c/,/^```$/p' %S/../../docs/language.md | sed '1,2d;$d' > %t.in.c
// RUN: grep -q 'async int (\*fallback)' %t.in.c
// RUN: %clang -std=gnu11 -Wall -Wextra -Werror -fsyntax-only -I%S/../../runtime/include %t.in.c
// RUN: %cc -Wextra -fsyntax-only %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe | FileCheck %s
// CHECK: {{^}}109 25{{$}}
