#!/bin/sh
# cawait-cc's cc interface.   run_cawait_cc.sh BUILD_DIR SOURCE_DIR WORK_DIR
BUILD=$1 SRC=$2 WORK=$3
. "$SRC/../common.sh"
CC="$BUILD/bin/cawait-cc"
rm -rf "$WORK" && mkdir -p "$WORK" && cp -r "$SRC"/. "$WORK" && cd "$WORK"
export TMPDIR="$WORK/tmp" && mkdir -p "$TMPDIR"   # to see that temporaries go away

# One command: compile two sources and link; -D reaches cawait and cc.
"$CC" -O2 -DBASE=10 main.c sub/lib.c -o prog && ./prog > out.txt && expect_output out.txt "sum 15"
# Separate compilation, an archive, objects in the link.
"$CC" -O2 -c sub/lib.c -o lib.o && ar rcs liblib.a lib.o
"$CC" -O2 -DBASE=1 -c main.c && [ -f main.o ] || fail "-c without -o: main.o"
"$CC" main.o liblib.a -o prog2 && ./prog2 > out.txt && expect_output out.txt "sum 6"
"$CC" main.o -L. -llib -o prog3 && ./prog3 > out.txt && expect_output out.txt "sum 6"
# -S and -E.
"$CC" -S -DBASE=1 main.c && grep -q "sum3__ca_resume" main.s || fail "-S: main.s"
"$CC" -E -DBASE=1 main.c -o main.i && grep -q "sum3__ca_start" main.i || fail "-E: main.i"
# -MD / -MMD / -MF / -MT: the original source and its headers, never the temporary.
"$CC" -DBASE=1 -MD -c main.c -o obj.o
flat_deps obj.d | grep -q "^obj.o: main.c .*sub/lib.h" || { cat obj.d; fail "-MD: obj.d"; }
"$CC" -DBASE=1 -MMD -MF deps/../custom.d -MT custom-target -c main.c -o obj.o 2>/dev/null && fail "-MF into a missing directory succeeded"
"$CC" -DBASE=1 -MMD -MF custom.d -MT custom-target -c main.c -o obj.o
flat_deps custom.d | grep -q "^custom-target: main.c sub/lib.h" && ! grep -q "/usr/include" custom.d || { cat custom.d; fail "-MMD -MF -MT"; }
grep -rq "cawait-cc\." ./*.d && fail "a depfile names a temporary"
# #include "x.h" beside the original, although cc compiles a temporary elsewhere.
"$CC" -c sub/lib.c -o sub.o || fail "quote include beside the source"
# Errors: cawait's (exit 1, no output), cc's on the original line (cc's status).
rm -f misuse.o
if "$CC" -c misuse.c -o misuse.o 2> err.txt; then fail "misuse.c compiled"; fi
grep -q "^misuse.c:3:" err.txt || { cat err.txt; fail "cawait's diagnostic"; }
[ ! -e misuse.o ] || fail "misuse.o left behind"
L=$(grep -n UNUSED unused.c | cut -d: -f1)
set +e; "$CC" -Werror=unused-value -c unused.c -o unused.o -MD 2> err.txt; rc=$?; set -e
[ $rc -eq 1 ] || fail "cc's exit status: $rc"
grep -q "^unused.c:$L:.*unused-value" err.txt || { cat err.txt; fail "cc's error does not point at unused.c:$L"; }
[ ! -e unused.o ] && [ ! -e unused.d ] || fail "outputs left behind by a failed compile"
# A file that never includes <cawait.h> is compiled as it is (no cawait run),
# with its warnings shown once and its depfile; main.c, which includes it
# only through sub/lib.h, still goes through cawait.
"$CC" -v -Wall -MD -c plain.c -o plain.o 2> err.txt || { cat err.txt; fail "plain.c"; }
grep -q "/cawait plain.c" err.txt && fail "cawait ran on plain.c"
[ "$(grep -c "warning: unused variable" err.txt)" = 1 ] || { cat err.txt; fail "plain.c's warning, once"; }
flat_deps plain.d | grep -q "^plain.o: plain.c " || { cat plain.d; fail "plain.d"; }
"$CC" plain.o -o plain && ./plain > out.txt && expect_output out.txt "plain"
"$CC" -v -DBASE=1 -c main.c -o main.o 2> err.txt && grep -q "/cawait main.c" err.txt || { cat err.txt; fail "main.c skipped cawait"; }
# $CAWAIT_CC picks the compiler.
set +e; CAWAIT_CC=false "$CC" -c sub/lib.c -o x.o; rc=$?; set -e
[ $rc -eq 1 ] || fail "CAWAIT_CC=false: status $rc"
if command -v clang >/dev/null 2>&1; then
    CAWAIT_CC=clang "$CC" -DBASE=2 main.c sub/lib.c -o prog4 && ./prog4 > out.txt && expect_output out.txt "sum 7"
fi
# No input: cc itself.
"$CC" --version > /dev/null || fail "--version"
"$CC" --help | grep -q "usage: cawait-cc" || fail "--help"
[ -z "$(ls "$TMPDIR")" ] || { ls -R "$TMPDIR"; fail "temporaries left in TMPDIR"; }
echo "ok: cawait-cc"
