/* Constructs a state machine cannot hold: setjmp/longjmp, resume points in
   the scope of a variably modified typedef (refuse.c). */
#ifndef CW_REFUSE_H
#define CW_REFUSE_H

#include "lower.h"

/* An error at each such construct in body, the body of k's state machine. */
void cw_refuse_unsupported(cw_fn *k, CXCursor body);

#endif
