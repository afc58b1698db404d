/* An async API declared in a header, defined in another file. */
#include <cawait.h>
struct acc { long sum; int n; };
async long acc_add(struct acc *a, int v);
async struct acc acc_snapshot(const struct acc *a);
/* Never suspends: its file lowers it to plain C (plus the entries others spawn it through). */
async int acc_bump(struct acc *a, int by);
/* A generator with a cleanup local: other files release it early through its drop entry. */
async ca_gen(int) acc_count(int n, int *cleaned);
