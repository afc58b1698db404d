#include "user_await.h"
async int user_twice(int x) { await ca_yield(); return 2 * x; }
