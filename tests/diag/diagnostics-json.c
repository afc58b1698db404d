// --diagnostics-format=json: one JSON object per diagnostic and line, with
// the original file, line and column; clang's own errors too; nothing written.
// RUN: rm -f %t.out.c
// RUN: not %cawait %s -o %t.out.c --diagnostics-format=json 2> %t.json
// RUN: not test -e %t.out.c
// RUN: FileCheck %s --input-file=%t.json --match-full-lines
// Every line parses as JSON, and there are exactly two:
// RUN: python3 -c "import json,sys; d=[json.loads(l) for l in open(sys.argv[1])]; assert len(d) == 2, d; print(d[1]['line'], d[1]['message'])" %t.json | FileCheck %s --check-prefix=PY
// Clang's errors:
// RUN: printf 'int f(void) { return nope; }\n' > %t.clang.c
// RUN: not %cawait %t.clang.c -o %t.out.c --diagnostics-format=json 2>&1 | FileCheck %s --check-prefix=CLANG
// A file name that is not UTF-8 still gives valid JSON (the byte as \u00ff):
// RUN: cp %t.clang.c "%t.$(printf '\377').c"
// RUN: not %cawait "%t.$(printf '\377').c" -o %t.out.c --diagnostics-format=json 2>&1 | python3 -c "import json,sys; print(ascii(json.loads(sys.stdin.readline())['file'][-3:]))" | FileCheck %s --check-prefix=BYTES
// The text format is still the default:
// RUN: not %cawait %s -o %t.out.c --diagnostics-format=text 2>&1 | FileCheck %s --check-prefix=TEXT
#include <cawait.h>
async int f(int x) { return x; }
async int g(void)
{
    // CHECK: {"file":"{{.*}}diagnostics-json.c","line":[[@LINE+1]],"column":13,"severity":"error","message":"call of async function 'f' without 'await'","source":"cawait"}
    int a = f(1) + await f(2);
    return a;
}
int main(void)
{
    // CHECK: {"file":"{{.*}}diagnostics-json.c","line":[[@LINE+1]],"column":12,"severity":"error","message":"async function 'f' called outside ca_run or ca_spawn","source":"cawait"}
    return f(3);
}
// PY: 28 async function 'f' called outside ca_run or ca_spawn
// CLANG: {"file":"{{.*}}.clang.c","line":1,"column":22,"severity":"error","message":"use of undeclared identifier 'nope'","source":"clang"}
// BYTES: '\xff.c'
// TEXT: diagnostics-json.c:22:13: error: call of async function 'f' without 'await'
