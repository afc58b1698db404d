// Pass "lower": each state machine's frame, field by field: the header, the
// result pointer, parameters, the locals that live across an await (not
// `scratch`, whose block holds none), and the temporaries of expressions,
// in struct order: the resume point after the header, then by alignment,
// largest first, each in the first gap padding left where it fits.
// RUN: %cawait %s --dump-after=lower | FileCheck %s
// The sizes agree with the C compiler's:
// RUN: %cawait %s -o %t.out.c
// RUN: printf '_Static_assert(sizeof(struct f__ca_frame) == 144, "frame");\n_Static_assert(__builtin_offsetof(struct f__ca_frame, kept) == 20, "kept");\n' >> %t.out.c
// RUN: %cc -c %t.out.c -o %t.o
#include <cawait.h>
struct big { char bytes[100]; };
async int f(struct big b, double d)
{
    int kept = 1;
    {
        int scratch = 2;
        kept += scratch;
    }
    kept += await ca_yield() + (int)d + b.bytes[0];
    return kept;
}
// CHECK-LABEL: frame f: 144 bytes
// CHECK-NEXT:   offset   size  field
// CHECK-NEXT:        0     16  ca_frame hdr
// CHECK-NEXT:       16      4  unsigned ca__state
// CHECK-NEXT:       20      4  int kept
// CHECK-NEXT:       24      8  pointer ca__ret
// CHECK-NEXT:       32      8  double d
// CHECK-NEXT:       40      4  int ca__tmp1
// CHECK-NEXT:       44    100  struct big b
// CHECK-NOT: scratch
