/* values of many types through calls: structs by value (parameters and
 * results, in ?: and member access), unions, bit-fields assigned from calls,
 * compound literals and designated initialisers holding calls, float and
 * double, long long, unsigned wrap-around, pointers to pointers. */
#include <stdio.h>
#include <stdint.h>

struct v3 { double x, y, z; };
struct rec { int8_t a; uint16_t b; int64_t c; struct v3 v; char name[12]; };
struct bits { unsigned lo : 3; signed mid : 7; unsigned hi : 22; };
union pun { uint32_t u; float f; unsigned char c[4]; };

static unsigned acc;
static int noted(int v) { acc += (unsigned)v * 40503u + 7u; return v; }

static struct v3 vadd(struct v3 a, struct v3 b) { struct v3 r = {a.x + b.x, a.y + b.y, a.z + b.z}; return r; }
static struct v3 vscale(struct v3 a, double k) { a.x *= k; a.y *= k; a.z *= k; return a; }
static double dot(struct v3 a, struct v3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
static float half(float f) { return f / 2; }
static long long big(long long x) { return x * 1000003LL + noted(1); }
static uint8_t wrap8(unsigned x) { return (uint8_t)(x + 250u); }
static union pun mkpun(uint32_t u) { union pun p; p.u = u; return p; }
static struct rec mkrec(int i)
{
    struct rec r = {.a = (int8_t)noted(i), .c = big(i), .v = vscale((struct v3){1, 2, 3}, i),
                    .name = "rec"};
    r.b = (uint16_t)noted(i * 1000);
    r.name[3] = (char)('0' + noted(i % 10));
    return r;
}
static int **pp(int **p) { noted(**p); return p; }

int main(void)
{
    struct v3 a = {1.5, -2.0, 0.25}, b = vadd(a, vscale(a, 3.0));
    struct bits bf = {0, 0, 0};
    struct rec r1 = mkrec(3), r2 = mkrec(noted(7));
    int x = 5, *px = &x;
    union pun u;
    double d = dot(vadd(a, b), (noted(1) ? b : a));
    float f = half(half(3.0f));
    bf.lo = noted(13);          /* truncated to 3 bits */
    bf.mid = noted(-40);
    bf.hi = noted(123456) + 1;
    u = mkpun(0x3f800000u);
    **pp(&px) += noted(2);
    printf("d=%.6f f=%.4f b=(%.2f %.2f %.2f)\n", d, f, b.x, b.y, b.z);
    printf("r1=%d %u %lld %.1f %s r2=%d %u %lld %s\n", r1.a, r1.b, (long long)r1.c, r1.v.z, r1.name,
           r2.a, r2.b, (long long)r2.c, r2.name);
    printf("bf=%u %d %u u=%.3f c0=%u w=%u x=%d\n", bf.lo, bf.mid, bf.hi, u.f,
           mkpun(0x01020304u).c[0], wrap8(noted(10)), x);
    printf("m=%.3f big=%lld\n", mkrec(noted(2)).v.y + (noted(0) ? a : vscale(b, 0.5)).x,
           big(big(noted(9))));
    printf("acc=%u\n", acc); /* not with the calls above: argument order is unspecified */
    return 0;
}
