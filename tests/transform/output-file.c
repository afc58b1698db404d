// The output file gets the mode creat(2) would give it (the umask, not
// mkstemp's 0600), and an OUT that is not a regular file (a FIFO here, or
// /dev/null) is written into, never replaced by a regular file.
// RUN: rm -rf %t.dir && mkdir %t.dir
// RUN: sh -c 'umask 022 && %cawait %s -o %t.dir/out.c' && stat -c %%a %t.dir/out.c | grep -x 644
// RUN: sh -c 'umask 077 && %cawait %s -o %t.dir/private.c' && stat -c %%a %t.dir/private.c | grep -x 600
// RUN: mkfifo %t.dir/fifo
// RUN: sh -c 'cat %t.dir/fifo > %t.dir/got & %cawait %s -o %t.dir/fifo; rc=$?; wait; exit $rc'
// RUN: test -p %t.dir/fifo && grep -q 'int twice__ca_start' %t.dir/got
// RUN: ls %t.dir > %t.list && not grep tmp %t.list
#include <cawait.h>
async int twice(int x) { await ca_yield(); return 2 * x; }
int main(void) { return ca_run(twice(0)); }
