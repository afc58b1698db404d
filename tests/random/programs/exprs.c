/* calls in every expression position: short-circuit, ?:, comma, casts,
 * subscripts, member access on results, compound assignment, nested calls,
 * initialisers, conditions, returns, and inside user macro arguments.
 * Only sequenced effects may depend on order (the operands of + are not). */
#include <stdio.h>
#include <string.h>

struct pt { int x, y; };
struct box { struct pt a, b; int tag[3]; };

static unsigned log_h;
/* Commutative, so that it does not depend on the order in which C leaves the
 * operands of one expression (unspecified), yet counts every call. */
static int note(int v) { log_h += (unsigned)v * 2654435761u + 1u; return v; }
static int zero(void) { return note(0); }
static int one(void) { return note(1); }
static int id(int v) { return note(v); }
static struct pt mkpt(int x, int y) { struct pt p; p.x = note(x); p.y = note(y); return p; }
static struct box mkbox(int s)
{
    struct box b = {mkpt(s, s + 1), mkpt(id(s * 2), s * 3), {s, id(s + 1), s + 2}};
    return b;
}
static int table[8] = {3, 1, 4, 1, 5, 9, 2, 6};
static int *tab(void) { note(99); return table; }
static struct pt *ppt(struct pt *p) { note(p->x); return p; }
static void bump(int *p, int by) { *p += note(by); }

#define CHECK(e) do { if (!(e)) printf("check failed line %d\n", __LINE__); } while (0)
#define TWICE(e) ((e) + (e))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

int f(int a, int b, int c) { return note(a * 100 + b * 10 + c); }

static int exprs(int n)
{
    int r = 0, i, v[4] = {id(1), id(2), id(3), id(4)};
    struct pt p = mkpt(n, id(n + 1));
    r += zero() && one();
    r += one() || zero();
    r += zero() || (one() && id(n));
    r += id(n) > 2 ? id(10) : id(20);
    r += (id(1), id(2), id(3));
    r += (char)id(300) + (unsigned char)id(-1);
    r += tab()[id(n & 7)] + v[id(n & 3)];
    r += mkpt(3, 4).y + mkbox(n).b.x + mkbox(id(2)).tag[id(1)];
    r += ppt(&p)->y;
    r -= id(r) % 7;
    r ^= f(id(1), f(2, id(3), 4), id(5));
    bump(&r, id(3));
    bump(&v[id(2)], v[id(1)]);
    r += v[2];
    for (i = id(0); id(i) < id(3) && one(); i = id(i + 1))
        r += i;
    if (zero() || !one())
        r = 0;
    CHECK(id(4) == 4);
    CHECK(one() && !zero());
    r += TWICE(id(n));
    r += MAX(id(n), id(5));
    r = r < 0 ? -r : r;
    return r + (n > 0 ? exprs(n - 1) : id(0));
}

int main(void)
{
    int r = exprs(5);
    printf("r=%d log=%u\n", r, log_h);
    return 0;
}
