#include <cawait.h>
async int add_later(int a, int b);
