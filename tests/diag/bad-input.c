// A missing input, a missing -o, an unknown option: messages and non-zero exits.
// RUN: not %cawait %t.does-not-exist.c -o %t.out.c 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not %cawait %s 2>&1 | FileCheck %s --check-prefix=NOOUT
// RUN: not %cawait --bogus %s -o %t.out.c 2>&1 | FileCheck %s --check-prefix=BOGUS
// RUN: %cawait --help | FileCheck %s --check-prefix=HELP
// RUN: %cawait --version | FileCheck %s --check-prefix=VERSION
// MISSING: cawait: error: cannot read '{{.*}}does-not-exist.c': No such file or directory
// NOOUT: cawait: error: no output file (-o OUT.c)
// BOGUS: cawait: error: unknown option '--bogus'
// HELP: usage: cawait IN.c -o OUT.c
// VERSION: cawait {{[0-9]+\.[0-9]+\.[0-9]+}} (libclang: {{.*}}clang version 19
int main(void) { return 0; }
