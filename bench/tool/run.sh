#!/bin/sh
# The tool's benchmarks (issue 3, "Performance"), each a table against its
# peers in one run. No assertion on time: the targets are printed beside.
#
# usage: run.sh BUILD_DIR [SECTION...]     SECTION: chain fnptr csmith transform scaling build (default: all)
#   BUILD_DIR holds bin/cawait, bin/asyncify and lib/libcawait.a.
#   env: REPS (timed runs per row, default 7), N (chains per run, default 20000000),
#        SEEDS (csmith seeds, default 20), WORK (scratch dir, default BUILD_DIR/bench-tool),
#        SIZES (scaling: locals per function, default "1000 2000 5000 10000 20000"),
#        NO_CALLGRIND=1 to skip the instruction counts.
#
# Times are CPU time (user + sys), which a loaded machine disturbs less
# than wall time: the chain programs time themselves with
# CLOCK_PROCESS_CPUTIME_ID, the others are measured with getrusage. Each row
# shows the best and the median of REPS runs, taken round-robin. Instruction counts come from callgrind (exact and
# repeatable): the difference between two runs of different length, divided
# by the difference in work, so start-up cancels out.
set -e
B=$(cd "${1:?usage: run.sh BUILD_DIR [chain|fnptr|csmith|transform|scaling|build]...}" && pwd)
shift
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
INC=$ROOT/runtime/include
CAWAIT=$B/bin/cawait
LIB=$B/lib/libcawait.a
ASYNCIFY=$B/bin/asyncify
REPS=${REPS:-7}
N=${N:-20000000}
SEEDS=${SEEDS:-20}
W=${WORK:-$B/bench-tool}
SECTIONS=${*:-chain fnptr csmith transform scaling build}
CC=${CC:-gcc}
CLANG=$(command -v clang-19 || command -v clang || true)
CLANGXX=$(command -v clang++-19 || command -v clang++ || true)
mkdir -p "$W"

have_callgrind() { [ -z "$NO_CALLGRIND" ] && command -v valgrind >/dev/null 2>&1; }

# stats V... -> "best median"
stats() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.2f %.2f", v[1], m }'
}

# callgrind_ir CMD... -> instructions executed (every process, children included)
callgrind_ir() {
    valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
        awk '/Collected :/ { s += $NF } END { print s + 0 }'
}

# timed_rows DIR INSTR_LABEL "exe:Row_name ...": time each DIR/exe N (round-robin,
# REPS runs), count instructions per unit with callgrind, and print a table
# whose "x first" column divides by the first row's best time. Sets
# best_<exe> and ir_<exe> for the caller's own ratios.
timed_rows() {
    T=$1 label=$2 rows=$3
    printf '  %-40s %9s %9s %11s %9s %8s\n' "" "best ns" "median ns" "$label" "x first" "allocs"
    # Round-robin over the rows, so that load on the machine hits all alike.
    for i in $(seq "$REPS"); do
        for r in $rows; do
            exe=${r%%:*}
            eval "vals_$exe=\"\$vals_$exe $("$T/$exe" "$N" | awk '{ print $2 }')\""
        done
    done
    base=""
    for r in $rows; do
        exe=${r%%:*}
        name=$(echo "${r#*:}" | tr _ ' ')
        eval "vals=\$vals_$exe"
        set -- $(stats $vals)
        best=$1 med=$2
        allocs=$("$T/$exe" 1000 | awk '/allocs_per_chain/ { print $NF }')
        ir="-"
        if have_callgrind; then
            n1=200000 n2=400000
            i1=$(callgrind_ir "$T/$exe" $n1)
            i2=$(callgrind_ir "$T/$exe" $n2)
            ir=$(awk -v a="$i1" -v b="$i2" -v d=$((n2 - n1)) 'BEGIN { printf "%.1f", (b - a) / d }')
        fi
        eval "best_$exe=$best ir_$exe=$ir"
        [ -n "$base" ] || base=$best
        x=$(awk -v a="$best" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
        printf '  %-40s %9s %9s %11s %9s %8s\n' "$name" "$best" "$med" "$ir" "$x" "${allocs:-0}"
    done
}

# ------------------------------------------------------------------ chain
chain() {
    echo "== Await fast path: a depth-3 chain (a awaits b awaits c) that never suspends, awaited $N times in a loop"
    echo "   (gcc -O2 for C, clang++-19 -O2 for C++; a, b, c noinline unless said; target: cawait <= 1.5x plain C calls)"
    T=$W/chain
    mkdir -p "$T"
    "$CAWAIT" "$HERE/chain_async.c" -o "$T/chain_cawait.c" -- -I"$INC"
    "$CAWAIT" "$HERE/chain_async.c" -o "$T/chain_cawait_nosync.c" --no-sync-lowering -- -I"$INC"
    $CC -std=gnu11 -O2 "$HERE/chain_plain.c" -o "$T/plain"
    $CC -std=gnu11 -O2 -DCHAIN_INLINE "$HERE/chain_plain.c" -o "$T/plain_inline"
    $CC -std=gnu11 -O2 -I"$INC" "$T/chain_cawait.c" "$LIB" -pthread -o "$T/cawait"
    $CC -std=gnu11 -O2 -I"$INC" "$T/chain_cawait_nosync.c" "$LIB" -pthread -o "$T/cawait_nosync"
    rows="plain:plain_C_calls plain_inline:plain_C,_a_b_c_inlinable cawait:cawait_(default) cawait_nosync:cawait_--no-sync-lowering"
    if [ -n "$CLANGXX" ]; then
        "$CLANGXX" -std=c++20 -O2 "$HERE/chain_coro.cpp" -o "$T/coro_elided"
        "$CLANGXX" -std=c++20 -O2 -DCHAIN_NOINLINE "$HERE/chain_coro.cpp" -o "$T/coro_malloc"
        rows="$rows coro_elided:C++20_co_await,_frames_elided coro_malloc:C++20_co_await,_frames_malloced"
    fi
    timed_rows "$T" "instr/chain" "$rows"
    echo
}

# ------------------------------------------------------------------ fnptr
fnptr() {
    echo "== Await through an async function pointer: a leaf that completes at once, awaited $N times in a loop"
    echo "   (gcc -O2, the leaf noinline; target: through a pointer <= 2x a direct await of the same leaf)"
    T=$W/fnptr
    mkdir -p "$T"
    $CC -std=gnu11 -O2 "$HERE/fnptr_plain.c" -o "$T/plain"
    $CC -std=gnu11 -O2 -DVIA_POINTER "$HERE/fnptr_plain.c" -o "$T/plain_ptr"
    for v in direct:"" ptr:-DVIA_POINTER; do
        for m in sync:"" sm:--no-sync-lowering; do
            exe=${v%%:*}_${m%%:*}
            "$CAWAIT" "$HERE/fnptr_async.c" -o "$T/$exe.c" ${m#*:} -- -I"$INC" ${v#*:}
            $CC -std=gnu11 -O2 -I"$INC" "$T/$exe.c" "$LIB" -pthread -o "$T/$exe"
        done
    done
    timed_rows "$T" "instr/call" "plain:plain_C_call plain_ptr:plain_C_call_through_a_pointer \
direct_sync:await_leaf_(leaf_is_plain_C) ptr_sync:await_through_pointer_(same_leaf) \
direct_sm:await_leaf_(leaf_a_state_machine) ptr_sm:await_through_pointer_(same_leaf)"
    awk -v a="$best_ptr_sync" -v b="$best_direct_sync" -v c="$ir_ptr_sync" -v d="$ir_direct_sync" \
        -v e="$best_ptr_sm" -v f="$best_direct_sm" -v g="$ir_ptr_sm" -v h="$ir_direct_sm" 'BEGIN {
        printf "  through a pointer / direct await: leaf plain C %.2fx ns, %s instr; leaf a state machine %.2fx ns, %s instr\n",
            a / b, (d > 0 ? sprintf("%.2fx", c / d) : "-"), e / f, (h > 0 ? sprintf("%.2fx", g / h) : "-") }'
    echo
}

# ------------------------------------------------------------------ csmith
csmith_perf() {
    echo "== csmith async twins: original vs every function async (gcc -O2), $SEEDS seeds (target: async <= 1.5x summed)"
    python3 "$HERE/csmith_perf.py" --build "$B" --seeds "$SEEDS" --reps "$REPS" --work "$W/csmith" \
        ${NO_CALLGRIND:+--no-callgrind}
    echo "  tests/random/difftest.py --perf (plain mode, wall time, best of 3), seeds 1..$SEEDS:"
    python3 "$ROOT/tests/random/difftest.py" --perf --sweep "$SEEDS" --start 1 -j1 \
        --cawait "$CAWAIT" --runtime-lib "$LIB" --asyncify "$ASYNCIFY" --work "$W/difftest" 2>&1 |
        grep '^difftest: perf' | sed 's/^/    /' || true
    echo
}

# ------------------------------------------------------------------ transform
transform() {
    echo "== Transform time: cawait IN.c -o OUT.c vs $CLANG -fsyntax-only (same flags, -w; target: <= 1.5x)"
    T=$W/transform
    mkdir -p "$T"
    files=""
    for f in "$ROOT"/tests/transform/*.c "$ROOT"/samples/hello.c; do
        files="$files $f"
    done
    # A large csmith program, asyncified (every function async, every call awaited).
    if command -v csmith >/dev/null 2>&1 && [ -x "$ASYNCIFY" ]; then
        csmith --seed 4242 --max-funcs 40 --no-packed-struct --max-block-depth 4 \
            --max-expr-complexity 8 -o "$T/csmith_big.orig.c"
        "$ASYNCIFY" -q "$T/csmith_big.orig.c" -o "$T/csmith_big.c" -- -I/usr/include/csmith
        files="$files $T/csmith_big.c"
    fi
    flags="-w -I$INC -I$ROOT/tests/Inputs -I/usr/include/csmith"
    printf '  %-28s %6s %23s %23s %7s %14s %14s %7s\n' "file" "lines" "cawait CPU ms best/med" \
        "clang CPU ms best/med" "x time" "cawait Minstr" "clang Minstr" "x instr"
    sc=0 sk=0 ic=0 ik=0
    for f in $files; do
        name=$(basename "$f")
        lines=$(wc -l <"$f")
        if [ "$(timed "$CAWAIT" "$f" -o "$T/out.c" -- $flags)" = fail ]; then
            printf '  %-28s %6s   skipped: cawait refuses it (a diagnostic test, or a bug)\n' "$name" "$lines"
            continue
        fi
        # Interleave the two so that load on the machine hits both alike.
        vc="" vk=""
        for i in $(seq "$REPS"); do
            vc="$vc $(timed "$CAWAIT" "$f" -o "$T/out.c" -- $flags)"
            vk="$vk $(timed "$CLANG" -fsyntax-only -std=gnu11 $flags "$f")"
        done
        set -- $(stats $vc)
        cb=$1 cm=$2
        set -- $(stats $vk)
        kb=$1 km=$2
        x=$(awk -v a="$cb" -v b="$kb" 'BEGIN { printf "%.2f", a / b }')
        irc="-" irk="-" xi="-"
        if have_callgrind; then
            irc=$(callgrind_ir "$CAWAIT" "$f" -o "$T/out.c" -- $flags)
            irk=$(callgrind_ir "$CLANG" -fsyntax-only -std=gnu11 $flags "$f")
            ic=$((ic + irc)) ik=$((ik + irk))
            xi=$(awk -v a="$irc" -v b="$irk" 'BEGIN { printf "%.2f", a / b }')
            irc=$(awk -v a="$irc" 'BEGIN { printf "%.1f", a / 1e6 }')
            irk=$(awk -v a="$irk" 'BEGIN { printf "%.1f", a / 1e6 }')
        fi
        sc=$(awk -v a="$sc" -v b="$cb" 'BEGIN { print a + b }')
        sk=$(awk -v a="$sk" -v b="$kb" 'BEGIN { print a + b }')
        printf '  %-28s %6s %11s/%-11s %11s/%-11s %7s %14s %14s %7s\n' "$name" "$lines" "$cb" "$cm" \
            "$kb" "$km" "$x" "$irc" "$irk" "$xi"
    done
    xs=$(awk -v a="$sc" -v b="$sk" 'BEGIN { printf "%.2f", a / b }')
    xi="-"
    have_callgrind && xi=$(awk -v a="$ic" -v b="$ik" 'BEGIN { printf "%.2f", a / b }')
    printf '  %-28s %6s %23s %23s %7s %14s %14s %7s\n' "sum of best" "" "$sc" "$sk" "$xs" \
        "$(awk -v a="$ic" 'BEGIN { printf "%.1f", a / 1e6 }')" "$(awk -v a="$ik" 'BEGIN { printf "%.1f", a / 1e6 }')" "$xi"
    echo
}

# timed CMD... -> CPU milliseconds (user + sys) of one run, or "fail"
timed() {
    python3 -c '
import resource, subprocess, sys
b = resource.getrusage(resource.RUSAGE_CHILDREN)
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
a = resource.getrusage(resource.RUSAGE_CHILDREN)
d = a.ru_utime - b.ru_utime + a.ru_stime - b.ru_stime
print("fail" if r.returncode else "%.2f" % (d * 1e3))' "$@"
}

# ------------------------------------------------------------------ scaling
# gen_fn SHAPE N: one async function of N locals that all live across one
# await (SHAPE locals), or of N awaits in a row, each result kept (awaits).
gen_fn() {
    awk -v shape="$1" -v n="$2" 'BEGIN {
        print "#include <cawait.h>"
        print "static async int g(int x) { await ca_yield(); return x; }"
        print "async int f(int x) {"
        if (shape == "locals") {
            for (i = 0; i < n; i++) printf "    int v%d = x + %d;\n", i, i
            print "    await g(x);"
            print "    int s = 0;"
            for (i = 0; i < n; i++) printf "    s += v%d;\n", i
        } else {
            print "    int s = 0;"
            for (i = 0; i < n; i++) printf "    s += await g(%d);\n", i
        }
        print "    return s;"
        print "}"
        print "int main(void) { return ca_run(f(1)) == 0; }"
    }'
}

scaling() {
    echo "== Transform time against function size: one async function with N locals living across an await,"
    echo "   or N awaits in a row; cawait vs $CLANG -fsyntax-only on the same file (CPU ms, best of ${SREPS:=3})."
    echo "   Linear when 'cawait us/N' stays flat as N grows (it grew with N while lookups scanned every local)."
    T=$W/scaling
    mkdir -p "$T"
    printf '  %-7s %7s %8s %12s %12s %7s %11s\n' "shape" "N" "lines" "cawait ms" "clang ms" "x" "cawait us/N"
    for shape in locals awaits; do
        for n in ${SIZES:-1000 2000 5000 10000 20000}; do
            f=$T/${shape}_$n.c
            gen_fn "$shape" "$n" >"$f"
            vc="" vk=""
            for i in $(seq "$SREPS"); do
                vc="$vc $(timed "$CAWAIT" "$f" -o "$T/out.c" -- -I"$INC")"
                vk="$vk $(timed "$CLANG" -fsyntax-only -std=gnu11 -w -I"$INC" "$f")"
            done
            set -- $(stats $vc)
            cb=$1
            set -- $(stats $vk)
            kb=$1
            printf '  %-7s %7s %8s %12s %12s %7s %11s\n' "$shape" "$n" "$(wc -l <"$f")" "$cb" "$kb" \
                "$(awk -v a="$cb" -v b="$kb" 'BEGIN { printf "%.2f", a / b }')" \
                "$(awk -v a="$cb" -v n="$n" 'BEGIN { printf "%.1f", a * 1e3 / n }')"
        done
    done
    echo
}

# ------------------------------------------------------------------ build
# make CC=cawait-cc against make CC=gcc on a real C project without async
# code: zlib 1.2.11 from Debian's gcc-12-source tarball (extracted once).
GCC_TARBALL=${GCC_TARBALL:-/usr/src/gcc-12/gcc-12.2.0-dfsg.tar.xz}
build_time() {
    echo "== Build time of a C project without async code: make CC=$B/bin/cawait-cc vs make CC=$CC"
    echo "   (zlib 1.2.11 from gcc-12-source: 17 files, -O2, libz.a + example + minigzip; CPU s of make and"
    echo "   everything it runs, best/median of $REPS; target: cawait-cc <= 1.1x)"
    T=$W/build
    if [ ! -f "$T/zlib/zlib.h" ]; then
        if [ ! -f "$GCC_TARBALL" ]; then
            echo "   skipped: $GCC_TARBALL not found (apt-get install gcc-12-source)"
            echo
            return
        fi
        rm -rf "$T" && mkdir -p "$T"
        tar -xJf "$GCC_TARBALL" -C "$T" --strip-components=1 --wildcards 'gcc-*/zlib/*.[ch]'
    fi
    cat >"$T/zlib/Makefile.bench" <<'EOF2'
SRCS = adler32.c compress.c crc32.c deflate.c gzclose.c gzlib.c gzread.c gzwrite.c infback.c \
       inffast.c inflate.c inftrees.c trees.c uncompr.c zutil.c
OBJS = $(SRCS:.c=.o)
CFLAGS = -O2 -DHAVE_UNISTD_H -DHAVE_STDARG_H
all: example minigzip
libz.a: $(OBJS)
	ar rcs $@ $(OBJS)
example: example.o libz.a
	$(CC) -o $@ example.o libz.a
minigzip: minigzip.o libz.a
	$(CC) -o $@ minigzip.o libz.a
clean:
	rm -f *.o libz.a example minigzip foo.gz
EOF2
    mk() { timed make -s -C "$T/zlib" -f Makefile.bench "$@"; }
    vp="" vc=""
    for i in $(seq "$REPS"); do
        make -s -C "$T/zlib" -f Makefile.bench clean
        vp="$vp $(mk CC="$CC")"
        make -s -C "$T/zlib" -f Makefile.bench clean
        vc="$vc $(CAWAIT_CC=$CC mk CC="$B/bin/cawait-cc")"
        # The zlib built through cawait-cc works: its own test program passes.
        (cd "$T/zlib" && ./example >/dev/null) || { echo "   zlib built by cawait-cc fails its test"; exit 1; }
    done
    set -- $(stats $vp)
    pb=$1 pm=$2
    set -- $(stats $vc)
    cb=$1 cm=$2
    printf '  %-24s %12s %12s\n' "build" "CPU s best" "median"
    printf '  %-24s %12.2f %12.2f\n' "make CC=$CC" "$(awk -v a="$pb" 'BEGIN { print a / 1e3 }')" \
        "$(awk -v a="$pm" 'BEGIN { print a / 1e3 }')"
    printf '  %-24s %12.2f %12.2f\n' "make CC=cawait-cc" "$(awk -v a="$cb" 'BEGIN { print a / 1e3 }')" \
        "$(awk -v a="$cm" 'BEGIN { print a / 1e3 }')"
    printf '  %-24s %12s %12s\n' "x" "$(awk -v a="$cb" -v b="$pb" 'BEGIN { printf "%.2f", a / b }')" \
        "$(awk -v a="$cm" -v b="$pm" 'BEGIN { printf "%.2f", a / b }')"
    echo
}

for s in $SECTIONS; do
    case $s in
    scaling) scaling ;;
    build) build_time ;;
    chain) chain ;;
    fnptr) fnptr ;;
    csmith) csmith_perf ;;
    transform) transform ;;
    *) echo "run.sh: unknown section $s" >&2; exit 2 ;;
    esac
done
