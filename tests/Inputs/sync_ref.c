/*
 * The reference for run tests: the runtime's awaitables as plain functions
 * that complete at once. With gcc, <cawait.h> makes `async` nothing and
 * `await` a no-op prefix, so a test's source compiled with this file is the
 * synchronous C program the async one must match, output for output.
 */
#include <stdint.h>

int ca_yield(void) { return 0; }
int ca_sleep(uint64_t ms) { (void)ms; return 0; }
