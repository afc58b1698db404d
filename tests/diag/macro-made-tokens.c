// A name cawait must rewrite, written in the argument of a macro that also
// makes a string or a token of it (# or ##), where the text cannot be
// printed from the macro's expansion instead (a file-scope initializer, a
// synchronous function): refused at the name, never a string that shows the
// rewritten name (`{ #n, n }` gave "(*(int (*)(int))...get__ca_start)"),
// nor an alias of that text (gcc's c-torture/compile 981001-2.c).
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not test -e %t.out.c
#include <cawait.h>
#include <stdio.h>

typedef async int handler(int);
struct cmd { const char *name; handler *fn; };
#define CMD(n) { #n, n }
#define STR(x) #x
#define CMD2(n) { STR(n), n }

async int get(int v) { await ca_yield(); return v + 1; }
async int set(int v) { return v * 2; }

// CHECK: macro-made-tokens.c:[[@LINE+2]]:34: error: async function 'get' is named in the argument of a macro that also makes a string or a token of it (# or ##): cawait cannot rewrite it there without changing that text; use the function as a value outside the macro
// CHECK: macro-made-tokens.c:[[@LINE+1]]:45: error: async function 'set' is named in the argument
static struct cmd cmds[] = { CMD(get), CMD2(set), { "ok", get } };

// An attribute's arguments have no cursors: the macro's text is read (over its continued lines).
#define weak_alias(func, aliasname) \
	extern __typeof (func) aliasname __attribute__ ((weak, alias (#func)));
// CHECK: macro-made-tokens.c:[[@LINE+1]]:13: error: async function 'set' is named in the argument
weak_alias (set, set_alias)

static const char *first(void)
{
    // CHECK: macro-made-tokens.c:[[@LINE+1]]:32: error: async function 'set' is named in the argument
    struct cmd local[] = { CMD(set) };
    return local[0].name;
}

async int run(void) { return await cmds[2].fn(1) + (first() != 0); }
int main(void) { return ca_run(run()) != 3; }
