/* An async API declared in a header, defined in another file. */
#include <cawait.h>
struct acc { long sum; int n; };
async long acc_add(struct acc *a, int v);
async struct acc acc_snapshot(const struct acc *a);
