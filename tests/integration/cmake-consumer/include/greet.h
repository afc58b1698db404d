/* The test edits GREETING to check that a header change rebuilds. */
#ifndef GREET_H
#define GREET_H
#include <cawait.h>

#define GREETING "hello"

async int greet(const char *who, int times);
#endif
