// cawait-wrap on an API whose callbacks run on other threads: generate the
// wrappers, check their shape, transform them and this program with cawait,
// and run it (plain, ASan/UBSan, valgrind): every value the callbacks
// received comes back from an await.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %cawait-wrap %S/Inputs/thread_api.h -o %t/ta_wrap.c 2>&1 | FileCheck %s --check-prefix=SKIP --allow-empty
// RUN: FileCheck --input-file=%t/ta_wrap.h %s --check-prefix=HDR
// RUN: FileCheck --input-file=%t/ta_wrap.c %s --check-prefix=SRC
// RUN: %cawait %t/ta_wrap.c -o %t/ta_wrap.out.c -- -I%S/Inputs
// RUN: %strip-checks %s > %t/main.c
// RUN: %cawait %t/main.c -o %t/main.out.c -- -I%S/Inputs -I%t
// RUN: %cc -I%S/Inputs -I%t %t/main.out.c %t/ta_wrap.out.c %S/Inputs/thread_api.c %libcawait -o %t/exe
// RUN: %t/exe | FileCheck %s --check-prefix=OUT
// RUN: %cc %asan -I%S/Inputs -I%t %t/main.out.c %t/ta_wrap.out.c %S/Inputs/thread_api.c %libcawait -o %t/asan
// RUN: %t/asan | FileCheck %s --check-prefix=OUT
// RUN: valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite %t/exe | FileCheck %s --check-prefix=OUT

// Functions that are not callback-style are left out without a word.
// SKIP-NOT: ta_no_user_data

// HDR:      #include <cawait.h>
// HDR-NEXT: #include "thread_api.h"
// HDR:      typedef struct {
// HDR-NEXT:     int ca_err;
// HDR-NEXT:     int status;
// HDR-NEXT:     long quotient;
// HDR-NEXT:     const char *text;
// HDR-NEXT: } ta_divide_result;
// HDR-NEXT: async ta_divide_result ta_divide_async(long a, long b);
// HDR:      async int ta_square_async(int x);
// HDR:      async int ta_increment_async(ta_req *req);
// HDR-NOT:  ta_no_user_data

// SRC:      static void ta_divide__wrap_cb(void *ud, int status, long quotient, const char *text)
// SRC-NEXT: {
// SRC-NEXT:     struct ta_divide__wrap *w = ud;
// SRC-NEXT:     w->res.status = status;
// SRC-NEXT:     w->res.quotient = quotient;
// SRC-NEXT:     w->res.text = text;
// SRC-NEXT:     ca_future_resolve(&w->done, 0);
// SRC-NEXT:     ta_divide__wrap_release(w);
// SRC-NEXT: }
// SRC:      int wrap_started = ta_divide(a, b, ta_divide__wrap_cb, wrap_w);
// SRC:      intptr_t wrap_r = await ca_future_wait(&wrap_w->done);
// SRC:      static void ta_square__wrap_cb(int result, void *ud)
// SRC:      ta_square(wrap_w, x, ta_square__wrap_cb);
// SRC:      struct ta_increment__wrap *w = req->data;
// SRC:      req->data = wrap_w;
// SRC-NEXT: int wrap_started = ta_increment(req, ta_increment__wrap_cb);

#include "ta_wrap.h"

#include <stdio.h>

static async long divide_sum(int n)
{
    long sum = 0;
    for (int i = 1; i <= n; i++) {
        ta_divide_result d = await ta_divide_async(i * 10L, 10);
        if (d.ca_err != 0 || d.status != 0)
            return -1;
        sum += d.quotient;
    }
    return sum;
}

static async int run(void)
{
    ta_divide_result d = await ta_divide_async(17, 5);
    printf("divide: err %d status %d quotient %ld text %s\n", d.ca_err, d.status, d.quotient, d.text);
    // OUT: divide: err 0 status 0 quotient 3 text a/b
    d = await ta_divide_async(1, 0);
    printf("divide by zero: err %d\n", d.ca_err);
    // OUT-NEXT: divide by zero: err -1
    printf("square: %d\n", await ta_square_async(12));
    // OUT-NEXT: square: 144
    ta_req req = {.input = 41};
    int r = await ta_increment_async(&req);
    printf("increment: %d, output %d\n", r, req.output);
    // OUT-NEXT: increment: 0, output 42
    printf("sum of 1..40: %ld\n", await divide_sum(40));
    // OUT-NEXT: sum of 1..40: 820
    return 0;
}

int main(void)
{
    return ca_run(run());
}
