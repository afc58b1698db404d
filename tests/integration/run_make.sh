#!/bin/sh
# A Make project built with CC=cawait-cc (build tree, then install tree), and
# with the documented %.gen.c pattern rule and pkg-config; editing a header
# must rebuild.   run_make.sh BUILD_DIR SOURCE_DIR WORK_DIR PREFIX
BUILD=$1 SRC=$2 WORK=$3 PREFIX=$4
. "$SRC/../common.sh"

greeting() {  # the expected output with greeting $1 and WHO $2
    expect_output out.txt "$1 $2 0" "$1 task 0" "$1 $2 1" "$1 task 1" "total 4"
}

rm -rf "$WORK" && mkdir -p "$WORK"

# 1. make CC=cawait-cc, the driver in the build tree.
cp -r "$SRC" "$WORK/cc" && cd "$WORK/cc"
make CC="$BUILD/bin/cawait-cc" > make1.log 2>&1 || { cat make1.log; fail "make CC=cawait-cc"; }
./prog > out.txt; greeting hello make
flat_deps main.d | grep -q "^main.o: main.c greet.h" || { cat main.d; fail "main.d does not name main.c"; }
grep -q "greet.h" main.d || fail "main.d does not name greet.h"
grep -q cawait-cc main.d && fail "main.d names a temporary"
make -q CC="$BUILD/bin/cawait-cc" prog || fail "make: not up to date after a build"
sed -i 's/"hello"/"howdy"/' greet.h && touch_later greet.h
make CC="$BUILD/bin/cawait-cc" > make2.log 2>&1 || { cat make2.log; fail "rebuild"; }
grep -q -- "-c main.c" make2.log && grep -q -- "-c greet.c" make2.log || { cat make2.log; fail "greet.h changed, objects not rebuilt"; }
./prog > out.txt; greeting howdy make
echo "ok: make CC=cawait-cc (build tree), header change rebuilds"

# 2. The same with the installed driver (finds PREFIX/include and PREFIX/lib).
cp -r "$SRC" "$WORK/installed" && cd "$WORK/installed"
make CC="$PREFIX/bin/cawait-cc" > make1.log 2>&1 || { cat make1.log; fail "make CC=PREFIX/bin/cawait-cc"; }
grep -q "$PREFIX/bin/../include/cawait.h" main.d || { cat main.d; fail "installed driver did not use PREFIX/include"; }
./prog > out.txt; greeting hello make
echo "ok: make CC=PREFIX/bin/cawait-cc"

# 3. The %.gen.c: %.c pattern rule, with pkg-config when it is there.
cp -r "$SRC" "$WORK/rule" && cd "$WORK/rule"
if command -v pkg-config >/dev/null 2>&1; then
    export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig"
    [ "$(pkg-config --variable=cawait cawait)" -ef "$PREFIX/bin/cawait" ] || fail "pkg-config --variable=cawait"
    set --
else
    echo "note: no pkg-config; passing its values by hand"
    set -- CAWAIT="$PREFIX/bin/cawait" CAWAIT_CFLAGS="-I$PREFIX/include" CAWAIT_LIBS="-L$PREFIX/lib -lcawait -pthread"
fi
make -f rule.mk "$@" > make1.log 2>&1 || { cat make1.log; fail "make -f rule.mk"; }
./prog-rule > out.txt; greeting hello rule
flat_deps main.gen.d | grep -q "^main.gen.c: [^ ]*main.c .*greet.h" || { cat main.gen.d; fail "main.gen.d"; }
make -q -f rule.mk "$@" prog-rule || fail "rule.mk: not up to date after a build"
sed -i 's/"hello"/"howdy"/' greet.h && touch_later greet.h
make -f rule.mk "$@" > make2.log 2>&1 || { cat make2.log; fail "rule.mk rebuild"; }
grep -q "main.c -o main.gen.c" make2.log || { cat make2.log; fail "greet.h changed, main.gen.c not regenerated"; }
./prog-rule > out.txt; greeting howdy rule
echo "ok: %.gen.c pattern rule, header change regenerates"
