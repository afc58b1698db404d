#!/bin/sh
# A CMake project using find_package(cawait) + cawait_generate against an
# install prefix: configure, build, run; editing a header reruns cawait.
#   run_cmake.sh CMAKE SOURCE_DIR WORK_DIR PREFIX [GENERATOR]
CMAKE=$1 SRC=$2 WORK=$3 PREFIX=$4 GEN=${5:-Unix Makefiles}
. "$SRC/../common.sh"

rm -rf "$WORK" && mkdir -p "$WORK"
cp -r "$SRC" "$WORK/src"   # a copy: the test edits its header
"$CMAKE" -S "$WORK/src" -B "$WORK/b" -G "$GEN" -DCMAKE_PREFIX_PATH="$PREFIX" > "$WORK/configure.log" 2>&1 \
    || { cat "$WORK/configure.log"; fail "configure"; }
"$CMAKE" --build "$WORK/b" > "$WORK/build1.log" 2>&1 || { cat "$WORK/build1.log"; fail "build"; }
grep -q "cawait main.c" "$WORK/build1.log" && grep -q "cawait greet.c" "$WORK/build1.log" \
    || { cat "$WORK/build1.log"; fail "no cawait step in the build"; }
"$WORK/b/consumer" > "$WORK/out.txt"
expect_output "$WORK/out.txt" "hello cmake 0" "hello task 0" "hello cmake 1" "hello task 1" "total 4"

# Nothing to do on a second build.
"$CMAKE" --build "$WORK/b" > "$WORK/build2.log" 2>&1 || { cat "$WORK/build2.log"; fail "rebuild"; }
grep -q "cawait main.c" "$WORK/build2.log" && { cat "$WORK/build2.log"; fail "cawait reran with nothing changed"; }

# A header change reruns cawait on both sources (the depfile), then the compiler.
sed -i 's/"hello"/"howdy"/' "$WORK/src/include/greet.h" && touch_later "$WORK/src/include/greet.h"
"$CMAKE" --build "$WORK/b" > "$WORK/build3.log" 2>&1 || { cat "$WORK/build3.log"; fail "build after a header change"; }
grep -q "cawait main.c" "$WORK/build3.log" && grep -q "cawait greet.c" "$WORK/build3.log" \
    || { cat "$WORK/build3.log"; fail "greet.h changed, cawait did not rerun"; }
"$WORK/b/consumer" > "$WORK/out.txt"
expect_output "$WORK/out.txt" "howdy cmake 0" "howdy task 0" "howdy cmake 1" "howdy task 1" "total 4"
echo "ok: find_package(cawait) + cawait_generate ($GEN), header change reruns cawait"
