// The output compiles without a warning under the flags strict projects
// build with (-Wmissing-prototypes, -Wmissing-declarations,
// -Wredundant-decls, -Wstrict-prototypes, -Wunused-parameter... and
// -Werror), with gcc and clang, when the input does: every generated
// function with external linkage (entries, make functions) is declared
// before its definition, once; a moved body (plain_body.c) does not warn
// about a parameter the user marked unused on f. Every await suspends where
// it can; the values are checked (7*10-1 + 3*10+0 + 0+1+2 + 3 = 105).
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: %cc -Wextra -Wmissing-prototypes -Wmissing-declarations -Wredundant-decls -Wstrict-prototypes -Wold-style-definition -Wshadow -Wunused -Werror %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %clang -std=gnu11 -fsyntax-only -Wall -Wextra -Wmissing-prototypes -Wredundant-decls -Wstrict-prototypes -Werror -I%S/../../runtime/include %t.out.c
// RUN: FileCheck %s --check-prefix=OUT < %t.got
#include <cawait.h>
#include <stdio.h>

struct req {
    int id;
};
typedef async int handler_fn(struct req *r, int n);

/* What a header would declare. */
async int fetch(int n);
async int plain_handler(struct req *r, int n);
async int unused_arg(struct req *r, int n);
async ca_gen(int) counter(int n);
async void log_line(const char *what);
async int run_all(void);
void start(void);

async int fetch(int n)
{
    await ca_yield();
    return n * 2;
}

/* Cannot suspend: plain C with an entry, used as a value. */
async int plain_handler(struct req *r, int n) { return r->id + n; }
async int unused_arg(struct req *r __attribute__((unused)), int n) { return n + 1; }

async ca_gen(int) counter(int n)
{
    for (int i = 0; i < n; i++) {
        await ca_yield();
        yield(i);
    }
}

async void log_line(const char *what)
{
    await ca_yield();
    printf("log %s\n", what);
}

static async int helper(int x) { return await fetch(x) + 1; }
static async int quiet(int x) { return x - 1; }

async int run_all(void)
{
    handler_fn *table[] = {plain_handler, unused_arg};
    struct req r = {7};
    int s = 0;
    for (int i = 0; i < 2; i++)
        s += await table[i](&r, await fetch(i)) * 10 + await quiet(i);
    ca_for (int v, counter(3)) s += v;
    await log_line("done");
    ca_task *t = ca_spawn(helper(5));
    await ca_join(t);
    return s + await helper(1);
}

void start(void) { printf("result %d\n", ca_run(run_all())); }

int main(void)
{
    start();
    ca_detach(ca_spawn(log_line("spawned")));
    ca_run(log_line("last"));
    return 0;
}
// OUT: log done
// OUT-NEXT: result 105
// OUT-NEXT: log spawned
// OUT-NEXT: log last
