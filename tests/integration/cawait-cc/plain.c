/* No cawait here: cawait-cc compiles it as it is, without running cawait. */
#include <stdio.h>
int main(void)
{
    int unused_var; /* WARN */
    puts("plain");
    return 0;
}
