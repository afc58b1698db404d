/* A user's header in a directory named cawait/ (tests/input/user-header-in-cawait-dir.c). */
#include <cawait.h>
async int user_twice(int x);
