// Every async function the runtime's headers declare carries a runtime mark
// (runtime.h, "Marks for the cawait tool"), so the collect dump, which lists
// only the user's async functions, shows none of them; each mark's cost is
// what the frame report counts (an op frame: CA__OP_FRAME_MAX from abi.h).
// RUN: %cawait %s --dump-after=collect | FileCheck %s --check-prefix=COLLECT
// RUN: %cawait %s -o %t.out.c --frame-report > %t.report
// RUN: FileCheck %s --check-prefix=REPORT -D#OP=$(sed -n 's/^#define CA__OP_FRAME_MAX \([0-9]*\).*/\1/p' %S/../../runtime/include/cawait/abi.h) < %t.report
#include <cawait.h>
async int sleeper(void) { return await ca_sleep(1); }
async int reader(int fd, char *b) { return (int)await ca_read(fd, b, 1); }
async int yielder(void) { return await ca_yield(); }
// COLLECT-NOT: async ca_
// COLLECT: async sleeper: defined here, state machine
// COLLECT-NOT: async ca_
// REPORT: {{^}}sleeper [[S:[0-9]+]] [[S]]{{$}}
// REPORT: {{^}}reader [[#R:]]
// REPORT-SAME: {{^}} [[#R+OP]]{{$}}
// REPORT: {{^}}yielder [[Y:[0-9]+]] [[Y]]{{$}}
