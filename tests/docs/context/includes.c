/* A docs/ fragment of whole functions: the headers it uses. */
#include <cawait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

@SNIPPET@
