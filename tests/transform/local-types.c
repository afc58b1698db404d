// Types declared inside an async function, for locals living across awaits:
// the declarations move to file scope in front of the function (a struct,
// a typedef of it, a struct made of another local one, a self-referential
// list, an enum whose constants the body uses, a union, a typedef of an
// anonymous struct, and an anonymous struct defined together with its
// variables, which gets a name). What stays in the body is a `;` or a
// reference. Types of locals that never live across an await stay put.
// Compared with the synchronous twin.
// RUN: %strip-checks %s > %t.in.c
// RUN: %cawait %t.in.c -o %t.out.c
// RUN: FileCheck --input-file=%t.out.c %s --check-prefix=SHAPE
// RUN: %cc %t.out.c %libcawait -o %t.exe && %t.exe > %t.got
// RUN: %cc %t.in.c %syncref -o %t.ref && %t.ref > %t.want && diff %t.want %t.got
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t.exe > %t.vg.got && diff %t.want %t.vg.got
#include <cawait.h>
#include <stdio.h>

static async int Y(int v) { await ca_yield(); return v; }

// SHAPE: struct point { int x, y; };
// SHAPE: typedef struct point point_t;
// SHAPE: struct line { struct point a, b; };
// SHAPE: struct ca__anon1 { int w, h; };
// SHAPE: typedef struct { long id; char tag; } item;
// SHAPE: enum color { RED = 1, GREEN = 4 };
// SHAPE: union num { int i; float f; };
// SHAPE: struct list { int v; struct list *next; };
// SHAPE: int shapes__ca_start(
// SHAPE-DAG: struct ca__anon1 box;
// SHAPE-DAG: struct ca__anon1 *pb;
async int shapes(int n)
{
    struct point { int x, y; };
    typedef struct point point_t;
    struct point a = {n, await Y(2)};
    point_t *pa = &a;
    struct line { struct point a, b; } ln = {{1, 2}, {await Y(3), 4}};
    struct { int w, h; } box = {await Y(3), 4}, *pb = &box;
    typedef struct { long id; char tag; } item;
    item it = {await Y(7), 'z'};
    enum color { RED = 1, GREEN = 4 } c = GREEN;
    union num { int i; float f; } u;
    u.i = await Y(9);
    struct list { int v; struct list *next; } l2 = {2, 0}, l1 = {1, &l2};
    {
        struct only_here { int q; } oh = {5}; /* no await in its scope: stays */
        a.x += oh.q;
    }
    await ca_yield();
    return a.x + pa->y + ln.b.x + box.w * pb->h + (int)it.id + it.tag + c + RED + u.i + l1.next->v +
           (int)sizeof(struct point) + (int)sizeof(point_t);
}

int main(void)
{
    printf("%d\n", ca_run(shapes(1)));
    return 0;
}
