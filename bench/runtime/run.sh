#!/bin/sh
# Print libcawait's runtime benchmarks side by side with their peers.
# usage: run.sh BINDIR [N_SWITCH] [N_SPAWN]   (BINDIR holds bench_runtime, bench_coro*)
# Times are the best of 5 runs. Memory runs 1 M and 10 M sleeping tasks (about 1.5 GiB).
# The C++ spawn peer has no scheduler (clang may even elide its allocation): a floor, not a twin.
# With valgrind, the yield rows also count instructions per switch (callgrind: the
# difference between two run lengths, so start-up cancels out), which shared,
# noisy machines do not blur.
set -e
B=${1:?usage: run.sh BINDIR}
N=${2:-20000000}
S=${3:-5000000}

# The executables land in the project's bin/ (CMAKE_RUNTIME_OUTPUT_DIRECTORY),
# the clang++ peer in BINDIR: look in both.
for d in "$B" "$B/../../bin"; do
    [ -x "$d/bench_runtime" ] && R=$d && break
done
: "${R:?run.sh: no bench_runtime in $B or $B/../../bin}"
CORO="$R/bench_coro"
[ -x "$B/bench_coro_clang19" ] && CORO_CLANG="$B/bench_coro_clang19"
[ -x "$B/bench_runtime_clang" ] && RT_CLANG="$B/bench_runtime_clang"

best() { # best of 5 (shared machines are noisy): command... -> the smallest value printed
    for i in 1 2 3 4 5; do "$@"; done | awk '{ if (m == "" || $2 < m) m = $2 } END { printf "%.2f", m }'
}
once() { "$@" | awk '{ printf "%.1f", $2 }'; }
row() { printf '  %-44s %12s %14s %14s\n' "$1" "$2" "$3" "$4"; }
rt() { awk -v x="$1" 'BEGIN { printf "%.2f", 2 * x }'; }
instr() { # instructions per switch of a yield benchmark: instr BINARY
    command -v valgrind >/dev/null || { echo "-"; return; }
    a=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" yield 10 2>&1 | awk '/Collected/ { print $NF }')
    b=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" yield 200010 2>&1 | awk '/Collected/ { print $NF }')
    awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", (b - a) / 400000 }'
}
yield_row() { # yield_row LABEL BINARY
    v=$(best "$2" yield "$N"); row "$1" "$v" "$(rt "$v")" "$(instr "$2")"
}

echo "Suspend + resume: two tasks alternating a yield through a ready queue ($N switches each run)"
row "" "ns/switch" "ns/round-trip" "instr/switch"
yield_row "cawait ca_yield, project C compiler -O2" "$R/bench_runtime"
[ -n "$RT_CLANG" ] && yield_row "cawait ca_yield, clang -O2" "$RT_CLANG"
[ -n "$CORO_CLANG" ] && yield_row "C++20 coroutines, clang++ -O2" "$CORO_CLANG"
yield_row "C++20 coroutines, project C++ compiler -O2" "$CORO"
v=$(best "$R/bench_runtime" ucontext "$((N / 10))"); row "ucontext swapcontext" "$v" "$(rt "$v")"
v=$(best "$R/bench_runtime" pthread "$((N / 100))"); row "pthread mutex+condvar hand-off" "$v" "$(rt "$v")"
echo
echo "Spawn + join of an empty task ($S each run)"
row "" "ns each" ""
v=$(best "$R/bench_runtime" spawn "$S"); row "cawait ca_spawn + ca_join, from a task" "$v" ""
v=$(best "$R/bench_runtime" spawn-value "$S"); row "cawait ca_spawn into ca_task_of(int) + ca_join_value" "$v" ""
v=$(best "$R/bench_runtime" group "$S"); row "cawait ca_group_spawn + ca_group_wait, per task (1000 a group)" "$v" ""
if [ -n "$CORO_CLANG" ]; then
    v=$(best "$CORO_CLANG" spawn "$S"); row "C++20 coroutine create+resume+destroy, clang++" "$v" ""
fi
v=$(best "$CORO" spawn "$S"); row "C++20 coroutine create+resume+destroy" "$v" ""
v=$(best "$R/bench_runtime" pthread-spawn "$((S / 500))"); row "pthread_create + pthread_join" "$v" ""
echo
echo "Memory of a sleeping task, RSS delta / tasks"
row "" "bytes each" ""
for n in 1000000 10000000; do
    v=$(once "$R/bench_runtime" memory "$n"); row "cawait, $n tasks two awaits deep" "$v" ""
done
v=$(once "$R/bench_runtime" memory-args 1000000); row "cawait, 1000000 deep, sleeper(ms) -> nap(ms)" "$v" ""
if [ -n "$CORO_CLANG" ]; then
    v=$(once "$CORO_CLANG" memory 1000000); row "C++20 coroutines two deep, clang++, 1000000" "$v" ""
fi
v=$(once "$CORO" memory 1000000); row "C++20 coroutines two deep, 1000000" "$v" ""
if [ -x "$B/sleepers_rs" ]; then
    v=$(once "$B/sleepers_rs" memory 1000000); row "Rust futures two deep, std only, 1000000" "$v" ""
fi
if [ -x "$B/sleepers_go" ]; then
    v=$(once "$B/sleepers_go" memory 1000000); row "goroutines two calls deep, 1000000" "$v" ""
fi
v=$(once "$R/bench_runtime" ucontext-memory 10000); row "ucontext on a 64 KB mmap stack, 10000" "$v" ""
v=$(once "$R/bench_runtime" pthread-memory 1000); row "idle pthread, 1000 (+ kernel stack)" "$v" ""
