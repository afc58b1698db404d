// A parameter of variably modified type (`int m[n][n]` is a pointer to a
// variable-length array) cannot be passed to an async function: its entry
// and frame would need the type. Refused at the function, once each (the
// frame, the entry and the make entry all meet it), and at a ca_run of it;
// a one-dimensional `int a[n]` is a plain pointer and works.
// RUN: not %cawait %s -o %t.out.c 2>&1 | FileCheck %s --implicit-check-not=error:
// RUN: not test -e %t.out.c
#include <cawait.h>

async int sum(int n, int a[n])
{
    int s = 0;
    for (int i = 0; i < n; i++) {
        await ca_yield();
        s += a[i];
    }
    return s;
}

// CHECK: vm-parameters.c:[[@LINE+2]]:27: error: 'm' lives across an await but has a variable-length array type
// CHECK: vm-parameters.c:[[@LINE+1]]:11: error: cannot pass a variable-length array type to an async function
async int diag(int n, int m[n][n])
{
    int s = 0;
    for (int i = 0; i < n; i++) {
        await ca_yield();
        s += m[i][i];
    }
    return s;
}

// CHECK: vm-parameters.c:[[@LINE+1]]:11: error: cannot pass a variable-length array type to an async function
async int plain(int n, int m[n][n]) { return m[0][n - 1]; }

int main(void)
{
    int a[3] = {1, 2, 3}, m[2][2] = {{1, 2}, {3, 4}};
    // CHECK: vm-parameters.c:[[@LINE+1]]:39: error: cannot pass a variable-length array type to an async function
    return ca_run(sum(3, a)) + ca_run(diag(2, m)) + ca_run(plain(2, m));
}
