// The example of docs/language.md's "Blocking calls on the thread pool"
// section compiles as plain C (clang and gcc) and through cawait, and
// prints what its comments say.
// RUN: sed -n '/^<!-- test: tests\/to_thread\/doc-example.c/,/^```$/p' %S/../../docs/language.md | sed '1,2d;$d' > %t.in.c
// RUN: grep -q 'await ca_to_thread(count_lines(path), &status)' %t.in.c
// RUN: %clang -std=gnu11 -Wall -Wextra -Werror -fsyntax-only -I%S/../../runtime/include %t.in.c
// RUN: %cc -Wextra -fsyntax-only %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe | FileCheck %s
// CHECK: {{^}}/dev/null: 0 lines, 0 bytes{{$}}
// CHECK-NEXT: {{^}}0{{$}}
// CHECK-NEXT: {{^}}1{{$}}
